/*
 * Dominator tree and retained sizes, over the graph's essential edges.
 *
 * The tree is the one DevTools builds (HeapSnapshot.
 * calculateDominatorsAndRetainedSizes): a dominator tree is unique for a
 * given graph and root, so we only have to reproduce DevTools' graph:
 *  - the essential edges (ls__graph);
 *  - an extra edge root -> v for every node v without essential retainers
 *    ("orphans", e.g. only weakly held): DevTools starts a DFS from each of
 *    them with the root as parent and gives them the root as semidominator;
 *  - nodes still unreached (held only by unreachable cycles) get the root as
 *    immediate dominator, and their retainers never affect reached nodes
 *    (DevTools numbers them last, so they cannot lower a semidominator).
 *
 * Algorithm: semi-NCA (Georgiadis/Tarjan/Werneck), iterative, with the
 * arrays in DFS-number space for locality. Memory besides the graph and the
 * caller's outputs: two u32 arrays of node_count (`num`: node -> DFS number;
 * `vx`: DFS number -> node, reused as the link-eval ancestor array once a
 * vertex has been processed), and the retainers built after the DFS, in
 * DFS numbers, of only the edges that need eval(). The caller's outputs
 * double as scratch: `idom` holds the DFS parent (then the idom in DFS
 * space) and `retained` holds the DFS edge cursor, then per vertex the
 * smallest lower retainer in the low half and the end of its retainer list
 * in the high half (so the lists need no array of starts: the peak memory
 * of a whole run is set here), then (label << 32 | semi).
 */
#include "dominators.h"

#include "../reader/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define UNSEEN UINT32_MAX
#define NONE UINT32_MAX

/* Iterative DFS over essential edges from `start` (numbered `next`, DFS
 * parent `up`). parent[] is in DFS-number space; cursor[w] is the next edge
 * of vertex w to look at. Returns the next free number. */
static uint32_t dfs(const ls__graph *g, uint32_t start, uint32_t up,
                    uint32_t next, uint32_t *num, uint32_t *vx,
                    uint32_t *parent, uint64_t *cursor) {
  const ls_snapshot *s = g->s;
  const uint32_t *first = s->first_edge;
  const uint32_t *to = s->edge_to, mask = ls__edge_to_mask(s);
  uint32_t top = next++;
  num[start] = top;
  vx[top] = start;
  parent[top] = up;
  cursor[top] = first[start];
  uint32_t cur = top;
  for (;;) {
    uint64_t e = cursor[cur], end = first[vx[cur] + 1];
    uint32_t child = UNSEEN;
    for (; e < end; e++) {
      if (!ls__edge_essential(g, e)) continue;
      if (num[to[e] & mask] == UNSEEN) {
        child = to[e] & mask;
        break;
      }
    }
    if (child != UNSEEN) {
      cursor[cur] = e + 1;
      uint32_t w = next++;
      num[child] = w;
      vx[w] = child;
      parent[w] = cur;
      cursor[w] = first[child];
      cur = w;
    } else if (cur == top) {
      return next;
    } else {
      cur = parent[cur];
    }
  }
}

#define SEMI(x) ((uint32_t)(x))
#define LABEL(x) ((uint32_t)((x) >> 32))
#define HIGH(x) ((uint32_t)((x) >> 32)) /* before linking: list cursor */
#define HIGH_ONE ((uint64_t)1 << 32)

/* Link-eval with path compression, for a vertex v linked after w (v > w):
 * the smallest semidominator on the forest path from v up to (not including)
 * its tree root. A vertex u is linked iff u > w; anc[u] is its forest
 * ancestor. Compression without recursion or a stack: walk up reversing
 * the ancestor pointers, then walk back down fixing labels and pointing
 * every vertex at the tree root. */
static uint32_t eval(uint32_t *anc, uint64_t *ls, uint32_t v, uint32_t w) {
  if (anc[v] <= w) return LABEL(ls[v]);
  uint32_t prev = NONE, x = v;
  while (anc[x] > w) {
    uint32_t up = anc[x];
    anc[x] = prev;
    prev = x;
    x = up;
  }
  const uint32_t r = anc[x];
  uint32_t lab = LABEL(ls[x]);
  while (prev != NONE) {
    uint32_t y = prev;
    prev = anc[y];
    uint32_t ly = LABEL(ls[y]);
    if (ly < lab) lab = ly;
    ls[y] = ((uint64_t)lab << 32) | SEMI(ls[y]);
    anc[y] = r;
  }
  return lab;
}

/* One pass over the essential edges between reached nodes, in DFS numbers
 * (retainer w, target u). Without `rn`: count the retainers above their
 * target in the high half of ls[u] and keep the smallest one below it in
 * the low half. With `rn`: put the ones above at rn[cursor], the cursor
 * being the high half of ls[u] (a list start, left as the list's end). */
static void higher_retainers(const ls__graph *g, const uint32_t *num,
                             uint64_t *ls, uint32_t *rn) {
  const ls_snapshot *s = g->s;
  const uint32_t *first = s->first_edge, *to = s->edge_to, mask = ls__edge_to_mask(s);
  for (uint64_t v = 0; v < s->node_count; v++) {
    const uint32_t w = num[v];
    if (w == UNSEEN) continue;
    for (uint64_t e = first[v]; e < first[v + 1]; e++) {
      if (!ls__edge_essential(g, e)) continue;
      const uint32_t u = num[to[e] & mask];
      if (u == UNSEEN) continue;
      if (w > u) {
        if (rn) rn[HIGH(ls[u])] = w;
        ls[u] += HIGH_ONE;
      } else if (!rn && w < SEMI(ls[u])) {
        ls[u] = (ls[u] & ~(uint64_t)UINT32_MAX) | w;
      }
    }
  }
}

ls_status ls__dominators(const ls__graph *g, const ls__ucol *self_size,
                         uint32_t *idom, uint64_t *retained, uint32_t *order,
                         void (*retainers_done)(void *ctx), void *ctx,
                         ls_error *err) {
  if (!g || !g->s || !self_size || !idom || !retained)
    return ls__set_error(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET, "ls__dominators: NULL argument");
  const ls_snapshot *s = g->s;
  const uint64_t n = s->node_count;
  const uint32_t root = s->root_ordinal;
  if (n == 0 || root >= n)
    return ls__set_error(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET, "ls__dominators: no root node");
  uint32_t *num = malloc(n * sizeof *num);
  uint32_t *vx = malloc(n * sizeof *vx);
  if (!num || !vx) {
    free(num);
    free(vx);
    return ls__set_error(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                "out of memory building the dominator tree of %llu nodes",
                (unsigned long long)n);
  }
  memset(num, 0xff, n * sizeof *num);
  uint32_t *parent = idom;    /* DFS space until the end */
  uint64_t *cursor = retained; /* DFS space, DFS phase only */

  /* 1. DFS from the root, then from every orphan (node without essential
   * retainers) as if the root had an edge to it. */
  uint32_t N = dfs(g, root, 0, 0, num, vx, parent, cursor);
  for (uint64_t v = 0; v < n; v++)
    if (num[v] == UNSEEN && !ls__node_held(g, v))
      N = dfs(g, (uint32_t)v, 0, N, num, vx, parent, cursor);

  /* 2. Retainers in DFS-number space. A retainer numbered below its target
   * counts as itself, so only the smallest such one is kept (in the low
   * half of ls[], which starts as NONE); the ones numbered above it need
   * eval() and are listed: rn, a reverse CSR of those edges only (about
   * two thirds of a heap's edges; the rest are mostly DFS tree edges),
   * whose list ends are in the high half of ls[] (w's list is from the end
   * of w-1's to its own end). Retainers the DFS did not reach (unreached
   * cycles) never count. Edge counts are below 2^32, so are the ends. */
  uint64_t *ls = retained;
  for (uint32_t w = 0; w < N; w++) ls[w] = NONE;
  higher_retainers(g, num, ls, NULL);
  uint32_t total = 0; /* counts to starts */
  for (uint32_t w = 0; w < N; w++) {
    uint32_t c = HIGH(ls[w]);
    ls[w] = ((uint64_t)total << 32) | SEMI(ls[w]);
    total += c;
  }
  uint32_t *rn = malloc((total ? total : 1) * sizeof *rn);
  if (!rn) goto oom;
  higher_retainers(g, num, ls, rn); /* starts become ends */

  /* Semidominators, in decreasing DFS number. ls[w] becomes
   * (label << 32 | semi); vx[w] becomes the forest ancestor once w is
   * linked (its node is found again from num[] at the end). Only ls[x] for
   * x > w is read as a label, so ls[w - 1] still holds w's list start. */
  uint32_t *anc = vx;
  for (uint32_t w = N - 1; w >= 1; w--) {
    uint32_t sd = SEMI(ls[w]);
    if (sd == NONE) {
      sd = 0; /* orphan: its only predecessor is the root */
    } else {
      const uint32_t end = HIGH(ls[w]);
      for (uint32_t r = HIGH(ls[w - 1]); r < end; r++) {
        uint32_t c = eval(anc, ls, rn[r], w);
        if (c < sd) sd = c;
      }
    }
    ls[w] = ((uint64_t)sd << 32) | sd;
    anc[w] = parent[w]; /* link */
  }
  free(rn);
  if (retainers_done) retainers_done(ctx);

  /* 3. Immediate dominators: the nearest common ancestor of the DFS parent
   * and the semidominator, walking up the dominators found so far. */
  parent[0] = 0;
  for (uint32_t w = 1; w < N; w++) {
    uint32_t d = parent[w];
    const uint32_t sd = SEMI(ls[w]);
    while (d > sd) d = idom[d];
    idom[w] = d; /* parent and idom share the array: d < w is final */
  }

  /* 4. Back to node space. */
  for (uint64_t v = 0; v < n; v++)
    if (num[v] != UNSEEN) vx[num[v]] = (uint32_t)v;
  for (uint32_t w = 0; w < N; w++) retained[w] = idom[w];
  for (uint64_t v = 0; v < n; v++) idom[v] = root; /* unreached: the root */
  for (uint32_t w = 1; w < N; w++) idom[vx[w]] = vx[(uint32_t)retained[w]];
  idom[root] = root;

  /* 5. Retained sizes: children before their dominator (decreasing DFS
   * number), unreached nodes straight onto the root. */
  for (uint64_t v = 0; v < n; v++) retained[v] = ls__ucol_get(self_size, v);
  for (uint32_t w = N - 1; w >= 1; w--) {
    uint32_t v = vx[w];
    retained[idom[v]] += retained[v];
  }
  uint64_t k = N;
  for (uint64_t v = 0; v < n; v++) {
    if (num[v] != UNSEEN) continue;
    retained[root] += retained[v];
    if (order) order[k++] = (uint32_t)v;
  }
  if (order) memcpy(order, vx, (size_t)N * sizeof *order);
  free(num);
  free(vx);
  return LS_OK;
oom:
  free(num);
  free(vx);
  return ls__set_error(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                       "out of memory for the retainers of %llu nodes",
                       (unsigned long long)n);
}
