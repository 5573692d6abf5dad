/*
 * Self sizes as DevTools shows them (JSHeapSnapshot.calculateShallowSizes).
 *
 * Only when the snapshot has user roots. Every node that is not hidden, not
 * an array and not a native "system / ExternalStringData" owns itself; owners
 * spread over non-weak edges into the other nodes, through them; a node
 * reached from exactly one owner gives its size to that owner, unless the
 * owner is synthetic or the root. The result is a fixed point, so the order
 * of the worklist does not matter; a node already waiting in it is not
 * pushed again (it reads its current owner when popped), which bounds the
 * worklist by node_count.
 *
 * Sizes are updated in place; the temporaries are the owner of each node
 * (u32), the worklist and one bit per node.
 */
#include "shallow.h"

#include "../reader/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define UNVISITED UINT32_MAX
#define MULTIPLE (UINT32_MAX - 1)

ls_status ls__shallow_sizes(const ls__graph *g, ls__ucol *sizes,
                            ls_error *err) {
  if (!g || !g->s || !sizes)
    return ls__set_error(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls__shallow_sizes: NULL argument");
  const ls_snapshot *s = g->s;
  const uint64_t n = s->node_count;
  /* "expose internals" snapshots: DevTools shows the real allocations */
  if (!g->has_user_roots) return LS_OK;
  if (n >= MULTIPLE)
    return ls__set_error(err, LS_ERR_LIMIT, LS_NO_OFFSET,
                         "too many nodes for shallow sizes (%llu)",
                         (unsigned long long)n);
  const int hidden = s->nt.hidden, array = s->nt.array,
            native = s->nt.native, synthetic = s->nt.synthetic,
            weak = s->et.weak;
  uint32_t *owner = malloc((n ? n : 1) * sizeof *owner);
  uint32_t *stack = malloc((n ? n : 1) * sizeof *stack);
  uint64_t *queued = calloc(n / 64 + 1, sizeof *queued);
  if (!owner || !stack || !queued) {
    free(owner);
    free(stack);
    free(queued);
    return ls__set_error(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                         "out of memory computing shallow sizes");
  }
  uint64_t len = 0;
  for (uint64_t i = 0; i < n; i++) {
    const int t = s->node_type[i];
    if (t == hidden || t == array ||
        (t == native && !(g->flags[i] & LS__NF_DETACHED) &&
         LS__STR_IS(s, s->node_name[i], "system / ExternalStringData"))) {
      owner[i] = UNVISITED;
    } else {
      owner[i] = (uint32_t)i;
      stack[len++] = (uint32_t)i;
      queued[i >> 6] |= (uint64_t)1 << (i & 63);
    }
  }
  while (len > 0) {
    const uint32_t id = stack[--len];
    queued[id >> 6] &= ~((uint64_t)1 << (id & 63));
    const uint32_t own = owner[id];
    const uint64_t end = s->first_edge[id + 1];
    for (uint64_t e = s->first_edge[id]; e < end; e++) {
      if ((int)ls__edge_type(s, e) == weak) continue;
      const uint32_t t = ls__edge_to(s, e);
      const uint32_t ot = owner[t];
      if (ot == t || ot == own || ot == MULTIPLE) continue;
      owner[t] = ot == UNVISITED ? own : MULTIPLE;
      if (!(queued[t >> 6] & ((uint64_t)1 << (t & 63)))) {
        queued[t >> 6] |= (uint64_t)1 << (t & 63);
        stack[len++] = t;
      }
    }
  }
  free(stack);
  free(queued);
  /* owned nodes give their size to their owner, unless the owner is the
   * root or synthetic; an owner never has an owner itself, so one pass in
   * any order gives the same sums */
  for (uint64_t i = 0; i < n; i++) {
    const uint32_t o = owner[i];
    if (o == UNVISITED || o == MULTIPLE || o == i || o == s->root_ordinal ||
        (int)s->node_type[o] == synthetic)
      continue;
    /* a sum past 2^32 widens the column (all n values kept) */
    if (ls__ucol_set(sizes, o, ls__ucol_get(sizes, o) + ls__ucol_get(sizes, i),
                     n, n)) {
      free(owner);
      return ls__set_error(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                           "out of memory for 64-bit shallow sizes");
    }
    ls__ucol_set(sizes, i, 0, n, n);
  }
  free(owner);
  return LS_OK;
}
