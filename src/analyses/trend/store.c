/*
 * The series store of a trend: what is kept of each snapshot once its heap
 * is freed. Per class (by name): instance count, self and retained size.
 * Per candidate object, chosen in the newest snapshot (the largest by own
 * size, by retained size and by references): its own size, retained size,
 * outgoing edges and, for storage, its used part; each found again in the
 * older snapshots by id, or, for storage V8 reallocates as it grows, by its
 * owner and the edge that holds it.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../alloc.h"
#include "trend_int.h"
#include "../../algorithms/paths.h"

#define ABSENT LS__ABSENT
#define K_CAND 400 /* candidate objects per metric (self, retained, edges) */

void ls__store_init(ls__store *c, size_t n, ls_error *err, int string_values,
                    int keep_classes) {
  memset(c, 0, sizeof *c);
  c->n = n;
  c->err = err;
  c->string_values = string_values;
  c->keep_classes = keep_classes;
}

void ls__rows_free(ls_class_row *rows, size_t n) {
  if (!rows) return;
  for (size_t i = 0; i < n; i++) {
    free((char *)rows[i].name);
    free((char *)rows[i].location);
  }
  free(rows);
}

void ls__store_free(ls__store *c) {
  for (size_t i = 0; i < c->ncls; i++) {
    free(c->cls[i].name);
    free(c->cls[i].count);
    free(c->cls[i].self);
    free(c->cls[i].ret);
    free(c->cls[i].room);
    ls__values_free(c->cls[i].vals, c->cls[i].path_len);
    ls__path_steps_free(c->cls[i].path, c->cls[i].path_len, 1);
    free(c->cls[i].dom);
    ls__allocations_free(&c->cls[i].alloc);
    ls__allocations_free(&c->cls[i].held);
  }
  free(c->cls);
  ls__intern_free(&c->names);
  for (size_t i = 0; i < c->nobj; i++) {
    free(c->obj[i].name);
    free(c->obj[i].self);
    free(c->obj[i].ret);
    free(c->obj[i].edges);
    free(c->obj[i].used);
    free(c->obj[i].room);
    ls__values_free(c->obj[i].vals, c->obj[i].path_len);
    ls__path_steps_free(c->obj[i].path, c->obj[i].path_len, 1);
    free(c->obj[i].dom);
    free(c->obj[i].via_edge);
    ls__allocations_free(&c->obj[i].alloc);
  }
  free(c->obj);
  ls__map_free(&c->ids);
  ls__map_free(&c->via);
  ls__rows_free(c->rows, c->nrows);
  c->cls = NULL;
  c->obj = NULL;
  c->rows = NULL;
  c->ncls = c->nobj = c->nrows = 0;
}

ls_status ls__store_nomem(ls__store *c) {
  return ls__heap_fail(c->err, LS_ERR_NOMEM, LS_NO_OFFSET,
                       "out of memory keeping the series");
}

static uint64_t *new_series(size_t n) {
  uint64_t *v = malloc(n * sizeof *v);
  if (v)
    for (size_t i = 0; i < n; i++) v[i] = ABSENT;
  return v;
}

/* Class series index for `name`, created on first sight (the names are
 * interned in the analyses' one name table). SIZE_MAX on OOM. */
static size_t class_index(ls__store *c, const char *name) {
  uint32_t k;
  size_t len = strlen(name);
  if (ls__intern_add(&c->names, name, len, &k) < 0) return SIZE_MAX;
  if (k < c->ncls) return k;
  if (c->ncls == c->capcls) {
    size_t cap = c->capcls ? c->capcls * 2 : 256;
    ls__cseries *v = realloc(c->cls, cap * sizeof *v);
    if (!v) return SIZE_MAX;
    c->cls = v;
    c->capcls = cap;
  }
  ls__cseries *cs = &c->cls[c->ncls];
  memset(cs, 0, sizeof *cs);
  cs->name = strdup(name);
  cs->count = new_series(c->n);
  cs->self = new_series(c->n);
  cs->ret = new_series(c->n);
  cs->room = new_series(c->n);
  if (!cs->name || !cs->count || !cs->self || !cs->ret || !cs->room) {
    free(cs->name);
    free(cs->count);
    free(cs->self);
    free(cs->ret);
    free(cs->room);
    return SIZE_MAX; /* the name stays interned: the next call fails too */
  }
  return c->ncls++;
}

/* A 65536-bit prefilter in front of each id table: nearly every node of a
 * snapshot is no candidate, and one bit answers most of them. */
static void filter_add(uint64_t *f, uint64_t id) {
  uint64_t b = ls__hash_u64(id) >> 48;
  f[b >> 6] |= 1ull << (b & 63);
}

static inline int filtered_out(const uint64_t *f, uint64_t id) {
  uint64_t b = ls__hash_u64(id) >> 48;
  return !(f[b >> 6] >> (b & 63) & 1);
}

/* The value of `id` in `m`, UINT32_MAX when absent (out of line: the
 * filter answers the common case). */
static uint32_t map_value(const ls__map *m, uint64_t id) {
  uint32_t e = ls__map_find(m, id);
  return e == LS__MAP_NONE ? UINT32_MAX : (uint32_t)m->e[e].val;
}

static int obj_index_add(ls__store *c, uint32_t i) {
  int added;
  uint32_t e = ls__map_add(&c->ids, c->obj[i].id, &added);
  if (e == LS__MAP_NONE) return -1;
  c->ids.e[e].val = i;
  filter_add(c->ids_filter, c->obj[i].id);
  return 0;
}

static inline uint32_t obj_find(const ls__store *c, uint64_t id) {
  return filtered_out(c->ids_filter, id) ? UINT32_MAX : map_value(&c->ids, id);
}

/* A bounded min-heap of (key, node) keeping the K largest keys. */
typedef struct {
  uint64_t key[K_CAND];
  uint32_t node[K_CAND];
  size_t len;
} topk;

static void topk_add(topk *t, uint64_t key, uint32_t node) {
  size_t i;
  if (t->len < K_CAND) {
    i = t->len++;
  } else {
    if (key <= t->key[0]) return;
    /* replace the smallest: sift down from the top */
    i = 0;
    for (;;) {
      size_t l = 2 * i + 1, r = l + 1, m = i;
      uint64_t mk = key;
      if (l < t->len && t->key[l] < mk) m = l, mk = t->key[l];
      if (r < t->len && t->key[r] < mk) m = r;
      if (m == i) break;
      t->key[i] = t->key[m];
      t->node[i] = t->node[m];
      i = m;
    }
    t->key[i] = key;
    t->node[i] = node;
    return;
  }
  while (i > 0 && t->key[(i - 1) / 2] > key) {
    t->key[i] = t->key[(i - 1) / 2];
    t->node[i] = t->node[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  t->key[i] = key;
  t->node[i] = node;
}

static int is_synthetic(const ls_snapshot *s, uint32_t v) {
  return s->nt.synthetic != LS__NO_TYPE && s->node_type[v] == s->nt.synthetic;
}

#define MAX_DOM 1024 /* dominators kept per candidate */

/* The ids of v's dominators, nearest first (not the root). */
static int dom_chain(const ls_heap *h, uint32_t v, uint64_t **out, size_t *n) {
  const ls_snapshot *s = h->s;
  size_t k = 0;
  uint64_t tmp[MAX_DOM];
  for (uint32_t x = h->idom[v]; x != s->root_ordinal && k < MAX_DOM;
       x = h->idom[x])
    tmp[k++] = ls__node_id(s, x);
  *out = malloc((k ? k : 1) * sizeof **out);
  if (!*out) return -1;
  memcpy(*out, tmp, k * sizeof **out);
  *n = k;
  return 0;
}

/* Candidates held by one owner are chained, newest first. */
static int via_index_add(ls__store *c, uint32_t i) {
  int added;
  uint32_t e = ls__map_add(&c->via, c->obj[i].via_parent, &added);
  if (e == LS__MAP_NONE) return -1;
  c->obj[i].next_via = added ? UINT32_MAX : (uint32_t)c->via.e[e].val;
  c->via.e[e].val = i;
  filter_add(c->via_filter, c->obj[i].via_parent);
  return 0;
}

static inline uint32_t via_find(const ls__store *c, uint64_t id) {
  return filtered_out(c->via_filter, id) ? UINT32_MAX : map_value(&c->via, id);
}

/* For every class, the candidate object that dominates most of its
 * instances (its container: the leaked objects' class belongs to the Map
 * that holds them), and as representative the newest reachable instance
 * under it. `near` is each node's nearest candidate dominator, filled in
 * dominator-tree preorder so parents come first. */
static ls_status class_holders(ls__store *c, const ls_heap *h,
                               const uint32_t *item_class,
                               const uint32_t *parent, uint32_t *rep) {
  const ls_snapshot *s = h->s;
  const uint64_t n = s->node_count;
  const size_t ncls = c->ncls ? c->ncls : 1;
  uint32_t *near = malloc(n * sizeof *near);
  uint32_t *stack = malloc(n * sizeof *stack);
  uint64_t *is_cand = calloc(n / 64 + 1, sizeof *is_cand);
  uint32_t *mode = malloc(ncls * sizeof *mode);
  uint32_t *mode_n = calloc(ncls, sizeof *mode_n);
  uint64_t *lo = malloc(ncls * sizeof *lo), *hi = malloc(ncls * sizeof *hi);
  ls__map votes = {0}; /* (class, candidate) -> instances */
  ls_status st = LS_OK;
  if (!near || !stack || !is_cand || !mode || !mode_n || !lo || !hi) goto oom;
  for (uint64_t v = 0; v < n; v++)
    if (obj_find(c, ls__node_id(s, v)) != UINT32_MAX)
      is_cand[v >> 6] |= 1ull << (v & 63);
  const uint32_t root = s->root_ordinal;
  near[root] = UINT32_MAX;
  uint64_t sp = 0;
  stack[sp++] = root;
  while (sp) {
    uint32_t v = stack[--sp];
    uint32_t nv = (is_cand[v >> 6] >> (v & 63) & 1) ? v : near[v];
    for (uint32_t i = h->dom_first[v]; i < h->dom_first[v + 1]; i++) {
      uint32_t ch = h->dom_child[i];
      near[ch] = nv;
      stack[sp++] = ch;
    }
  }
  /* only the newest quarter of each class's id range votes: what grows is
   * new, and old instances of a common class live everywhere */
  for (size_t k = 0; k < ncls; k++) lo[k] = UINT64_MAX, hi[k] = 0;
  for (uint64_t v = 0; v < n; v++) {
    uint32_t k = item_class[h->classes.node_class[v]];
    uint64_t id = ls__node_id(s, v);
    if (!(id & 1)) continue;
    if (id < lo[k]) lo[k] = id;
    if (id > hi[k]) hi[k] = id;
  }
  for (size_t k = 0; k < ncls; k++)
    if (hi[k] >= lo[k]) lo[k] += (hi[k] - lo[k]) / 4 * 3;
  for (uint64_t v = 0; v < n; v++) {
    if (v == root || near[v] == UINT32_MAX || parent[v] == LS__NO_PARENT ||
        is_synthetic(s, (uint32_t)v) || !(ls__node_id(s, v) & 1) ||
        ls__node_id(s, v) < lo[item_class[h->classes.node_class[v]]])
      continue;
    uint64_t kk = ((uint64_t)item_class[h->classes.node_class[v]] << 32) |
                  near[v];
    int added;
    uint32_t x = ls__map_add(&votes, kk, &added);
    if (x == LS__MAP_NONE) goto oom;
    votes.e[x].val++;
  }
  memset(mode, 0xff, ncls * sizeof *mode);
  for (uint32_t j = 0; j < votes.count; j++) {
    uint32_t k = (uint32_t)(votes.e[j].key >> 32), cand = (uint32_t)votes.e[j].key;
    uint32_t cnt = (uint32_t)votes.e[j].val;
    if (cnt > mode_n[k] ||
        (cnt == mode_n[k] && ls__node_id(s, cand) < ls__node_id(s, mode[k])))
      mode[k] = cand, mode_n[k] = cnt;
  }
  /* the newest reachable instance under the holder (or anywhere) */
  memset(rep, 0xff, ncls * sizeof *rep);
  for (uint64_t v = 0; v < n; v++) {
    if (v == root || parent[v] == LS__NO_PARENT || is_synthetic(s, (uint32_t)v))
      continue;
    uint32_t k = item_class[h->classes.node_class[v]];
    if (mode[k] != UINT32_MAX && near[v] != mode[k]) continue;
    if (rep[k] == UINT32_MAX || ls__node_id(s, v) > ls__node_id(s, rep[k]))
      rep[k] = (uint32_t)v;
  }
  for (size_t k = 0; k < c->ncls; k++)
    c->cls[k].holder_id = mode[k] == UINT32_MAX ? 0 : ls__node_id(s, mode[k]);
  goto out;
oom:
  st = ls__store_nomem(c);
out:
  free(near);
  free(stack);
  free(is_cand);
  free(mode);
  free(mode_n);
  free(lo);
  free(hi);
  ls__map_free(&votes);
  return st;
}

#define VALUE_MAX 200 /* bytes of a string value kept (when asked) */

void ls__values_free(char **v, size_t n) {
  if (!v) return;
  for (size_t i = 0; i < n; i++) free(v[i]);
  free(v);
}

/* Only when the user asked for string values: per step of the path to v
 * (as ls__path_steps walks it, v last), a copy of the value of a string
 * node, cut to VALUE_MAX bytes without splitting a UTF-8 character. */
static int path_values(const ls_heap *h, const uint32_t *parent, uint32_t v,
                       const ls_path_step *steps, size_t n, char ***out) {
  const ls_snapshot *s = h->s;
  *out = NULL;
  if (!n) return 0;
  char **vals = calloc(n, sizeof *vals);
  uint32_t *nodes = malloc(n * sizeof *nodes);
  if (!vals || !nodes) {
    free(vals);
    free(nodes);
    return -1;
  }
  /* the node of each step (folded stretches stand for many: no value) */
  ls__path_step_nodes(h, parent, v, steps, n, nodes);
  for (size_t i = 0; i < n; i++) {
    const uint32_t x = nodes[i];
    if (x == LS__NO_PARENT || steps[i].repeat) continue;
    const int t = s->node_type[x];
    if (!(t == s->nt.string || t == s->nt.cons_string || t == s->nt.sliced_string))
      continue;
    const char *str = ls__str(s, s->node_name[x]);
    size_t len = ls__strlen(s, s->node_name[x]);
    if (len > VALUE_MAX) {
      len = VALUE_MAX;
      while (len && ((unsigned char)str[len] & 0xc0) == 0x80) len--;
    }
    if (!(vals[i] = malloc(len + 1))) {
      ls__values_free(vals, n);
      free(nodes);
      return -1;
    }
    memcpy(vals[i], str, len);
    vals[i][len] = 0;
  }
  free(nodes);
  *out = vals;
  return 0;
}

char **ls__values_copy(char *const *v, size_t n, int *fail) {
  if (!v || !n) return NULL;
  char **out = calloc(n, sizeof *out);
  if (!out) {
    *fail = 1;
    return NULL;
  }
  for (size_t i = 0; i < n; i++)
    if (v[i] && !(out[i] = strdup(v[i]))) *fail = 1;
  return out;
}

/* Choose the candidate objects in the newest heap and their paths, and the
 * newest reachable instance of every class with its path. */
static ls_status pick_candidates(ls__store *c, const ls_heap *h,
                                 const uint32_t *item_class, uint64_t floor) {
  const ls_snapshot *s = h->s;
  const uint64_t n = s->node_count;
  ls_status st;
  uint32_t *parent = malloc(n * sizeof *parent);
  topk *tk = calloc(3, sizeof *tk);
  uint32_t *rep = malloc((c->ncls ? c->ncls : 1) * sizeof *rep);
  if (!parent || !tk || !rep) {
    st = ls__store_nomem(c);
    goto out;
  }
  if ((st = ls__path_parents(s, parent, c->err)) != LS_OK) goto out;
  memset(rep, 0xff, (c->ncls ? c->ncls : 1) * sizeof *rep);
  for (uint64_t v = 0; v < n; v++) {
    if (v == s->root_ordinal || parent[v] == LS__NO_PARENT ||
        is_synthetic(s, (uint32_t)v))
      continue;
    if (!(ls__node_id(s, v) & 1)) continue; /* even ids are not stable */
    topk_add(&tk[0], ls__self(h, v), (uint32_t)v);
    topk_add(&tk[1], ls__retained(h, v), (uint32_t)v);
    topk_add(&tk[2], s->first_edge[v + 1] - s->first_edge[v], (uint32_t)v);
  }
  size_t cap = 3 * K_CAND;
  c->obj = calloc(cap, sizeof *c->obj);
  if (!c->obj) {
    st = ls__store_nomem(c);
    goto out;
  }
  for (int m = 0; m < 3; m++)
    for (size_t i = 0; i < tk[m].len; i++) {
      uint32_t v = tk[m].node[i];
      if (obj_find(c, ls__node_id(s, v)) != UINT32_MAX) continue;
      ls__oseries *o = &c->obj[c->nobj];
      o->id = ls__node_id(s, v);
      o->name = strdup(h->classes.items[h->classes.node_class[v]].name);
      o->cls = item_class[h->classes.node_class[v]];
      o->storage = s->node_type[v] == s->nt.hidden ||
                   s->node_type[v] == s->nt.array;
      o->hidden = s->node_type[v] == s->nt.hidden;
      o->self = new_series(c->n);
      o->ret = new_series(c->n);
      o->edges = new_series(c->n);
      if (o->storage) o->used = new_series(c->n);
      else o->room = new_series(c->n);
      c->nobj++;
      if (!o->name || !o->self || !o->ret || !o->edges ||
          (o->storage ? !o->used : !o->room)) {
        st = ls__store_nomem(c);
        goto out;
      }
      if (obj_index_add(c, (uint32_t)(c->nobj - 1))) {
        st = ls__store_nomem(c);
        goto out;
      }
      st = ls__path_steps(h, parent, v, 1, &o->path, &o->path_len, c->err);
      if (st != LS_OK) goto out;
      if (c->string_values &&
          path_values(h, parent, v, o->path, o->path_len, &o->vals)) {
        st = ls__store_nomem(c);
        goto out;
      }
      if (dom_chain(h, v, &o->dom, &o->ndom)) {
        st = ls__store_nomem(c);
        goto out;
      }
      /* storage under a named edge of its owner: follow it by that edge */
      if (o->storage && o->path_len >= 2) {
        const ls_path_step *last = &o->path[o->path_len - 1];
        if (last->edge_type && strcmp(last->edge_type, "element") &&
            strcmp(last->edge_type, "hidden")) {
          o->via_parent = o->path[o->path_len - 2].id;
          o->via_hash = (uint32_t)ls__hash_bytes(last->edge, strlen(last->edge));
          if (!(o->via_edge = strdup(last->edge))) {
            st = ls__store_nomem(c);
            goto out;
          }
          if (via_index_add(c, (uint32_t)(c->nobj - 1))) {
            st = ls__store_nomem(c);
            goto out;
          }
        }
      }
    }
  if ((st = class_holders(c, h, item_class, parent, rep)) != LS_OK) goto out;
  for (size_t k = 0; k < c->ncls; k++) {
    if (rep[k] == UINT32_MAX) continue;
    c->cls[k].rep_id = ls__node_id(s, rep[k]);
    st = ls__path_steps(h, parent, rep[k], 1, &c->cls[k].path,
                        &c->cls[k].path_len, c->err);
    if (st != LS_OK) goto out;
    if (c->string_values && path_values(h, parent, rep[k], c->cls[k].path,
                                        c->cls[k].path_len, &c->cls[k].vals)) {
      st = ls__store_nomem(c);
      goto out;
    }
    if (dom_chain(h, rep[k], &c->cls[k].dom, &c->cls[k].ndom)) {
      st = ls__store_nomem(c);
      goto out;
    }
  }
  st = ls__store_sites(c, h, item_class, rep, floor);
out:
  free(parent);
  free(tk);
  free(rep);
  return st;
}

/* The used part of storage: the highest index among its edges, plus one
 * (element and hidden edges carry the index; V8 names the slots of a
 * WeakArrayList or a hash table by their number). A cleared slot has no
 * edge, so a list whose live entries are few still shows how far it is
 * filled. */
static uint64_t used_part(const ls_snapshot *s, uint32_t v) {
  uint64_t top = 0;
  for (uint64_t e = s->first_edge[v]; e < s->first_edge[v + 1]; e++) {
    const int et = ls__edge_type(s, e);
    uint64_t idx;
    if (et == s->et.element || et == s->et.hidden) {
      idx = ls__edge_name(s, e);
    } else {
      uint32_t nm = ls__edge_name(s, e);
      if (nm >= s->string_count) continue;
      const char *str = ls__str(s, nm);
      size_t len = ls__strlen(s, nm);
      if (!len || len > 12) continue;
      idx = 0;
      for (size_t i = 0; i < len && idx != UINT64_MAX; i++)
        idx = str[i] >= '0' && str[i] <= '9' ? idx * 10 + (uint64_t)(str[i] - '0')
                                             : UINT64_MAX;
      if (idx == UINT64_MAX) continue;
    }
    if (idx + 1 > top) top = idx + 1;
  }
  return top;
}

/* Per node, what it retains that is not the program's data but V8's way of
 * keeping it: the own sizes, in its dominator subtree, of storage for
 * entries (array nodes with at least STORE_ENTRIES edges: a Map's table, an
 * Array's elements with objects in them), and of V8's bookkeeping (hidden
 * nodes, compiled code, maps and shapes). Storage grows in steps (a hash
 * table full of deleted entries grows before it is compacted), and
 * bookkeeping grows for minutes while the JIT compiles and optimises (a
 * function's feedback and code, a context's): so what an object or a class
 * holds is judged as its retained size less this. NULL when out of
 * memory. */
#define STORE_ENTRIES 16
static uint64_t *storage_rooms(const ls_heap *h) {
  const ls_snapshot *s = h->s;
  const uint64_t n = s->node_count;
  uint64_t *room = calloc(n ? n : 1, sizeof *room);
  uint32_t *stack = malloc((n ? n : 1) * sizeof *stack);
  uint32_t *post = malloc((n ? n : 1) * sizeof *post);
  if (!room || !stack || !post) {
    free(room), free(stack), free(post);
    return NULL;
  }
  size_t sp = 0, np = 0;
  stack[sp++] = s->root_ordinal;
  while (sp) { /* preorder; reversed, children come before parents */
    uint32_t v = stack[--sp];
    post[np++] = v;
    for (uint32_t i = h->dom_first[v]; i < h->dom_first[v + 1]; i++)
      stack[sp++] = h->dom_child[i];
  }
  for (size_t k = np; k-- > 0;) {
    uint32_t v = post[k];
    const int t = s->node_type[v];
    if (t == s->nt.code || t == s->nt.object_shape || t == s->nt.hidden ||
        (t == s->nt.array && s->first_edge[v + 1] - s->first_edge[v] >= STORE_ENTRIES))
      room[v] += ls__self(h, v);
    if (v != s->root_ordinal) room[h->idom[v]] += room[v];
  }
  free(stack);
  free(post);
  return room;
}

/* Per class (by name), the storage capacity its instances retain (room,
 * above), over the instances no other instance of the class dominates, as
 * the class's retained size counts them. */
static ls_status class_rooms(ls__store *c, const ls_heap *h, const uint64_t *room,
                             size_t slot) {
  const ls_snapshot *s = h->s;
  const uint64_t n = s->node_count;
  const uint32_t nitems = h->classes.count ? h->classes.count : 1;
  uint32_t *open = calloc(nitems, sizeof *open);
  uint64_t *sum = calloc(nitems, sizeof *sum);
  /* nodes are shifted by one bit on the stack: at most 2^31 of them */
  uint32_t *stack = n < (1u << 31) ? malloc((2 * n + 2) * sizeof *stack) : NULL;
  ls_status st = LS_OK;
  if (!open || !sum || !stack) {
    st = LS_ERR_NOMEM;
    goto out;
  }
  size_t sp = 0;
  stack[sp++] = s->root_ordinal << 1;
  while (sp) { /* v << 1: enter v; v << 1 | 1: leave it */
    uint32_t x = stack[--sp], v = x >> 1, k = h->classes.node_class[v];
    if (x & 1) {
      open[k]--;
      continue;
    }
    if (!open[k]++) sum[k] += room[v];
    stack[sp++] = x | 1;
    for (uint32_t i = h->dom_first[v]; i < h->dom_first[v + 1]; i++)
      stack[sp++] = h->dom_child[i] << 1;
  }
  for (uint32_t i = 0; i < h->classes.count; i++) {
    size_t k = class_index(c, h->classes.items[i].name);
    if (k == SIZE_MAX) {
      st = LS_ERR_NOMEM;
      break;
    }
    uint64_t *r = &c->cls[k].room[slot];
    *r = (*r == ABSENT ? 0 : *r) + sum[i];
  }
out:
  free(open);
  free(sum);
  free(stack);
  return st;
}

/* ---- identity across snapshots ------------------------------------------
 * One set of rules, whether an older snapshot is at hand as a heap
 * (ls_trend_build) or only as its digest (ls_trend_stream): a candidate is
 * found again by its id when the class agrees (V8 may give a dead object's
 * id to a new object at the same address: another class means another
 * object), or, followed by owner and edge, as the target of the first
 * edge of its owner with that name that leads to storage. */

typedef struct {
  uint64_t self, ret, edges, used, room;
  uint32_t cls;
} nvals;

static void node_vals(const ls_heap *h, const uint64_t *room,
                      const uint32_t *item_class, uint32_t v, nvals *x) {
  const ls_snapshot *s = h->s;
  x->self = ls__self(h, v);
  x->ret = ls__retained(h, v);
  x->edges = s->first_edge[v + 1] - s->first_edge[v];
  x->used = used_part(s, v);
  x->room = room[v];
  x->cls = item_class[h->classes.node_class[v]];
}

static void put(ls__oseries *o, const nvals *x, size_t slot) {
  o->self[slot] = x->self;
  o->ret[slot] = x->ret;
  o->edges[slot] = x->edges;
  if (o->used) o->used[slot] = x->used;
  if (o->room) o->room[slot] = x->room;
}

/* An edge storage can be followed by: named (not an element, hidden or
 * weak edge) and leading to a hidden or array node, or to a code node: V8
 * shares one empty list of each kind (read-only, typed code in snapshots)
 * until the first entry (retained_maps starts so), and then the storage
 * grows from it. */
static int via_edge_ok(const ls_snapshot *s, uint64_t e) {
  const int et = ls__edge_type(s, e), tt = s->node_type[ls__edge_to(s, e)];
  return et != s->et.element && et != s->et.hidden && et != s->et.weak &&
         ls__edge_name(s, e) < s->string_count &&
         (tt == s->nt.hidden || tt == s->nt.array || tt == s->nt.code);
}

static uint32_t edge_hash(const ls_snapshot *s, uint64_t e) {
  const uint32_t nm = ls__edge_name(s, e);
  return (uint32_t)ls__hash_bytes(ls__str(s, nm), ls__strlen(s, nm));
}

/* Fill the candidates' values at `slot` from the heap itself. */
static void fill_from_heap(ls__store *c, const ls_heap *h, const uint64_t *room,
                           const uint32_t *item_class, size_t slot) {
  const ls_snapshot *s = h->s;
  nvals x;
  for (uint64_t v = 0; v < s->node_count; v++) {
    const uint64_t id = ls__node_id(s, v);
    uint32_t i = obj_find(c, id);
    if (i != UINT32_MAX && !c->obj[i].via_edge &&
        item_class[h->classes.node_class[v]] == c->obj[i].cls) {
      node_vals(h, room, item_class, (uint32_t)v, &x);
      put(&c->obj[i], &x, slot);
    }
    for (i = via_find(c, id); i != UINT32_MAX; i = c->obj[i].next_via)
      for (uint64_t e = s->first_edge[v]; e < s->first_edge[v + 1]; e++)
        if (via_edge_ok(s, e) && edge_hash(s, e) == c->obj[i].via_hash) {
          node_vals(h, room, item_class, ls__edge_to(s, e), &x);
          put(&c->obj[i], &x, slot);
          break;
        }
  }
}

/* ---- the digest: what identity needs of a snapshot, numbers only --------
 * Nodes sorted by id, in blocks of DIGEST_BLOCK: a block starts at a known
 * id and offset, its entries are LEB128 varints (id - previous id, self,
 * retained - self, edges, class index, used part, room), so a lookup is a
 * binary search over the blocks and a short decode. Storage edges (those
 * via_edge_ok takes, the first per owner and name) are kept as (owner id,
 * 32-bit name hash, target id less owner id) in the same way. Measured on
 * the tests' series (tests/trend, the stream oracle): 18 to 23 bytes per
 * node in all: about 7.5 for its entry, and about 1.2 storage edges (a
 * map, elements, a function's code...) of about 8 bytes each; a heap in
 * memory takes ~100 bytes per node. */
#define DIGEST_BLOCK 32

static int buf_reserve(ls__dbuf *b, size_t more) {
  if (b->len + more <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->len + more) cap *= 2;
  unsigned char *p = realloc(b->data, cap);
  if (!p) return -1;
  b->data = p;
  b->cap = cap;
  return 0;
}

static inline void put_varint(ls__dbuf *b, uint64_t x) {
  while (x >= 0x80) {
    b->data[b->len++] = (unsigned char)(x | 0x80);
    x >>= 7;
  }
  b->data[b->len++] = (unsigned char)x;
}

static inline uint64_t get_varint(const unsigned char **p) {
  uint64_t x = 0;
  unsigned shift = 0;
  for (;;) {
    const unsigned char c = *(*p)++;
    x |= (uint64_t)(c & 0x7f) << shift;
    if (!(c & 0x80)) return x;
    shift += 7;
  }
}

/* Start a block when `i` is a multiple of DIGEST_BLOCK. */
static int block_mark(ls__dbuf *b, uint64_t i, uint64_t key) {
  if (i % DIGEST_BLOCK) return 0;
  if (b->nblk == b->capblk) {
    size_t cap = b->capblk ? b->capblk * 2 : 256;
    uint64_t *k = realloc(b->blk_key, cap * sizeof *k);
    if (!k) return -1;
    b->blk_key = k;
    size_t *o = realloc(b->blk_off, cap * sizeof *o);
    if (!o) return -1;
    b->blk_off = o;
    b->capblk = cap;
  }
  b->blk_key[b->nblk] = key;
  b->blk_off[b->nblk++] = b->len;
  return 0;
}

/* The last block whose first key is <= key (SIZE_MAX: none). */
static size_t block_find(const ls__dbuf *b, uint64_t key) {
  size_t lo = 0, hi = b->nblk;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (b->blk_key[mid] <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo ? lo - 1 : SIZE_MAX;
}

/* Give back what doubling reserved: a digest lives as long as its stream
 * (and is never grown again). */
static void dbuf_shrink(ls__dbuf *b) {
  unsigned char *p = b->len ? realloc(b->data, b->len) : NULL;
  if (p) b->data = p, b->cap = b->len;
  uint64_t *k = b->nblk ? realloc(b->blk_key, b->nblk * sizeof *k) : NULL;
  if (k) b->blk_key = k;
  size_t *o = b->nblk ? realloc(b->blk_off, b->nblk * sizeof *o) : NULL;
  if (o) b->blk_off = o;
  if (k && o) b->capblk = b->nblk;
}

static void dbuf_free(ls__dbuf *b) {
  free(b->data);
  free(b->blk_key);
  free(b->blk_off);
  memset(b, 0, sizeof *b);
}

void ls__tdigest_free(ls__tdigest *d) {
  if (!d) return;
  dbuf_free(&d->nodes);
  dbuf_free(&d->edges);
}

size_t ls__tdigest_bytes(const ls__tdigest *d) {
  return d->nodes.len + d->edges.len +
         (d->nodes.nblk + d->edges.nblk) * (sizeof(uint64_t) + sizeof(size_t));
}

typedef struct {
  uint64_t owner;
  uint32_t hash, at; /* at: position among its owner's edges */
  uint64_t target;
} dedge;

static int dedge_cmp(const void *x, const void *y) {
  const dedge *a = x, *b = y;
  if (a->owner != b->owner) return a->owner < b->owner ? -1 : 1;
  if (a->hash != b->hash) return a->hash < b->hash ? -1 : 1;
  return a->at < b->at ? -1 : a->at > b->at;
}

/* Encode one owner's storage edges (sorted by name, the first of each
 * name kept) into d->edges; *k counts the entries. */
static int put_owner_edges(ls__tdigest *d, dedge *de, size_t nde, uint64_t *k,
                           uint64_t *prev) {
  if (nde > 1) qsort(de, nde, sizeof *de, dedge_cmp);
  for (size_t i = 0; i < nde; i++) {
    if (i && de[i].hash == de[i - 1].hash) continue;
    if (block_mark(&d->edges, *k, de[i].owner) || buf_reserve(&d->edges, 3 * 10)) return -1;
    if (*k % DIGEST_BLOCK == 0) *prev = de[i].owner;
    put_varint(&d->edges, de[i].owner - *prev);
    memcpy(d->edges.data + d->edges.len, &de[i].hash, 4); /* random bits: raw */
    d->edges.len += 4;
    /* storage is mostly made with its owner: a small distance in ids */
    const int64_t dt = (int64_t)(de[i].target - de[i].owner);
    put_varint(&d->edges, ((uint64_t)dt << 1) ^ (uint64_t)(dt >> 63));
    *prev = de[i].owner;
    (*k)++;
  }
  return 0;
}

static ls_status make_digest(ls__store *c, const ls_heap *h, const uint64_t *room,
                             const uint32_t *item_class, ls__tdigest *d) {
  const ls_snapshot *s = h->s;
  memset(d, 0, sizeof *d);
  uint64_t *ids = NULL, n = 0, mx = 0, k = 0, eprev = 0;
  uint32_t *ord = NULL;
  dedge *de = NULL; /* one owner's edges at a time: owners come in id order */
  size_t capde = 0;
  ls_status st = ls__objects_by_id(h, &ids, &ord, &n, &mx, 1, c->err);
  if (st != LS_OK) return st;
  uint64_t prev = 0;
  for (uint64_t i = 0; i < n; i++) {
    nvals x;
    node_vals(h, room, item_class, ord[i], &x);
    if (block_mark(&d->nodes, i, ids[i]) || buf_reserve(&d->nodes, 7 * 10)) goto oom;
    if (i % DIGEST_BLOCK == 0) prev = ids[i];
    put_varint(&d->nodes, ids[i] - prev);
    put_varint(&d->nodes, x.self);
    put_varint(&d->nodes, x.ret - x.self); /* wraps when ret < self: decoded back */
    put_varint(&d->nodes, x.edges);
    put_varint(&d->nodes, x.cls);
    put_varint(&d->nodes, x.used);
    put_varint(&d->nodes, x.room);
    prev = ids[i];
    const uint32_t v = ord[i];
    size_t nde = 0;
    for (uint64_t e = s->first_edge[v]; e < s->first_edge[v + 1]; e++) {
      if (!via_edge_ok(s, e)) continue;
      if (nde == capde) {
        size_t cap = capde ? capde * 2 : 64;
        dedge *p = realloc(de, cap * sizeof *p);
        if (!p) goto oom;
        de = p;
        capde = cap;
      }
      de[nde++] = (dedge){ids[i], edge_hash(s, e), (uint32_t)(e - s->first_edge[v]),
                          ls__node_id(s, ls__edge_to(s, e))};
    }
    if (put_owner_edges(d, de, nde, &k, &eprev)) goto oom;
  }
  d->node_count = n;
  d->edge_count = k;
  dbuf_shrink(&d->nodes);
  dbuf_shrink(&d->edges);
  free(ids);
  free(ord);
  free(de);
  return LS_OK;
oom:
  free(ids);
  free(ord);
  free(de);
  ls__tdigest_free(d);
  return ls__store_nomem(c);
}

/* The values of node `id` in the digest; 0 when it is not there. */
static int digest_node(const ls__tdigest *d, uint64_t id, nvals *x) {
  size_t b = block_find(&d->nodes, id);
  if (b == SIZE_MAX) return 0;
  const unsigned char *p = d->nodes.data + d->nodes.blk_off[b];
  uint64_t cur = d->nodes.blk_key[b];
  const uint64_t left = d->node_count - (uint64_t)b * DIGEST_BLOCK;
  for (uint64_t i = 0; i < DIGEST_BLOCK && i < left; i++) {
    cur += get_varint(&p);
    x->self = get_varint(&p);
    x->ret = x->self + get_varint(&p);
    x->edges = get_varint(&p);
    x->cls = (uint32_t)get_varint(&p);
    x->used = get_varint(&p);
    x->room = get_varint(&p);
    if (cur == id) return 1;
    if (cur > id) return 0;
  }
  return 0;
}

/* The target of owner's first storage edge named by `hash`; 0 if none. */
static int digest_edge(const ls__tdigest *d, uint64_t owner, uint32_t hash,
                       uint64_t *target) {
  size_t b = block_find(&d->edges, owner);
  /* an owner's edges may start in the block before the first one that
   * starts with it */
  if (b == SIZE_MAX) return 0;
  while (b > 0 && d->edges.blk_key[b] == owner) b--;
  for (; b < d->edges.nblk; b++) {
    const unsigned char *p = d->edges.data + d->edges.blk_off[b];
    uint64_t cur = d->edges.blk_key[b];
    const uint64_t left = d->edge_count - (uint64_t)b * DIGEST_BLOCK;
    for (uint64_t i = 0; i < DIGEST_BLOCK && i < left; i++) {
      cur += get_varint(&p);
      uint32_t hh;
      memcpy(&hh, p, 4);
      p += 4;
      const uint64_t z = get_varint(&p);
      const uint64_t t = cur + ((z >> 1) ^ (0 - (z & 1)));
      if (cur > owner) return 0;
      if (cur == owner && hh == hash) {
        *target = t;
        return 1;
      }
    }
  }
  return 0;
}

void ls__store_fill(ls__store *c, const ls__tdigest *d, size_t slot) {
  nvals x;
  for (size_t i = 0; i < c->nobj; i++) {
    ls__oseries *o = &c->obj[i];
    uint64_t id = o->id;
    if (o->via_edge && !digest_edge(d, o->via_parent, o->via_hash, &id)) continue;
    if (!digest_node(d, id, &x) || (!o->via_edge && x.cls != o->cls)) continue;
    put(o, &x, slot);
  }
}

void ls__store_clear_objects(ls__store *c) {
  for (size_t i = 0; i < c->nobj; i++) {
    ls__oseries *o = &c->obj[i];
    for (size_t k = 0; k < c->n; k++) {
      o->self[k] = o->ret[k] = o->edges[k] = ABSENT;
      if (o->used) o->used[k] = ABSENT;
      if (o->room) o->room[k] = ABSENT;
    }
  }
}

/* Forget the candidates (a newer heap picks its own). */
static void drop_candidates(ls__store *c) {
  for (size_t i = 0; i < c->nobj; i++) {
    ls__oseries *o = &c->obj[i];
    free(o->name);
    free(o->self);
    free(o->ret);
    free(o->edges);
    free(o->used);
    free(o->room);
    ls__values_free(o->vals, o->path_len);
    ls__path_steps_free(o->path, o->path_len, 1);
    free(o->dom);
    free(o->via_edge);
    ls__allocations_free(&o->alloc);
  }
  free(c->obj);
  c->obj = NULL;
  c->nobj = 0;
  ls__map_free(&c->ids);
  ls__map_free(&c->via);
  memset(&c->ids, 0, sizeof c->ids);
  memset(&c->via, 0, sizeof c->via);
  memset(c->ids_filter, 0, sizeof c->ids_filter);
  memset(c->via_filter, 0, sizeof c->via_filter);
  for (size_t k = 0; k < c->ncls; k++) {
    ls__cseries *cs = &c->cls[k];
    ls__values_free(cs->vals, cs->path_len);
    ls__path_steps_free(cs->path, cs->path_len, 1);
    free(cs->dom);
    cs->vals = NULL;
    cs->path = NULL;
    cs->dom = NULL;
    cs->path_len = cs->ndom = 0;
    cs->rep_id = cs->holder_id = 0;
    ls__allocations_free(&cs->alloc);
    ls__allocations_free(&cs->held);
  }
  ls__rows_free(c->rows, c->nrows);
  c->rows = NULL;
  c->nrows = 0;
  c->tracked = 0;
}

static int grow_series(uint64_t **v, size_t from, size_t to) {
  if (!*v) return 0;
  uint64_t *p = realloc(*v, to * sizeof *p);
  if (!p) return -1;
  for (size_t i = from; i < to; i++) p[i] = ABSENT;
  *v = p;
  return 0;
}

ls_status ls__store_grow(ls__store *c, size_t n) {
  if (n <= c->n) return LS_OK;
  ls_trend_snapshot *sn = realloc(c->snaps, n * sizeof *sn);
  if (!sn) return ls__store_nomem(c);
  memset(sn + c->n, 0, (n - c->n) * sizeof *sn);
  c->snaps = sn;
  for (size_t k = 0; k < c->ncls; k++) {
    ls__cseries *cs = &c->cls[k];
    if (grow_series(&cs->count, c->n, n) || grow_series(&cs->self, c->n, n) ||
        grow_series(&cs->ret, c->n, n) || grow_series(&cs->room, c->n, n))
      return ls__store_nomem(c);
  }
  for (size_t i = 0; i < c->nobj; i++) {
    ls__oseries *o = &c->obj[i];
    if (grow_series(&o->self, c->n, n) || grow_series(&o->ret, c->n, n) ||
        grow_series(&o->edges, c->n, n) || grow_series(&o->used, c->n, n) ||
        grow_series(&o->room, c->n, n))
      return ls__store_nomem(c);
  }
  c->n = n;
  return LS_OK;
}

/* Record one heap (at `slot`) into the series. */
ls_status ls__store_record(ls__store *c, const ls_heap *h, size_t slot,
                           int newest, ls__tdigest *keep) {
  const ls_snapshot *s = h->s;
  ls_trend_snapshot *ts = &c->snaps[slot];
  ls_heap_totals tot;
  ls_heap_totals_get(h, &tot);
  ts->node_count = tot.node_count;
  ts->edge_count = tot.edge_count;
  ts->total_size = tot.total_size;
  /* V8 gives heap objects odd ids from a counter that only grows; embedder
   * (native) nodes get even ids made from addresses, which say nothing
   * about time, so only odd ids order the series */
  memcpy(ts->node_version, tot.node_version, sizeof ts->node_version);
  ts->max_node_id = 0;
  for (uint64_t v = 0; v < s->node_count; v++)
    if ((ls__node_id(s, v) & 1) && ls__node_id(s, v) > ts->max_node_id)
      ts->max_node_id = ls__node_id(s, v);
  if (newest) drop_candidates(c);

  /* classes: the summary's rows, merged by name */
  ls_summary *sum = NULL;
  ls_status st = ls_summary_build(h, 0, &sum, c->err);
  if (st != LS_OK) return st;
  for (size_t r = 0; r < sum->row_count; r++) {
    const ls_class_row *row = &sum->rows[r];
    size_t k = class_index(c, row->name);
    if (k == SIZE_MAX) {
      ls_summary_free(sum);
      return ls__store_nomem(c);
    }
    ls__cseries *cs = &c->cls[k];
    if (cs->count[slot] == ABSENT)
      cs->count[slot] = cs->self[slot] = cs->ret[slot] = 0;
    cs->count[slot] += row->count;
    cs->self[slot] += row->self_size;
    cs->ret[slot] += row->retained_size;
  }
  if (newest && c->keep_classes) { /* the report's class table */
    c->rows = calloc(sum->row_count ? sum->row_count : 1, sizeof *c->rows);
    if (!c->rows) {
      ls_summary_free(sum);
      return ls__store_nomem(c);
    }
    for (size_t r = 0; r < sum->row_count; r++) {
      c->rows[r] = sum->rows[r];
      c->rows[r].name = strdup(sum->rows[r].name);
      c->rows[r].location =
          sum->rows[r].location ? strdup(sum->rows[r].location) : NULL;
      c->nrows = r + 1;
      if (!c->rows[r].name || (sum->rows[r].location && !c->rows[r].location)) {
        ls_summary_free(sum);
        return ls__store_nomem(c);
      }
    }
  }
  ls_summary_free(sum);
  uint64_t *room = storage_rooms(h);
  uint32_t *item_class =
      malloc((h->classes.count ? h->classes.count : 1) * sizeof *item_class);
  if (!room || !item_class || class_rooms(c, h, room, slot) != LS_OK) {
    st = ls__store_nomem(c);
    goto out;
  }
  for (uint32_t i = 0; i < h->classes.count; i++) {
    size_t k = class_index(c, h->classes.items[i].name);
    if (k == SIZE_MAX) {
      st = ls__store_nomem(c);
      goto out;
    }
    item_class[i] = (uint32_t)k;
  }
  if (newest) {
    /* new objects: ids above the oldest recorded snapshot's */
    uint64_t floor = 0;
    for (size_t j = 0; j < c->n; j++)
      if (j != slot && c->snaps[j].max_node_id &&
          (!floor || c->snaps[j].max_node_id < floor))
        floor = c->snaps[j].max_node_id;
    if (!floor) floor = c->floor_hint;
    if ((st = pick_candidates(c, h, item_class, floor)) != LS_OK) goto out;
  }
  if (keep) st = make_digest(c, h, room, item_class, keep);
  else if (c->nobj) fill_from_heap(c, h, room, item_class, slot);
out:
  free(room);
  free(item_class);
  return st;
}
