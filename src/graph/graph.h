/*
 * Graph layer: the snapshot's edges seen both ways, plus the node facts the
 * algorithms need (user roots, page ownership, which edges count).
 */
#ifndef LS_GRAPH_GRAPH_H
#define LS_GRAPH_GRAPH_H

#include "../reader/snapshot.h"

typedef struct ls__graph {
  const ls_snapshot *s; /* not owned */
  /* reverse CSR over ESSENTIAL edges only (the ones dominators use):
   * retainers of node i are ret_node[first_ret[i] .. first_ret[i+1]).
   * Only essential edges are kept because this is the largest structure
   * after the snapshot itself; paths are found by forward BFS instead. */
  uint64_t *first_ret; /* node_count + 1 */
  uint32_t *ret_node;  /* retainer node ordinal */
  /* per-node flags (LS__NF_*) */
  uint8_t *flags;
  /* bit per edge: does the edge count for dominators (DevTools' rules)? */
  uint64_t *essential;
  int has_user_roots;
} ls__graph;

enum {
  LS__NF_PAGE_OBJECT = 1, /* reachable from a user root (non-weak edges) */
  LS__NF_USER_ROOT = 2    /* a non-synthetic target of an edge of the root */
};

/* Build the reverse CSR, flags and essential-edge bits. Caller frees with
 * ls__graph_free (the snapshot stays the caller's). */
ls_status ls__graph_build(const ls_snapshot *s, ls__graph *g, ls_error *err);
void ls__graph_free(ls__graph *g);

static inline int ls__edge_essential(const ls__graph *g, uint64_t e) {
  return (int)((g->essential[e >> 6] >> (e & 63)) & 1u);
}

#endif
