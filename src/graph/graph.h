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
  /* per-node flags (LS__NF_*) */
  uint8_t *flags;
  /* bit per edge: does the edge count for dominators (DevTools' rules)? */
  uint64_t *essential;
  /* bit per node: is it the target of an essential edge? (The dominator
   * tree builds its own reverse edges, in DFS order, from these bits.) */
  uint64_t *held;
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

/* Build the flags and the essential-edge and held bits. Caller frees with
 * ls__graph_free (the snapshot stays the caller's). */
ls_status ls__graph_build(const ls_snapshot *s, ls__graph *g, ls_error *err);
/* The same in two steps, so work that needs only the flags can run while
 * the edges are marked: ls__graph_flags initialises `g` (flags,
 * has_user_roots; frees what it made on failure), ls__graph_essential adds
 * the essential-edge and held bits. */
ls_status ls__graph_flags(const ls_snapshot *s, ls__graph *g, ls_error *err);
ls_status ls__graph_essential(ls__graph *g, ls_error *err);
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
static inline int ls__node_held(const ls__graph *g, uint64_t v) {
  return (int)((g->held[v >> 6] >> (v & 63)) & 1u);
}

#endif
