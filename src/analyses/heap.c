/* ls_heap_build: run the graph layer and the algorithms over a snapshot. */
#include "heap.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../algorithms/distances.h"
#include "../algorithms/dominators.h"
#include "../algorithms/shallow.h"
#include "../reader/error.h"

static void progress(const ls_heap_options *o, const char *phase,
                     uint64_t done, uint64_t total) {
  if (o && o->progress) o->progress(o->progress_ctx, phase, done, total);
}

/* Children lists of the dominator tree, grouped by dominator (counting sort:
 * two passes, no per-node allocation). The root is nobody's child.
 * h->dom_child is allocated already (it was the distances' queue). */
static ls_status build_dom_tree(ls_heap *h, ls_error *err) {
  uint64_t n = h->s->node_count;
  uint32_t root = h->s->root_ordinal;
  h->dom_first = calloc(n + 1, sizeof *h->dom_first);
  if (!h->dom_first)
    return ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                         "out of memory building the dominator tree");
  for (uint64_t v = 0; v < n; v++)
    if (v != root) h->dom_first[h->idom[v] + 1]++;
  for (uint64_t v = 0; v < n; v++) h->dom_first[v + 1] += h->dom_first[v];
  /* fill with a moving cursor per dominator, then restore the starts */
  for (uint64_t v = 0; v < n; v++)
    if (v != root) h->dom_child[h->dom_first[h->idom[v]]++] = (uint32_t)v;
  for (uint64_t v = n; v > 0; v--) h->dom_first[v] = h->dom_first[v - 1];
  h->dom_first[0] = 0;
  return LS_OK;
}

/* Retained sizes in 32 bits when the root's, the largest, fits (a heap
 * under 4 GiB): the 64-bit array the dominator tree needed as scratch is
 * packed in place and shrunk, half its memory back before the distances
 * and the class names run. */
static void narrow_retained(ls_heap *h) {
  uint64_t n = h->s->node_count;
  if (ls__ucol_get(&h->retained, h->s->root_ordinal) > UINT32_MAX) return;
  unsigned char *p = (unsigned char *)h->retained.w64;
  /* forward: value v's 4 bytes land where values < v were, already read */
  for (uint64_t v = 0; v < n; v++) {
    uint64_t x;
    memcpy(&x, p + 8 * v, 8);
    uint32_t y = (uint32_t)x;
    memcpy(p + 4 * v, &y, 4);
  }
  uint32_t *w32 = realloc(p, n * sizeof *w32);
  h->retained.w32 = w32 ? w32 : (uint32_t *)(void *)p;
  h->retained.w64 = NULL;
}

/* Work on a second thread (two cores is the common case): each job writes
 * only its own outputs and reads what the main thread does not change. */
typedef struct {
  pthread_t tid;
  int started;
  ls_heap *h;
  ls__graph *g;
  ls_error err;
  ls_status st;
} side_job;

/* Shallow sizes need only the node flags: they run while the retainers are
 * built. They are computed in place over the snapshot's raw sizes. */
static void *shallow_job(void *arg) {
  side_job *j = arg;
  j->st = ls__shallow_sizes(j->g, j->h->self, &j->err);
  return NULL;
}

/* Classes need only the flags too: they run while the dominator tree is
 * finished, once its retainer lists have been freed (less memory at once). */
static void *names_job(void *arg) {
  side_job *j = arg;
  j->st = ls__classes_build(j->g, &j->h->classes, &j->err);
  return NULL;
}

static void side_start(side_job *j, void *(*fn)(void *)) {
  j->st = LS_OK;
  j->started = pthread_create(&j->tid, NULL, fn, j) == 0;
  if (!j->started) fn(j); /* no thread: do it here */
}

static ls_status side_join(side_job *j, ls_status st, ls_error *err) {
  if (j->started) pthread_join(j->tid, NULL);
  j->started = 0;
  if (st == LS_OK && j->st != LS_OK) {
    if (err) *err = j->err;
    st = j->st;
  }
  return st;
}

typedef struct {
  ls__graph *g;
  side_job *names;
  const ls_heap_options *opts;
} dom_ctx;

static void retainers_done(void *arg) {
  dom_ctx *c = arg;
  progress(c->opts, "naming classes", 0, 0);
  side_start(c->names, names_job);
}

ls_status ls_heap_build(ls_snapshot *s, const ls_heap_options *opts,
                        ls_heap **out, ls_error *err) {
  if (!s || !out) {
    ls_snapshot_free(s);
    return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls_heap_build: NULL argument");
  }
  *out = NULL;
  ls_heap *h = calloc(1, sizeof *h);
  if (!h) {
    ls_snapshot_free(s);
    return ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET, "out of memory");
  }
  h->s = s;
  h->raw_sizes = opts ? opts->raw_sizes : 0;
  /* self sizes live in the snapshot's own column (one array less) */
  h->self = &s->node_self_size;
  uint64_t n = s->node_count;
  ls_status st;
  ls__graph g;
  memset(&g, 0, sizeof g);
  side_job shallow = {0}, names = {0};
  shallow.h = names.h = h;
  shallow.g = names.g = &g;

  if (n == 0) {
    ls_heap_free(h);
    return ls__heap_fail(err, LS_ERR_PARSE, LS_NO_OFFSET,
                         "the snapshot has no nodes (expected at least the "
                         "root node)");
  }
  progress(opts, "marking edges", 0, 0);
  st = ls__graph_flags(s, &g, err);
  if (st != LS_OK) goto fail;
  if (!h->raw_sizes) side_start(&shallow, shallow_job);
  st = ls__graph_essential(&g, err);
  st = side_join(&shallow, st, err);
  if (st != LS_OK) goto fail;

  h->idom = malloc(n * sizeof *h->idom);
  h->retained.w64 = malloc(n * sizeof *h->retained.w64);
  if (!h->idom || !h->retained.w64) {
    st = ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                       "out of memory for %llu nodes",
                       (unsigned long long)n);
    goto fail;
  }
  progress(opts, "building dominator tree", 0, 0);
  dom_ctx dc = {&g, &names, opts};
  st = ls__dominators(&g, h->self, h->idom, h->retained.w64, NULL,
                      retainers_done, &dc, err);
  if (st == LS_OK) narrow_retained(h);
  /* distances before the tree's lists: their queue is the array that
   * becomes dom_child, so the two never need memory at the same time */
  if (st == LS_OK && !(h->dom_child = malloc(n * sizeof *h->dom_child)))
    st = ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                       "out of memory building the dominator tree");
  if (st == LS_OK && !(opts && opts->no_distances)) {
    progress(opts, "calculating distances", 0, 0);
    h->distance = malloc(n * sizeof *h->distance);
    st = h->distance ? ls__distances(&g, h->distance, h->dom_child, err)
                     : ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                                     "out of memory for distances");
  }
  if (st == LS_OK) st = build_dom_tree(h, err);
  st = side_join(&names, st, err);
  if (st != LS_OK) goto fail;
  ls__graph_free(&g);
  *out = h;
  return LS_OK;

fail:
  ls__graph_free(&g);
  ls_heap_free(h);
  return st;
}

ls_status ls_heap_load(const char *path, const ls_heap_options *opts,
                       ls_heap **out, ls_error *err) {
  ls_snapshot *s = NULL;
  ls_status st = ls_snapshot_read_file(path, &s, opts ? opts->progress : NULL,
                                       opts ? opts->progress_ctx : NULL, err);
  if (st != LS_OK) return st;
  return ls_heap_build(s, opts, out, err);
}

void ls_heap_free(ls_heap *h) {
  if (!h) return;
  ls__classes_free(&h->classes);
  free(h->idom);
  ls__ucol_free(&h->retained);
  free(h->distance);
  free(h->dom_first);
  free(h->dom_child);
  ls_snapshot_free(h->s);
  free(h);
}
