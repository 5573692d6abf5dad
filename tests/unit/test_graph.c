/* Graph layer: essential edges, user roots, page objects, retainers;
 * DevTools' shallow sizes and distances on top of it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tsnap.h"
#include "graph/graph.h"
#include "algorithms/distances.h"
#include "algorithms/shallow.h"
#include "analyses/heap.h"

/* Index of the k-th edge (in file order) of node v. */
static uint64_t edge_of(const ls_snapshot *s, uint32_t v, unsigned k) {
  return s->first_edge[v] + k;
}

static void essential_edges_follow_devtools(void **state) {
  (void)state;
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int gc = tsnap_node(t, "synthetic", "(GC roots)", 0);
  int global = tsnap_node(t, "object", "global", 10);
  int a = tsnap_node(t, "object", "A", 10);
  int b = tsnap_node(t, "object", "B", 10);
  int dbg = tsnap_node(t, "object", "Debugger", 10);
  tsnap_edge(t, root, "element", "1", gc);
  tsnap_edge(t, root, "shortcut", "global", global);
  tsnap_edge(t, gc, "element", "1", global);
  tsnap_edge(t, gc, "element", "2", dbg);
  tsnap_edge(t, global, "property", "a", a);   /* essential */
  tsnap_edge(t, global, "weak", "w", b);       /* weak: no */
  tsnap_edge(t, a, "property", "self", a);     /* self edge: no */
  tsnap_edge(t, a, "shortcut", "s", b);        /* shortcut off root: no */
  tsnap_edge(t, a, "property", "b", b);        /* essential */
  tsnap_edge(t, dbg, "property", "peek", a);   /* outside -> page: no */
  ls_snapshot *s = tsnap_read(t);
  ls__graph g;
  ls_error err;
  assert_int_equal(ls__graph_build(s, &g, &err), LS_OK);
  assert_true(g.has_user_roots);
  assert_true(g.flags[global] & LS__NF_USER_ROOT);
  assert_false(g.flags[gc] & LS__NF_USER_ROOT); /* synthetic */
  assert_true(g.flags[a] & LS__NF_PAGE_OBJECT);
  assert_true(g.flags[b] & LS__NF_PAGE_OBJECT);
  assert_false(g.flags[dbg] & LS__NF_PAGE_OBJECT);
  assert_true(ls__edge_essential(&g, edge_of(s, root, 1)));
  assert_true(ls__edge_essential(&g, edge_of(s, global, 0)));
  assert_false(ls__edge_essential(&g, edge_of(s, global, 1)));
  assert_false(ls__edge_essential(&g, edge_of(s, a, 0)));
  assert_false(ls__edge_essential(&g, edge_of(s, a, 1)));
  assert_true(ls__edge_essential(&g, edge_of(s, a, 2)));
  assert_false(ls__edge_essential(&g, edge_of(s, dbg, 0)));
  /* held: the targets of essential edges (the root has none) */
  assert_true(ls__node_held(&g, a));
  assert_true(ls__node_held(&g, b));
  assert_true(ls__node_held(&g, global));
  assert_false(ls__node_held(&g, root));
  ls__graph_free(&g);
  ls_snapshot_free(s);
  tsnap_free(t);
}

static void weakmap_table_edge_is_not_essential(void **state) {
  (void)state;
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int table = tsnap_node(t, "array", "system / EphemeronHashTable", 10);
  int key = tsnap_node(t, "object", "Key", 10);
  int val = tsnap_node(t, "object", "Value", 10);
  char name[256];
  snprintf(name, sizeof name,
           "3 / part of key (Key @%llu) -> value (Value @%llu) pair in "
           "WeakMap (table @%llu)",
           t->nodes[key].id, t->nodes[val].id, t->nodes[table].id);
  tsnap_edge(t, root, "element", "1", table);
  tsnap_edge(t, root, "element", "2", key);
  tsnap_edge(t, table, "internal", name, val);
  name[0] = '4'; /* the key's copy differs only in the leading index */
  tsnap_edge(t, key, "internal", name, val);
  ls_snapshot *s = tsnap_read(t);
  ls__graph g;
  assert_int_equal(ls__graph_build(s, &g, NULL), LS_OK);
  assert_false(ls__edge_essential(&g, edge_of(s, table, 0)));
  assert_true(ls__edge_essential(&g, edge_of(s, key, 0)));
  uint64_t tid = 0, off = 0;
  assert_true(ls__weakmap_edge_name(s, ls__edge_name(s, edge_of(s, key, 0)),
                                    &tid, &off));
  assert_int_equal(tid, t->nodes[table].id);
  assert_int_equal(off, 1);
  /* not ephemeron names */
  assert_false(ls__weakmap_edge_name(s, s->node_name[key], &tid, &off));
  ls__graph_free(&g);
  ls_snapshot_free(s);
  tsnap_free(t);
}

/* Random graphs: a node is held exactly when an essential edge ends at it. */
static void held_matches_essential_edges(void **state) {
  (void)state;
  srand(7);
  for (int round = 0; round < 20; round++) {
    tsnap *t = tsnap_new();
    int n = 2 + rand() % 60;
    tsnap_node(t, "synthetic", "", 0);
    for (int i = 1; i < n; i++) tsnap_node(t, "object", "O", 8);
    int m = rand() % (4 * n);
    static const char *types[] = {"property", "element", "weak", "internal",
                                  "shortcut", "hidden", "context"};
    for (int e = 0; e < m; e++)
      tsnap_edge(t, rand() % n, types[rand() % 7], "7", rand() % n);
    ls_snapshot *s = tsnap_read(t);
    ls__graph g;
    assert_int_equal(ls__graph_build(s, &g, NULL), LS_OK);
    for (int v = 0; v < n; v++) {
      uint64_t want = 0;
      for (uint64_t e = 0; e < s->edge_count; e++)
        want += ls__edge_to(s, e) == (uint32_t)v && ls__edge_essential(&g, e);
      assert_int_equal(ls__node_held(&g, v), want > 0);
    }
    ls__graph_free(&g);
    ls_snapshot_free(s);
    tsnap_free(t);
  }
}

static void shallow_sizes_move_to_single_owner(void **state) {
  (void)state;
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int global = tsnap_node(t, "object", "global", 10);
  int a = tsnap_node(t, "object", "A", 100);
  int arr = tsnap_node(t, "array", "(object elements)", 40);  /* a's only */
  int hid = tsnap_node(t, "hidden", "system / Map", 7);       /* via arr */
  int b = tsnap_node(t, "object", "B", 5);
  int shared = tsnap_node(t, "array", "(shared)", 30);        /* a and b */
  int weakly = tsnap_node(t, "array", "(weakly)", 3);         /* weak only */
  tsnap_edge(t, root, "shortcut", "global", global);
  tsnap_edge(t, global, "property", "a", a);
  tsnap_edge(t, global, "property", "b", b);
  tsnap_edge(t, a, "internal", "elements", arr);
  tsnap_edge(t, arr, "element", "0", hid);
  tsnap_edge(t, a, "internal", "s", shared);
  tsnap_edge(t, b, "internal", "s", shared);
  tsnap_edge(t, a, "weak", "w", weakly);
  ls_snapshot *s = tsnap_read(t);
  ls__graph g;
  assert_int_equal(ls__graph_build(s, &g, NULL), LS_OK);
  uint64_t raw = 0;
  for (uint64_t v = 0; v < s->node_count; v++) raw += ls__node_self(s, v);
  assert_int_equal(ls__shallow_sizes(&g, &s->node_self_size, NULL), LS_OK);
  uint64_t out[16];
  for (uint64_t v = 0; v < s->node_count; v++) out[v] = ls__node_self(s, v);
  assert_int_equal(out[a], 100 + 40 + 7);
  assert_int_equal(out[arr], 0);
  assert_int_equal(out[hid], 0);
  assert_int_equal(out[shared], 30); /* two owners: stays */
  assert_int_equal(out[b], 5);
  assert_int_equal(out[weakly], 3);  /* weak edges do not own */
  assert_int_equal(out[root], 0);
  uint64_t total = 0;
  for (uint64_t v = 0; v < s->node_count; v++) total += out[v];
  assert_int_equal(total, raw); /* sizes move, never vanish */
  ls__graph_free(&g);
  ls_snapshot_free(s);
  tsnap_free(t);
}

/* An owner whose sum passes 2^32 widens the sizes column; the others keep
 * their values. */
static void shallow_sizes_widen_past_32_bits(void **state) {
  (void)state;
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int a = tsnap_node(t, "object", "A", 3000000000u);
  int arr = tsnap_node(t, "array", "(object elements)", 2000000000u);
  int b = tsnap_node(t, "object", "B", 12);
  tsnap_edge(t, root, "shortcut", "a", a);
  tsnap_edge(t, root, "shortcut", "b", b);
  tsnap_edge(t, a, "internal", "elements", arr);
  ls_snapshot *s = tsnap_read(t);
  ls__graph g;
  assert_int_equal(ls__graph_build(s, &g, NULL), LS_OK);
  assert_non_null(s->node_self_size.w32);
  assert_int_equal(ls__shallow_sizes(&g, &s->node_self_size, NULL), LS_OK);
  assert_non_null(s->node_self_size.w64);
  assert_true(ls__node_self(s, a) == 5000000000ULL);
  assert_int_equal(ls__node_self(s, arr), 0);
  assert_int_equal(ls__node_self(s, b), 12);
  assert_int_equal(ls__node_self(s, root), 0);
  ls__graph_free(&g);
  ls_snapshot_free(s);
  tsnap_free(t);
}

static void shallow_sizes_raw_without_user_roots(void **state) {
  (void)state;
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int gc = tsnap_node(t, "synthetic", "(GC roots)", 0);
  int a = tsnap_node(t, "object", "A", 100);
  int arr = tsnap_node(t, "array", "(object elements)", 40);
  tsnap_edge(t, root, "element", "1", gc);
  tsnap_edge(t, gc, "element", "1", a);
  tsnap_edge(t, a, "internal", "elements", arr);
  ls_snapshot *s = tsnap_read(t);
  ls__graph g;
  assert_int_equal(ls__graph_build(s, &g, NULL), LS_OK);
  assert_false(g.has_user_roots);
  assert_int_equal(ls__shallow_sizes(&g, &s->node_self_size, NULL), LS_OK);
  assert_int_equal(ls__node_self(s, a), 100);
  assert_int_equal(ls__node_self(s, arr), 40);
  uint32_t dist[4];
  assert_int_equal(ls__distances(&g, dist, NULL, NULL), LS_OK);
  assert_int_equal(dist[root], 0); /* no user roots: counted from the root */
  assert_int_equal(dist[a], 2);
  assert_int_equal(dist[arr], 3);
  ls__graph_free(&g);
  ls_snapshot_free(s);
  tsnap_free(t);
}

static void distances_user_roots_first(void **state) {
  (void)state;
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int gc = tsnap_node(t, "synthetic", "(GC roots)", 0);
  int global = tsnap_node(t, "object", "global", 10);
  int a = tsnap_node(t, "object", "A", 10);
  int sys = tsnap_node(t, "object", "Internal", 10);
  int w = tsnap_node(t, "object", "OnlyWeak", 10);
  int lost = tsnap_node(t, "object", "Unreachable", 10);
  tsnap_edge(t, root, "element", "1", gc);
  tsnap_edge(t, root, "shortcut", "global", global);
  tsnap_edge(t, gc, "element", "1", sys);
  tsnap_edge(t, sys, "property", "a", a); /* shorter from the root... */
  tsnap_edge(t, global, "property", "x", sys);
  tsnap_edge(t, sys, "property", "y", a);
  tsnap_edge(t, global, "weak", "w", w);
  (void)lost;
  ls_snapshot *s = tsnap_read(t);
  ls__graph g;
  assert_int_equal(ls__graph_build(s, &g, NULL), LS_OK);
  uint32_t dist[8];
  assert_int_equal(ls__distances(&g, dist, NULL, NULL), LS_OK);
  assert_int_equal(dist[global], 1);
  assert_int_equal(dist[sys], 2);
  assert_int_equal(dist[a], 3); /* ...but user roots are searched first */
  assert_int_equal(dist[root], LS__BASE_SYSTEM_DISTANCE);
  assert_int_equal(dist[gc], LS__BASE_SYSTEM_DISTANCE + 1);
  assert_int_equal(dist[w], LS__NO_DISTANCE); /* weak edges do not count */
  assert_int_equal(dist[lost], LS__NO_DISTANCE);
  ls__graph_free(&g);
  ls_snapshot_free(s);
  tsnap_free(t);
}

/* Deliberate difference from DevTools (32-bit self sizes there): an object
 * over 4 GiB is reported whole, in the summary and the totals. */
static void sizes_over_4gib_stay_whole(void **state) {
  (void)state;
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int global = tsnap_node(t, "object", "global", 10);
  int big = tsnap_node(t, "object", "Huge", 5000000000ull);
  int arr = tsnap_node(t, "array", "(object elements)", 4300000000ull);
  tsnap_edge(t, root, "shortcut", "global", global);
  tsnap_edge(t, global, "property", "big", big);
  tsnap_edge(t, big, "internal", "elements", arr);
  ls_heap *h = NULL;
  assert_int_equal(ls_heap_build(tsnap_read(t), NULL, &h, NULL), LS_OK);
  ls_summary *sum = NULL;
  assert_int_equal(ls_summary_build(h, 0, &sum, NULL), LS_OK);
  int found = 0;
  for (size_t i = 0; i < sum->row_count; i++) {
    if (strcmp(sum->rows[i].name, "Huge")) continue;
    found = 1;
    assert_int_equal(sum->rows[i].self_size, 9300000000ull);
    assert_int_equal(sum->rows[i].retained_size, 9300000000ull);
  }
  assert_true(found);
  assert_int_equal(sum->totals.total_size, 9300000010ull);
  ls_summary_free(sum);
  ls_heap_free(h);
  tsnap_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(essential_edges_follow_devtools),
      cmocka_unit_test(weakmap_table_edge_is_not_essential),
      cmocka_unit_test(held_matches_essential_edges),
      cmocka_unit_test(shallow_sizes_move_to_single_owner),
      cmocka_unit_test(shallow_sizes_widen_past_32_bits),
      cmocka_unit_test(shallow_sizes_raw_without_user_roots),
      cmocka_unit_test(distances_user_roots_first),
      cmocka_unit_test(sizes_over_4gib_stay_whole),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
