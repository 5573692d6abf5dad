/*
 * Every series of the store through the growth rule (rule.c), each with
 * the floor of its kind: what growth is worth a report for one object, for
 * a class of many, and for V8's own bookkeeping.
 */
#include <stdlib.h>
#include <string.h>

#include "../alloc.h"
#include "trend_int.h"

#define MIN_BYTES 65536   /* growth that counts, in bytes */
#define MIN_EDGES 256     /* ... in outgoing edges (or used slots) of one object */
#define MIN_COUNT 256     /* ... in instances of a class */
/* A known runtime leak's signature is certain by its identity, so much
 * less growth counts: each signature has its own floors (known.c) */
/* A class's growth counts when it is at least a tenth of what the class
 * had at first, or large in itself: a live process's classes drift by a few
 * percent (lazy compilation, caches); a leak grows by its own size. */
#define MIN_CLASS_BYTES (1u << 20)
#define MIN_CLASS_COUNT 10000

/* V8's own bookkeeping classes: maps, dependent-code lists, feedback, code,
 * and the internal arrays that back every container (they follow their
 * owners, whose own classes show a leak).
 * They grow for minutes in a healthy process while the JIT optimises more
 * code (each optimised function adds itself to the dependent-code list of
 * every map it relies on), so only large growth counts for them; a leak in
 * them shows as one growing object (V8's retained_maps list), and a leak of
 * the program's objects as its own classes. The embedder's nodes
 * ("(synthetic)": Node's native handles, wraps and parsers) come and go
 * with the I/O in flight, and a program that keeps them keeps their JS
 * objects (a Socket, a Timeout), which are its own classes. */
static int metadata_class(const char *name) {
  return !strcmp(name, "(system)") || !strcmp(name, "(object shape)") ||
         !strcmp(name, "(compiled code)") || !strcmp(name, "(array)") ||
         !strcmp(name, "(synthetic)");
}

static uint64_t *permute(const uint64_t *v, const size_t *order, size_t n) {
  uint64_t *out = malloc(n * sizeof *out);
  if (out)
    for (size_t i = 0; i < n; i++) out[i] = v[order[i]];
  return out;
}

/* A class's floor: a tenth of its first value (at least `min`), or `big`. */
static uint64_t class_floor(const uint64_t *v, size_t n, uint64_t min,
                            uint64_t big, int metadata) {
  if (metadata) return big;
  uint64_t base = 0;
  for (size_t i = 0; i < n && !base; i++)
    if (v[i] != LS__ABSENT) base = v[i];
  uint64_t f = base / 10 > min ? base / 10 : min;
  return f < big ? f : big;
}

/* The new instances account for at least half of the retained growth, at
 * what an instance retained in the newest snapshot. */
static int explained_by_count(const uint64_t *count, const uint64_t *ret, size_t n,
                              int64_t count_growth, int64_t ret_growth) {
  if (!n || !count[n - 1] || count[n - 1] == LS__ABSENT || ret[n - 1] == LS__ABSENT) return 0;
  const double each = (double)ret[n - 1] / (double)count[n - 1];
  return 2.0 * (double)count_growth * each >= (double)ret_growth;
}

void ls__suspect_free(ls_suspect *s) {
  ls__values_free(s->path_values, s->path_len);
  free(s->name);
  free(s->sizes);
  free(s->retained);
  free(s->counts);
  free(s->used);
  ls__path_steps_free(s->path, s->path_len, 1);
  ls__allocations_free(&s->alloc);
  memset(s, 0, sizeof *s);
}

void ls__judged_free(ls__judged *j) {
  for (size_t i = 0; i < j->nleak; i++) ls__suspect_free(&j->leak[i].s);
  for (size_t i = 0; i < j->nunsure; i++) ls__suspect_free(&j->unsure[i].s);
  free(j->leak);
  free(j->unsure);
  memset(j, 0, sizeof *j);
}

enum { M_SELF, M_RET, M_EDGES, M_USED, M_N };

/* Storage of a fixed size that is filling up: an array node whose own
 * size (its capacity) is the same in every snapshot while its entries
 * (edges) grow, with room left. Storage that grows without bound is
 * reallocated bigger as it fills (a new capacity; between two steps it is
 * at least two thirds full), so one that started under half full is a
 * cache that set its room aside in advance (lru-cache's `max`): bounded, and
 * what it holds grows only until it is full. The ids of such storage and
 * of their owners are collected, with how many more snapshots would fill
 * them at the pace so far. */
typedef struct {
  uint64_t *ids; /* storage and owner ids */
  char *full;    /* per id: the storage is full (0: room left) */
  size_t n;
  uint64_t *cache; /* the owners' holders (the cache objects) */
  char *cfull;
  size_t nc;
  size_t more;   /* snapshots until the slowest of them is full */
  const ls__oseries **st; /* the storage itself, with what it grew by */
  const char **sowner;    /* its owner's class (NULL: not a candidate) */
  int64_t *sgrow;
  char *sfull;
  size_t ns;
} filling;

/* 0: not in fixed storage; 1: filling it; 2: it is full */
static int filling_has(const filling *f, uint64_t id) {
  for (size_t i = 0; id && i < f->n; i++)
    if (f->ids[i] == id) return f->full[i] ? 2 : 1;
  return 0;
}

/* An object held directly by a cache object that owns fixed storage (a
 * sibling of that storage's owner: lru-cache's key map beside its value
 * list) fills with it. */
static void filling_free(filling *f) {
  free(f->ids);
  free(f->full);
  free(f->cache);
  free(f->cfull);
  free(f->st);
  free(f->sowner);
  free(f->sgrow);
  free(f->sfull);
}

static int filling_sibling(const filling *f, const ls_path_step *path, size_t len) {
  if (len < 2) return 0;
  for (size_t i = 0; i < f->nc; i++)
    if (f->cache[i] == path[len - 2].id) return f->cfull[i] ? 2 : 1;
  return 0;
}

/* An object above fixed storage (the cache object, the closure or module
 * that keeps the cache): when only what it retains grows (`retained_only`),
 * by no more than the storage it dominates grew (ABOVE_SLACK for the
 * entries' own bookkeeping), it fills with that storage. */
#define ABOVE_SLACK 1.25
static int filling_above(const filling *f, uint64_t id, int64_t growth, int retained_only) {
  if (!retained_only || !id || growth <= 0) return 0;
  int64_t sum = 0;
  int full = 1;
  for (size_t i = 0; i < f->ns; i++)
    for (size_t d = 0; d < f->st[i]->ndom; d++)
      if (f->st[i]->dom[d] == id) {
        sum += f->sgrow[i];
        full &= f->sfull[i];
        break;
      }
  if (sum <= 0 || (double)growth > ABOVE_SLACK * (double)sum) return 0;
  return full ? 2 : 1;
}

/* A class whose instances own fixed storage (the cache's arrays), when
 * only what it retains grows, by no more than that storage grew. */
static int filling_class(const filling *f, const char *name, int64_t growth,
                         int retained_only) {
  if (!retained_only || growth <= 0) return 0;
  int64_t sum = 0;
  int full = 1;
  for (size_t i = 0; i < f->ns; i++)
    if (f->sowner[i] && !strcmp(f->sowner[i], name)) {
      sum += f->sgrow[i];
      full &= f->sfull[i];
    }
  if (sum <= 0 || (double)growth > ABOVE_SLACK * (double)sum) return 0;
  return full ? 2 : 1;
}

/* How an object (o) or a class (k) stands to fixed storage: 0 not at all,
 * 1 it fills it, 2 it is full. */
static int fill_state(const filling *f, const ls__oseries *o, const ls__cseries *k,
                      int64_t growth, int retained_only) {
  int x;
  if (o) {
    if ((x = filling_has(f, o->id)) || (x = filling_sibling(f, o->path, o->path_len)))
      return x;
    return filling_above(f, o->id, growth, retained_only);
  }
  if ((x = filling_has(f, k->holder_id)) ||
      (x = filling_above(f, k->holder_id, growth, retained_only)))
    return x;
  return filling_class(f, k->name, growth, retained_only);
}

#define FULL_SHARE 0.95    /* entries / slots of a full fixed store */
#define START_SHARE 0.5    /* ... of one that was set aside, at first */
#define FILL_MIN_SLOTS 256 /* smaller fixed storage is no cache */

static void find_filling(const ls__store *c, const size_t *order, filling *f) {
  const size_t n = c->n;
  f->ids = malloc((2 * c->nobj + 1) * sizeof *f->ids);
  f->full = malloc(2 * c->nobj + 1);
  f->cache = malloc((c->nobj + 1) * sizeof *f->cache);
  f->cfull = malloc(c->nobj + 1);
  f->st = malloc((c->nobj + 1) * sizeof *f->st);
  f->sowner = malloc((c->nobj + 1) * sizeof *f->sowner);
  f->sgrow = malloc((c->nobj + 1) * sizeof *f->sgrow);
  f->sfull = malloc(c->nobj + 1);
  if (!f->ids || !f->full || !f->cache || !f->cfull || !f->st || !f->sowner || !f->sgrow ||
      !f->sfull) {
    filling_free(f);
    memset(f, 0, sizeof *f);
    return;
  }
  for (size_t i = 0; i < c->nobj; i++) {
    const ls__oseries *o = &c->obj[i];
    if (!o->storage || o->hidden) continue;
    /* a hash table (a Map's or Set's `table`, a dictionary's `properties`)
     * is rehashed bigger when full and holds a few edges per entry in many
     * slots, so it always looks half empty: no program sets its room aside */
    const char *by = o->path_len ? o->path[o->path_len - 1].edge : NULL;
    if (by && (!strcmp(by, "table") || !strcmp(by, "properties"))) continue;
    uint64_t cap = LS__ABSENT, e0 = LS__ABSENT, e1 = LS__ABSENT;
    uint64_t r0 = LS__ABSENT, r1 = LS__ABSENT;
    size_t present = 0, grew = 0;
    int fixed = 1;
    for (size_t j = 0; j < n && fixed; j++) {
      uint64_t sz = o->self[order[j]], ed = o->edges[order[j]];
      if (sz == LS__ABSENT) continue;
      if (cap == LS__ABSENT) cap = sz, e0 = ed, r0 = o->ret[order[j]];
      fixed = sz == cap;
      r1 = o->ret[order[j]];
      if (present && ed > e1) grew++;
      e1 = ed;
      present++;
    }
    /* tagged slots after a two-word header */
    const uint64_t slots = cap == LS__ABSENT || cap < 16 ? 0 : (cap - 16) / 8;
    /* an array that grows by reallocation is at least two thirds full
     * after each step (V8 grows it by half), so one that started under
     * half full had its room set aside */
    if (!fixed || present < LS_TREND_MIN_SNAPSHOTS || e1 <= e0 || e1 > slots ||
        slots < FILL_MIN_SLOTS || (double)e0 >= START_SHARE * (double)slots)
      continue;
    const int full = (double)e1 >= FULL_SHARE * (double)slots;
    if (!full && grew * 2 < present) continue;
    if (!full) {
      size_t more = (size_t)((double)(slots - e1) /
                             ((double)(e1 - e0) / (double)(present - 1))) + 1;
      if (more > f->more) f->more = more;
    }
    uint64_t owner = o->via_parent ? o->via_parent
                     : o->path_len >= 2 ? o->path[o->path_len - 2].id : 0;
    /* what it grew by: V8 hangs an array's entries on the array object
     * (its owner), not on the storage, so the owner's retained size when
     * it is a candidate too */
    f->sowner[f->ns] = NULL;
    for (size_t q = 0; owner && q < c->nobj; q++)
      if (c->obj[q].id == owner && !c->obj[q].via_edge) {
        f->sowner[f->ns] = c->obj[q].name;
        r0 = r1 = LS__ABSENT;
        for (size_t j = 0; j < n; j++)
          if (c->obj[q].ret[order[j]] != LS__ABSENT) {
            if (r0 == LS__ABSENT) r0 = c->obj[q].ret[order[j]];
            r1 = c->obj[q].ret[order[j]];
          }
        break;
      }
    f->st[f->ns] = o;
    f->sgrow[f->ns] = r0 == LS__ABSENT || r1 == LS__ABSENT || r1 < r0 ? 0 : (int64_t)(r1 - r0);
    f->sfull[f->ns++] = (char)full;
    f->full[f->n] = (char)full;
    f->ids[f->n++] = o->id;
    if (owner) f->full[f->n] = (char)full, f->ids[f->n++] = owner;
    /* the owner's holder, when the owner is a JS array it keeps (a field) */
    const ls_path_step *p = o->path;
    size_t l = o->path_len;
    if (o->via_parent && l >= 3 && p[l - 2].id == owner)
      f->cfull[f->nc] = (char)full, f->cache[f->nc++] = p[l - 3].id;
  }
}

ls_status ls__judge_all(ls__store *c, const size_t *order, const double *w,
                        ls__judged *out) {
  const size_t n = c->n, total = c->nobj + c->ncls;
  /* the newest snapshot's Node.js version decides which known leaks apply */
  const char *version = n ? c->snaps[order[n - 1]].node_version : "";
  memset(out, 0, sizeof *out);
  out->leak = calloc(total ? total : 1, sizeof *out->leak);
  out->unsure = calloc(total ? total : 1, sizeof *out->unsure);
  if (!out->leak || !out->unsure) {
    ls__judged_free(out);
    return ls__store_nomem(c);
  }
  filling fill;
  memset(&fill, 0, sizeof fill);
  find_filling(c, order, &fill);
  /* per object: the growth of what it retains and its verdict (for the
   * classes, judged after them) */
  int64_t *ogrowth = calloc(c->nobj ? c->nobj : 1, sizeof *ogrowth);
  ls__rule_verdict *overdict = calloc(c->nobj ? c->nobj : 1, sizeof *overdict);
  if (!ogrowth || !overdict) {
    free(ogrowth), free(overdict);
    filling_free(&fill);
    ls__judged_free(out);
    return ls__store_nomem(c);
  }
  for (size_t i = 0; i < total; i++) {
    const int is_obj = i < c->nobj;
    const ls__oseries *o = is_obj ? &c->obj[i] : NULL;
    const ls__cseries *k = is_obj ? NULL : &c->cls[i - c->nobj];
    uint64_t *v[M_N] = {
        permute(is_obj ? o->self : k->self, order, n),
        permute(is_obj ? o->ret : k->ret, order, n),
        permute(is_obj ? o->edges : k->count, order, n),
        is_obj && o->used ? permute(o->used, order, n) : NULL};
    if (!v[M_SELF] || !v[M_RET] || !v[M_EDGES] || (is_obj && o->used && !v[M_USED])) {
      for (int m = 0; m < M_N; m++) free(v[m]);
      filling_free(&fill);
      free(ogrowth), free(overdict);
      ls__judged_free(out);
      return ls__store_nomem(c);
    }
    if (!is_obj) /* a class missing from a snapshot has no instances */
      for (size_t j = 0; j < n; j++)
        if (v[M_SELF][j] == LS__ABSENT) v[M_SELF][j] = v[M_RET][j] = v[M_EDGES][j] = 0;
    const ls_path_step *path = is_obj ? o->path : k->path;
    const size_t plen = is_obj ? o->path_len : k->path_len;
    ls__known_match km;
    const ls_known_leak *known =
        ls__known_identity(is_obj ? LS_SUSPECT_OBJECT : LS_SUSPECT_CLASS, path, plen,
                           version, &km);
    const unsigned known_metrics = km.metrics;
    /* on a version with the fix it is judged as the program's own */
    const ls_known_leak *resembles = km.applies ? NULL : known;
    if (!km.applies) known = NULL;
    /* V8's internal objects (hidden nodes: dependent-code lists, feedback,
     * descriptor arrays) are its bookkeeping, which grows for minutes while
     * the JIT works; only a known runtime leak's signature is judged there
     * (a program's own containers are JS objects and array storage) */
    if (is_obj && o->hidden && !known) {
      for (int m = 0; m < M_N; m++) free(v[m]);
      continue;
    }
    static const ls_metric as_metric[M_N] = {LS_METRIC_SELF_SIZE, LS_METRIC_RETAINED_SIZE,
                                             LS_METRIC_EDGES, LS_METRIC_USED};
    ls__rule_out r[M_N];
    memset(r, 0, sizeof r);
    for (int m = 0; m < M_N; m++) {
      /* the used part is judged only for a known signature: V8 lets weak
       * lists (a map's dependent code) fill up to their capacity before it
       * compacts them, so their used part rises for a long time in any
       * healthy process; a strong container shows its use in its edges */
      if (!v[m] || (m == M_USED && !(known && (known_metrics & (1u << LS_METRIC_USED)))))
        continue;
      ls__rule_in in = {v[m], w, n, 0, 0};
      const ls_metric metric = !is_obj && m == M_EDGES ? LS_METRIC_COUNT : as_metric[m];
      if (is_obj) {
        in.floor = m == M_EDGES || m == M_USED ? MIN_EDGES : MIN_BYTES;
        if (o->storage && (m == M_SELF || m == M_RET)) in.flags |= LS__RULE_CAPACITY;
      } else {
        const int md = metadata_class(k->name);
        in.floor = m == M_EDGES
                       ? class_floor(v[m], n, MIN_COUNT, MIN_CLASS_COUNT, md)
                       : class_floor(v[m], n, MIN_BYTES, MIN_CLASS_BYTES, md);
        in.flags |= LS__RULE_ZERO_ABSENT;
      }
      if (known && (known_metrics & (1u << metric))) {
        in.flags |= LS__RULE_KNOWN;
        in.floor = m == M_EDGES || m == M_USED ? km.min_count : km.min_bytes;
      }
      uint64_t *content = NULL;
      const uint64_t *rooms = is_obj ? o->room : k->room;
      if (m == M_RET && rooms) {
        /* what it holds, less the capacity of its own storage */
        content = malloc(n * sizeof *content);
        if (content)
          for (size_t j = 0; j < n; j++) {
            uint64_t room = rooms[order[j]];
            content[j] = v[m][j] == LS__ABSENT || room == LS__ABSENT ? v[m][j]
                         : v[m][j] > room                           ? v[m][j] - room
                                                                    : 0;
          }
        if (content) in.v = content;
      }
      ls__rule_judge(&in, &r[m]);
      free(content);
    }
    /* storage is bounded while what it holds is: V8 grows a hash table
     * full of deleted entries before it compacts it, so a table whose
     * entries do not grow may still step up in capacity (only a known
     * runtime leak's weak list is judged on its capacity alone) */
    if (is_obj && o->storage && !known)
      for (int m = M_SELF; m <= M_RET; m++)
        if (r[m].verdict > r[M_EDGES].verdict) r[m].verdict = r[M_EDGES].verdict;
    /* a class that retains more because it has more instances is judged
     * by their number: bytes that fewer new instances than the count floor
     * bring (a pool that grew to a new peak of demand) count only when they
     * are large in themselves */
    if (!is_obj && r[M_RET].verdict > r[M_EDGES].verdict && r[M_RET].verdict > r[M_SELF].verdict &&
        r[M_EDGES].growth > 0 && r[M_RET].growth < (int64_t)MIN_CLASS_BYTES &&
        explained_by_count(v[M_EDGES], v[M_RET], n, r[M_EDGES].growth, r[M_RET].growth))
      r[M_RET].verdict = r[M_EDGES].verdict > r[M_SELF].verdict ? r[M_EDGES].verdict
                                                                : r[M_SELF].verdict;
    /* the verdict: the strongest of its series; the metric reported, by
     * what a person acts on first: references or instances, its own size,
     * the used part of storage, what it retains */
    static const int pref[M_N] = {M_EDGES, M_SELF, M_USED, M_RET};
    ls__rule_verdict best = LS__RULE_FLAT;
    int pick = -1, steady = 0;
    for (int q = 0; q < M_N; q++) {
      const int m = pref[q];
      if (!v[m] || (m == M_USED && r[m].points == 0)) continue;
      steady |= r[m].steady && r[m].growth > 0;
      if (r[m].verdict > best) best = r[m].verdict, pick = m;
    }
    /* it (or what it holds) fills storage of a fixed size: bounded, but
     * not full yet; watching until it is settles it */
    int fills = 0;
    if (best != LS__RULE_FLAT && !known &&
        (fills = fill_state(&fill, o, k, r[M_RET].growth, pick == M_RET)))
      best = fills == 2 ? LS__RULE_FLAT : LS__RULE_UNSURE; /* full: bounded */
    if (is_obj) {
      ogrowth[i] = r[M_RET].growth;
      overdict[i] = best;
    } else if (best == LS__RULE_UNSURE && pick == M_RET) {
      /* a class whose instances neither grow in number nor in size only
       * holds more: what holds more is an object suspect of its own; on its
       * own this is no evidence either way */
      best = LS__RULE_FLAT;
    } else if (best != LS__RULE_FLAT && pick == M_RET) {
      /* a class that only retains more because one of its objects does is
       * judged as that object is (lru-cache's key map is one Map) */
      for (size_t q = 0; q < c->nobj; q++)
        if (ogrowth[q] > 0 && ogrowth[q] * 5 >= r[M_RET].growth * 4 &&
            overdict[q] < best && !strcmp(c->obj[q].name, k->name)) {
          best = overdict[q];
          break;
        }
    }
    if (best == LS__RULE_FLAT) {
      out->below_floor += steady;
      for (int m = 0; m < M_N; m++) free(v[m]);
      continue;
    }
    ls__cand *x = best == LS__RULE_GROWS ? &out->leak[out->nleak++]
                                         : &out->unsure[out->nunsure++];
    x->leader = -1;
    x->s.kind = is_obj ? LS_SUSPECT_OBJECT : LS_SUSPECT_CLASS;
    x->s.id = is_obj ? o->id : 0;
    x->s.name = strdup(is_obj ? o->name : k->name);
    x->s.sizes = v[M_SELF];
    x->s.retained = v[M_RET];
    x->s.counts = v[M_EDGES];
    x->s.used = v[M_USED];
    x->s.metric = !is_obj && pick == M_EDGES ? LS_METRIC_COUNT : as_metric[pick];
    x->s.verdict = best == LS__RULE_GROWS ? LS_VERDICT_LEAK : LS_VERDICT_UNSURE;
    x->s.why = fills ? LS_UNSURE_FILLING : (ls_unsure_reason)r[pick].why;
    x->settled = r[pick].settled;
    x->more = fills ? fill.more : r[pick].more;
    /* bytes: what it retains, or its own size when that is what grows */
    x->s.growth_bytes = r[M_RET].verdict >= r[M_SELF].verdict ? r[M_RET].growth
                                                              : r[M_SELF].growth;
    if (r[M_SELF].verdict == best && r[M_SELF].growth > x->s.growth_bytes)
      x->s.growth_bytes = r[M_SELF].growth;
    x->s.growth_count = pick == M_USED ? r[M_USED].growth : r[M_EDGES].growth;
    x->retained_only = pick == M_RET;
    x->storage = is_obj && o->storage;
    x->dom = is_obj ? o->dom : k->dom;
    x->ndom = is_obj ? o->ndom : k->ndom;
    x->holder_id = is_obj ? 0 : k->holder_id;
    x->s.group = -1;
    if (known && (known_metrics & (1u << x->s.metric))) x->s.known = known;
    if (resembles && (known_metrics & (1u << x->s.metric))) x->s.resembles = resembles;
    x->s.path = calloc(plen ? plen : 1, sizeof *x->s.path);
    int fail = !x->s.name || !x->s.path;
    for (size_t j = 0; j < plen && !fail; j++) {
      fail = ls__path_step_copy(&x->s.path[j], &path[j]) != 0;
      x->s.path_len = j + 1;
    }
    if (!fail) x->s.path_values = ls__values_copy(is_obj ? o->vals : k->vals, plen, &fail);
    /* a class that grows by what an instance holds: where what its
     * largest instance holds was made (its constructor stays its own) */
    const int held = !is_obj && x->s.metric == LS_METRIC_RETAINED_SIZE && k->held.tracked;
    if (!fail) fail = ls__allocations_copy(&x->s.alloc, is_obj ? &o->alloc : held ? &k->held : &k->alloc) != 0;
    if (!fail && held && k->alloc.has_location) {
      fail = ls__frame_copy(&x->s.alloc.location, &k->alloc.location) != 0;
      x->s.alloc.has_location = !fail;
    }
    if (fail) {
      filling_free(&fill);
      free(ogrowth), free(overdict);
      ls__judged_free(out);
      return ls__store_nomem(c);
    }
  }
  filling_free(&fill);
  free(ogrowth);
  free(overdict);
  return LS_OK;
}
