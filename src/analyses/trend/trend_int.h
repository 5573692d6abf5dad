/*
 * Trend internals shared by its parts:
 *   store.c   the series store: per-class totals and candidate objects,
 *             identity across snapshots (ids; storage by owner + edge)
 *   rule.c    the growth rule, a pure function over arrays (rule.h)
 *   judge.c   every series through the rule, with the floors of its kind
 *   group.c   grouping: each growth under the container that causes it
 *   known.c   known runtime leaks (signatures of V8 and Node bugs)
 *   trend.c   the driver: files, order, weights, verdict
 */
#ifndef LS_ANALYSES_TREND_INT_H
#define LS_ANALYSES_TREND_INT_H

#include <stddef.h>
#include <stdint.h>

#include "../digest.h"
#include "../heap.h"
#include "rule.h"

#define LS__ABSENT LS_TREND_ABSENT


/* ---- store.c ---------------------------------------------------------- */

typedef struct {
  char *name;
  uint64_t *count, *self, *ret; /* per slot */
  uint64_t *room;               /* storage capacity in ret (store.c) */
  uint64_t rep_id;              /* newest reachable instance (newest heap) */
  ls_path_step *path;
  size_t path_len;
  uint64_t *dom;                /* ids of the rep's dominators, nearest first */
  size_t ndom;
  uint64_t holder_id;           /* the candidate object that dominates most
                                   of its instances (0: none) */
  char **vals;                  /* string values on the path (if asked) */
  ls_allocations alloc;         /* where its new instances were made, its
                                   constructor (rep's class): sites.c */
  ls_allocations held;          /* where the new objects its largest
                                   instance holds were made (sites.c) */
} ls__cseries;

typedef struct {
  uint64_t id;                    /* in the newest snapshot */
  char *name;
  int storage;                    /* hidden/array node: a container's storage */
  int hidden;                     /* a hidden node: V8's own (store.c) */
  uint64_t *self, *ret, *edges;   /* per slot */
  uint64_t *used;                 /* storage: highest index + 1, per slot */
  uint64_t *room;                 /* others: capacity of the storage they own
                                     for their entries (store.c), per slot */
  ls_path_step *path;
  size_t path_len;
  uint64_t *dom;                  /* ids of its dominators, nearest first */
  size_t ndom;
  /* Storage is reallocated when it grows (a Map's table, the elements of an
   * array, V8's retained_maps list): the new copy has a new id. Such an
   * object is followed as "the `via_edge` of object `via_parent`". */
  uint64_t via_parent;
  char *via_edge;                 /* NULL: followed by its own id */
  uint32_t via_hash;              /* of via_edge (ls__hash_bytes, low bits) */
  uint32_t cls;                   /* class index (names): identity check */
  uint32_t next_via;              /* next candidate with the same via_parent */
  char **vals;                    /* string values on the path (if asked) */
  ls_allocations alloc;           /* where what it holds was made (sites.c) */
} ls__oseries;

typedef struct {
  size_t n;                 /* snapshots */
  ls_trend_snapshot *snaps; /* per slot (input position) */
  ls__cseries *cls;
  size_t ncls, capcls;
  ls__intern names;      /* class names: index k is cls[k] */
  ls__oseries *obj;
  size_t nobj;
  ls__map ids;           /* obj id -> index into obj */
  ls__map via;           /* via_parent id -> newest candidate (next_via) */
  uint64_t ids_filter[1024], via_filter[1024]; /* prefilters of the two */
  ls_error *err;
  int string_values;     /* keep string values on the paths (asked for) */
  int keep_classes;      /* keep the newest snapshot's class rows */
  size_t nrows;
  ls_class_row *rows;    /* names and locations strdup'ed */
  int tracked;           /* the newest heap has allocation stacks */
  uint64_t floor_hint;   /* objects with ids above it are new, when no
                            older slot is recorded yet (sites.c) */
} ls__store;

/* An empty store for n snapshots (snaps stays the caller's to set). */
void ls__store_init(ls__store *c, size_t n, ls_error *err, int string_values,
                    int keep_classes);

/* A growing byte buffer of varint entries in blocks (store.c). */
typedef struct {
  unsigned char *data;
  size_t len, cap;
  uint64_t *blk_key; /* first key of each block */
  size_t *blk_off;   /* where it starts in data */
  size_t nblk, capblk;
} ls__dbuf;

/* What identity across snapshots needs of one heap, numbers only (no heap
 * string): see store.c for the layout and its bytes per node. */
typedef struct {
  uint64_t node_count, edge_count;
  ls__dbuf nodes, edges;
} ls__tdigest;

/* Record one heap at `slot`: its class series at once; when `newest` (the
 * heap with the largest node id so far) it picks the candidate objects and
 * their paths, replacing any picked before. The candidates' values at
 * `slot` are filled from the heap, or, when `keep` is given, the heap's
 * digest is made into *keep (the caller's, ls__tdigest_free) for
 * ls__store_fill later. */
ls_status ls__store_record(ls__store *c, const ls_heap *h, size_t slot,
                           int newest, ls__tdigest *keep);
/* The candidates' values at `slot` from a digest made by ls__store_record. */
void ls__store_fill(ls__store *c, const ls__tdigest *d, size_t slot);
/* Every candidate value ABSENT again (before filling anew). */
void ls__store_clear_objects(ls__store *c);
/* Room for n snapshots (new slots empty); snaps grows too. */
ls_status ls__store_grow(ls__store *c, size_t n);
void ls__tdigest_free(ls__tdigest *d);
/* Digests of `bytes` and more go to the stream's temporary file (stream.c;
 * default 1 MiB; 0 spills every one, for tests). */
struct ls_trend_stream;
void ls__trend_stream_spill_at(struct ls_trend_stream *ts, size_t bytes);
size_t ls__tdigest_bytes(const ls__tdigest *d);
/* Free what the store holds (not snaps). */
void ls__store_free(ls__store *c);
ls_status ls__store_nomem(ls__store *c);

/* Free class rows whose names and locations are owned copies. */
void ls__rows_free(ls_class_row *rows, size_t n);

/* Copies of string values (NULL entries kept); sets *fail when out of
 * memory. Freed with ls__values_free. */
char **ls__values_copy(char *const *v, size_t n, int *fail);
void ls__values_free(char **v, size_t n);

/* ---- sites.c ---------------------------------------------------------- */

/* Allocation sites of every candidate and class series from the newest
 * heap (objects with odd ids above `floor`: made since the oldest
 * snapshot; for a class, its new instances, and apart what its largest
 * instance holds), and each class's constructor location (`rep`: each class
 * series' representative node, or UINT32_MAX). */
ls_status ls__store_sites(ls__store *c, const ls_heap *h, const uint32_t *item_class,
                          const uint32_t *rep, uint64_t floor);

/* ---- judge.c / group.c --------------------------------------------------- */

/* A suspect on its way into the result. */
typedef struct {
  ls_suspect s;
  int retained_only; /* only the retained size grows: a holder's symptom */
  int storage;       /* a hidden/array object (a container's storage) */
  int drop;
  int link;          /* dropped as a later link of a chain (group.c) */
  int holder;        /* the nearest object suspect on another's path */
  long leader;       /* index into the candidate list, -1 = leads */
  const uint64_t *dom; /* dominator ids in the newest heap (not owned) */
  size_t ndom;
  uint64_t holder_id;  /* classes: the object dominating most instances */
  int settled;       /* a leak still rising at the end */
  size_t more;       /* unsure: snapshots that could settle it */
} ls__cand;

/* What judging every series found. */
typedef struct {
  ls__cand *leak;    /* series that grow */
  size_t nleak;
  ls__cand *unsure;  /* series that may grow */
  size_t nunsure;
  size_t below_floor; /* series rising steadily below their floor */
} ls__judged;

/* Judge every series of the store. `order` maps process position to slot;
 * `w` is the work of each interval in process order (w[0] unused). */
ls_status ls__judge_all(ls__store *c, const size_t *order, const double *w,
                        ls__judged *out);
void ls__judged_free(ls__judged *j);
void ls__suspect_free(ls_suspect *s);

/* Group and rank the candidates into t->suspects (taking their contents);
 * at most `max_leaders` groups. */
ls_status ls__group(ls__store *c, ls__cand *cs, size_t nc, size_t max_leaders,
                    ls_trend *t);

/* ---- trend.c ----------------------------------------------------------- */

/* Judge a store whose every slot is recorded and whose candidates are
 * filled: process order, weights, judge, group, verdict, the same for
 * ls_trend_build and ls_trend_stream_judge. `times`, `work`, `runnable`
 * are per slot as in ls_trend_options (times_given: from the caller, not
 * mtimes). The store is left as it was (snapshots and rows are copied).
 * On LS_OK *out is the caller's (ls_trend_free). */
ls_status ls__trend_judge(ls__store *c, const ls_trend_options *opts, int times_given,
                          const double *work, const double *runnable, ls_trend **out);

/* ---- known.c ----------------------------------------------------------- */

typedef struct {
  unsigned metrics;   /* the LS_METRIC_* bits (1 << metric) it grows in */
  int applies;        /* 1: the Node.js version has the bug (or is unknown);
                         0: it has the fix, so the series only resembles it */
  uint64_t min_bytes, min_count; /* the signature's own growth floors */
} ls__known_match;

/* The known runtime leak whose signature a series of this identity (kind,
 * retainer path) shows in a process of Node.js `version` ("22.14.0"; "" or
 * NULL when unknown: then any version), or NULL; `out` says how. An entry
 * the version has wins over one it has the fix of. */
const ls_known_leak *ls__known_identity(ls_suspect_kind kind, const ls_path_step *path,
                                        size_t path_len, const char *version,
                                        ls__known_match *out);

#endif
