/*
 * The in-memory form of a heap snapshot: what the reader produces and the
 * graph layer consumes. Compact typed columns, one string arena.
 *
 * Widths: node and edge ordinals and edge offsets are uint32_t (at most
 * 2^32-2 nodes and 2^32-1 edges: LS_ERR_LIMIT beyond that); node ids and
 * self sizes are 64-bit values kept in 32 bits while they fit (ls__ucol).
 */
#ifndef LS_READER_SNAPSHOT_H
#define LS_READER_SNAPSHOT_H

#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include "leakscope.h"

#define LS__NO_TYPE (-1)

/* Indexes of well-known types in the snapshot's own type lists, resolved
 * from snapshot.meta by name (LS__NO_TYPE when the file does not have it).
 * Code must compare node_type[i] with these, never with numbers. */
typedef struct ls__node_types {
  int hidden, array, string, object, code, closure, regexp, number, native,
      synthetic, cons_string, sliced_string, symbol, bigint, object_shape;
} ls__node_types;

/* A column of unsigned 64-bit values kept in 32 bits while every value fits
 * and in 64 bits once one does not: ids above 2^32 and objects of 4 GiB are
 * rare, and 32 bits halve the two largest node columns. One of w32/w64
 * holds the values (both NULL while empty). Read with ls__ucol_get. */
typedef struct ls__ucol {
  uint32_t *w32;
  uint64_t *w64;
} ls__ucol;

static inline uint64_t ls__ucol_get(const ls__ucol *c, uint64_t i) {
  return c->w64 ? c->w64[i] : c->w32[i];
}
/* Room for `cap` values in the current width (32 bits when empty). 0, or
 * -1 when out of memory (the column is unchanged). */
int ls__ucol_grow(ls__ucol *c, uint64_t cap);
/* Switch to 64 bits, keeping the first `n` values, with room for `cap`.
 * 0, or -1 when out of memory (the column is unchanged). */
int ls__ucol_widen(ls__ucol *c, uint64_t n, uint64_t cap);
/* Store `v` at i (< cap); widens first, keeping the first `n` values, when
 * v needs 64 bits. 0, or -1 when out of memory. */
static inline int ls__ucol_set(ls__ucol *c, uint64_t i, uint64_t v,
                               uint64_t n, uint64_t cap) {
  if (c->w64) {
    c->w64[i] = v;
  } else if (v <= UINT32_MAX) {
    c->w32[i] = (uint32_t)v;
  } else {
    if (ls__ucol_widen(c, n, cap)) return -1;
    c->w64[i] = v;
  }
  return 0;
}
void ls__ucol_free(ls__ucol *c);

typedef struct ls__edge_types {
  int context, element, property, internal, hidden, shortcut, weak;
} ls__edge_types;

struct ls_snapshot {
  /* meta, as read from the file */
  uint32_t node_type_count;
  char **node_type_names; /* node_type_count NUL-terminated names */
  uint32_t edge_type_count;
  char **edge_type_names;
  ls__node_types nt;
  ls__edge_types et;

  /* nodes: node_count entries each */
  uint64_t node_count;
  uint8_t *node_type;       /* index into node_type_names */
  uint32_t *node_name;      /* index into strings */
  ls__ucol node_id;        /* read with ls__node_id */
  ls__ucol node_self_size; /* the file's self_size (ls__node_self) */
  uint8_t *node_detachedness; /* NULL when the file has no such field */
  /* forward CSR: edges of node i are [first_edge[i], first_edge[i+1]);
   * node_count + 1 entries, built from the nodes' edge_count field. */
  uint32_t *first_edge;

  /* edges: edge_count entries each */
  uint64_t edge_count;
  /* Read both with ls__edge_to / ls__edge_type. While there are fewer than
   * 2^28 nodes and at most 16 edge types (every V8 heap but a 20 GB one),
   * edge_type is NULL and each edge's type is in the top 4 bits of its
   * edge_to entry: one byte an edge less. */
  uint8_t *edge_type;  /* index into edge_type_names; NULL when packed */
  /* Each edge's name (a string index, or an element/hidden index number):
   * 3 bytes each in edge_name24 (with one spare byte at the end) while
   * every name is below 2^24, else 4 in edge_name; the other is NULL. Read
   * with ls__edge_name. */
  uint8_t *edge_name24;
  uint32_t *edge_name;
  uint32_t *edge_to;   /* target node ORDINAL (to_node / node field count) */

  /* strings: string i is string_data + offset i, NUL-terminated, length
   * offset i+1 - offset i - 1 (UTF-8; an embedded NUL from
   * \u0000 is kept, so use the length, not strlen, when it matters). */
  uint32_t string_count;
  ls__ucol string_off; /* string_count + 1 offsets: use ls__str/strlen */
  char *string_data;

  /* locations (constructor/function source positions), may be empty */
  uint64_t location_count;
  uint32_t *loc_node;   /* node ORDINAL */
  uint32_t *loc_script;
  uint32_t *loc_line;
  uint32_t *loc_column;

  /* Allocation tracking (node --track-heap-objects, or the inspector's
   * HeapProfiler.startTrackingHeapObjects): where each object was
   * allocated. node_trace is NULL and the counts 0 when the file has none.
   * node_trace[i] is a trace node *id* (0: allocated before tracking);
   * trace nodes form V8's tree of allocation stacks, each a function info
   * (trace_fn index) whose caller is its parent. */
  uint32_t *node_trace;
  uint32_t trace_fn_count;
  uint32_t *tf_name, *tf_script; /* string indexes: function, script name */
  uint32_t *tf_script_id;
  uint32_t *tf_line, *tf_column; /* 1-based where the function starts; 0:
                                    unknown */
  uint32_t trace_count;
  uint32_t *tn_id;     /* trace node id */
  uint32_t *tn_fn;     /* index into the tf_ columns */
  uint32_t *tn_parent; /* index of the caller's trace node, UINT32_MAX for
                          the root; a parent comes before its children */

  uint32_t root_ordinal;       /* snapshot.root_index / field count, else 0 */
  uint64_t extra_native_bytes; /* snapshot.extra_native_bytes, else 0 */
  uint64_t input_bytes;        /* bytes of JSON text read */
};

static inline uint64_t ls__node_id(const ls_snapshot *s, uint64_t v) {
  return ls__ucol_get(&s->node_id, v);
}
static inline uint64_t ls__node_self(const ls_snapshot *s, uint64_t v) {
  return ls__ucol_get(&s->node_self_size, v);
}

#define LS__EDGE_TYPE_SHIFT 28
#define LS__EDGE_TO_MASK ((1u << LS__EDGE_TYPE_SHIFT) - 1)

/* What to AND an edge_to entry with for its target: hoisted by hot loops. */
static inline uint32_t ls__edge_to_mask(const ls_snapshot *s) {
  return s->edge_type ? UINT32_MAX : LS__EDGE_TO_MASK;
}
static inline uint32_t ls__edge_to(const ls_snapshot *s, uint64_t e) {
  return s->edge_to[e] & ls__edge_to_mask(s);
}
static inline int ls__edge_type(const ls_snapshot *s, uint64_t e) {
  return s->edge_type ? s->edge_type[e] : (int)(s->edge_to[e] >> LS__EDGE_TYPE_SHIFT);
}

#define LS__NAME24_LIMIT (1u << 24)
static inline uint32_t ls__edge_name(const ls_snapshot *s, uint64_t e) {
  if (s->edge_name) return s->edge_name[e];
  const uint8_t *p = s->edge_name24 + 3 * e;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint32_t v; /* one load of 4 bytes: the spare byte covers the last name */
  memcpy(&v, p, 4);
  return v & (LS__NAME24_LIMIT - 1);
#else
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
#endif
}
static inline void ls__put_name24(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
}

static inline const char *ls__str(const ls_snapshot *s, uint32_t i) {
  return s->string_data + ls__ucol_get(&s->string_off, i);
}
static inline uint64_t ls__strlen(const ls_snapshot *s, uint32_t i) {
  return ls__ucol_get(&s->string_off, i + 1) -
         ls__ucol_get(&s->string_off, i) - 1;
}

#endif
