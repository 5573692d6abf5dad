/*
 * Allocation sites: which function of the program made an object, from a
 * snapshot's allocation tracking data (V8's tree of allocation stacks), and
 * where a script id points (for a constructor's location).
 *
 * A site is a function: V8 records the allocating function, at the line
 * and column where that function starts. Node's own frames are folded so a
 * site is the innermost frame of the program's code.
 */
#ifndef LS_ANALYSES_ALLOC_H
#define LS_ANALYSES_ALLOC_H

#include "leakscope.h"
#include "../graph/hashmap.h"
#include "../reader/snapshot.h"

typedef struct ls__alloc {
  const ls_snapshot *s; /* not owned */
  uint32_t nid;         /* entries of tn_of_id (largest trace id + 1) */
  uint32_t *tn_of_id;   /* trace node id -> trace node index, or NONE */
  uint32_t *site;       /* per trace node: the trace node (itself or a
                           caller) whose function is the site */
  uint8_t *ours;        /* per trace node: 1 when leakscope's own preload
                           is on the stack (its allocations are not the
                           program's) */
} ls__alloc;

#define LS__ALLOC_OURS (LS__MAP_NONE - 1)

/* Index the snapshot's trace tree. A snapshot without one gives an empty
 * index (ls__alloc_of always NONE), LS_OK. Free with ls__alloc_free. */
ls_status ls__alloc_init(const ls_snapshot *s, ls__alloc *a, ls_error *err);
void ls__alloc_free(ls__alloc *a);

/* The trace node index of the stack that allocated node v, LS__MAP_NONE
 * when it has none (made before tracking began, or not tracked), or
 * LS__ALLOC_OURS when leakscope's preload made it (count it nowhere). */
static inline uint32_t ls__alloc_of(const ls__alloc *a, uint32_t v) {
  if (!a->tn_of_id) return LS__MAP_NONE;
  uint32_t id = a->s->node_trace[v];
  uint32_t t = id && id < a->nid ? a->tn_of_id[id] : LS__MAP_NONE;
  return t != LS__MAP_NONE && a->ours[t] ? LS__ALLOC_OURS : t;
}

/* Objects per (group, stack) for many groups at once (a group: one
 * suspect). Made with ls__alloc_acc_init. */
typedef struct {
  ls__map m; /* (group << 32 | trace node) -> index into cell */
  struct ls__alloc_cell {
    uint64_t count, size;
  } *cell;
  uint32_t *next;  /* per cell: the group's next cell (NONE: last) */
  uint32_t *head;  /* per group: its first cell */
  uint32_t cap, ngroups;
} ls__alloc_acc;

/* An empty accumulator for groups 0 .. ngroups-1 (-1 when out of memory). */
int ls__alloc_acc_init(ls__alloc_acc *x, uint32_t ngroups);
/* Count `count` objects of `size` bytes made by stack `tn` into `group`.
 * -1 when out of memory. */
int ls__alloc_acc_add(ls__alloc_acc *x, uint32_t group, uint32_t tn,
                      uint64_t count, uint64_t size);
/* Add every count of group `from` into group `to` (a suspect holds what
 * the suspects it dominates hold). -1 when out of memory. */
int ls__alloc_acc_merge(ls__alloc_acc *x, uint32_t from, uint32_t to);
void ls__alloc_acc_free(ls__alloc_acc *x);

/* The sites of every group: stacks merged by their site's function, the
 * largest LS_ALLOC_SITES by bytes (ties: count, then position), each with
 * the stack of its largest contributor. Calls put(ctx, group, sites, n)
 * once per group that has any, in increasing group order; `sites` becomes
 * put's (free each with ls__alloc_sites_free). LS_ERR_NOMEM when out of
 * memory (sites given so far stay put's). */
typedef int (*ls__alloc_put_fn)(void *ctx, uint32_t group, ls_alloc_site *sites,
                                size_t n);
ls_status ls__alloc_sites(const ls__alloc *a, const ls__alloc_acc *x,
                          ls__alloc_put_fn put, void *ctx, ls_error *err);
void ls__alloc_sites_free(ls_alloc_site *sites, size_t n);
/* Deep copy of n sites (NULL and *fail set when out of memory; n 0: NULL). */
ls_alloc_site *ls__alloc_sites_copy(const ls_alloc_site *src, size_t n, int *fail);

/* A deep copy (dst's on success; -1 and dst empty when out of memory),
 * and freeing one (zeroed after). */
int ls__allocations_copy(ls_allocations *dst, const ls_allocations *src);
void ls__allocations_free(ls_allocations *a);

/* Frames */
void ls__frame_free(ls_frame *f);
int ls__frame_copy(ls_frame *dst, const ls_frame *src);

/* Script names by V8 script id, for the scripts in `ids` (n of them): from
 * the trace function infos, else from each located function's script.
 * names[i] is a string index of the snapshot, or LS__MAP_NONE when the
 * script is not found. -1 when out of memory. */
int ls__script_names(const ls_snapshot *s, const uint32_t *ids, size_t n,
                     uint32_t *names);

#endif
