/*
 * Internals shared by digest.c and diff.c: the digest of one heap (what a
 * diff needs of the old snapshot once its heap is freed), a table of class
 * names stored once, and the id sort.
 */
#ifndef LS_ANALYSES_DIGEST_H
#define LS_ANALYSES_DIGEST_H

#include "heap.h"

/* Distinct byte strings, each stored once (NUL-terminated in `data`, length
 * kept so names with an embedded NUL stay distinct), found by hash. */
typedef struct ls__names {
  uint32_t count, cap;
  uint64_t *off;  /* count entries: start of name i in data */
  uint32_t *len;  /* count entries: bytes, without the NUL */
  char *data;
  uint64_t data_len, data_cap;
  uint32_t *slots; /* open addressing: name index + 1, 0 = empty */
  uint64_t slot_mask;
} ls__names;

/* Index of the name (added when new) in *idx; -1 when out of memory. */
int ls__names_intern(ls__names *t, const char *s, uint32_t len, uint32_t *idx);
void ls__names_free(ls__names *t);
static inline const char *ls__names_at(const ls__names *t, uint32_t i) {
  return t->data + t->off[i];
}

struct ls_digest {
  ls_heap_totals totals;
  uint64_t max_id;  /* largest odd node id (see ls__objects_by_id) */
  uint64_t count;   /* objects kept: self size > 0 (DevTools' rule) */
  uint64_t *id;     /* ascending */
  uint32_t *cls;    /* index into names */
  uint64_t *size;   /* DevTools self size */
  ls__names names;  /* class names, merged by name */
};

/* The nodes of `h` with a non-zero self size, sorted by id (stable, so
 * equal ids keep node order): ids in *ids, node ordinals in *ord (caller
 * frees both). *max_id is the largest odd id: V8 heap objects have odd
 * ids, handed out in increasing order; native (embedder) nodes have ids
 * made from addresses, which can be anything (the largest id of any node
 * when no id is odd). */
ls_status ls__objects_by_id(const ls_heap *h, uint64_t **ids, uint32_t **ord,
                            uint64_t *n, uint64_t *max_id, ls_error *err);

/* Map every class of `h` to its name's index in `t` (adding names as
 * needed): *map has h->classes.count entries, caller frees. */
ls_status ls__class_name_map(const ls_heap *h, ls__names *t, uint32_t **map,
                             ls_error *err);

#endif
