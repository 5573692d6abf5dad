#ifndef LS_ALGORITHMS_PATHS_H
#define LS_ALGORITHMS_PATHS_H
#include "../reader/snapshot.h"

#define LS__NO_PARENT UINT32_MAX

/* Shortest retainer paths as a BFS tree: parent[v] is the node v is reached
 * from. The search starts at the user roots (the root's edges to
 * non-synthetic nodes, e.g. the global object) so paths go through user
 * variables when they can, then goes on from the root for the rest. Weak
 * edges are never followed, and edges out of compiled code only for what
 * nothing else reaches. parent[root] = root; LS__NO_PARENT when
 * unreachable. `parent` is the caller's, node_count entries. */
ls_status ls__path_parents(const ls_snapshot *s, uint32_t *parent,
                           ls_error *err);

/* The edge from parent[v] to v the search took (the first non-weak one). */
uint64_t ls__path_edge(const ls_snapshot *s, const uint32_t *parent,
                       uint32_t v);

/* An edge's name as a person reads it: the property or variable name, or
 * "[i]" for element and hidden edges. Returns a malloc'd string (NULL when
 * out of memory). */
char *ls__edge_label(const ls_snapshot *s, uint64_t e);

#endif
