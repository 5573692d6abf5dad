/*
 * Where the growth was allocated: for every candidate object, the objects
 * it holds (its dominator subtree, itself included), and for every class,
 * its instances, counted when they are new (made since the oldest
 * snapshot) and grouped by allocation site (alloc.c). One pass over the
 * newest heap for all series at once: each node counts for its nearest
 * candidate dominator and its class, then each candidate's counts go up to
 * the candidates that dominate it, deepest first.
 */
#include <stdlib.h>
#include <string.h>

#include "../alloc.h"
#include "trend_int.h"

typedef struct {
  ls__store *c;
} put_ctx;

static int put_sites(void *ctx, uint32_t group, ls_alloc_site *sites, size_t n) {
  ls__store *c = ((put_ctx *)ctx)->c;
  ls_allocations *x = group < c->nobj ? &c->obj[group].alloc : &c->cls[group - c->nobj].alloc;
  ls__alloc_sites_free(x->sites, x->site_count);
  x->sites = sites;
  x->site_count = n;
  return 0;
}

/* Each class's constructor location, its script named. */
static int class_locations(ls__store *c, const ls_heap *h, const uint32_t *rep) {
  const ls_snapshot *s = h->s;
  uint32_t *ids = malloc((c->ncls ? c->ncls : 1) * sizeof *ids);
  uint32_t *names = malloc((c->ncls ? c->ncls : 1) * sizeof *names);
  size_t *of = malloc((c->ncls ? c->ncls : 1) * sizeof *of);
  size_t n = 0;
  int rc = -1;
  if (!ids || !names || !of) goto out;
  for (size_t k = 0; k < c->ncls; k++) {
    if (rep[k] == UINT32_MAX) continue;
    const ls__class *cl = &h->classes.items[h->classes.node_class[rep[k]]];
    if (!cl->has_location) continue;
    ids[n] = cl->script_id;
    of[n++] = k;
  }
  if (ls__script_names(s, ids, n, names)) goto out;
  for (size_t i = 0; i < n; i++) {
    ls__cseries *cs = &c->cls[of[i]];
    const ls__class *cl = &h->classes.items[h->classes.node_class[rep[of[i]]]];
    /* the snapshot's locations are 0-based */
    ls_frame f = {"", names[i] == LS__MAP_NONE ? "" : (char *)ls__str(s, names[i]),
                  cl->line + 1, cl->column + 1};
    if (ls__frame_copy(&cs->alloc.location, &f)) goto out;
    cs->alloc.has_location = 1;
  }
  rc = 0;
out:
  free(ids);
  free(names);
  free(of);
  return rc;
}

ls_status ls__store_sites(ls__store *c, const ls_heap *h, const uint32_t *item_class,
                          const uint32_t *rep, uint64_t floor) {
  const ls_snapshot *s = h->s;
  const uint64_t n = s->node_count;
  const size_t ng = c->nobj + c->ncls;
  ls__alloc a;
  ls__alloc_acc acc = {0};
  ls_status st = ls__alloc_init(s, &a, c->err);
  if (st != LS_OK) return st;
  if (class_locations(c, h, rep)) goto oom;
  c->tracked = a.tn_of_id != NULL;
  if (!c->tracked) goto out;

  uint32_t *own = malloc(n * sizeof *own), *stack = malloc(n * sizeof *stack);
  uint32_t *pcand = malloc((c->nobj + 1) * sizeof *pcand);
  /* a candidate the dominator tree does not reach holds nothing */
  uint32_t *depth = calloc(c->nobj + 1, sizeof *depth);
  uint32_t *order = malloc((c->nobj + 1) * sizeof *order);
  uint64_t *tot = calloc(ng * 3 + 1, sizeof *tot); /* count, size, untracked */
  if (!own || !stack || !pcand || !depth || !order || !tot) goto oom_arrays;
  memset(pcand, 0xff, (c->nobj + 1) * sizeof *pcand);
  /* nearest candidate dominator (itself when a candidate), in preorder */
  const uint32_t root = s->root_ordinal;
  uint64_t sp = 0;
  own[root] = UINT32_MAX;
  stack[sp++] = root;
  while (sp) {
    uint32_t v = stack[--sp];
    uint32_t up = own[v];
    uint32_t me = v == root ? LS__MAP_NONE : ls__map_find(&c->ids, s->node_id[v]);
    if (me != LS__MAP_NONE) {
      me = (uint32_t)c->ids.e[me].val;
      pcand[me] = up;
      depth[me] = up == UINT32_MAX ? 0 : depth[up] + 1;
      up = me;
    }
    own[v] = up;
    for (uint32_t i = h->dom_first[v]; i < h->dom_first[v + 1]; i++) {
      uint32_t ch = h->dom_child[i];
      own[ch] = up;
      stack[sp++] = ch;
    }
  }
  for (uint64_t v = 0; v < n; v++) {
    uint64_t id = s->node_id[v];
    if (v == root || !(id & 1) || id <= floor) continue;
    uint32_t groups[2] = {own[v], (uint32_t)(c->nobj + item_class[h->classes.node_class[v]])};
    uint32_t tn = ls__alloc_of(&a, (uint32_t)v);
    for (int g = 0; g < 2; g++) {
      if (groups[g] == UINT32_MAX) continue;
      uint64_t *t = &tot[3 * (size_t)groups[g]];
      if (tn == LS__MAP_NONE) {
        t[2]++;
        continue;
      }
      t[0]++;
      t[1] += h->self[v];
      if (ls__alloc_acc_add(&acc, groups[g], tn, 1, h->self[v])) goto oom_arrays;
    }
  }
  /* what a candidate holds, its dominating candidates hold too */
  size_t no = 0;
  for (size_t i = 0; i < c->nobj; i++) order[no++] = (uint32_t)i;
  for (size_t i = 1; i < no; i++) /* deepest first (insertion sort: few) */
    for (size_t j = i; j > 0 && depth[order[j]] > depth[order[j - 1]]; j--) {
      uint32_t t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  for (size_t i = 0; i < no; i++) {
    uint32_t g = order[i], p = pcand[g];
    if (p == UINT32_MAX) continue;
    for (int k = 0; k < 3; k++) tot[3 * (size_t)p + k] += tot[3 * (size_t)g + k];
    if (ls__alloc_acc_merge(&acc, g, p)) goto oom_arrays;
  }
  for (size_t g = 0; g < ng; g++) {
    ls_allocations *x = g < c->nobj ? &c->obj[g].alloc : &c->cls[g - c->nobj].alloc;
    x->tracked = 1;
    x->count = tot[3 * g];
    x->size = tot[3 * g + 1];
    x->untracked = tot[3 * g + 2];
  }
  put_ctx pc = {c};
  st = ls__alloc_sites(&a, &acc, put_sites, &pc, c->err);
  free(own), free(stack), free(pcand), free(depth), free(order), free(tot);
  goto out;
oom_arrays:
  free(own), free(stack), free(pcand), free(depth), free(order), free(tot);
oom:
  st = ls__store_nomem(c);
out:
  ls__alloc_acc_free(&acc);
  ls__alloc_free(&a);
  return st;
}
