/* Analyses: class aggregation and the top list over a hand-made heap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyses/heap.h"

/* Dominator tree used below (self size / class):
 *   0 root (0, R)
 *   ├─ 1 A (10)         retained 100
 *   │   ├─ 2 A (30)     retained 50
 *   │   │   └─ 3 B (20)
 *   │   └─ 5 B (40)     (another A below it: 6)
 *   │        └─ 6 A (0, has no size: not counted)
 *   ├─ 4 A (7)          retained 7
 *   └─ 7 C (1)          synthetic type, retained 1   */
enum { N = 8 };
static uint64_t ids[N] = {1, 3, 5, 7, 9, 11, 13, 15};
static uint64_t self_sz[N] = {0, 10, 30, 20, 7, 40, 0, 1};
static uint32_t idom[N] = {0, 0, 1, 2, 0, 1, 5, 0};
static uint64_t retained[N] = {158, 100, 50, 20, 7, 40, 0, 1};
static uint32_t node_class[N] = {0, 1, 1, 2, 1, 2, 1, 3};
static uint8_t node_type[N] = {1, 0, 0, 0, 0, 0, 0, 1};

struct fixture {
  ls_snapshot s;
  ls_heap h;
  ls__ucol self_col;
  ls__class classes[4];
  char *type_names[2];
};

static int setup(void **state) {
  struct fixture *f = calloc(1, sizeof *f);
  f->type_names[0] = "object";
  f->type_names[1] = "synthetic";
  f->s.node_type_names = f->type_names;
  f->s.node_type_count = 2;
  f->s.nt.synthetic = 1;
  f->s.node_count = N;
  f->s.edge_count = 9;
  f->s.node_id.w64 = ids;
  f->s.node_type = node_type;
  f->s.root_ordinal = 0;
  f->s.extra_native_bytes = 2;
  f->classes[0].name = "(root)";
  f->classes[1].name = "A";
  f->classes[2].name = "B";
  f->classes[3].name = "C";
  f->classes[2].has_location = 1;
  f->classes[2].script_id = 7;
  f->classes[2].line = 8;
  f->classes[2].column = 9;
  f->h.s = &f->s;
  f->h.classes.count = 4;
  f->h.classes.items = f->classes;
  f->h.classes.node_class = node_class;
  f->self_col.w64 = self_sz;
  f->h.self = &f->self_col;
  f->h.idom = idom;
  f->h.retained.w64 = retained;
  uint32_t *dist = calloc(N, sizeof *dist);
  for (int i = 0; i < N; i++) dist[i] = (uint32_t)i;
  dist[6] = UINT32_MAX;
  f->h.distance = dist;
  /* dominator-tree CSR, from idom */
  f->h.dom_first = calloc(N + 1, sizeof *f->h.dom_first);
  f->h.dom_child = calloc(N, sizeof *f->h.dom_child);
  size_t k = 0;
  for (uint32_t v = 0; v < N; v++) {
    f->h.dom_first[v] = k;
    for (uint32_t c = 1; c < N; c++)
      if (idom[c] == v) f->h.dom_child[k++] = c;
  }
  f->h.dom_first[N] = k;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  struct fixture *f = *state;
  free(f->h.distance);
  free(f->h.dom_first);
  free(f->h.dom_child);
  free(f);
  return 0;
}

static const ls_class_row *row(const ls_summary *s, const char *name) {
  for (size_t i = 0; i < s->row_count; i++)
    if (!strcmp(s->rows[i].name, name)) return &s->rows[i];
  return NULL;
}

static void class_rows(void **state) {
  struct fixture *f = *state;
  ls_summary *s = NULL;
  assert_int_equal(ls_summary_build(&f->h, 0, &s, NULL), LS_OK);
  /* (root) has no self size: no row, like DevTools */
  assert_int_equal(s->class_count, 3);
  assert_int_equal(s->row_count, 3);
  const ls_class_row *a = row(s, "A"), *b = row(s, "B"), *c = row(s, "C");
  assert_non_null(a);
  assert_non_null(b);
  assert_non_null(c);
  assert_int_equal(a->count, 3); /* node 6 has no size */
  assert_int_equal(a->self_size, 47);
  /* A instances not under another A: 1 (100) and 4 (7) */
  assert_int_equal(a->retained_size, 107);
  assert_int_equal(b->count, 2);
  assert_int_equal(b->self_size, 60);
  /* both B are under no other B */
  assert_int_equal(b->retained_size, 60);
  assert_string_equal(b->location, "7,8,9");
  assert_null(a->location);
  /* sorted by retained size */
  assert_string_equal(s->rows[0].name, "A");
  assert_string_equal(s->rows[1].name, "B");
  assert_string_equal(s->rows[2].name, "C");
  assert_int_equal(s->totals.total_size, 160); /* root + extra native */
  ls_summary_free(s);
}

static void class_rows_limit(void **state) {
  struct fixture *f = *state;
  ls_summary *s = NULL;
  assert_int_equal(ls_summary_build(&f->h, 1, &s, NULL), LS_OK);
  assert_int_equal(s->class_count, 3);
  assert_int_equal(s->row_count, 1);
  assert_string_equal(s->rows[0].name, "A");
  ls_summary_free(s);
}

static void top_objects(void **state) {
  struct fixture *f = *state;
  ls_top *t = NULL;
  assert_int_equal(ls_top_build(&f->h, 3, &t, NULL), LS_OK);
  assert_int_equal(t->row_count, 3);
  assert_int_equal(t->rows[0].id, 3);  /* node 1, retained 100 */
  assert_int_equal(t->rows[1].id, 5);  /* node 2, 50 */
  assert_int_equal(t->rows[2].id, 11); /* node 5, 40 */
  assert_string_equal(t->rows[0].class_name, "A");
  assert_string_equal(t->rows[0].type, "object");
  ls_top_free(t);
  /* more than there are: everything but the root and the synthetic node */
  assert_int_equal(ls_top_build(&f->h, 100, &t, NULL), LS_OK);
  assert_int_equal(t->row_count, 6);
  for (size_t i = 0; i < t->row_count; i++) {
    assert_int_not_equal(t->rows[i].id, 1);
    assert_int_not_equal(t->rows[i].id, 15);
    if (i) assert_true(t->rows[i - 1].retained_size >= t->rows[i].retained_size);
  }
  assert_int_equal(t->rows[5].distance, UINT32_MAX);
  ls_top_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(class_rows, setup, teardown),
      cmocka_unit_test_setup_teardown(class_rows_limit, setup, teardown),
      cmocka_unit_test_setup_teardown(top_objects, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
