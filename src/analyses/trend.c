/*
 * Trend: what keeps growing over a series of snapshots of one process.
 *
 * Streaming: one heap is loaded at a time and only compact series are kept
 * (per class: count, self, retained; per candidate object: self, retained,
 * outgoing edges), so peak memory is one heap plus the series.
 *
 * Order: node ids only grow in a process, so the snapshot with the largest
 * node id is the newest. Files are processed newest first by a guess (mtime,
 * then name); candidate objects are chosen in the first one processed and
 * looked up by id in the others. If the guess was wrong (the first processed
 * is not the one with the largest id) the series is processed again in the
 * right order, so the result never depends on names or mtimes.
 *
 * The growth rule and its thresholds are documented in README.md ("trend").
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "heap.h"
#include "known.h"
#include "../algorithms/paths.h"

#define ABSENT LS_TREND_ABSENT
#define K_CAND 400        /* candidate objects per metric (self, retained, edges) */
#define MIN_BYTES 65536   /* growth after warm-up that counts, in bytes */
#define MIN_EDGES 256     /* ... in outgoing edges of one object */
#define MIN_COUNT 256     /* ... in instances of a class */
#define MAX_MEMBERS 5     /* related suspects shown under a leader */

typedef struct {
  char *name;
  uint64_t *count, *self, *ret; /* per slot */
  uint64_t rep_id;              /* newest reachable instance (newest heap) */
  ls_path_step *path;
  size_t path_len;
  uint64_t *dom;                /* ids of the rep's dominators, nearest first */
  size_t ndom;
  uint64_t holder_id;           /* the candidate object that dominates most
                                   of its instances (0: none) */
  char **vals;                  /* string values on the path (if asked) */
} cseries;

typedef struct {
  uint64_t id;
  char *name;
  int storage;                    /* hidden/array node: a container's storage */
  uint64_t *self, *ret, *edges;   /* per slot */
  ls_path_step *path;
  size_t path_len;
  uint64_t *dom;                  /* ids of its dominators, nearest first */
  size_t ndom;
  /* Storage is reallocated when it grows (a Map's table, the elements of an
   * array, V8's retained_maps list): the new copy has a new id. Such an
   * object is followed as "the `via_edge` of object `via_parent`". */
  uint64_t via_parent;
  char *via_edge;                 /* NULL: followed by its own id */
  uint32_t next_via;              /* next candidate with the same via_parent */
  char **vals;                    /* string values on the path (if asked) */
} oseries;

typedef struct {
  size_t n;               /* snapshots */
  ls_trend_snapshot *snaps; /* per slot (input position) */
  cseries *cls;
  size_t ncls, capcls;
  uint32_t *cslots;
  uint64_t cmask;
  oseries *obj;
  size_t nobj;
  uint32_t *oslots; /* open addressing over obj ids, UINT32_MAX empty */
  uint64_t omask;
  uint64_t filter[1024]; /* 65536-bit prefilter of candidate ids */
  uint32_t *pslots;      /* via_parent id -> first candidate (next_via) */
  uint64_t pmask;
  uint64_t pfilter[1024];
  ls_error *err;
  int string_values;     /* keep string values on the paths (asked for) */
  int keep_classes;      /* keep the newest snapshot's class rows */
  size_t nrows;
  ls_class_row *rows;    /* names and locations strdup'ed */
} trend_ctx;

static ls_status nomem(trend_ctx *c) {
  return ls__heap_fail(c->err, LS_ERR_NOMEM, LS_NO_OFFSET,
                       "out of memory keeping the series");
}

static uint64_t hash_str(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h ^ (h >> 29);
}

static uint64_t *new_series(size_t n) {
  uint64_t *v = malloc(n * sizeof *v);
  if (v)
    for (size_t i = 0; i < n; i++) v[i] = ABSENT;
  return v;
}

/* Class series index for `name`, created on first sight. SIZE_MAX on OOM. */
static size_t class_index(trend_ctx *c, const char *name) {
  if (!c->cslots || (c->ncls + 1) * 2 > c->cmask + 1) {
    uint64_t cap = c->cslots ? (c->cmask + 1) * 2 : 1024;
    uint32_t *sl = malloc(cap * sizeof *sl);
    if (!sl) return SIZE_MAX;
    memset(sl, 0xff, cap * sizeof *sl);
    for (size_t i = 0; i < c->ncls; i++) {
      uint64_t j = hash_str(c->cls[i].name) & (cap - 1);
      while (sl[j] != UINT32_MAX) j = (j + 1) & (cap - 1);
      sl[j] = (uint32_t)i;
    }
    free(c->cslots);
    c->cslots = sl;
    c->cmask = cap - 1;
  }
  uint64_t j = hash_str(name) & c->cmask;
  for (; c->cslots[j] != UINT32_MAX; j = (j + 1) & c->cmask)
    if (!strcmp(c->cls[c->cslots[j]].name, name)) return c->cslots[j];
  if (c->ncls == c->capcls) {
    size_t cap = c->capcls ? c->capcls * 2 : 256;
    cseries *v = realloc(c->cls, cap * sizeof *v);
    if (!v) return SIZE_MAX;
    c->cls = v;
    c->capcls = cap;
  }
  cseries *cs = &c->cls[c->ncls];
  memset(cs, 0, sizeof *cs);
  cs->name = strdup(name);
  cs->count = new_series(c->n);
  cs->self = new_series(c->n);
  cs->ret = new_series(c->n);
  if (!cs->name || !cs->count || !cs->self || !cs->ret) {
    free(cs->name);
    free(cs->count);
    free(cs->self);
    free(cs->ret);
    return SIZE_MAX;
  }
  c->cslots[j] = (uint32_t)c->ncls;
  return c->ncls++;
}

static uint64_t id_hash(uint64_t id) { return (id * 0x9E3779B97F4A7C15ull) >> 20; }

static void obj_index_add(trend_ctx *c, uint32_t i) {
  uint64_t id = c->obj[i].id, j = id_hash(id) & c->omask;
  while (c->oslots[j] != UINT32_MAX) j = (j + 1) & c->omask;
  c->oslots[j] = i;
  uint64_t b = (id * 0x9E3779B97F4A7C15ull) >> 48;
  c->filter[b >> 6] |= 1ull << (b & 63);
}

static uint32_t obj_find(const trend_ctx *c, uint64_t id) {
  uint64_t b = (id * 0x9E3779B97F4A7C15ull) >> 48;
  if (!(c->filter[b >> 6] >> (b & 63) & 1)) return UINT32_MAX;
  for (uint64_t j = id_hash(id) & c->omask; c->oslots[j] != UINT32_MAX;
       j = (j + 1) & c->omask)
    if (c->obj[c->oslots[j]].id == id) return c->oslots[j];
  return UINT32_MAX;
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
    tmp[k++] = s->node_id[x];
  *out = malloc((k ? k : 1) * sizeof **out);
  if (!*out) return -1;
  memcpy(*out, tmp, k * sizeof **out);
  *n = k;
  return 0;
}

static void via_index_add(trend_ctx *c, uint32_t i) {
  uint64_t id = c->obj[i].via_parent, j = id_hash(id) & c->pmask;
  while (c->pslots[j] != UINT32_MAX && c->obj[c->pslots[j]].via_parent != id)
    j = (j + 1) & c->pmask;
  c->obj[i].next_via = c->pslots[j];
  c->pslots[j] = i;
  uint64_t b = (id * 0x9E3779B97F4A7C15ull) >> 48;
  c->pfilter[b >> 6] |= 1ull << (b & 63);
}

static uint32_t via_find(const trend_ctx *c, uint64_t id) {
  uint64_t b = (id * 0x9E3779B97F4A7C15ull) >> 48;
  if (!c->pslots || !(c->pfilter[b >> 6] >> (b & 63) & 1)) return UINT32_MAX;
  for (uint64_t j = id_hash(id) & c->pmask; c->pslots[j] != UINT32_MAX;
       j = (j + 1) & c->pmask)
    if (c->obj[c->pslots[j]].via_parent == id) return c->pslots[j];
  return UINT32_MAX;
}

/* For every class, the candidate object that dominates most of its
 * instances (its container: the leaked objects' class belongs to the Map
 * that holds them), and as representative the newest reachable instance
 * under it. `near` is each node's nearest candidate dominator, filled in
 * dominator-tree preorder so parents come first. */
static ls_status class_holders(trend_ctx *c, const ls_heap *h,
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
  /* (class, candidate) -> instances, open addressing */
  uint64_t cap = 1024, used = 0, *key = NULL;
  uint32_t *cnt = NULL;
  ls_status st = LS_OK;
  if (!near || !stack || !is_cand || !mode || !mode_n || !lo || !hi) goto oom;
  key = malloc(cap * sizeof *key);
  cnt = malloc(cap * sizeof *cnt);
  if (!key || !cnt) goto oom;
  memset(key, 0xff, cap * sizeof *key);
  for (uint64_t v = 0; v < n; v++)
    if (obj_find(c, s->node_id[v]) != UINT32_MAX)
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
    uint64_t id = s->node_id[v];
    if (!(id & 1)) continue;
    if (id < lo[k]) lo[k] = id;
    if (id > hi[k]) hi[k] = id;
  }
  for (size_t k = 0; k < ncls; k++)
    if (hi[k] >= lo[k]) lo[k] += (hi[k] - lo[k]) / 4 * 3;
  for (uint64_t v = 0; v < n; v++) {
    if (v == root || near[v] == UINT32_MAX || parent[v] == LS__NO_PARENT ||
        is_synthetic(s, (uint32_t)v) || !(s->node_id[v] & 1) ||
        s->node_id[v] < lo[item_class[h->classes.node_class[v]]])
      continue;
    uint64_t kk = ((uint64_t)item_class[h->classes.node_class[v]] << 32) |
                  near[v];
    if ((used + 1) * 2 > cap) { /* grow */
      uint64_t ncap = cap * 2, *nk = malloc(ncap * sizeof *nk);
      uint32_t *nc = malloc(ncap * sizeof *nc);
      if (!nk || !nc) {
        free(nk);
        free(nc);
        goto oom;
      }
      memset(nk, 0xff, ncap * sizeof *nk);
      for (uint64_t j = 0; j < cap; j++) {
        if (key[j] == UINT64_MAX) continue;
        uint64_t x = id_hash(key[j]) & (ncap - 1);
        while (nk[x] != UINT64_MAX) x = (x + 1) & (ncap - 1);
        nk[x] = key[j];
        nc[x] = cnt[j];
      }
      free(key);
      free(cnt);
      key = nk;
      cnt = nc;
      cap = ncap;
    }
    uint64_t x = id_hash(kk) & (cap - 1);
    while (key[x] != UINT64_MAX && key[x] != kk) x = (x + 1) & (cap - 1);
    if (key[x] == UINT64_MAX) key[x] = kk, cnt[x] = 0, used++;
    cnt[x]++;
  }
  memset(mode, 0xff, ncls * sizeof *mode);
  for (uint64_t j = 0; j < cap; j++) {
    if (key[j] == UINT64_MAX) continue;
    uint32_t k = (uint32_t)(key[j] >> 32), cand = (uint32_t)key[j];
    if (cnt[j] > mode_n[k] ||
        (cnt[j] == mode_n[k] && s->node_id[cand] < s->node_id[mode[k]]))
      mode[k] = cand, mode_n[k] = cnt[j];
  }
  /* the newest reachable instance under the holder (or anywhere) */
  memset(rep, 0xff, ncls * sizeof *rep);
  for (uint64_t v = 0; v < n; v++) {
    if (v == root || parent[v] == LS__NO_PARENT || is_synthetic(s, (uint32_t)v))
      continue;
    uint32_t k = item_class[h->classes.node_class[v]];
    if (mode[k] != UINT32_MAX && near[v] != mode[k]) continue;
    if (rep[k] == UINT32_MAX || s->node_id[v] > s->node_id[rep[k]])
      rep[k] = (uint32_t)v;
  }
  for (size_t k = 0; k < c->ncls; k++)
    c->cls[k].holder_id = mode[k] == UINT32_MAX ? 0 : s->node_id[mode[k]];
  goto out;
oom:
  st = nomem(c);
out:
  free(near);
  free(stack);
  free(is_cand);
  free(mode);
  free(mode_n);
  free(lo);
  free(hi);
  free(key);
  free(cnt);
  return st;
}

#define VALUE_MAX 200 /* bytes of a string value kept (when asked) */

static void values_free(char **v, size_t n) {
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
  if (!vals) return -1;
  uint32_t x = v;
  for (size_t i = n; i-- > 0 && x != s->root_ordinal; x = parent[x]) {
    const int t = s->node_type[x];
    if (steps[i].id != s->node_id[x] ||
        !(t == s->nt.string || t == s->nt.cons_string ||
          t == s->nt.sliced_string))
      continue;
    const char *str = ls__str(s, s->node_name[x]);
    size_t len = ls__strlen(s, s->node_name[x]);
    if (len > VALUE_MAX) {
      len = VALUE_MAX;
      while (len && ((unsigned char)str[len] & 0xc0) == 0x80) len--;
    }
    if (!(vals[i] = malloc(len + 1))) {
      values_free(vals, n);
      return -1;
    }
    memcpy(vals[i], str, len);
    vals[i][len] = 0;
  }
  *out = vals;
  return 0;
}

static char **values_copy(char *const *v, size_t n, int *fail) {
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
static ls_status pick_candidates(trend_ctx *c, const ls_heap *h,
                                 const uint32_t *item_class) {
  const ls_snapshot *s = h->s;
  const uint64_t n = s->node_count;
  ls_status st;
  uint32_t *parent = malloc(n * sizeof *parent);
  topk *tk = calloc(3, sizeof *tk);
  uint32_t *rep = malloc((c->ncls ? c->ncls : 1) * sizeof *rep);
  if (!parent || !tk || !rep) {
    st = nomem(c);
    goto out;
  }
  if ((st = ls__path_parents(s, parent, c->err)) != LS_OK) goto out;
  memset(rep, 0xff, (c->ncls ? c->ncls : 1) * sizeof *rep);
  for (uint64_t v = 0; v < n; v++) {
    if (v == s->root_ordinal || parent[v] == LS__NO_PARENT ||
        is_synthetic(s, (uint32_t)v))
      continue;
    if (!(s->node_id[v] & 1)) continue; /* even ids are not stable */
    topk_add(&tk[0], h->self[v], (uint32_t)v);
    topk_add(&tk[1], h->retained[v], (uint32_t)v);
    topk_add(&tk[2], s->first_edge[v + 1] - s->first_edge[v], (uint32_t)v);
  }
  size_t cap = 3 * K_CAND;
  c->obj = calloc(cap, sizeof *c->obj);
  uint64_t slots = 8192;
  c->oslots = malloc(slots * sizeof *c->oslots);
  c->pslots = malloc(slots * sizeof *c->pslots);
  if (!c->obj || !c->oslots || !c->pslots) {
    st = nomem(c);
    goto out;
  }
  memset(c->oslots, 0xff, slots * sizeof *c->oslots);
  memset(c->pslots, 0xff, slots * sizeof *c->pslots);
  c->omask = c->pmask = slots - 1;
  for (int m = 0; m < 3; m++)
    for (size_t i = 0; i < tk[m].len; i++) {
      uint32_t v = tk[m].node[i];
      if (obj_find(c, s->node_id[v]) != UINT32_MAX) continue;
      oseries *o = &c->obj[c->nobj];
      o->id = s->node_id[v];
      o->name = strdup(h->classes.items[h->classes.node_class[v]].name);
      o->storage = s->node_type[v] == s->nt.hidden ||
                   s->node_type[v] == s->nt.array;
      o->self = new_series(c->n);
      o->ret = new_series(c->n);
      o->edges = new_series(c->n);
      c->nobj++;
      if (!o->name || !o->self || !o->ret || !o->edges) {
        st = nomem(c);
        goto out;
      }
      obj_index_add(c, (uint32_t)(c->nobj - 1));
      st = ls__path_steps(h, parent, v, 1, &o->path, &o->path_len, c->err);
      if (st != LS_OK) goto out;
      if (c->string_values &&
          path_values(h, parent, v, o->path, o->path_len, &o->vals)) {
        st = nomem(c);
        goto out;
      }
      if (dom_chain(h, v, &o->dom, &o->ndom)) {
        st = nomem(c);
        goto out;
      }
      /* storage under a named edge of its owner: follow it by that edge */
      if (o->storage && o->path_len >= 2) {
        const ls_path_step *last = &o->path[o->path_len - 1];
        if (last->edge_type && strcmp(last->edge_type, "element") &&
            strcmp(last->edge_type, "hidden")) {
          o->via_parent = o->path[o->path_len - 2].id;
          if (!(o->via_edge = strdup(last->edge))) {
            st = nomem(c);
            goto out;
          }
          via_index_add(c, (uint32_t)(c->nobj - 1));
        }
      }
    }
  if ((st = class_holders(c, h, item_class, parent, rep)) != LS_OK) goto out;
  for (size_t k = 0; k < c->ncls; k++) {
    if (rep[k] == UINT32_MAX) continue;
    c->cls[k].rep_id = s->node_id[rep[k]];
    st = ls__path_steps(h, parent, rep[k], 1, &c->cls[k].path,
                        &c->cls[k].path_len, c->err);
    if (st != LS_OK) goto out;
    if (c->string_values && path_values(h, parent, rep[k], c->cls[k].path,
                                        c->cls[k].path_len, &c->cls[k].vals)) {
      st = nomem(c);
      goto out;
    }
    if (dom_chain(h, rep[k], &c->cls[k].dom, &c->cls[k].ndom)) {
      st = nomem(c);
      goto out;
    }
  }
out:
  free(parent);
  free(tk);
  free(rep);
  return st;
}

static void put(oseries *o, const ls_heap *h, uint32_t v, size_t slot) {
  const ls_snapshot *s = h->s;
  o->self[slot] = h->self[v];
  o->ret[slot] = h->retained[v];
  o->edges[slot] = s->first_edge[v + 1] - s->first_edge[v];
}

/* Record one heap (at `slot`) into the series. */
static ls_status record(trend_ctx *c, const ls_heap *h, size_t slot,
                        int newest) {
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
  ts->max_node_id = 0;
  for (uint64_t v = 0; v < s->node_count; v++)
    if ((s->node_id[v] & 1) && s->node_id[v] > ts->max_node_id)
      ts->max_node_id = s->node_id[v];

  /* classes: the summary's rows, merged by name */
  ls_summary *sum = NULL;
  ls_status st = ls_summary_build(h, 0, &sum, c->err);
  if (st != LS_OK) return st;
  for (size_t r = 0; r < sum->row_count; r++) {
    const ls_class_row *row = &sum->rows[r];
    size_t k = class_index(c, row->name);
    if (k == SIZE_MAX) {
      ls_summary_free(sum);
      return nomem(c);
    }
    cseries *cs = &c->cls[k];
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
      return nomem(c);
    }
    for (size_t r = 0; r < sum->row_count; r++) {
      c->rows[r] = sum->rows[r];
      c->rows[r].name = strdup(sum->rows[r].name);
      c->rows[r].location =
          sum->rows[r].location ? strdup(sum->rows[r].location) : NULL;
      c->nrows = r + 1;
      if (!c->rows[r].name || (sum->rows[r].location && !c->rows[r].location)) {
        ls_summary_free(sum);
        return nomem(c);
      }
    }
  }
  ls_summary_free(sum);

  if (newest) {
    uint32_t *item_class =
        malloc((h->classes.count ? h->classes.count : 1) * sizeof *item_class);
    if (!item_class) return nomem(c);
    for (uint32_t i = 0; i < h->classes.count; i++) {
      size_t k = class_index(c, h->classes.items[i].name);
      if (k == SIZE_MAX) {
        free(item_class);
        return nomem(c);
      }
      item_class[i] = (uint32_t)k;
    }
    st = pick_candidates(c, h, item_class);
    free(item_class);
    if (st != LS_OK) return st;
  }
  if (c->nobj) {
    for (uint64_t v = 0; v < s->node_count; v++) {
      const uint64_t id = s->node_id[v];
      uint32_t i = obj_find(c, id);
      /* V8 may give a dead object's id to a new object at the same address:
       * another class means another object */
      if (i != UINT32_MAX && !c->obj[i].via_edge &&
          !strcmp(h->classes.items[h->classes.node_class[v]].name,
                  c->obj[i].name))
        put(&c->obj[i], h, (uint32_t)v, slot);
      for (i = via_find(c, id); i != UINT32_MAX; i = c->obj[i].next_via) {
        const oseries *o = &c->obj[i];
        size_t len = strlen(o->via_edge);
        for (uint64_t e = s->first_edge[v]; e < s->first_edge[v + 1]; e++) {
          const int et = s->edge_type[e];
          uint32_t nm = s->edge_name[e];
          if (et == s->et.element || et == s->et.hidden || et == s->et.weak ||
              nm >= s->string_count || ls__strlen(s, nm) != len ||
              memcmp(ls__str(s, nm), o->via_edge, len))
            continue;
          put(&c->obj[i], h, s->edge_to[e], slot);
          break;
        }
      }
    }
  }
  return LS_OK;
}

/* ---- the growth rule --------------------------------------------------- */

typedef struct {
  int grows;
  int64_t growth; /* last value minus the value after warm-up */
} growth;

/* `v` in process order. The first step is warm-up and never counts; after
 * it the series must rise in most steps (at least two thirds), fall back by
 * no more than a tenth of what it rose, still rise in the last step, and
 * gain at least `min` overall. Objects count from their first snapshot. */
static growth judge(const uint64_t *v, size_t n, uint64_t min) {
  growth g = {0, 0};
  size_t f = 0;
  while (f < n && v[f] == ABSENT) f++;
  if (n - f < 3) return g;
  for (size_t i = f; i < n; i++)
    if (v[i] == ABSENT) return g; /* ids are never reused: cannot happen */
  size_t steps = 0, up = 0;
  uint64_t rise = 0, fall = 0;
  for (size_t i = f + 1; i + 1 < n; i++) {
    steps++;
    if (v[i + 1] > v[i]) up++, rise += v[i + 1] - v[i];
    else fall += v[i] - v[i + 1];
  }
  g.growth = (int64_t)(v[n - 1] - v[f + 1]);
  g.grows = v[n - 1] > v[n - 2] && up * 3 >= steps * 2 && fall * 10 <= rise &&
            v[n - 1] >= v[f + 1] + min;
  return g;
}

/* A class's growth counts when it is at least a tenth of what the class
 * had after warm-up, or large in itself (lazy compilation and caches of a
 * live process drift by a few percent; a leak grows by its own size). */
#define MIN_CLASS_BYTES (1u << 20)
#define MIN_CLASS_COUNT 10000
static int class_counts(const uint64_t *v, size_t n, int64_t gain,
                        uint64_t big, int metadata) {
  uint64_t base = n >= 2 ? v[1] : 0;
  return (uint64_t)gain >= big || (!metadata && (uint64_t)gain * 10 >= base);
}

/* V8's own bookkeeping classes: maps, dependent-code lists, feedback, code.
 * They grow for minutes in a healthy process while the JIT optimises more
 * code (each optimised function adds itself to the dependent-code list of
 * every map it relies on), so only large growth counts for them; a leak in
 * them shows as one growing object (V8's retained_maps list), and a leak of
 * the program's objects as its own classes. */
static int metadata_class(const char *name) {
  return !strcmp(name, "(system)") || !strcmp(name, "(object shape)") ||
         !strcmp(name, "(compiled code)");
}

/* ---- suspects ------------------------------------------------------------ */

typedef struct {
  ls_suspect s;
  int retained_only; /* only the retained size grows: a holder's symptom */
  int storage;       /* a hidden/array object (a container's storage) */
  int drop;
  int holder;        /* the nearest object suspect on another's path */
  long leader;       /* index into the candidate list, -1 = leads */
  const uint64_t *dom; /* dominator ids in the newest heap (not owned) */
  size_t ndom;
  uint64_t holder_id;  /* classes: the object dominating most instances */
} cand;

static int path_has(const ls_path_step *p, size_t n, uint64_t id) {
  for (size_t i = 0; i + 1 < n; i++) /* the last step is the suspect */
    if (p[i].id == id) return 1;
  return 0;
}

/* Last value minus the one after the first (warm-up) step, counting from
 * the first snapshot that has the object. */
static int64_t gain_after_warmup(const uint64_t *v, size_t n) {
  size_t f = 0;
  while (f < n && v[f] == ABSENT) f++;
  if (f + 2 > n) return 0;
  return (int64_t)(v[n - 1] - v[f + 1]);
}

/* Does the object `id` dominate the suspect (hold it alone)? Then its
 * retained size grows because the suspect does. */
static int dominates(uint64_t id, const cand *b) {
  for (size_t i = 0; i < b->ndom; i++)
    if (b->dom[i] == id) return 1;
  return 0;
}

static uint64_t *permute(const uint64_t *v, const size_t *order, size_t n) {
  uint64_t *out = malloc(n * sizeof *out);
  if (out)
    for (size_t i = 0; i < n; i++) out[i] = v[order[i]];
  return out;
}

static int cand_rank(const void *a, const void *b) {
  const cand *x = *(cand *const *)a, *y = *(cand *const *)b;
  if (x->s.growth_bytes != y->s.growth_bytes)
    return x->s.growth_bytes > y->s.growth_bytes ? -1 : 1;
  if (x->s.growth_count != y->s.growth_count)
    return x->s.growth_count > y->s.growth_count ? -1 : 1;
  return strcmp(x->s.name, y->s.name);
}

static void suspect_free(ls_suspect *s) {
  values_free(s->path_values, s->path_len);
  free(s->name);
  free(s->sizes);
  free(s->retained);
  free(s->counts);
  ls__path_steps_free(s->path, s->path_len, 1);
}

static ls_status find_suspects(trend_ctx *c, const size_t *order,
                               size_t max_suspects, ls_trend *t) {
  const size_t n = c->n;
  size_t cap = c->nobj + c->ncls, nc = 0;
  cand *cs = calloc(cap ? cap : 1, sizeof *cs);
  if (!cs) return nomem(c);
  ls_status st = LS_OK;
  for (size_t i = 0; i < c->nobj + c->ncls && st == LS_OK; i++) {
    int is_obj = i < c->nobj;
    const oseries *o = is_obj ? &c->obj[i] : NULL;
    const cseries *k = is_obj ? NULL : &c->cls[i - c->nobj];
    uint64_t *a = permute(is_obj ? o->self : k->self, order, n);
    uint64_t *r = permute(is_obj ? o->ret : k->ret, order, n);
    uint64_t *e = permute(is_obj ? o->edges : k->count, order, n);
    if (!a || !r || !e) {
      free(a), free(r), free(e);
      st = nomem(c);
      break;
    }
    if (!is_obj) /* a class missing from a snapshot has no instances */
      for (size_t j = 0; j < n; j++)
        if (a[j] == ABSENT) a[j] = r[j] = e[j] = 0;
    growth ga = judge(a, n, MIN_BYTES), gr = judge(r, n, MIN_BYTES),
           ge = judge(e, n, is_obj ? MIN_EDGES : MIN_COUNT);
    if (!is_obj) { /* a class is many objects: a little drift is noise */
      int md = metadata_class(k->name);
      ga.grows = ga.grows && class_counts(a, n, ga.growth, MIN_CLASS_BYTES, md);
      gr.grows = gr.grows && class_counts(r, n, gr.growth, MIN_CLASS_BYTES, md);
      ge.grows = ge.grows && class_counts(e, n, ge.growth, MIN_CLASS_COUNT, md);
    }
    if (!ga.grows && !gr.grows && !ge.grows) {
      free(a), free(r), free(e);
      continue;
    }
    cand *x = &cs[nc++];
    x->leader = -1;
    x->s.kind = is_obj ? LS_SUSPECT_OBJECT : LS_SUSPECT_CLASS;
    x->s.id = is_obj ? o->id : 0;
    x->s.name = strdup(is_obj ? o->name : k->name);
    x->s.sizes = a;
    x->s.retained = r;
    x->s.counts = e;
    x->s.metric = ge.grows ? (is_obj ? "edges" : "count")
                  : ga.grows ? "self_size" : "retained_size";
    x->s.growth_bytes = gr.grows ? gr.growth : ga.growth;
    if (ga.grows && ga.growth > x->s.growth_bytes) x->s.growth_bytes = ga.growth;
    x->s.growth_count = ge.growth;
    x->retained_only = gr.grows && !ga.grows && !ge.grows;
    x->storage = is_obj && o->storage;
    x->dom = is_obj ? o->dom : k->dom;
    x->ndom = is_obj ? o->ndom : k->ndom;
    x->holder_id = is_obj ? 0 : k->holder_id;
    x->s.group = -1;
    const ls_path_step *p = is_obj ? o->path : k->path;
    size_t pl = is_obj ? o->path_len : k->path_len;
    x->s.path = calloc(pl ? pl : 1, sizeof *x->s.path);
    if (!x->s.name || !x->s.path) {
      st = nomem(c);
      break;
    }
    for (size_t j = 0; j < pl && st == LS_OK; j++) {
      if (ls__path_step_copy(&x->s.path[j], &p[j])) st = nomem(c);
      x->s.path_len = j + 1;
    }
    int fail = 0;
    if (st == LS_OK)
      x->s.path_values = values_copy(is_obj ? o->vals : k->vals, pl, &fail);
    if (fail) st = nomem(c);
  }

  /* Grouping. Every suspect joins the nearest object suspect on its path:
   * the container that holds it (a Map, an Array, an emitter's listener
   * list), which then leads even when only its retained size grows.
   * Objects further up whose retained size grows only because of what
   * they hold (the global object, a module's exports) are symptoms and are
   * dropped; a class that only retains more is dropped when an object of
   * that class leads. */
  for (size_t a = 0; a < nc; a++)
    if (cs[a].s.kind == LS_SUSPECT_CLASS && cs[a].retained_only)
      for (size_t b = 0; b < nc; b++)
        if (cs[b].s.kind == LS_SUSPECT_OBJECT && !cs[b].drop &&
            !strcmp(cs[b].s.name, cs[a].s.name))
          cs[a].drop = 1;
  /* a class that only retains more because its newest instance alone holds
   * a suspect that really grows is that suspect's symptom: the callback
   * running while the snapshot is written (an Immediate, a promise
   * reaction) holds the program's closures and so its caches */
  for (size_t a = 0; a < nc; a++) {
    if (cs[a].drop || cs[a].s.kind != LS_SUSPECT_CLASS ||
        !cs[a].retained_only || !cs[a].s.path_len)
      continue;
    uint64_t inst = cs[a].s.path[cs[a].s.path_len - 1].id;
    for (size_t b = 0; b < nc && !cs[a].drop; b++)
      if (b != a && !cs[b].drop && !cs[b].retained_only &&
          dominates(inst, &cs[b]))
        cs[a].drop = 1;
  }
  /* a class that grows in size because one object of it does (V8's
   * retained_maps list is one "(system)" object) is explained by it */
  for (size_t b = 0; b < nc; b++) {
    if (cs[b].drop || cs[b].s.kind != LS_SUSPECT_CLASS ||
        strcmp(cs[b].s.metric, "self_size"))
      continue;
    int64_t cg = gain_after_warmup(cs[b].s.sizes, n);
    for (size_t a = 0; a < nc; a++)
      if (cs[a].s.kind == LS_SUSPECT_OBJECT && !cs[a].drop &&
          !strcmp(cs[a].s.name, cs[b].s.name) &&
          gain_after_warmup(cs[a].s.sizes, n) * 5 >= cg * 4) {
        cs[b].leader = (long)a;
        break;
      }
  }
  /* a class joins the object that dominates most of its instances, when
   * that object is a suspect (the global object itself never holds: it is
   * everyone's ancestor) */
  for (size_t b = 0; b < nc; b++) {
    if (cs[b].drop || cs[b].leader >= 0 || !cs[b].holder_id) continue;
    for (size_t a = 0; a < nc; a++)
      if (cs[a].s.kind == LS_SUSPECT_OBJECT && !cs[a].drop &&
          cs[a].s.id == cs[b].holder_id &&
          !(cs[a].retained_only && cs[a].s.path_len <= 1)) {
        cs[b].leader = (long)a;
        if (cs[a].retained_only) cs[a].holder = 1;
        break;
      }
  }
  for (size_t b = 0; b < nc; b++) {
    if (cs[b].drop || cs[b].leader >= 0) continue;
    const ls_suspect *B = &cs[b].s;
    /* what a container holds: instances of a class, or storage (a hidden
     * or array object) that grows in references */
    const int held = B->kind == LS_SUSPECT_CLASS ||
                     (cs[b].storage && !strcmp(B->metric, "edges"));
    /* a class's path ends at an instance, which may lead itself */
    size_t top = B->kind == LS_SUSPECT_CLASS ? B->path_len
                 : B->path_len >= 1          ? B->path_len - 1
                                             : 0;
    for (size_t j = top; j-- > 0 && cs[b].leader < 0;) {
      for (size_t a = 0; a < nc; a++) {
        if (a == b || cs[a].s.kind != LS_SUSPECT_OBJECT ||
            B->path[j].id != cs[a].s.id)
          continue;
        /* a container whose retained size grows because of what it holds:
         * any container of a class's instances, only the direct owner of
         * growing storage (a Map of its table, an Array of its elements) */
        if (cs[a].retained_only &&
            (!held || (B->kind != LS_SUSPECT_CLASS && j + 2 != B->path_len) ||
             cs[a].s.path_len <= 1))
          break; /* a symptom: look higher */
        cs[b].leader = (long)a;
        if (cs[a].retained_only) cs[a].holder = 1;
        break;
      }
    }
  }
  for (size_t b = 0; b < nc; b++) {
    const ls_suspect *B = &cs[b].s;
    for (size_t a = 0; a < nc; a++)
      if (a != b && cs[a].retained_only && !cs[a].holder &&
          cs[a].s.kind == LS_SUSPECT_OBJECT &&
          (path_has(B->path, B->path_len, cs[a].s.id) ||
           dominates(cs[a].s.id, &cs[b])))
        cs[a].drop = 1;
  }
  for (size_t b = 0; b < nc; b++) /* members of dropped leaders move up */
    while (cs[b].leader >= 0 && cs[cs[b].leader].drop)
      cs[b].leader = cs[cs[b].leader].leader;
  for (size_t b = 0; b < nc; b++) { /* flatten chains to their top */
    long l = cs[b].leader, hops = 0;
    while (l >= 0 && cs[l].leader >= 0 && hops++ < (long)nc) l = cs[l].leader;
    cs[b].leader = l;
  }

  /* Order: leaders by growth, each followed by its members. */
  cand **lead = malloc((nc ? nc : 1) * sizeof *lead);
  cand **mem = malloc((nc ? nc : 1) * sizeof *mem);
  t->suspects = calloc(nc ? nc : 1, sizeof *t->suspects);
  if (st == LS_OK && (!lead || !mem || !t->suspects)) st = nomem(c);
  size_t nl = 0;
  if (st == LS_OK) {
    for (size_t i = 0; i < nc; i++)
      if (!cs[i].drop && cs[i].leader < 0) lead[nl++] = &cs[i];
    qsort(lead, nl, sizeof *lead, cand_rank);
    if (max_suspects && nl > max_suspects) nl = max_suspects;
    for (size_t li = 0; li < nl; li++) {
      cand *L = lead[li];
      size_t at = t->suspect_count++;
      t->suspects[at] = L->s;
      t->suspects[at].group = -1;
      memset(&L->s, 0, sizeof L->s); /* moved */
      size_t nm = 0;
      for (size_t i = 0; i < nc; i++)
        if (!cs[i].drop && cs[i].leader == L - cs) mem[nm++] = &cs[i];
      qsort(mem, nm, sizeof *mem, cand_rank);
      for (size_t m = 0; m < nm && m < MAX_MEMBERS; m++) {
        size_t k = t->suspect_count++;
        t->suspects[k] = mem[m]->s;
        t->suspects[k].group = (long)at;
        memset(&mem[m]->s, 0, sizeof mem[m]->s);
      }
    }
    for (size_t i = 0; i < t->suspect_count; i++)
      t->suspects[i].known = ls__known_match(&t->suspects[i]);
    t->leak = t->suspect_count > 0;
  }
  for (size_t i = 0; i < nc; i++) suspect_free(&cs[i].s);
  free(cs);
  free(lead);
  free(mem);
  return st;
}

/* ---- driver --------------------------------------------------------------- */

static void rows_free(ls_class_row *rows, size_t n) {
  if (!rows) return;
  for (size_t i = 0; i < n; i++) {
    free((char *)rows[i].name);
    free((char *)rows[i].location);
  }
  free(rows);
}

static void ctx_free(trend_ctx *c) {
  for (size_t i = 0; i < c->ncls; i++) {
    free(c->cls[i].name);
    free(c->cls[i].count);
    free(c->cls[i].self);
    free(c->cls[i].ret);
    values_free(c->cls[i].vals, c->cls[i].path_len);
    ls__path_steps_free(c->cls[i].path, c->cls[i].path_len, 1);
    free(c->cls[i].dom);
  }
  free(c->cls);
  free(c->cslots);
  for (size_t i = 0; i < c->nobj; i++) {
    free(c->obj[i].name);
    free(c->obj[i].self);
    free(c->obj[i].ret);
    free(c->obj[i].edges);
    values_free(c->obj[i].vals, c->obj[i].path_len);
    ls__path_steps_free(c->obj[i].path, c->obj[i].path_len, 1);
    free(c->obj[i].dom);
    free(c->obj[i].via_edge);
  }
  free(c->obj);
  free(c->oslots);
  free(c->pslots);
  rows_free(c->rows, c->nrows);
}

typedef struct {
  const char *path;
  double mtime;
  size_t slot;
} guess;

/* Natural order: digit runs compare as numbers ("snap-9" < "snap-10"). */
static int natural_cmp(const char *a, const char *b) {
  while (*a && *b) {
    if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
      while (*a == '0') a++;
      while (*b == '0') b++;
      size_t la = 0, lb = 0;
      while (a[la] >= '0' && a[la] <= '9') la++;
      while (b[lb] >= '0' && b[lb] <= '9') lb++;
      if (la != lb) return la < lb ? -1 : 1;
      int c = strncmp(a, b, la);
      if (c) return c;
      a += la;
      b += lb;
    } else {
      if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
      a++, b++;
    }
  }
  return (unsigned char)*a - (unsigned char)*b;
}

static int guess_cmp(const void *x, const void *y) {
  const guess *a = x, *b = y;
  if (a->mtime != b->mtime) return a->mtime < b->mtime ? -1 : 1;
  return natural_cmp(a->path, b->path);
}

static const ls_trend_snapshot *sort_snaps;
static int slot_cmp(const void *x, const void *y) {
  const ls_trend_snapshot *a = &sort_snaps[*(const size_t *)x],
                          *b = &sort_snaps[*(const size_t *)y];
  if (a->max_node_id != b->max_node_id)
    return a->max_node_id < b->max_node_id ? -1 : 1;
  return natural_cmp(a->path, b->path);
}

/* One pass over the files in `proc` order (newest guess first). Sets *redo
 * when the first file was not the newest. */
static ls_status run_pass(trend_ctx *c, const guess *proc,
                          const ls_trend_options *o, int *redo) {
  ls_heap_options ho;
  memset(&ho, 0, sizeof ho);
  ho.raw_sizes = 1;     /* V8's own per-object sizes: see README */
  ho.no_distances = 1;
  ho.progress = o ? o->progress : NULL;
  ho.progress_ctx = o ? o->progress_ctx : NULL;
  *redo = 0;
  for (size_t i = 0; i < c->n; i++) {
    if (ho.progress) ho.progress(ho.progress_ctx, "snapshot", i + 1, c->n);
    ls_heap *h = NULL;
    ls_status st = ls_heap_load(proc[i].path, &ho, &h, c->err);
    if (st != LS_OK) {
      /* the message names the file (and the byte), since a series has
       * many; err->offset stays for programs */
      if (c->err) {
        char msg[sizeof c->err->message];
        if (c->err->offset != LS_NO_OFFSET)
          snprintf(msg, sizeof msg, "%.200s: byte %llu: %.280s", proc[i].path,
                   (unsigned long long)c->err->offset, c->err->message);
        else
          snprintf(msg, sizeof msg, "%.200s: %.300s", proc[i].path,
                   c->err->message);
        memcpy(c->err->message, msg, sizeof msg);
      }
      return st;
    }
    st = record(c, h, proc[i].slot, i == 0);
    ls_heap_free(h);
    if (st != LS_OK) return st;
    /* the candidates came from an older snapshot than this one */
    if (c->snaps[proc[i].slot].max_node_id > c->snaps[proc[0].slot].max_node_id)
      *redo = 1;
  }
  return LS_OK;
}

ls_status ls_trend_build(const char *const *paths, size_t n,
                         const ls_trend_options *opts, ls_trend **out,
                         ls_error *err) {
  if (!paths || !out)
    return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls_trend_build: NULL argument");
  *out = NULL;
  if (n < 3)
    return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "a trend needs at least 3 snapshots of one process "
                         "(got %zu); to compare two, use 'leakscope diff'",
                         n);
  ls_status st = LS_OK;
  guess *g = calloc(n, sizeof *g);
  ls_trend *t = calloc(1, sizeof *t);
  size_t *order = calloc(n, sizeof *order);
  trend_ctx c;
  memset(&c, 0, sizeof c);
  c.n = n;
  c.err = err;
  c.string_values = opts && opts->string_values;
  c.keep_classes = opts && opts->newest_classes;
  c.snaps = calloc(n, sizeof *c.snaps);
  if (!g || !t || !order || !c.snaps) {
    st = nomem(&c);
    goto out;
  }
  for (size_t i = 0; i < n; i++) {
    struct stat sb;
    g[i].path = paths[i];
    g[i].slot = i;
    g[i].mtime = stat(paths[i], &sb) == 0
                     ? (double)sb.st_mtim.tv_sec + sb.st_mtim.tv_nsec / 1e9
                     : 0;
    c.snaps[i].mtime = g[i].mtime;
    if (!(c.snaps[i].path = strdup(paths[i]))) {
      st = nomem(&c);
      goto out;
    }
  }
  qsort(g, n, sizeof *g, guess_cmp);
  /* newest guess first */
  for (size_t i = 0; i < n / 2; i++) {
    guess tmp = g[i];
    g[i] = g[n - 1 - i];
    g[n - 1 - i] = tmp;
  }
  int redo = 0;
  st = run_pass(&c, g, opts, &redo);
  if (st == LS_OK && redo) {
    /* every file has been read once, so their order is known now: start
     * again from the newest (the series are rebuilt from scratch) */
    for (size_t i = 0; i < n; i++) order[i] = i;
    sort_snaps = c.snaps;
    qsort(order, n, sizeof *order, slot_cmp);
    for (size_t i = 0; i < n; i++) {
      g[i].slot = order[n - 1 - i];
      g[i].path = paths[g[i].slot];
    }
    ls_trend_snapshot *keep = c.snaps;
    c.snaps = NULL;
    ctx_free(&c);
    memset(&c, 0, sizeof c);
    c.n = n;
    c.err = err;
    c.string_values = opts && opts->string_values;
    c.keep_classes = opts && opts->newest_classes;
    c.snaps = keep;
    st = run_pass(&c, g, opts, &redo);
  }
  if (st != LS_OK) goto out;

  for (size_t i = 0; i < n; i++) order[i] = i;
  sort_snaps = c.snaps;
  qsort(order, n, sizeof *order, slot_cmp);
  t->snapshot_count = n;
  t->snapshots = calloc(n, sizeof *t->snapshots);
  if (!t->snapshots) {
    st = nomem(&c);
    goto out;
  }
  for (size_t i = 0; i < n; i++) {
    t->snapshots[i] = c.snaps[order[i]];
    c.snaps[order[i]].path = NULL; /* moved */
  }
  for (size_t i = 1; i < n; i++)
    if (t->snapshots[i].max_node_id == t->snapshots[i - 1].max_node_id) {
      st = ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "%s and %s have the same largest node id: the same "
                         "snapshot twice? (expected snapshots taken at "
                         "different times)",
                         t->snapshots[i - 1].path, t->snapshots[i].path);
      goto out;
    }
  st = find_suspects(&c, order, opts && opts->max_suspects ? opts->max_suspects : 20, t);
  if (st == LS_OK) { /* moved */
    t->classes = c.rows;
    t->class_count = c.nrows;
    c.rows = NULL;
    c.nrows = 0;
  }
out:
  if (c.snaps)
    for (size_t i = 0; i < n; i++) free(c.snaps[i].path);
  free(c.snaps);
  ctx_free(&c);
  free(g);
  free(order);
  if (st != LS_OK) {
    ls_trend_free(t);
    return st;
  }
  *out = t;
  return LS_OK;
}

void ls_trend_free(ls_trend *t) {
  if (!t) return;
  for (size_t i = 0; i < t->snapshot_count; i++) free(t->snapshots[i].path);
  free(t->snapshots);
  for (size_t i = 0; i < t->suspect_count; i++) suspect_free(&t->suspects[i]);
  free(t->suspects);
  rows_free(t->classes, t->class_count);
  free(t);
}
