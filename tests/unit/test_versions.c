/* The search of `leakscope versions` (src/session/versions.c) with a fake
 * runner: outcomes are letters per version ('L' leak, 'C' clean, 'A' a leak
 * with another known id, 'U' unsure), so each case says which versions
 * must run and which boundaries must be found. Also the outcome rules, the
 * version parser and npm's version list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "session/nodes.h"
#include "session/versions.h"

typedef struct {
  const char *outcomes; /* one letter per version */
  size_t n;
  char ran_order[64];   /* indexes run, in order, as letters a.. */
  size_t runs;
  size_t stop_after;    /* 0: never stop */
  int fail_stop;        /* stop without a result (< 0) */
} fake;

static int fake_run(void *ctx, size_t i, size_t lo, size_t hi) {
  fake *f = ctx;
  assert_true(i < f->n);
  if (lo != LS__NO_INDEX) assert_true(lo < i && i < hi); /* a midpoint */
  f->ran_order[f->runs++] = (char)('a' + i);
  return f->stop_after && f->runs >= f->stop_after ? (f->fail_stop ? -7 : 7) : 0;
}

static int fake_same(void *ctx, size_t i, size_t j) {
  const fake *f = ctx;
  return f->outcomes[i] == f->outcomes[j];
}

/* Search `outcomes` with p probes; the boundaries as "i-j i-j". */
static void search(const char *outcomes, size_t p, fake *f, char *bounds, size_t len) {
  memset(f, 0, sizeof *f);
  f->outcomes = outcomes;
  f->n = strlen(outcomes);
  unsigned char ran[64] = {0};
  size_t pairs[128];
  ls__search_ops ops = {fake_run, fake_same, f};
  assert_int_equal(ls__versions_search(f->n, p, &ops, ran), 0);
  for (size_t i = 0; i < f->n; i++) /* ran[] matches what ran */
    assert_int_equal(ran[i] != 0, memchr(f->ran_order, 'a' + (int)i, f->runs) != NULL);
  size_t nb = ls__versions_boundaries(f->n, ran, &ops, pairs);
  bounds[0] = 0;
  for (size_t b = 0; b < nb; b++) {
    size_t l = strlen(bounds);
    snprintf(bounds + l, len - l, "%s%zu-%zu", b ? " " : "", pairs[2 * b], pairs[2 * b + 1]);
  }
}

static void probe_indexes(void **state) {
  (void)state;
  /* 9 versions, 5 probes: 0, 2, 4, 6, 8; both ends always */
  size_t want[] = {0, 2, 4, 6, 8};
  for (size_t k = 0; k < 5; k++) assert_int_equal(ls__probe_index(9, 5, k), want[k]);
  assert_int_equal(ls__probe_index(7, 5, 0), 0);
  assert_int_equal(ls__probe_index(7, 5, 4), 6);
  for (size_t n = 2; n < 40; n++) /* distinct and ascending */
    for (size_t p = 2; p <= n && p <= 8; p++)
      for (size_t k = 0; k + 1 < p; k++)
        assert_true(ls__probe_index(n, p, k) < ls__probe_index(n, p, k + 1));
}

/* retained_maps: 22.10.0 .. 22.16.0 (9 releases), leaking up to 22.14.0 */
static void one_boundary(void **state) {
  (void)state;
  fake f;
  char b[256];
  search("LLLLLCCCC", 5, &f, b, sizeof b);
  assert_string_equal(b, "4-5");
  assert_string_equal(f.ran_order, "acegif"); /* probes a c e g i, then f */
  assert_true(f.runs < 9);
}

/* AbortSignal.any: leak on one, clean on the next, another leak from the
 * third on: two boundaries, not one wrong one */
static void changes_twice(void **state) {
  (void)state;
  fake f;
  char b[256];
  /* indexes:  0123456789 */
  search("LLLCAAAAAA", 5, &f, b, sizeof b);
  assert_string_equal(b, "2-3 3-4");
  search("LLLLCCCCAAAAAAAAA", 5, &f, b, sizeof b);
  assert_string_equal(b, "3-4 7-8");
  /* the midpoint a third outcome: both halves searched */
  search("LLLLLLLLLUUCCCCCCCC", 2, &f, b, sizeof b);
  assert_string_equal(b, "8-9 10-11");
  /* a regression and its fix between the same two probes */
  search("CCCLLLLCCCCCCCCCCCC", 2, &f, b, sizeof b);
  assert_string_equal(b, ""); /* the documented blind spot: both ends clean */
  search("CCCLLLLCCCCCCCCCCCC", 5, &f, b, sizeof b);
  assert_string_equal(b, "2-3 6-7"); /* more probes see it */
}

static void everything_the_same(void **state) {
  (void)state;
  fake f;
  char b[256];
  search("CCCCCCCCCCCC", 5, &f, b, sizeof b);
  assert_string_equal(b, "");
  assert_int_equal(f.runs, 5);
  search("L", 5, &f, b, sizeof b);
  assert_int_equal(f.runs, 1);
  search("LC", 5, &f, b, sizeof b);
  assert_string_equal(b, "0-1");
  search("LCL", 5, &f, b, sizeof b); /* fewer than the probes: all */
  assert_string_equal(b, "0-1 1-2");
  assert_string_equal(f.ran_order, "abc");
}

/* every change of outcome between probes that differ is found, and only
 * neighbours make a boundary, for many random sequences */
static void random_sequences(void **state) {
  (void)state;
  unsigned seed = 12345;
  for (int round = 0; round < 2000; round++) {
    char o[41];
    seed = seed * 1103515245u + 12345u;
    size_t n = 1 + (seed >> 16) % 40;
    char cur = 'L';
    for (size_t i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      if ((seed >> 16) % 7 == 0) cur = "LCAU"[(seed >> 8) % 4];
      o[i] = cur;
    }
    o[n] = 0;
    seed = seed * 1103515245u + 12345u;
    size_t p = 2 + (seed >> 16) % 5;
    fake f;
    char b[1024];
    search(o, p, &f, b, sizeof b);
    /* each boundary joins neighbours */
    for (const char *s = b; *s;) {
      unsigned x, y;
      int used;
      assert_int_equal(sscanf(s, "%u-%u%n", &x, &y, &used), 2);
      assert_int_equal(y, x + 1);
      assert_true(o[x] != o[y]);
      s += used;
      while (*s == ' ') s++;
    }
    /* ends that differ give at least one boundary */
    if (o[0] != o[n - 1]) assert_true(b[0] != 0);
    /* no run twice */
    for (size_t i = 0; i < f.runs; i++)
      assert_null(memchr(f.ran_order + i + 1, f.ran_order[i], f.runs - i - 1));
  }
}

static void stops(void **state) {
  (void)state;
  fake f;
  memset(&f, 0, sizeof f);
  f.outcomes = "LLLLLCCCC";
  f.n = 9;
  f.stop_after = 2;
  unsigned char ran[16] = {0};
  ls__search_ops ops = {fake_run, fake_same, &f};
  assert_int_equal(ls__versions_search(9, 5, &ops, ran), 7);
  assert_int_equal(f.runs, 2);
  assert_true(ran[0] && ran[2]); /* it ran, then stopped: kept */
  f.runs = 0; /* stopping before a run: not marked */
  f.stop_after = 1;
  f.fail_stop = 1;
  memset(ran, 0, sizeof ran);
  assert_int_equal(ls__versions_search(9, 5, &ops, ran), -7);
  assert_false(ran[0]);
}

static ls_version_result res(int failed, ls_verdict v, size_t nk, const char **known) {
  ls_version_result r;
  memset(&r, 0, sizeof r);
  r.failed = failed;
  r.verdict = v;
  r.known_count = nk;
  r.known = known;
  return r;
}

static void outcomes(void **state) {
  (void)state;
  const char *rm[] = {"v8-retained-maps"}, *ab[] = {"node-abortsignal-any"};
  const char *both[] = {"node-abortsignal-any", "v8-retained-maps"};
  ls_version_result leak_rm = res(0, LS_VERDICT_LEAK, 1, rm);
  ls_version_result leak_ab = res(0, LS_VERDICT_LEAK, 1, ab);
  ls_version_result leak_both = res(0, LS_VERDICT_LEAK, 2, both);
  ls_version_result leak = res(0, LS_VERDICT_LEAK, 0, NULL);
  ls_version_result clean = res(0, LS_VERDICT_CLEAN, 0, NULL);
  ls_version_result unsure = res(0, LS_VERDICT_UNSURE, 0, NULL);
  ls_version_result failed = res(1, LS_VERDICT_CLEAN, 0, NULL);
  assert_true(ls__version_same(&leak_rm, &leak_rm));
  assert_false(ls__version_same(&leak_rm, &leak_ab));
  assert_false(ls__version_same(&leak_rm, &leak_both));
  assert_false(ls__version_same(&leak_rm, &leak));
  assert_false(ls__version_same(&clean, &failed));
  assert_true(ls__version_same(&failed, &failed));
  assert_int_equal(ls__boundary_kind(&leak_rm, &clean), LS_BOUNDARY_FIXED);
  assert_int_equal(ls__boundary_kind(&clean, &leak_ab), LS_BOUNDARY_REGRESSION);
  assert_int_equal(ls__boundary_kind(&leak_rm, &leak_ab), LS_BOUNDARY_CHANGE);
  assert_int_equal(ls__boundary_kind(&unsure, &clean), LS_BOUNDARY_CHANGE);
  assert_int_equal(ls__boundary_kind(&leak, &failed), LS_BOUNDARY_CHANGE);
  assert_string_equal(ls_boundary_kind_name(LS_BOUNDARY_FIXED), "fixed");
}

static void semver(void **state) {
  (void)state;
  ls__semver a, b;
  assert_int_equal(ls__semver_parse("22.14.0", &a), 0);
  assert_int_equal(ls__semver_parse("v22.9.1", &b), 0);
  assert_true(ls__semver_cmp(&b, &a) < 0); /* numeric: 9 < 14 */
  char buf[24];
  ls__semver_format(&a, buf, sizeof buf);
  assert_string_equal(buf, "22.14.0");
  const char *bad[] = {"", "22", "22.1", "22.1.", "22.1.0-rc.1", "22.1.0.1", "a.b.c",
                       "1234567.0.0", "../22.1.0", "22.1.0 ", NULL};
  for (int i = 0; bad[i]; i++) assert_int_equal(ls__semver_parse(bad[i], &a), -1);
}

static void npm_list(void **state) {
  (void)state;
  const char *json = "[\n  \"0.8.6\",\n  \"22.9.0\",\n  \"22.10.0\",\n  \"22.13.1\",\n"
                     "  \"23.0.0-rc.1\",\n  \"22.16.0\",\n  \"22.11.0\",\n  \"22.16.1\"\n]\n";
  ls__semver from, to, *v = NULL;
  size_t n = 0;
  ls__semver_parse("22.10.0", &from);
  ls__semver_parse("22.16.0", &to);
  ls_error err;
  assert_int_equal(ls__node_list_parse(json, strlen(json), &from, &to, &v, &n, &err), LS_OK);
  assert_int_equal(n, 4);
  char buf[24];
  const char *want[] = {"22.10.0", "22.11.0", "22.13.1", "22.16.0"};
  for (size_t i = 0; i < n; i++) {
    ls__semver_format(&v[i], buf, sizeof buf);
    assert_string_equal(buf, want[i]);
  }
  free(v);
  const char *one = "\"22.12.0\"\n"; /* npm prints a string for one version */
  assert_int_equal(ls__node_list_parse(one, strlen(one), &from, &to, &v, &n, &err), LS_OK);
  assert_int_equal(n, 1);
  free(v);
  const char *bad = "{\"error\": 1}";
  assert_int_equal(ls__node_list_parse(bad, strlen(bad), &from, &to, &v, &n, &err), LS_ERR_PARSE);
  const char *cut = "[\"22.10.0\", \"22.1";
  assert_int_equal(ls__node_list_parse(cut, strlen(cut), &from, &to, &v, &n, &err), LS_ERR_PARSE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(probe_indexes),   cmocka_unit_test(one_boundary),
      cmocka_unit_test(changes_twice),   cmocka_unit_test(everything_the_same),
      cmocka_unit_test(random_sequences), cmocka_unit_test(stops),
      cmocka_unit_test(outcomes),        cmocka_unit_test(semver),
      cmocka_unit_test(npm_list),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
