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
 * The owners live in `out` itself while they are computed (u64 per node),
 * so the only temporaries are the worklist and one bit per node.
 */
#include "shallow.h"

#include "../reader/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define UNVISITED UINT64_MAX
#define MULTIPLE (UINT64_MAX - 1)
#define MOVED ((uint64_t)1 << 63) /* tag: out[i] is the owner to move to */

ls_status ls__shallow_sizes(const ls__graph *g, uint64_t *out, ls_error *err) {
  if (!g || !g->s || !out)
    return ls__set_error(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET, "ls__shallow_sizes: NULL argument");
  const ls_snapshot *s = g->s;
  const uint64_t n = s->node_count;
  const uint64_t *raw = s->node_self_size;
  if (!g->has_user_roots) {
    /* "expose internals" snapshots: DevTools shows the real allocations */
    memcpy(out, raw, n * sizeof *out);
    return LS_OK;
  }
  const int hidden = s->nt.hidden, array = s->nt.array,
            native = s->nt.native, synthetic = s->nt.synthetic,
            weak = s->et.weak;
  uint32_t *stack = malloc((n ? n : 1) * sizeof *stack);
  uint64_t *queued = calloc(n / 64 + 1, sizeof *queued);
  if (!stack || !queued) {
    free(stack);
    free(queued);
    return ls__set_error(err, LS_ERR_NOMEM, LS_NO_OFFSET, "out of memory computing shallow sizes");
  }
  uint64_t len = 0;
  for (uint64_t i = 0; i < n; i++) {
    const int t = s->node_type[i];
    if (t == hidden || t == array ||
        (t == native && !(g->flags[i] & LS__NF_DETACHED) &&
         LS__STR_IS(s, s->node_name[i], "system / ExternalStringData"))) {
      out[i] = UNVISITED;
    } else {
      out[i] = i;
      stack[len++] = (uint32_t)i;
      queued[i >> 6] |= (uint64_t)1 << (i & 63);
    }
  }
  while (len > 0) {
    const uint32_t id = stack[--len];
    queued[id >> 6] &= ~((uint64_t)1 << (id & 63));
    const uint64_t owner = out[id];
    const uint64_t end = s->first_edge[id + 1];
    for (uint64_t e = s->first_edge[id]; e < end; e++) {
      if ((int)s->edge_type[e] == weak) continue;
      const uint32_t t = s->edge_to[e];
      const uint64_t ot = out[t];
      if (ot == t || ot == owner || ot == MULTIPLE) continue;
      out[t] = ot == UNVISITED ? owner : MULTIPLE;
      if (!(queued[t >> 6] & ((uint64_t)1 << (t & 63)))) {
        queued[t >> 6] |= (uint64_t)1 << (t & 63);
        stack[len++] = t;
      }
    }
  }
  free(stack);
  free(queued);
  /* Two passes: first every kept size (owners included), then the moves,
   * so an owner's slot holds its size by the time sizes move onto it. */
  ls_status rc = LS_OK;
  for (uint64_t i = 0; i < n; i++) {
    const uint64_t o = out[i];
    if (o == UNVISITED || o == MULTIPLE || o == i || o == s->root_ordinal ||
        (int)s->node_type[o] == synthetic) {
      out[i] = raw[i];
      if (raw[i] & MOVED) rc = LS_ERR_LIMIT;
    } else {
      out[i] = o | MOVED;
    }
  }
  if (rc != LS_OK) {
    memcpy(out, raw, n * sizeof *out);
    return ls__set_error(err, rc, LS_NO_OFFSET, "a self size of 2^63 bytes or more");
  }
  for (uint64_t i = 0; i < n; i++) {
    if (!(out[i] & MOVED)) continue;
    out[out[i] & ~MOVED] += raw[i];
    out[i] = 0;
  }
  return LS_OK;
}
