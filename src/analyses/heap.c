/* ls_heap_build: run the graph layer and the algorithms over a snapshot. */
#include "heap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../algorithms/distances.h"
#include "../algorithms/dominators.h"
#include "../algorithms/shallow.h"

static void progress(const ls_heap_options *o, const char *phase,
                     uint64_t done, uint64_t total) {
  if (o && o->progress) o->progress(o->progress_ctx, phase, done, total);
}

/* Children lists of the dominator tree, grouped by dominator (counting sort:
 * two passes, no per-node allocation). The root is nobody's child. */
static ls_status build_dom_tree(ls_heap *h, ls_error *err) {
  uint64_t n = h->s->node_count;
  uint32_t root = h->s->root_ordinal;
  h->dom_first = calloc(n + 1, sizeof *h->dom_first);
  h->dom_child = malloc((n ? n : 1) * sizeof *h->dom_child);
  if (!h->dom_first || !h->dom_child)
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
  uint64_t n = s->node_count;
  ls_status st;
  ls__graph g;
  memset(&g, 0, sizeof g);

  if (n == 0) {
    ls_heap_free(h);
    return ls__heap_fail(err, LS_ERR_PARSE, LS_NO_OFFSET,
                         "the snapshot has no nodes (expected at least the "
                         "root node)");
  }
  progress(opts, "building retainers", 0, 0);
  st = ls__graph_build(s, &g, err);
  if (st != LS_OK) goto fail;

  h->self = malloc(n * sizeof *h->self);
  h->idom = malloc(n * sizeof *h->idom);
  h->retained = malloc(n * sizeof *h->retained);
  h->distance = malloc(n * sizeof *h->distance);
  if (!h->self || !h->idom || !h->retained || !h->distance) {
    st = ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                       "out of memory for %llu nodes",
                       (unsigned long long)n);
    goto fail;
  }
  if (h->raw_sizes) {
    memcpy(h->self, s->node_self_size, n * sizeof *h->self);
  } else {
    progress(opts, "calculating shallow sizes", 0, 0);
    st = ls__shallow_sizes(&g, h->self, err);
    if (st != LS_OK) goto fail;
  }
  progress(opts, "building dominator tree", 0, 0);
  st = ls__dominators(&g, h->self, h->idom, h->retained, NULL, err);
  if (st != LS_OK) goto fail;
  progress(opts, "calculating distances", 0, 0);
  st = ls__distances(&g, h->distance, err);
  if (st != LS_OK) goto fail;
  progress(opts, "naming classes", 0, 0);
  st = ls__classes_build(&g, &h->classes, err);
  if (st != LS_OK) goto fail;
  ls__graph_free(&g);
  st = build_dom_tree(h, err);
  if (st != LS_OK) goto fail_nograph;
  *out = h;
  return LS_OK;

fail:
  ls__graph_free(&g);
fail_nograph:
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
  free(h->self);
  free(h->idom);
  free(h->retained);
  free(h->distance);
  free(h->dom_first);
  free(h->dom_child);
  ls_snapshot_free(h->s);
  free(h);
}
