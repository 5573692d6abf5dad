#ifndef LS_ALGORITHMS_DISTANCES_H
#define LS_ALGORITHMS_DISTANCES_H
#include "../graph/graph.h"
#define LS__NO_DISTANCE UINT32_MAX
#define LS__BASE_SYSTEM_DISTANCE 100000000u
/* Distances from the roots as DevTools computes them: BFS from user roots
 * (distance 1), then from the root for the rest (system objects get
 * LS__BASE_SYSTEM_DISTANCE + depth when there are user roots), skipping weak
 * edges and DevTools' filtered edges. `out` has node_count entries. */
ls_status ls__distances(const ls__graph *g, uint32_t *out, ls_error *err);
#endif
