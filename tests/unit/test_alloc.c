/* Allocation sites (src/analyses/alloc.c): which frame is a site (Node's
 * own and V8's builtins folded), the folded frames kept apart, sites merged
 * by function with the stack of their largest stack, groups merged, and
 * script ids named from the trace function infos. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "leakscope.h"
#include "analyses/alloc.h"

/* Trace tree (ids): 1 (root) -> 2 listOnTimeout (node:internal/timers)
 *   -> 3 main (/app.js:2:14) -> 4 push (builtin: no script, no line)
 *   -> 6 helper (/app.js:9:20)
 * 2 -> 5 emit (node:events): a stack without the program's code.
 * Nodes: root; A made by 4 (100 B), B by 5 (40 B), C by 3 (50 B), D by 6
 * (30 B), E untracked. */
static const char *SNAP =
    "{\"snapshot\":{\"meta\":{\"node_fields\":[\"type\",\"name\",\"id\",\"self_size\","
    "\"edge_count\",\"trace_node_id\"],\"node_types\":[[\"hidden\",\"array\",\"string\","
    "\"object\",\"code\",\"closure\",\"regexp\",\"number\",\"native\",\"synthetic\"],"
    "\"string\",\"number\",\"number\",\"number\",\"number\"],\"edge_fields\":[\"type\","
    "\"name_or_index\",\"to_node\"],\"edge_types\":[[\"context\",\"element\",\"property\","
    "\"internal\",\"hidden\",\"shortcut\",\"weak\"],\"string_or_number\",\"node\"]},"
    "\"node_count\":6,\"edge_count\":5,\"trace_function_count\":6},"
    "\"nodes\":[9,0,1,0,5,0, 3,1,3,100,0,4, 3,1,5,40,0,5, 3,1,7,50,0,3, 3,1,9,30,0,6,"
    " 3,1,11,10,0,0],"
    "\"edges\":[1,1,6,1,2,12,1,3,18,1,4,24,1,5,30],"
    "\"trace_function_infos\":[0,2,0,0,0,0, 1,6,5,4,500,20, 2,3,4,3,2,14, 3,7,0,0,0,0,"
    " 4,8,9,5,400,10, 5,10,4,3,9,20],"
    "\"trace_tree\":[1,0,0,0,[2,1,0,0,[3,2,0,0,[4,3,0,0,[],6,5,0,0,[]],5,4,0,0,[]]]],"
    "\"locations\":[],"
    "\"strings\":[\"\",\"A\",\"(root)\",\"main\",\"/app.js\",\"node:internal/timers\","
    "\"listOnTimeout\",\"push\",\"emit\",\"node:events\",\"helper\"]}";

static ls_snapshot *load(void) {
  ls_error err;
  ls_snapshot *s = NULL;
  ls_reader *r = ls_reader_new(&err);
  assert_non_null(r);
  if (ls_reader_feed(r, SNAP, strlen(SNAP), &err) != LS_OK ||
      ls_reader_finish(r, &s, &err) != LS_OK)
    fail_msg("reading the test snapshot: %s", err.message);
  ls_reader_free(r);
  return s;
}

typedef struct {
  uint32_t group[4];
  ls_alloc_site *sites[4];
  size_t n[4], count;
} got;

static int put(void *ctx, uint32_t group, ls_alloc_site *sites, size_t n) {
  got *g = ctx;
  assert_true(g->count < 4);
  g->group[g->count] = group;
  g->sites[g->count] = sites;
  g->n[g->count++] = n;
  return 0;
}

static void free_got(got *g) {
  for (size_t i = 0; i < g->count; i++) ls__alloc_sites_free(g->sites[i], g->n[i]);
}

static void test_sites_folded(void **state) {
  (void)state;
  ls_snapshot *s = load();
  ls__alloc a;
  assert_int_equal(ls__alloc_init(s, &a, NULL), LS_OK);
  /* node ordinals 1..5 are A..E */
  uint32_t tA = ls__alloc_of(&a, 1), tB = ls__alloc_of(&a, 2), tC = ls__alloc_of(&a, 3),
           tD = ls__alloc_of(&a, 4);
  assert_int_equal(ls__alloc_of(&a, 5), LS__MAP_NONE); /* untracked */
  assert_int_equal(s->tn_id[tA], 4);
  /* the builtin folds into main; main and helper are their own sites; a
   * stack of Node's frames only keeps its innermost */
  assert_int_equal(s->tn_id[a.site[tA]], 3);
  assert_int_equal(s->tn_id[a.site[tC]], 3);
  assert_int_equal(s->tn_id[a.site[tD]], 6);
  assert_int_equal(s->tn_id[a.site[tB]], 5);

  ls__alloc_acc acc;
  assert_int_equal(ls__alloc_acc_init(&acc, 8), 0);
  assert_int_equal(ls__alloc_acc_add(&acc, 8, tA, 1, 100), -1); /* no such group */
  assert_int_equal(ls__alloc_acc_add(&acc, 0, tA, 1, 100), 0);
  assert_int_equal(ls__alloc_acc_add(&acc, 0, tC, 1, 50), 0);
  assert_int_equal(ls__alloc_acc_add(&acc, 0, tD, 1, 30), 0);
  assert_int_equal(ls__alloc_acc_add(&acc, 1, tB, 1, 40), 0);
  assert_int_equal(ls__alloc_acc_add(&acc, 1, tB, 2, 80), 0);
  assert_int_equal(ls__alloc_acc_merge(&acc, 1, 7), 0);
  got g = {0};
  assert_int_equal(ls__alloc_sites(&a, &acc, put, &g, NULL), LS_OK);
  assert_int_equal(g.count, 3);

  /* group 0: main (A and C merged: 2 objects, 150 B, A's stack), helper */
  assert_int_equal(g.group[0], 0);
  assert_int_equal(g.n[0], 2);
  const ls_alloc_site *m = &g.sites[0][0];
  assert_string_equal(m->at.function, "main");
  assert_string_equal(m->at.script, "/app.js");
  assert_int_equal(m->at.line, 2);
  assert_int_equal(m->at.column, 14);
  assert_int_equal(m->count, 2);
  assert_int_equal(m->size, 150);
  assert_int_equal(m->stack_len, 2); /* main, listOnTimeout; no (root) */
  assert_string_equal(m->stack[0].function, "main");
  assert_string_equal(m->stack[1].function, "listOnTimeout");
  assert_string_equal(m->stack[1].script, "node:internal/timers");
  assert_int_equal(m->internal_len, 1);
  assert_string_equal(m->internal[0].function, "push");
  assert_string_equal(g.sites[0][1].at.function, "helper");
  assert_int_equal(g.sites[0][1].stack_len, 3);
  assert_string_equal(g.sites[0][1].stack[1].function, "main");

  /* group 1: Node's emit is the site when nothing above is the program's */
  assert_int_equal(g.group[1], 1);
  assert_int_equal(g.n[1], 1);
  assert_string_equal(g.sites[1][0].at.function, "emit");
  assert_int_equal(g.sites[1][0].count, 3);
  assert_int_equal(g.sites[1][0].size, 120);
  assert_int_equal(g.sites[1][0].internal_len, 0);
  /* group 7 got group 1's counts */
  assert_int_equal(g.group[2], 7);
  assert_int_equal(g.sites[2][0].size, 120);

  /* a deep copy is equal and separately owned */
  int fail = 0;
  ls_alloc_site *cp = ls__alloc_sites_copy(g.sites[0], g.n[0], &fail);
  assert_false(fail);
  assert_string_equal(cp[0].internal[0].function, "push");
  assert_ptr_not_equal(cp[0].at.function, g.sites[0][0].at.function);
  ls__alloc_sites_free(cp, g.n[0]);

  free_got(&g);
  ls__alloc_acc_free(&acc);
  ls__alloc_free(&a);
  ls_snapshot_free(s);
}

static void test_script_names(void **state) {
  (void)state;
  ls_snapshot *s = load();
  uint32_t ids[3] = {3, 5, 99}, names[3];
  assert_int_equal(ls__script_names(s, ids, 3, names), 0);
  assert_string_equal(ls__str(s, names[0]), "/app.js");
  assert_string_equal(ls__str(s, names[1]), "node:events");
  assert_int_equal(names[2], LS__MAP_NONE);
  ls_snapshot_free(s);
}

/* Without tracking data: an empty index, no site for anything. */
static void test_untracked_snapshot(void **state) {
  (void)state;
  ls_snapshot *s = load();
  free(s->node_trace);
  s->node_trace = NULL;
  ls__alloc a;
  assert_int_equal(ls__alloc_init(s, &a, NULL), LS_OK);
  assert_int_equal(ls__alloc_of(&a, 1), LS__MAP_NONE);
  ls__alloc_acc acc;
  assert_int_equal(ls__alloc_acc_init(&acc, 1), 0);
  got g = {0};
  assert_int_equal(ls__alloc_sites(&a, &acc, put, &g, NULL), LS_OK);
  assert_int_equal(g.count, 0);
  ls__alloc_acc_free(&acc);
  ls__alloc_free(&a);
  ls_snapshot_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sites_folded),
      cmocka_unit_test(test_script_names),
      cmocka_unit_test(test_untracked_snapshot),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
