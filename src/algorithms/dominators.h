#ifndef LS_ALGORITHMS_DOMINATORS_H
#define LS_ALGORITHMS_DOMINATORS_H
#include "../graph/graph.h"
/* Dominator tree (Lengauer–Tarjan) over essential edges, from the root, with
 * DevTools' handling of nodes not reachable from it, and retained sizes from
 * `self_size`. Outputs are caller-allocated arrays of node_count entries:
 * idom[i] = immediate dominator ordinal (the root is its own), retained[i].
 * `order` (may be NULL) receives the nodes in dominator-tree preorder-compatible
 * DFS numbering order (root first), node_count entries.
 * `retainers_done` (may be NULL) is called with `ctx` once the semidominators
 * are known and the retainer lists freed, so the caller can start other
 * work (it needs less memory from then on) before the rest runs. */
ls_status ls__dominators(const ls__graph *g, const ls__ucol *self_size,
                         uint32_t *idom, uint64_t *retained, uint32_t *order,
                         void (*retainers_done)(void *ctx), void *ctx,
                         ls_error *err);
#endif
