/* Dominators and retained sizes: known trees, DevTools' orphan rules, and
 * random graphs against a slow textbook algorithm. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tsnap.h"
#include "graph/graph.h"
#include "algorithms/dominators.h"

typedef struct {
  ls_snapshot *s;
  ls__graph g;
  uint32_t idom[4096];
  uint64_t retained[4096];
  uint32_t order[4096];
} run;

static void run_dominators(const tsnap *t, run *r) {
  r->s = tsnap_read(t);
  assert_int_equal(ls__graph_build(r->s, &r->g, NULL), LS_OK);
  assert_int_equal(ls__dominators(&r->g, &r->s->node_self_size, r->idom,
                                  r->retained, r->order, NULL, NULL, NULL),
                   LS_OK);
}

static void run_free(run *r) {
  ls__graph_free(&r->g);
  ls_snapshot_free(r->s);
}

static void diamond_and_chain(void **state) {
  (void)state;
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int a = tsnap_node(t, "object", "A", 1);
  int b = tsnap_node(t, "object", "B", 2);
  int c = tsnap_node(t, "object", "C", 4);
  int d = tsnap_node(t, "object", "D", 8);
  tsnap_edge(t, root, "element", "1", a);
  tsnap_edge(t, root, "element", "2", b);
  tsnap_edge(t, a, "property", "c", c);
  tsnap_edge(t, b, "property", "c", c);
  tsnap_edge(t, c, "property", "d", d);
  tsnap_edge(t, d, "property", "back", c); /* a cycle does not change it */
  static run r;
  run_dominators(t, &r);
  assert_int_equal(r.idom[root], root);
  assert_int_equal(r.idom[a], root);
  assert_int_equal(r.idom[b], root);
  assert_int_equal(r.idom[c], root); /* two ways in */
  assert_int_equal(r.idom[d], c);
  assert_int_equal(r.retained[c], 12);
  assert_int_equal(r.retained[a], 1);
  assert_int_equal(r.retained[root], 15);
  assert_int_equal(r.order[0], root);
  run_free(&r);
  tsnap_free(t);
}

/* DevTools: a node held only weakly hangs from the root with what it holds;
 * a cycle nothing reaches hangs from the root node by node. */
static void orphans_and_lost_cycles(void **state) {
  (void)state;
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int a = tsnap_node(t, "object", "A", 1);
  int w = tsnap_node(t, "object", "Weak", 2);
  int wc = tsnap_node(t, "object", "WeakChild", 4);
  int x = tsnap_node(t, "object", "X", 8);
  int y = tsnap_node(t, "object", "Y", 16);
  tsnap_edge(t, root, "element", "1", a);
  tsnap_edge(t, a, "weak", "w", w);
  tsnap_edge(t, w, "property", "c", wc);
  tsnap_edge(t, x, "property", "y", y);
  tsnap_edge(t, y, "property", "x", x);
  static run r;
  run_dominators(t, &r);
  assert_int_equal(r.idom[w], root);
  assert_int_equal(r.idom[wc], w);
  assert_int_equal(r.retained[w], 6);
  assert_int_equal(r.idom[x], root);
  assert_int_equal(r.idom[y], root);
  assert_int_equal(r.retained[x], 8);
  assert_int_equal(r.retained[root], 31);
  run_free(&r);
  tsnap_free(t);
}

/* Textbook dominators by iterating set intersections to a fixed point, on
 * the essential edges plus root -> every node without essential retainers. */
#define MAXN 64
static void slow_dominators(const run *r, uint32_t *idom) {
  const ls_snapshot *s = r->s;
  const int n = (int)s->node_count, root = (int)s->root_ordinal;
  static uint64_t dom[MAXN];
  int pred[MAXN][MAXN * 8], np[MAXN];
  memset(np, 0, sizeof np);
  for (int v = 0; v < n; v++)
    for (uint64_t e = s->first_edge[v]; e < s->first_edge[v + 1]; e++)
      if (ls__edge_essential(&r->g, e)) {
        int to = (int)ls__edge_to(s, e);
        pred[to][np[to]++] = v;
      }
  for (int v = 0; v < n; v++)
    if (v != root && np[v] == 0) pred[v][np[v]++] = root;
  uint64_t all = n == 64 ? ~0ull : (1ull << n) - 1;
  for (int v = 0; v < n; v++) dom[v] = v == root ? 1ull << root : all;
  for (int changed = 1; changed;) {
    changed = 0;
    for (int v = 0; v < n; v++) {
      if (v == root) continue;
      uint64_t d = all;
      for (int k = 0; k < np[v]; k++) d &= dom[pred[v][k]];
      d |= 1ull << v;
      if (d != dom[v]) dom[v] = d, changed = 1;
    }
  }
  /* reachable from the root over the same edges (a full dom set cannot tell
   * an unreachable node from one every node dominates) */
  int reach[MAXN] = {0}, grew = 1;
  reach[root] = 1;
  while (grew) {
    grew = 0;
    for (int v = 0; v < n; v++)
      for (int k = 0; k < np[v] && !reach[v]; k++)
        if (reach[pred[v][k]]) reach[v] = grew = 1;
  }
  for (int v = 0; v < n; v++) {
    if (v == root || !reach[v]) {
      idom[v] = (uint32_t)root; /* unreachable: DevTools uses the root */
      continue;
    }
    /* dominators form a chain: the idom is dominated by all the others */
    uint64_t strict = dom[v] & ~(1ull << v);
    for (int u = 0; u < n; u++)
      if ((strict >> u & 1) && dom[u] == strict) idom[v] = (uint32_t)u;
  }
}

static void random_graphs_match_textbook(void **state) {
  (void)state;
  srand(12345);
  static const char *types[] = {"property", "element", "weak", "internal",
                                "context", "hidden"};
  for (int round = 0; round < 300; round++) {
    tsnap *t = tsnap_new();
    int n = 2 + rand() % (MAXN - 2);
    tsnap_node(t, "synthetic", "", 0);
    for (int i = 1; i < n; i++) tsnap_node(t, "object", "O", 1 + rand() % 9);
    int m = rand() % (3 * n);
    for (int e = 0; e < m; e++)
      tsnap_edge(t, rand() % n, types[rand() % 6], "3", rand() % n);
    static run r;
    run_dominators(t, &r);
    uint32_t want[MAXN];
    slow_dominators(&r, want);
    for (int v = 0; v < n; v++) {
      if (r.idom[v] != want[v]) {
        for (int u = 0; u < n; u++)
          for (uint64_t e = r.s->first_edge[u]; e < r.s->first_edge[u + 1]; e++)
            if (ls__edge_essential(&r.g, e))
              fprintf(stderr, "%d -> %u\n", u, ls__edge_to(r.s, e));
        fail_msg("round %d node %d: idom %u, textbook %u", round, v,
                 r.idom[v], want[v]);
      }
    }
    /* retained = own size + retained of the dominated */
    for (int v = 0; v < n; v++) {
      uint64_t sum = ls__node_self(r.s, v);
      for (int c = 0; c < n; c++)
        if (c != v && r.idom[c] == (uint32_t)v) sum += r.retained[c];
      assert_int_equal(r.retained[v], sum);
    }
    run_free(&r);
    tsnap_free(t);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(diamond_and_chain),
      cmocka_unit_test(orphans_and_lost_cycles),
      cmocka_unit_test(random_graphs_match_textbook),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
