#ifndef LS_ALGORITHMS_DOMINATORS_H
#define LS_ALGORITHMS_DOMINATORS_H
#include "../graph/graph.h"
/* Dominator tree (Lengauer–Tarjan) over essential edges, from the root, with
 * DevTools' handling of nodes not reachable from it, and retained sizes from
 * `self_size`. Outputs are caller-allocated arrays of node_count entries:
 * idom[i] = immediate dominator ordinal (the root is its own), retained[i].
 * `order` (may be NULL) receives the nodes in dominator-tree preorder-compatible
 * DFS numbering order (root first), node_count entries. */
ls_status ls__dominators(const ls__graph *g, const uint64_t *self_size,
                         uint32_t *idom, uint64_t *retained, uint32_t *order,
                         ls_error *err);
#endif
