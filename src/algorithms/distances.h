#ifndef LS_ALGORITHMS_DISTANCES_H
#define LS_ALGORITHMS_DISTANCES_H
#include "../graph/graph.h"
#define LS__NO_DISTANCE UINT32_MAX
#define LS__BASE_SYSTEM_DISTANCE 100000000u
/* Distances from the roots as DevTools computes them: BFS from user roots
 * (distance 1), then from the root for the rest (system objects get
 * LS__BASE_SYSTEM_DISTANCE + depth when there are user roots), skipping weak
 * edges and DevTools' filtered edges. `out` has node_count entries;
 * `scratch` (node_count entries, the caller's, may be NULL: then one is
 * allocated) holds the BFS queue, so a caller can lend an array it fills
 * later. */
ls_status ls__distances(const ls__graph *g, uint32_t *out, uint32_t *scratch,
                        ls_error *err);
#endif
