/*
 * Where the growth was allocated: for every candidate object, the objects
 * it holds (its dominator subtree, itself included), and for every class,
 * its instances, counted when they are new (made since the oldest
 * snapshot) and grouped by allocation site (alloc.c); and for every class
 * the new objects its largest instance holds (for a class whose growth is
 * what an instance holds: a listener Array). One pass over the newest heap
 * for all series at once: each new node counts for its class, its nearest
 * candidate dominator and its nearest dominating largest instance; then
 * each of those counts go up to the ones that dominate it, deepest first.
 */
#include <stdlib.h>
#include <string.h>

#include "../alloc.h"
#include "trend_int.h"

/* Groups: candidate objects, then classes (their instances), then classes
 * again (what their largest instance holds). */
static ls_allocations *group_of(ls__store *c, size_t g) {
  if (g < c->nobj) return &c->obj[g].alloc;
  g -= c->nobj;
  return g < c->ncls ? &c->cls[g].alloc : &c->cls[g - c->ncls].held;
}

static int put_sites(void *ctx, uint32_t group, ls_alloc_site *sites, size_t n) {
  ls__store *c = ctx;
  ls_allocations *x = group_of(c, group);
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

/* Holders (candidate objects, or each class's largest instance) nest in
 * the dominator tree: the counts of each go up to the holders dominating
 * it, deepest first. */
static int merge_up(ls__alloc_acc *acc, uint64_t *tot, const uint32_t *parent,
                    const uint32_t *depth, uint32_t *order, size_t n, uint32_t base) {
  for (size_t i = 0; i < n; i++) order[i] = (uint32_t)i;
  for (size_t i = 1; i < n; i++) /* deepest first */
    for (size_t j = i; j > 0 && depth[order[j]] > depth[order[j - 1]]; j--) {
      uint32_t t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  for (size_t i = 0; i < n; i++) {
    uint32_t g = order[i], p = parent[g];
    if (p == UINT32_MAX) continue;
    for (int k = 0; k < 3; k++) tot[3 * (size_t)(base + p) + k] += tot[3 * (size_t)(base + g) + k];
    if (ls__alloc_acc_merge(acc, base + g, base + p)) return -1;
  }
  return 0;
}

ls_status ls__store_sites(ls__store *c, const ls_heap *h, const uint32_t *item_class,
                          const uint32_t *rep, uint64_t floor) {
  const ls_snapshot *s = h->s;
  const uint64_t n = s->node_count;
  const size_t no = c->nobj, nc = c->ncls, ng = no + 2 * nc;
  const uint32_t root = s->root_ordinal;
  ls__alloc a;
  ls__alloc_acc acc;
  memset(&acc, 0, sizeof acc);
  ls_status st = ls__alloc_init(s, &a, c->err);
  if (st != LS_OK) return st;
  if (class_locations(c, h, rep)) goto oom;
  c->tracked = a.tn_of_id != NULL;
  if (!c->tracked) goto out;

  /* per node: nearest candidate (own) and nearest largest instance (tl)
   * dominating it, itself included; per holder: the nearest above it */
  uint32_t *own = malloc(n * sizeof *own), *tl = malloc(n * sizeof *tl);
  uint32_t *stack = malloc(n * sizeof *stack);
  const size_t nh = no + nc + 1;
  uint32_t *up = malloc(nh * sizeof *up), *depth = calloc(nh, sizeof *depth);
  uint32_t *order = malloc(nh * sizeof *order), *top = malloc((nc + 1) * sizeof *top);
  uint64_t *tot = calloc(ng * 3 + 1, sizeof *tot); /* count, size, untracked */
  ls__map tops = {0}; /* largest instance's ordinal -> class */
  if (!own || !tl || !stack || !up || !depth || !order || !top || !tot ||
      ls__alloc_acc_init(&acc, (uint32_t)ng))
    goto oom_arrays;
  memset(up, 0xff, nh * sizeof *up);
  memset(top, 0xff, (nc + 1) * sizeof *top);
  for (uint64_t v = 0; v < n; v++) {
    if (v == root || !(ls__node_id(s, v) & 1)) continue;
    uint32_t k = item_class[h->classes.node_class[v]];
    if (top[k] == UINT32_MAX || ls__retained(h, v) > ls__retained(h, top[k])) top[k] = (uint32_t)v;
  }
  for (size_t k = 0; k < nc; k++) {
    if (top[k] == UINT32_MAX) continue;
    int added;
    uint32_t e = ls__map_add(&tops, top[k], &added);
    if (e == LS__MAP_NONE) goto oom_arrays;
    tops.e[e].val = k;
  }
  uint32_t *tup = up + no, *tdepth = depth + no;
  uint64_t sp = 0;
  own[root] = tl[root] = UINT32_MAX;
  stack[sp++] = root;
  while (sp) {
    uint32_t v = stack[--sp], o = own[v], t = tl[v];
    uint32_t e = v == root ? LS__MAP_NONE : ls__map_find(&c->ids, ls__node_id(s, v));
    if (e != LS__MAP_NONE) {
      uint32_t me = (uint32_t)c->ids.e[e].val;
      up[me] = o;
      depth[me] = o == UINT32_MAX ? 0 : depth[o] + 1;
      o = me;
    }
    if (v != root && (e = ls__map_find(&tops, v)) != LS__MAP_NONE) {
      uint32_t me = (uint32_t)tops.e[e].val;
      tup[me] = t;
      tdepth[me] = t == UINT32_MAX ? 0 : tdepth[t] + 1;
      t = me;
    }
    own[v] = o;
    tl[v] = t;
    for (uint32_t i = h->dom_first[v]; i < h->dom_first[v + 1]; i++) {
      uint32_t ch = h->dom_child[i];
      own[ch] = o;
      tl[ch] = t;
      stack[sp++] = ch;
    }
  }
  for (uint64_t v = 0; v < n; v++) {
    uint64_t id = ls__node_id(s, v);
    if (v == root || !(id & 1) || id <= floor) continue;
    uint32_t tn = ls__alloc_of(&a, (uint32_t)v);
    if (tn == LS__ALLOC_OURS) continue;
    uint32_t groups[3] = {own[v], (uint32_t)(no + item_class[h->classes.node_class[v]]),
                          tl[v] == UINT32_MAX ? UINT32_MAX : (uint32_t)(no + nc + tl[v])};
    for (int g = 0; g < 3; g++) {
      if (groups[g] == UINT32_MAX) continue;
      uint64_t *tt = &tot[3 * (size_t)groups[g]];
      if (tn == LS__MAP_NONE) {
        tt[2]++;
        continue;
      }
      tt[0]++;
      tt[1] += ls__self(h, v);
      if (ls__alloc_acc_add(&acc, groups[g], tn, 1, ls__self(h, v))) goto oom_arrays;
    }
  }
  if (merge_up(&acc, tot, up, depth, order, no, 0) ||
      merge_up(&acc, tot, tup, tdepth, order, nc, (uint32_t)(no + nc)))
    goto oom_arrays;
  for (size_t g = 0; g < ng; g++) {
    ls_allocations *x = group_of(c, g);
    x->tracked = 1;
    x->count = tot[3 * g];
    x->size = tot[3 * g + 1];
    x->untracked = tot[3 * g + 2];
  }
  st = ls__alloc_sites(&a, &acc, put_sites, c, c->err);
  goto free_arrays;
oom_arrays:
  st = ls__store_nomem(c);
free_arrays:
  free(own), free(tl), free(stack), free(up), free(depth), free(order), free(top), free(tot);
  ls__map_free(&tops);
  goto out;
oom:
  st = ls__store_nomem(c);
out:
  ls__alloc_acc_free(&acc);
  ls__alloc_free(&a);
  return st;
}
