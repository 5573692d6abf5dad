#ifndef LS_ALGORITHMS_SHALLOW_H
#define LS_ALGORITHMS_SHALLOW_H
#include "../graph/graph.h"
/* Self sizes as DevTools shows them: when the snapshot has user roots, the
 * size of each hidden/array/`system / ExternalStringData` node owned by
 * exactly one other node moves onto that owner (unless the owner is
 * synthetic or the root). Writes node_count sizes into `out` (caller
 * allocated); without user roots `out` is a copy of the raw sizes. */
ls_status ls__shallow_sizes(const ls__graph *g, uint64_t *out, ls_error *err);
#endif
