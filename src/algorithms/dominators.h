#ifndef LS_ALGORITHMS_DOMINATORS_H
#define LS_ALGORITHMS_DOMINATORS_H
#include "../graph/graph.h"
/* Dominator tree (Lengauer–Tarjan) over essential edges, from the root, with
 * DevTools' handling of nodes not reachable from it, and retained sizes from
 * `self_size`. Outputs are caller-allocated arrays of node_count entries:
 * idom[i] = immediate dominator ordinal (the root is its own), retained[i].
 * `order` (may be NULL) receives the nodes in dominator-tree preorder-compatible
 * DFS numbering order (root first), node_count entries.
 * `retainers_done` (may be NULL) is called with `ctx` as soon as the graph's
 * reverse CSR is no longer read, so the caller can free it
 * (ls__graph_free_retainers) and start other work before the rest runs. */
ls_status ls__dominators(const ls__graph *g, const uint64_t *self_size,
                         uint32_t *idom, uint64_t *retained, uint32_t *order,
                         void (*retainers_done)(void *ctx), void *ctx,
                         ls_error *err);
#endif
