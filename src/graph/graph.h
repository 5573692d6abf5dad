/*
 * Graph layer: the snapshot's edges seen both ways, plus the node facts the
 * algorithms need (user roots, page ownership, which edges count).
 */
#ifndef LS_GRAPH_GRAPH_H
#define LS_GRAPH_GRAPH_H

#include <string.h>

#include "../reader/snapshot.h"

typedef struct ls__graph {
  const ls_snapshot *s; /* not owned */
  /* reverse CSR over ESSENTIAL edges only (the ones dominators use):
   * retainers of node i are ret_node[first_ret[i] .. first_ret[i+1]).
   * Only essential edges are kept because this is the largest structure
   * after the snapshot itself; paths are found by forward BFS instead. */
  uint32_t *first_ret; /* node_count + 1 (edges are below 2^32: the reader) */
  uint32_t *ret_node;  /* retainer node ordinal */
  /* per-node flags (LS__NF_*) */
  uint8_t *flags;
  /* bit per edge: does the edge count for dominators (DevTools' rules)? */
  uint64_t *essential;
  int has_user_roots;
} ls__graph;

enum {
  /* DevTools' markPageOwnedNodes: reachable over non-weak edges from the
   * targets of the root's shortcut edges and from "(Document DOM trees)" */
  LS__NF_PAGE_OBJECT = 1,
  /* target of an edge of the root that DevTools counts as a user root:
   * non-synthetic, or the synthetic "(Document DOM trees)" node */
  LS__NF_USER_ROOT = 2,
  /* native node DevTools renames "Detached <name>" (propagateDOMState) */
  LS__NF_DETACHED = 4
};

/* Build the flags, essential-edge bits and reverse CSR. Caller frees with
 * ls__graph_free (the snapshot stays the caller's). */
ls_status ls__graph_build(const ls_snapshot *s, ls__graph *g, ls_error *err);
/* The same in two steps, so work that needs only the flags can run while
 * the retainers are built: ls__graph_flags initialises `g` (flags,
 * has_user_roots; frees what it made on failure), ls__graph_retainers adds
 * the essential bits and the reverse CSR. */
ls_status ls__graph_flags(const ls_snapshot *s, ls__graph *g, ls_error *err);
ls_status ls__graph_retainers(ls__graph *g, ls_error *err);
/* Free the reverse CSR only (the largest part) once dominators are done. */
void ls__graph_free_retainers(ls__graph *g);
void ls__graph_free(ls__graph *g);

/* DevTools' WeakMap ephemeron edge name, "<digits> / part of key (<k> @<id>)
 * -> value (<v> @<id>) pair in WeakMap (table @<id>)". Returns 1 on a match
 * with *table_id (UINT64_MAX when it does not fit) and *dup_off, the byte
 * offset of the part after the leading digits, which the key's and the
 * table's copies of one ephemeron edge share. */
int ls__weakmap_edge_name(const ls_snapshot *s, uint32_t str,
                          uint64_t *table_id, uint64_t *dup_off);

static inline int ls__str_is(const ls_snapshot *s, uint32_t i,
                             const char *lit, size_t len) {
  return ls__strlen(s, i) == len && memcmp(ls__str(s, i), lit, len) == 0;
}
#define LS__STR_IS(s, i, lit) ls__str_is((s), (i), (lit), sizeof(lit) - 1)

static inline int ls__edge_essential(const ls__graph *g, uint64_t e) {
  return (int)((g->essential[e >> 6] >> (e & 63)) & 1u);
}

#endif
