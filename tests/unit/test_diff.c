/* Diff of two snapshots: digest, id matching, per-class-name rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "render/render.h"
#include "tsnap.h"

/* An object node with a chosen id, held by the root. */
static int obj(tsnap *t, const char *cls, unsigned long long id,
               unsigned long long size) {
  int v = tsnap_node(t, "object", cls, size);
  t->nodes[v].id = id;
  char e[32];
  snprintf(e, sizeof e, "p%d", v);
  tsnap_edge(t, 0, "property", e, v);
  return v;
}

static ls_heap *heap_of(tsnap *t) {
  ls_heap *h = NULL;
  assert_int_equal(ls_heap_build(tsnap_read(t), NULL, &h, NULL), LS_OK);
  return h;
}

/* Diff two tsnaps the way the CLI does: OLD's heap is freed before NEW is
 * built, so nothing of the diff may point into it. */
static ls_diff *diff_of(tsnap *a, tsnap *b) {
  ls_heap *h = heap_of(a);
  ls_digest *d = NULL;
  ls_error err;
  assert_int_equal(ls_digest_build(h, &d, &err), LS_OK);
  ls_heap_free(h);
  h = heap_of(b);
  ls_diff *df = NULL;
  assert_int_equal(ls_diff_build(d, h, &df, &err), LS_OK);
  ls_digest_free(d);
  ls_heap_free(h);
  return df;
}

static const ls_diff_row *row(const ls_diff *d, const char *name) {
  for (size_t i = 0; i < d->row_count; i++)
    if (!strcmp(d->rows[i].name, name)) return &d->rows[i];
  return NULL;
}

static void check_row(const ls_diff *d, const char *name, uint64_t added,
                      uint64_t removed, uint64_t added_size,
                      uint64_t removed_size) {
  const ls_diff_row *r = row(d, name);
  if (!r) fail_msg("no row for class %s", name);
  assert_int_equal(r->added, added);
  assert_int_equal(r->removed, removed);
  assert_int_equal(r->added_size, added_size);
  assert_int_equal(r->removed_size, removed_size);
  assert_true(r->count_delta == (int64_t)added - (int64_t)removed);
  assert_true(r->size_delta == (int64_t)added_size - (int64_t)removed_size);
}

static void added_removed_by_class_name(void **state) {
  (void)state;
  tsnap *a = tsnap_new(), *b = tsnap_new();
  tsnap_node(a, "synthetic", "", 0);
  tsnap_node(b, "synthetic", "", 0);
  /* old */
  obj(a, "A", 101, 10);
  obj(a, "A", 103, 11); /* freed */
  obj(a, "B", 105, 20); /* kept */
  obj(a, "C", 107, 5);  /* kept, but named E in the new snapshot */
  obj(a, "Gone", 109, 40);
  obj(a, "Zero", 111, 0); /* size 0: never counted (DevTools) */
  int nat = tsnap_node(a, "native", "Node / Thing", 8);
  a->nodes[nat].id = 4000000000ull; /* embedder id: ignored for max_id */
  tsnap_edge(a, 0, "element", "1", nat);
  /* new */
  obj(b, "A", 101, 10);
  obj(b, "B", 105, 99); /* grew: still the same object, not counted */
  obj(b, "E", 107, 6);
  obj(b, "A", 201, 12);
  obj(b, "D", 203, 7);
  obj(b, "Zero", 205, 0);
  obj(b, "Zero", 111, 0);
  ls_diff *d = diff_of(a, b);

  check_row(d, "A", 1, 1, 12, 11);
  check_row(d, "C", 0, 1, 0, 5);
  check_row(d, "E", 1, 0, 6, 0);
  check_row(d, "D", 1, 0, 7, 0);
  check_row(d, "Gone", 0, 1, 0, 40);
  check_row(d, "Node / Thing", 0, 1, 0, 8);
  assert_null(row(d, "B"));
  assert_null(row(d, "Zero"));
  assert_null(row(d, ""));
  assert_int_equal(d->row_count, 6);
  /* largest |size_delta| first, then by name */
  const char *order[] = {"Gone", "Node / Thing", "D", "E", "C", "A"};
  for (size_t i = 0; i < 6; i++) assert_string_equal(d->rows[i].name, order[i]);

  assert_int_equal(d->old_max_id, 111);
  assert_int_equal(d->new_max_id, 205); /* every node counts here */
  assert_int_equal(d->old_objects, 6);
  assert_int_equal(d->new_objects, 5);
  assert_int_equal(d->common_objects, 3); /* 101, 105, 107 */
  assert_int_equal(d->reclassed_objects, 1); /* 107: C, then E */
  assert_int_equal(d->old_totals.node_count, 8);
  assert_int_equal(d->new_totals.node_count, 8);
  ls_diff_free(d);
  tsnap_free(a);
  tsnap_free(b);
}

static void same_snapshot_has_no_rows(void **state) {
  (void)state;
  tsnap *a = tsnap_new();
  tsnap_node(a, "synthetic", "", 0);
  obj(a, "A", 7, 10);
  obj(a, "A", 3, 10);
  obj(a, "B", 5, 1);
  ls_diff *d = diff_of(a, a);
  assert_int_equal(d->row_count, 0);
  assert_int_equal(d->common_objects, 3);
  assert_int_equal(d->reclassed_objects, 0);
  assert_int_equal(d->old_max_id, d->new_max_id);
  ls_diff_free(d);
  tsnap_free(a);
}

/* DevTools keys objects with a constructor location by name and place;
 * the diff merges every class of one name. */
static void classes_merge_by_name(void **state) {
  (void)state;
  tsnap *a = tsnap_new(), *b = tsnap_new();
  tsnap_node(a, "synthetic", "", 0);
  tsnap_node(b, "synthetic", "", 0);
  int x = obj(a, "Foo", 11, 4);
  tsnap_loc(a, x, 1, 2, 3); /* DevTools: class Foo at 1,2,3 */
  obj(a, "Foo", 13, 4);     /* class Foo without a location */
  int y = obj(b, "Foo", 21, 5);
  tsnap_loc(b, y, 9, 9, 9);
  ls_diff *d = diff_of(a, b);
  assert_int_equal(d->row_count, 1);
  check_row(d, "Foo", 1, 2, 5, 8);
  ls_diff_free(d);
  tsnap_free(a);
  tsnap_free(b);
}

/* Ids in no particular order, compared with a brute-force count. `wide`:
 * some ids above 2^34 (the sort of any 64-bit id), else all below 2^32
 * (the packed sort). */
static void brute_force(int wide) {
  enum { N = 3000 };
  static unsigned long long ida[N], idb[N];
  static int clsa[N], clsb[N];
  tsnap *a = tsnap_new(), *b = tsnap_new();
  tsnap_node(a, "synthetic", "", 0);
  tsnap_node(b, "synthetic", "", 0);
  const char *names[] = {"K0", "K1", "K2", "K3", "K4"};
  uint64_t seed = 12345;
#define RND() (seed = seed * 6364136223846793005ull + 1442695040888963407ull, seed >> 17)
  for (int i = 0; i < N; i++) {
    unsigned long long hi = (!wide || RND() % 4) ? 0 : (RND() % 64) << 34;
    /* (i * 1103) % N is a permutation of 0..N-1: distinct, unordered */
    ida[i] = (hi | (unsigned long long)((i * 1103) % N)) * 2 + 1;
  }
  /* new: half of old's ids (class mostly the same), plus fresh ones */
  for (int i = 0; i < N; i++) {
    clsa[i] = (int)(RND() % 5);
    obj(a, names[clsa[i]], ida[i], 1 + (unsigned long long)(i % 7));
  }
  for (int i = 0; i < N; i++) {
    if (i % 2) {
      idb[i] = ida[(i * 7) % N];
      clsb[i] = RND() % 10 ? clsa[(i * 7) % N] : (int)(RND() % 5);
    } else {
      idb[i] = wide ? ((unsigned long long)RND() << 1 | 1) + (1ull << 50)
                    : 2 * (N + (unsigned long long)(RND() % 1000000)) + 1;
      clsb[i] = (int)(RND() % 5);
    }
    obj(b, names[clsb[i]], idb[i], 1 + (unsigned long long)(i % 5));
  }
  uint64_t add[5] = {0}, rem[5] = {0}, adds[5] = {0}, rems[5] = {0};
  for (int i = 0; i < N; i++) { /* old objects not in new with its class */
    int found = 0;
    for (int j = 0; j < N && !found; j++)
      found = idb[j] == ida[i] && clsb[j] == clsa[i];
    if (!found) rem[clsa[i]]++, rems[clsa[i]] += 1 + (uint64_t)(i % 7);
  }
  for (int j = 0; j < N; j++) {
    int found = 0;
    for (int i = 0; i < N && !found; i++)
      found = idb[j] == ida[i] && clsb[j] == clsa[i];
    if (!found) add[clsb[j]]++, adds[clsb[j]] += 1 + (uint64_t)(j % 5);
  }
  ls_diff *d = diff_of(a, b);
  for (int c = 0; c < 5; c++) check_row(d, names[c], add[c], rem[c], adds[c], rems[c]);
  assert_int_equal(d->common_objects, N / 2);
  for (size_t i = 1; i < d->row_count; i++) {
    int64_t p = d->rows[i - 1].size_delta, q = d->rows[i].size_delta;
    assert_true((p < 0 ? -p : p) >= (q < 0 ? -q : q));
  }
  ls_diff_free(d);
  tsnap_free(a);
  tsnap_free(b);
}

static void unsorted_ids_match_brute_force(void **state) {
  (void)state;
  brute_force(1);
  brute_force(0);
}

static char *render(int json, const ls_diff *d) {
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  if (json)
    ls__render_diff_json(f, "o\"ld", "new", d);
  else
    ls__render_diff_text(f, "old", "new", d);
  fclose(f);
  return buf;
}

static void renders_json_and_text(void **state) {
  (void)state;
  tsnap *a = tsnap_new(), *b = tsnap_new();
  tsnap_node(a, "synthetic", "", 0);
  tsnap_node(b, "synthetic", "", 0);
  obj(a, "Gone", 3, 2500);
  obj(b, "Leak", 5, 1200);
  obj(b, "Leak", 7, 1200);
  ls_diff *d = diff_of(a, b);
  char *j = render(1, d);
  assert_non_null(strstr(j, "{\"old\":{\"path\":\"o\\\"ld\",\"node_count\":2,"));
  assert_non_null(strstr(j, ",\"new\":{\"path\":\"new\",\"node_count\":3,"));
  assert_non_null(strstr(j, "{\"name\":\"Gone\",\"added\":0,\"removed\":1,"
                            "\"count_delta\":-1,\"added_size\":0,"
                            "\"removed_size\":2500,\"size_delta\":-2500}"));
  assert_non_null(strstr(j, "{\"name\":\"Leak\",\"added\":2,\"removed\":0,"
                            "\"count_delta\":2,\"added_size\":2400,"
                            "\"removed_size\":0,\"size_delta\":2400}"));
  assert_true(strstr(j, "Gone") < strstr(j, "Leak")); /* 2500 before 2400 */
  char *t = render(0, d);
  assert_non_null(strstr(t, "-2.50 kB"));
  assert_non_null(strstr(t, "+2.40 kB"));
  assert_non_null(strstr(t, "+2 "));
  free(j);
  free(t);
  ls_diff_free(d);
  d = diff_of(b, b);
  t = render(0, d);
  assert_non_null(strstr(t, "No objects were added or removed."));
  free(t);
  ls_diff_free(d);
  tsnap_free(a);
  tsnap_free(b);
}

static void null_arguments(void **state) {
  (void)state;
  ls_error err;
  ls_digest *dg = (ls_digest *)1;
  assert_int_equal(ls_digest_build(NULL, &dg, &err), LS_ERR_INVALID_ARG);
  ls_diff *df = NULL;
  assert_int_equal(ls_diff_build(NULL, NULL, &df, &err), LS_ERR_INVALID_ARG);
  ls_digest_free(NULL);
  ls_diff_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(added_removed_by_class_name),
      cmocka_unit_test(same_snapshot_has_no_rows),
      cmocka_unit_test(classes_merge_by_name),
      cmocka_unit_test(unsorted_ids_match_brute_force),
      cmocka_unit_test(renders_json_and_text),
      cmocka_unit_test(null_arguments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
