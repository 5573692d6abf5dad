/*
 * Leak suspects from one snapshot, after Eclipse MAT's Leak Suspects.
 *
 * 1. Top-level dominators: the dominator tree is walked from the root
 *    through V8's and Node's roots (the root, synthetic nodes such as
 *    "(GC roots)", the global object, native contexts and `system /
 *    Context`s): the first nodes below them that are none of those are the
 *    top-level dominators (in V8 almost everything hangs under the global
 *    object or a context, so the literal children of the root would be
 *    only those).
 * 2. Each top-level dominator retaining at least `threshold` of the heap
 *    is an object suspect; the others are grouped by class (the class key
 *    of src/graph/classes.c: name and constructor location) and a class
 *    whose instances retain that much together is a class suspect.
 * 3. The accumulation point of an object suspect: descend the dominator
 *    tree into the largest child while child.retained >= 0.7 *
 *    parent.retained; the parent where it first drops is the point (its
 *    children are the accumulated objects). The head of a linked list
 *    (two more steps of its class by one edge name, `next`) is a point
 *    too: the ratio stays near 1 along a list. For a class suspect: on the
 *    tree of shortest retainer paths, the deepest node that 70% of the
 *    (reachable) instances' paths go through; its accumulated objects are
 *    the instances.
 * 4. Plumbing is never the point: a backing store (hidden and array nodes:
 *    a Map's table, an Array's elements), a context or another `system /`
 *    node gives way to its owner, the nearest node above it (up the
 *    dominator tree; for a class, up the path) that is not plumbing, so
 *    the path ends with the property or variable holding the user's Map,
 *    Array, object or closure. Roots (the global object, native contexts,
 *    synthetic nodes) are never taken as owners.
 * 5. V8's and Node's own state is left out (as MAT leaves out java.*),
 *    unless its path has a known runtime leak's signature (trend's table,
 *    ls__known_identity): a point with no owner below the roots, one no
 *    strong path reaches, and, under NODE_OWN_BYTES, one held by a
 *    function of Node's lib/ or under one of Node's private symbols.
 * 6. Related suspects: their paths share a node that is not plumbing.
 *
 * Weak edges: the dominator tree and the path search already ignore them.
 * No state outside the call (the library is used from several threads).
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "heap.h"
#include "trend/trend_int.h"
#include "../algorithms/paths.h"

/* Node's own state in a process (its builtin modules, error codes,
 * primordials) retains well under this; more held by Node's own
 * variables is the program's. */
#define NODE_OWN_BYTES ((uint64_t)4 << 20)

typedef struct {
  const ls_heap *h;
  uint8_t *user_root; /* node_count bits as bytes: targets of the root's
                         non-synthetic edges (the global object) */
} ctx_t;

static int name_prefix(const ls_snapshot *s, uint32_t v, const char *p,
                       size_t n) {
  uint32_t i = s->node_name[v];
  return ls__strlen(s, i) >= n && memcmp(ls__str(s, i), p, n) == 0;
}

static int name_is(const ls_snapshot *s, uint32_t v, const char *lit) {
  return ls__str_is(s, s->node_name[v], lit, strlen(lit));
}

static int is_type(int t, int want) { return want != LS__NO_TYPE && t == want; }

/* V8's and Node's roots: never a suspect or an owner. */
static int is_root_like(const ctx_t *c, uint32_t v) {
  const ls_snapshot *s = c->h->s;
  return v == s->root_ordinal || is_type(s->node_type[v], s->nt.synthetic) ||
         c->user_root[v] || name_is(s, v, "system / NativeContext");
}

/* Walked through on the way to the top-level dominators: roots and
 * contexts (module and closure scopes, whose variables are the user's). */
static int is_transparent(const ctx_t *c, uint32_t v) {
  const ls_snapshot *s = c->h->s;
  return is_root_like(c, v) || name_is(s, v, "system / Context") ||
         name_is(s, v, "system / ScriptContextTable");
}

/* Never reported as an accumulation point (its owner is). */
static int is_plumbing(const ctx_t *c, uint32_t v) {
  const ls_snapshot *s = c->h->s;
  const int t = s->node_type[v];
  return is_transparent(c, v) || is_type(t, s->nt.hidden) ||
         is_type(t, s->nt.array) || is_type(t, s->nt.code) ||
         is_type(t, s->nt.object_shape) || name_prefix(s, v, "system / ", 9);
}

/* The first edge of v named `name` (any type), or UINT64_MAX. */
static uint64_t edge_named(const ls_snapshot *s, uint32_t v, const char *name) {
  const size_t n = strlen(name);
  for (uint64_t e = s->first_edge[v]; e < s->first_edge[v + 1]; e++) {
    const int t = ls__edge_type(s, e);
    if (t == s->et.element || t == s->et.hidden || t == s->et.weak) continue;
    if (ls__str_is(s, ls__edge_name(s, e), name, n)) return e;
  }
  return UINT64_MAX;
}

/* Where a function comes from: 0 not a function, 1 the program's, 2 Node's
 * own lib/ code (its shared info's script is named "node:...":
 * node:internal/..., node:events), 3 no script (V8's builtins). */
static int closure_origin(const ls_snapshot *s, uint32_t v) {
  if (!is_type(s->node_type[v], s->nt.closure)) return 0;
  uint64_t e = edge_named(s, v, "shared");
  if (e == UINT64_MAX) return 3;
  const uint32_t sfi = ls__edge_to(s, e);
  e = edge_named(s, sfi, "script_or_debug_info");
  if (e == UINT64_MAX) e = edge_named(s, sfi, "script");
  if (e == UINT64_MAX || !is_type(s->node_type[ls__edge_to(s, e)], s->nt.code)) return 3;
  return name_prefix(s, ls__edge_to(s, e), "node:", 5) ? 2 : 1;
}

static int node_internal_closure(const ls_snapshot *s, uint32_t v) {
  return closure_origin(s, v) == 2;
}

/* ---- sorting without global state: elements carry their keys ---------- */

typedef struct {
  uint64_t retained, id;
  uint32_t v, cls;
} cand_t;

/* A new, zeroed suspect at the end of r->suspects (room for `*cap`), or
 * NULL when out of memory (r unchanged). */
static ls_leak_suspect *add_suspect(ls_suspects *r, size_t *cap) {
  if (r->count == *cap) {
    size_t n = *cap ? 2 * *cap : 8;
    ls_leak_suspect *m = realloc(r->suspects, n * sizeof *m);
    if (!m) return NULL;
    r->suspects = m, *cap = n;
  }
  ls_leak_suspect *x = &r->suspects[r->count++];
  memset(x, 0, sizeof *x);
  return x;
}

static int cand_by_class(const void *a, const void *b) {
  const cand_t *x = a, *y = b;
  if (x->cls != y->cls) return x->cls < y->cls ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

static int acc_cmp(const void *a, const void *b) {
  const ls_accumulated *x = a, *y = b;
  if (x->retained_size != y->retained_size)
    return x->retained_size > y->retained_size ? -1 : 1;
  if (x->count != y->count) return x->count > y->count ? -1 : 1;
  return strcmp(x->class_name, y->class_name);
}

/* A suspect and its index before sorting. */
typedef struct {
  ls_leak_suspect x;
  size_t old;
} pair_t;

static int pair_cmp(const void *a, const void *b) {
  const ls_leak_suspect *x = &((const pair_t *)a)->x,
                        *y = &((const pair_t *)b)->x;
  if (x->retained_size != y->retained_size)
    return x->retained_size > y->retained_size ? -1 : 1;
  if (x->kind != y->kind) return x->kind == LS_SUSPECT_OBJECT ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* ---- the pieces ---------------------------------------------------------- */

/* The top-level dominators into *out (*n of them; caller frees). */
static ls_status top_level(const ctx_t *c, cand_t **out, size_t *n,
                           ls_error *err) {
  const ls_heap *h = c->h;
  const uint64_t nodes = h->s->node_count;
  uint32_t *stack = malloc(nodes * sizeof *stack);
  size_t cap = 1024, k = 0, sp = 0;
  cand_t *cs = malloc(cap * sizeof *cs);
  if (!stack || !cs) goto oom;
  stack[sp++] = h->s->root_ordinal;
  while (sp) {
    const uint32_t v = stack[--sp];
    for (uint32_t i = h->dom_first[v]; i < h->dom_first[v + 1]; i++) {
      const uint32_t w = h->dom_child[i];
      if (is_transparent(c, w)) {
        stack[sp++] = w; /* each node is pushed once: a tree */
        continue;
      }
      if (!ls__retained(h, w)) continue;
      if (k == cap) {
        cand_t *m = realloc(cs, 2 * cap * sizeof *cs);
        if (!m) goto oom;
        cs = m, cap *= 2;
      }
      cs[k++] = (cand_t){ls__retained(h, w), ls__node_id(h->s, w), w,
                         h->classes.node_class[w]};
    }
  }
  free(stack);
  *out = cs;
  *n = k;
  return LS_OK;
oom:
  free(stack);
  free(cs);
  return ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                       "out of memory finding the top-level dominators");
}

/* Object suspect: where the descent stops (the node whose dominator
 * children are the accumulated objects). A plumbing child (a Map's table,
 * an Array's elements) is measured against what its parent retains beyond
 * its own size: DevTools counts such storage's size on its owner, so the
 * table of a Map of small entries would otherwise look smaller than the
 * 70% it really holds. */
/* The largest dominator child of v, or UINT32_MAX. */
static uint32_t largest_child(const ls_heap *h, uint32_t v) {
  uint32_t best = UINT32_MAX;
  for (uint32_t i = h->dom_first[v]; i < h->dom_first[v + 1]; i++) {
    const uint32_t w = h->dom_child[i];
    if (best == UINT32_MAX || ls__retained(h, w) > ls__retained(h, best)) best = w;
  }
  return best;
}

/* The name (string index) of a named edge from v to w, or UINT32_MAX
 * (none, or only element/hidden/weak edges). */
static uint32_t edge_name_to(const ls_snapshot *s, uint32_t v, uint32_t w) {
  for (uint64_t e = s->first_edge[v]; e < s->first_edge[v + 1]; e++) {
    const int t = ls__edge_type(s, e);
    if (ls__edge_to(s, e) != w || t == s->et.element || t == s->et.hidden ||
        t == s->et.weak)
      continue;
    return ls__edge_name(s, e);
  }
  return UINT32_MAX;
}

/* v starts a linked list: its largest child and that one's largest child
 * are of v's class, each reached by an edge of the same name (`next`). */
static int list_head(const ls_heap *h, uint32_t v, uint32_t w) {
  const uint32_t *cls = h->classes.node_class;
  if (cls[w] != cls[v]) return 0;
  const uint32_t x = largest_child(h, w);
  if (x == UINT32_MAX || cls[x] != cls[v]) return 0;
  const uint32_t a = edge_name_to(h->s, v, w);
  return a != UINT32_MAX && a == edge_name_to(h->s, w, x);
}

static uint32_t descend(const ctx_t *c, uint32_t v, int *list) {
  const ls_heap *h = c->h;
  *list = 0;
  for (;;) {
    const uint32_t best = largest_child(h, v);
    if (best == UINT32_MAX) return v;
    uint64_t whole = ls__retained(h, v);
    if (is_plumbing(c, best) && whole > ls__self(h, v)) whole -= ls__self(h, v);
    if ((double)ls__retained(h, best) < LS_SUSPECTS_DESCENT * (double)whole) return v;
    /* a linked list keeps the ratio near 1 node after node: its head is
     * the point, not a node near its end */
    if (list_head(h, v, best)) {
      *list = 1;
      return v;
    }
    v = best;
  }
}

/* The owner of plumbing `v`: up `up` (the dominator tree or the path tree)
 * to the first node that is not plumbing, never onto a root and never above
 * `stop` (UINT32_MAX: no limit). */
static uint32_t owner(const ctx_t *c, const uint32_t *up, uint32_t v,
                      uint32_t stop) {
  const uint32_t root = c->h->s->root_ordinal;
  while (v != stop && is_plumbing(c, v) && !is_root_like(c, v)) {
    const uint32_t p = up[v];
    if (p == LS__NO_PARENT || p == v || p == root || is_root_like(c, p)) break;
    v = p;
  }
  return v;
}

typedef struct {
  uint32_t cls;
  ls_accumulated a;
} acc_row;

static int acc_row_cmp(const void *a, const void *b) {
  const acc_row *x = a, *y = b;
  return x->cls < y->cls ? -1 : x->cls > y->cls;
}

/* The nodes vs[0..n) grouped by class, the largest `max` classes kept.
 * A list's nodes (`list` is its head, else UINT32_MAX) each dominate the
 * rest: a node whose immediate dominator is a node of its class below the
 * head adds its count and self size but not its retained size (DevTools'
 * class rule: instances not dominated by another instance). */
static ls_status accumulate(const ls_heap *h, const uint32_t *vs, size_t n,
                            uint32_t list, size_t max, ls_leak_suspect *x,
                            ls_error *err) {
  acc_row *rows = malloc((n ? n : 1) * sizeof *rows);
  if (!rows)
    return ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                         "out of memory grouping accumulated objects");
  for (size_t i = 0; i < n; i++) {
    const uint32_t v = vs[i], cls = h->classes.node_class[v], d = h->idom[v];
    const int nested = list != UINT32_MAX && d != list &&
                       h->classes.node_class[d] == cls;
    rows[i] = (acc_row){cls, {h->classes.items[cls].name, 1, ls__self(h, v),
                              nested ? 0 : ls__retained(h, v)}};
  }
  qsort(rows, n, sizeof *rows, acc_row_cmp);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (k && rows[k - 1].cls == rows[i].cls) {
      rows[k - 1].a.count++;
      rows[k - 1].a.self_size += rows[i].a.self_size;
      rows[k - 1].a.retained_size += rows[i].a.retained_size;
    } else {
      rows[k++] = rows[i];
    }
  }
  ls_accumulated *acc = malloc((k ? k : 1) * sizeof *acc);
  if (!acc) {
    free(rows);
    return ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                         "out of memory grouping accumulated objects");
  }
  for (size_t i = 0; i < k; i++) acc[i] = rows[i].a;
  free(rows);
  qsort(acc, k, sizeof *acc, acc_cmp);
  x->accumulated = acc;
  x->accumulated_count = k < max ? k : max;
  return LS_OK;
}

/* put for ls__alloc_sites: the one group's sites become the suspect's */
static int take_sites(void *ctx, uint32_t group, ls_alloc_site *sites, size_t n) {
  ls_leak_suspect *x = ctx;
  (void)group;
  ls__alloc_sites_free(x->alloc.sites, x->alloc.site_count);
  x->alloc.sites = sites;
  x->alloc.site_count = n;
  return 0;
}

/* A tracked snapshot: where what `roots` retain (their dominator
 * subtrees, themselves included) was allocated. */
static ls_status suspect_sites(const ls_heap *h, const ls__alloc *a, const uint32_t *roots,
                               size_t nroots, ls_leak_suspect *x, ls_error *err) {
  ls__alloc_acc acc;
  size_t cap = 1024, sp = 0;
  uint32_t *stack = malloc(cap * sizeof *stack);
  ls_status st = LS_OK;
  if (ls__alloc_acc_init(&acc, 1) || !stack) goto oom;
  x->alloc.tracked = 1;
  for (size_t r = 0; r < nroots; r++) {
    stack[sp++] = roots[r];
    while (sp) {
      const uint32_t v = stack[--sp];
      const uint32_t tn = ls__alloc_of(a, v);
      if (tn == LS__MAP_NONE) x->alloc.untracked++;
      else if (tn != LS__ALLOC_OURS) {
        x->alloc.count++;
        x->alloc.size += ls__self(h, v);
        if (ls__alloc_acc_add(&acc, 0, tn, 1, ls__self(h, v))) goto oom;
      }
      const uint32_t k = h->dom_first[v + 1] - h->dom_first[v];
      if (sp + k > cap) {
        while (sp + k > cap) cap *= 2;
        uint32_t *m = realloc(stack, cap * sizeof *stack);
        if (!m) goto oom;
        stack = m;
      }
      memcpy(stack + sp, h->dom_child + h->dom_first[v], k * sizeof *stack);
      sp += k;
    }
  }
  st = ls__alloc_sites(a, &acc, take_sites, x, err);
  goto out;
oom:
  st = ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET, "out of memory gathering allocation sites");
out:
  free(stack);
  ls__alloc_acc_free(&acc);
  return st;
}

/* A class's constructor location, its script named (0, or -1 when out of
 * memory). */
static int class_location(const ls_heap *h, uint32_t cls, ls_leak_suspect *x) {
  const ls__class *c = &h->classes.items[cls];
  if (!c->has_location) return 0;
  uint32_t name;
  if (ls__script_names(h->s, &c->script_id, 1, &name)) return -1;
  ls_frame f = {"", name == LS__MAP_NONE ? "" : (char *)ls__str(h->s, name), c->line + 1,
                c->column + 1};
  if (ls__frame_copy(&x->alloc.location, &f)) return -1;
  x->alloc.has_location = 1;
  return 0;
}

/* Class suspect: the deepest node of the path tree that at least 70% of
 * the reachable instances' paths pass through. `cnt` is node_count
 * zeroed counters (left zeroed again). */
static uint32_t group_point(const ls_heap *h, const uint32_t *parent,
                            uint32_t *cnt, const cand_t *inst, size_t n) {
  const uint32_t root = h->s->root_ordinal;
  size_t reach = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t x = inst[i].v;
    if (parent[x] == LS__NO_PARENT) continue;
    reach++;
    for (;; x = parent[x]) {
      cnt[x]++;
      if (x == root) break;
    }
  }
  if (!reach) return inst[0].v;
  uint64_t need = (uint64_t)(LS_SUSPECTS_DESCENT * (double)reach);
  if ((double)need < LS_SUSPECTS_DESCENT * (double)reach) need++;
  uint32_t best = root;
  uint64_t best_depth = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t x = inst[i].v, first = UINT32_MAX;
    if (parent[x] == LS__NO_PARENT) continue;
    uint64_t depth = 0;
    for (;; x = parent[x]) {
      if (first == UINT32_MAX && cnt[x] >= need) first = x, depth = 0;
      depth++;
      if (x == root) break;
    }
    if (first != UINT32_MAX && depth > best_depth) best = first, best_depth = depth;
  }
  for (size_t i = 0; i < n; i++) { /* clear what was counted */
    uint32_t x = inst[i].v;
    if (parent[x] == LS__NO_PARENT) continue;
    for (;; x = parent[x]) {
      cnt[x] = 0;
      if (x == root) break;
    }
  }
  return best;
}

/* The known runtime leak the point's path shows: x->known on a version
 * that has it (or an unknown version), else x->resembles on one with its
 * fix. */
static void known_of(ls_leak_suspect *x, const char *version) {
  for (int kind = 0; kind < 2 && !x->known; kind++) {
    ls__known_match m;
    const ls_known_leak *k = ls__known_identity(
        kind ? LS_SUSPECT_CLASS : LS_SUSPECT_OBJECT, x->path, x->path_len,
        version, &m);
    if (k && m.applies) x->known = k;
    else if (k && !x->resembles) x->resembles = k;
  }
  if (x->known) x->resembles = NULL;
}

void ls_suspects_free(ls_suspects *s) {
  if (!s) return;
  for (size_t i = 0; i < s->count; i++) {
    ls_leak_suspect *x = &s->suspects[i];
    ls__path_steps_free(x->path, x->path_len, 0);
    free(x->accumulated);
    free(x->related);
    ls__allocations_free(&x->alloc);
  }
  free(s->suspects);
  free(s);
}

ls_status ls_suspects_build(const ls_heap *h, const ls_suspects_options *opts,
                            ls_suspects **out, ls_error *err) {
  if (!h || !out)
    return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls_suspects_build: NULL argument");
  *out = NULL;
  double threshold = opts && opts->threshold != 0 ? opts->threshold
                                                   : LS_SUSPECTS_THRESHOLD;
  if (!(threshold > 0 && threshold <= 1))
    return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "threshold %g is out of range (expected a share of "
                         "the heap above 0 and at most 1)",
                         threshold);
  const size_t max_classes =
      opts && opts->max_classes ? opts->max_classes : LS_SUSPECTS_ACCUMULATED;
  const ls_snapshot *s = h->s;
  const uint64_t nodes = s->node_count;
  const uint32_t root = s->root_ordinal;
  ls_status st = LS_OK;
  ctx_t c = {h, NULL};
  cand_t *cs = NULL;
  size_t nc = 0;
  uint32_t *parent = NULL, *cnt = NULL, **pnodes = NULL, *kids = NULL;
  size_t *plen = NULL, npaths = 0;
  ls__alloc alloc;
  memset(&alloc, 0, sizeof alloc);
  ls_suspects *r = calloc(1, sizeof *r);
  if (!r || !(c.user_root = calloc(nodes, 1))) goto oom;
  ls_heap_totals_get(h, &r->totals);
  r->threshold = threshold;
  r->heap_size = ls__retained(h, root);
  for (uint64_t e = s->first_edge[root]; e < s->first_edge[root + 1]; e++)
    if (!is_type(s->node_type[ls__edge_to(s, e)], s->nt.synthetic))
      c.user_root[ls__edge_to(s, e)] = 1;
  if ((st = top_level(&c, &cs, &nc, err)) != LS_OK) goto fail;

  /* the suspects, without their points yet */
  const double need = threshold * (double)r->heap_size;
  size_t cap = 0;
  qsort(cs, nc, sizeof *cs, cand_by_class);
  for (size_t i = 0, j; i < nc; i = j) {
    uint64_t sum = 0, count = 0;
    for (j = i; j < nc && cs[j].cls == cs[i].cls; j++) {
      if (r->heap_size && (double)cs[j].retained >= need) {
        ls_leak_suspect *x = add_suspect(r, &cap);
        if (!x) goto oom;
        x->kind = LS_SUSPECT_OBJECT;
        x->id = cs[j].id;
        x->point_id = j; /* the candidate, until the points are found */
        x->count = 1;
        x->retained_size = cs[j].retained;
        cs[j].retained = 0; /* not in its class's group */
      }
      sum += cs[j].retained;
      count += cs[j].retained != 0;
    }
    if (r->heap_size && count && (double)sum >= need) {
      ls_leak_suspect *x = add_suspect(r, &cap);
      if (!x) goto oom;
      x->kind = LS_SUSPECT_CLASS;
      x->point_id = i; /* the group's first candidate, for now */
      x->count = count;
      x->retained_size = sum;
    }
  }

  if (r->count && (st = ls__alloc_init(s, &alloc, err)) != LS_OK) goto fail;
  if (r->count) {
    if (!(parent = malloc(nodes * sizeof *parent)) ||
        !(pnodes = calloc(r->count, sizeof *pnodes)) ||
        !(plen = calloc(r->count, sizeof *plen)))
      goto oom;
    npaths = r->count;
    if ((st = ls__path_parents(s, parent, err)) != LS_OK) goto fail;
  }
  for (size_t k = 0; k < r->count; k++) {
    ls_leak_suspect *x = &r->suspects[k];
    const size_t first = (size_t)x->point_id;
    uint32_t point;
    if (x->kind == LS_SUSPECT_OBJECT) {
      const uint32_t v = cs[first].v;
      x->name = h->classes.items[h->classes.node_class[v]].name;
      int list;
      const uint32_t stop = descend(&c, v, &list);
      point = owner(&c, h->idom, stop, v);
      if (list) { /* what every node of the list holds, and its nodes */
        size_t n = 0, kcap = 64;
        free(kids);
        if (!(kids = malloc(kcap * sizeof *kids))) goto oom;
        for (uint32_t y = stop, next; y != UINT32_MAX; y = next) {
          const uint32_t w = largest_child(h, y);
          next = w != UINT32_MAX && list_head(h, y, w) ? w : UINT32_MAX;
          if (next == UINT32_MAX && w != UINT32_MAX &&
              h->classes.node_class[w] == h->classes.node_class[y] &&
              edge_name_to(s, y, w) != UINT32_MAX)
            next = w; /* the last two nodes */
          for (uint32_t i = h->dom_first[y]; i < h->dom_first[y + 1]; i++) {
            if (n == kcap) {
              uint32_t *m = realloc(kids, 2 * kcap * sizeof *kids);
              if (!m) goto oom;
              kids = m, kcap *= 2;
            }
            kids[n++] = h->dom_child[i];
          }
        }
        st = accumulate(h, kids, n, stop, max_classes, x, err);
      } else {
        const uint32_t nk = h->dom_first[stop + 1] - h->dom_first[stop];
        st = accumulate(h, h->dom_child + h->dom_first[stop], nk, UINT32_MAX,
                        max_classes, x, err);
      }
      if (st == LS_OK && alloc.tn_of_id) st = suspect_sites(h, &alloc, &v, 1, x, err);
    } else {
      size_t j = first;
      while (j < nc && cs[j].cls == cs[first].cls) j++;
      /* the group's instances, without the object suspects (retained 0) */
      size_t n = 0;
      for (size_t i = first; i < j; i++)
        if (cs[i].retained) cs[first + n++] = cs[i];
      x->name = h->classes.items[cs[first].cls].name;
      if (!cnt && !(cnt = calloc(nodes, sizeof *cnt))) goto oom;
      point = group_point(h, parent, cnt, cs + first, n);
      point = owner(&c, parent, point, UINT32_MAX);
      free(kids);
      if (!(kids = malloc(n * sizeof *kids))) goto oom;
      for (size_t i = 0; i < n; i++) kids[i] = cs[first + i].v;
      st = accumulate(h, kids, n, UINT32_MAX, max_classes, x, err);
      if (st == LS_OK && alloc.tn_of_id) st = suspect_sites(h, &alloc, kids, n, x, err);
      if (st == LS_OK && class_location(h, cs[first].cls, x)) goto oom;
    }
    if (st != LS_OK) goto fail;
    x->share = (double)x->retained_size / (double)r->heap_size;
    x->point_id = ls__node_id(s, point);
    x->point_retained = ls__retained(h, point);
    x->point_name = h->classes.items[h->classes.node_class[point]].name;
    if ((st = ls__path_steps(h, parent, point, 0, &x->path, &x->path_len,
                             err)) != LS_OK)
      goto fail;
    if (x->path_len) x->point_name = x->path[x->path_len - 1].class_name;
    if (!(pnodes[k] = malloc((x->path_len ? x->path_len : 1) * sizeof **pnodes)))
      goto oom;
    ls__path_step_nodes(h, parent, point, x->path, x->path_len, pnodes[k]);
    plen[k] = x->path_len;
    known_of(x, r->totals.node_version);
    /* V8's and Node's own state is not the user's leak (unless it has a
     * known runtime leak's signature): a point that is still a root or
     * plumbing (no owner: number_string_cache under (Strong roots), a
     * class scattered over the global object), and, while it retains less
     * than Node's own state can (NODE_OWN_BYTES), a point whose nearest
     * function above it on the path is Node's own (the builtin module
     * map, internal/errors' codes) or that hangs under one of Node's
     * private symbols (the primordials). More than that is the program's
     * objects in Node's containers (pending timers, a module cache). */
    int own = 0;
    if (!x->known && !x->resembles) {
      own = is_plumbing(&c, point) || !x->path_len;
      const int small = x->retained_size < NODE_OWN_BYTES;
      for (size_t i = 1; !own && small && i < x->path_len; i++)
        own = x->path[i].edge && !strncmp(x->path[i].edge, "<symbol node:", 13);
      for (size_t i = x->path_len; !own && small && i-- > 1;) {
        const uint32_t v = pnodes[k][i - 1];
        if (v == LS__NO_PARENT) break;
        if (is_type(s->node_type[v], s->nt.closure)) {
          own = node_internal_closure(s, v);
          break;
        }
      }
    }
    if (own) {
      ls__path_steps_free(x->path, x->path_len, 0);
      ls__allocations_free(&x->alloc);
      free(x->accumulated);
      free(pnodes[k]);
      memmove(x, x + 1, (r->count - k - 1) * sizeof *x);
      memmove(pnodes + k, pnodes + k + 1, (r->count - k - 1) * sizeof *pnodes);
      memmove(plen + k, plen + k + 1, (r->count - k - 1) * sizeof *plen);
      r->count--;
      npaths--;
      pnodes[r->count] = NULL;
      k--;
    }
  }

  /* related: the paths share a node that is not plumbing */
  for (size_t a = 0; a < r->count; a++) {
    ls_leak_suspect *x = &r->suspects[a];
    for (size_t b = 0; b < r->count; b++) {
      if (a == b) continue;
      int shared = 0;
      for (size_t i = 0; i < plen[a] && i < plen[b] && !shared; i++) {
        if (pnodes[a][i] != pnodes[b][i] || pnodes[a][i] == LS__NO_PARENT) break;
        /* a function of Node or V8 (global.setTimeout) is the runtime's
         * too: two suspects reached through it are not one cause */
        shared = !is_plumbing(&c, pnodes[a][i]) && closure_origin(s, pnodes[a][i]) < 2;
      }
      if (!shared) continue;
      if (!x->related && !(x->related = malloc(r->count * sizeof *x->related)))
        goto oom;
      x->related[x->related_count++] = b;
    }
  }
  /* largest first; the related indexes follow the new order */
  if (r->count > 1) {
    size_t *where = malloc(r->count * sizeof *where);
    pair_t *pairs = malloc(r->count * sizeof *pairs);
    if (!where || !pairs) {
      free(where);
      free(pairs);
      goto oom;
    }
    for (size_t i = 0; i < r->count; i++) pairs[i].x = r->suspects[i], pairs[i].old = i;
    qsort(pairs, r->count, sizeof *pairs, pair_cmp);
    for (size_t i = 0; i < r->count; i++) where[pairs[i].old] = i;
    for (size_t i = 0; i < r->count; i++) {
      r->suspects[i] = pairs[i].x;
      ls_leak_suspect *x = &r->suspects[i];
      for (size_t j = 0; j < x->related_count; j++) x->related[j] = where[x->related[j]];
      for (size_t j = 1; j < x->related_count; j++) /* ascending */
        for (size_t q = j; q > 0 && x->related[q - 1] > x->related[q]; q--) {
          size_t t = x->related[q];
          x->related[q] = x->related[q - 1];
          x->related[q - 1] = t;
        }
    }
    free(pairs);
    free(where);
  }
  goto done;
oom:
  st = ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                     "out of memory finding leak suspects");
fail:
  ls_suspects_free(r);
  r = NULL;
done:
  for (size_t k = 0; pnodes && k < npaths; k++) free(pnodes[k]);
  free(pnodes);
  free(plen);
  free(kids);
  free(cnt);
  free(parent);
  free(cs);
  free(c.user_root);
  ls__alloc_free(&alloc);
  if (st == LS_OK) *out = r;
  return st;
}
