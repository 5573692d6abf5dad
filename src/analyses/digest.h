/*
 * Internals shared by digest.c and diff.c: the digest of one heap (what a
 * diff needs of the old snapshot once its heap is freed), the class name
 * table, and the id sort.
 */
#ifndef LS_ANALYSES_DIGEST_H
#define LS_ANALYSES_DIGEST_H

#include "heap.h"
#include "../graph/hashmap.h"

struct ls_digest {
  ls_heap_totals totals;
  uint64_t max_id;  /* largest odd node id (see ls__objects_by_id) */
  uint64_t count;   /* objects kept: self size > 0 (DevTools' rule) */
  uint64_t *id;     /* ascending */
  uint32_t *cls;    /* index into names */
  uint64_t *size;   /* DevTools self size */
  ls__intern names; /* class names, merged by name */
};

/* The nodes of `h` with a non-zero self size (every node when `all`), sorted by id (stable, so
 * equal ids keep node order): ids in *ids, node ordinals in *ord (caller
 * frees both). *max_id is the largest odd id: V8 heap objects have odd
 * ids, handed out in increasing order; native (embedder) nodes have ids
 * made from addresses, which can be anything (the largest id of any node
 * when no id is odd). */
ls_status ls__objects_by_id(const ls_heap *h, uint64_t **ids, uint32_t **ord,
                            uint64_t *n, uint64_t *max_id, int all, ls_error *err);

/* Map every class of `h` to its name's index in `t` (adding names as
 * needed): *map has h->classes.count entries, caller frees. */
ls_status ls__class_name_map(const ls_heap *h, ls__intern *t, uint32_t **map,
                             ls_error *err);

#endif
