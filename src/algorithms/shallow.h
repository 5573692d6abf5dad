#ifndef LS_ALGORITHMS_SHALLOW_H
#define LS_ALGORITHMS_SHALLOW_H
#include "../graph/graph.h"
/* Self sizes as DevTools shows them: when the snapshot has user roots, the
 * size of each hidden/array/`system / ExternalStringData` node owned by
 * exactly one other node moves onto that owner (unless the owner is
 * synthetic or the root). `sizes` (node_count entries, the caller's) holds
 * the raw sizes on entry and DevTools' sizes on return; without user roots
 * it is left as it is. */
ls_status ls__shallow_sizes(const ls__graph *g, ls__ucol *sizes,
                            ls_error *err);
#endif
