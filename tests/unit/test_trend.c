/* Trend: the growth rule, grouping, ordering by ids and known leaks, on
 * series of hand-made snapshots written to a private temp folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <cmocka.h>

#include "tsnap.h"
#include "analyses/trend/trend_int.h"

static char dir[64];
static char files[8][128];

static int setup(void **state) {
  (void)state;
  strcpy(dir, "/tmp/ls-trend-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  for (int i = 0; i < 8; i++)
    if (files[i][0]) unlink(files[i]), files[i][0] = 0;
  return rmdir(dir);
}

/* The end of every step: a fresh object (so the largest id grows even when
 * nothing else is allocated), then the snapshot written to files[slot]. */
static void finish_step(tsnap *t, int slot, int k, int global) {
  int fresh = tsnap_node(t, "object", "Tick", 8);
  t->nodes[fresh].id = 2000001 + 2ull * (unsigned)k;
  tsnap_edge(t, global, "property", "tick", fresh);
  snprintf(files[slot], sizeof files[slot], "%s/s%d.heapsnapshot", dir, slot);
  char *json = tsnap_json(t);
  FILE *f = fopen(files[slot], "w");
  assert_non_null(f);
  fputs(json, f);
  fclose(f);
  free(json);
  tsnap_free(t);
}

/* One snapshot of a process at step `k`: a holder object with `items`
 * Item objects (ids grow with k: new objects get new ids), `cache`
 * entries that level off, and a native context whose retained_maps list
 * has self size `maps_size`. Persistent objects keep their ids. */
static void write_step_tick(int slot, int k, int items, int cache,
                            unsigned long long maps_size, int tick);
static void write_step(int slot, int k, int items, int cache,
                       unsigned long long maps_size) {
  write_step_tick(slot, k, items, cache, maps_size, k);
}

/* write_step whose newest object's id grows with `tick` (the largest id
 * says how many objects the process made since the snapshot before). */
static void write_step_tick(int slot, int k, int items, int cache,
                            unsigned long long maps_size, int tick) {
  (void)k;
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int global = tsnap_node(t, "object", "global", 100);
  int holder = tsnap_node(t, "object", "Holder", 32);
  int store = tsnap_node(t, "array", "(object elements)", 16 + 8ull * items);
  int lru = tsnap_node(t, "object", "Lru", 32);
  int ctx = tsnap_node(t, "hidden", "system / NativeContext", 64);
  int maps = tsnap_node(t, "array", "system / WeakArrayList", maps_size);
  t->nodes[global].id = 3;
  t->nodes[holder].id = 5;
  t->nodes[store].id = 7;
  t->nodes[lru].id = 9;
  t->nodes[ctx].id = 11;
  t->nodes[maps].id = 13;
  tsnap_edge(t, root, "shortcut", "global", global);
  tsnap_edge(t, global, "property", "registry", holder);
  tsnap_edge(t, global, "property", "lru", lru);
  tsnap_edge(t, global, "internal", "native_context", ctx);
  tsnap_edge(t, holder, "internal", "elements", store);
  tsnap_edge(t, ctx, "internal", "retained_maps", maps);
  for (int i = 0; i < items; i++) {
    int it = tsnap_node(t, "object", "Item", 40);
    t->nodes[it].id = 1001 + 2ull * i; /* item i lives from its step on */
    char idx[16];
    snprintf(idx, sizeof idx, "%d", i);
    tsnap_edge(t, store, "element", idx, it);
  }
  for (int i = 0; i < cache; i++) {
    int e = tsnap_node(t, "object", "Entry", 48);
    t->nodes[e].id = 900001 + 2ull * i;
    char name[16];
    snprintf(name, sizeof name, "e%d", i);
    tsnap_edge(t, lru, "property", name, e);
  }
  finish_step(t, slot, tick, global);
}

static const ls_suspect *find(const ls_trend *t, const char *name) {
  for (size_t i = 0; i < t->suspect_count; i++)
    if (!strcmp(t->suspects[i].name, name)) return &t->suspects[i];
  return NULL;
}

static ls_trend *run(int n, const int *order) {
  const char *paths[8];
  for (int i = 0; i < n; i++) paths[i] = files[order ? order[i] : i];
  ls_trend *t = NULL;
  ls_error err;
  ls_status st = ls_trend_build(paths, (size_t)n, NULL, &t, &err);
  if (st != LS_OK) fail_msg("trend failed: %s", err.message);
  return t;
}

static void growing_container_is_a_leak(void **state) {
  (void)state;
  for (int k = 0; k < 6; k++) write_step(k, k, 400 * (k + 1), 10, 1000);
  ls_trend *t = run(6, NULL);
  assert_true(t->leak);
  assert_int_equal(t->snapshot_count, 6);
  const ls_suspect *h = find(t, "Holder");
  assert_non_null(h);
  assert_int_equal(h->kind, LS_SUSPECT_OBJECT);
  assert_int_equal(h->id, 5);
  assert_int_equal(h->group, -1); /* the container leads */
  /* its path names the property that holds it */
  assert_true(h->path_len >= 2);
  assert_string_equal(h->path[h->path_len - 1].edge, "registry");
  const ls_suspect *item = find(t, "Item");
  assert_non_null(item);
  assert_int_equal(item->kind, LS_SUSPECT_CLASS);
  assert_int_equal(item->metric, LS_METRIC_COUNT);
  assert_int_equal(item->counts[0], 400);
  assert_int_equal(item->counts[5], 2400);
  assert_int_equal(item->growth_count, 2400 - 400); /* no warm-up step seen */
  assert_true(item->group >= 0);
  assert_string_equal(t->suspects[item->group].name, "Holder");
  assert_null(find(t, "global")); /* a symptom, not a cause */
  assert_null(find(t, "Entry"));
  ls_trend_free(t);
}

static void warm_up_then_flat_is_clean(void **state) {
  (void)state;
  static const int items[6] = {400, 2400, 2400, 2400, 2400, 2400};
  static const int cache[6] = {10, 900, 1800, 1800, 1800, 1800};
  for (int k = 0; k < 6; k++) write_step(k, k, items[k], cache[k], 1000);
  ls_trend *t = run(6, NULL);
  assert_false(t->leak);
  assert_int_equal(t->suspect_count, 0);
  ls_trend_free(t);
}

/* Early steps then flat (like the fixed V8), and one late step after a
 * long plateau, are not growth without bound. */
static void steps_that_stop_are_clean(void **state) {
  (void)state;
  static const unsigned long long maps[6] = {1000, 300000, 600000, 600000,
                                             600000, 600000};
  for (int k = 0; k < 6; k++) write_step(k, k, 400, 10, maps[k]);
  ls_trend *t = run(6, NULL);
  assert_false(t->leak);
  ls_trend_free(t);
  static const unsigned long long late[6] = {1000, 1000, 1000, 1000, 1000,
                                             900000};
  for (int k = 0; k < 6; k++) write_step(k, k, 400, 10, late[k]);
  t = run(6, NULL);
  assert_false(t->leak);
  ls_trend_free(t);
}

static void retained_maps_is_a_known_runtime_leak(void **state) {
  (void)state;
  for (int k = 0; k < 6; k++)
    write_step(k, k, 400, 10, 1000 + 200000ull * (unsigned long long)k);
  ls_trend *t = run(6, NULL);
  assert_true(t->leak);
  const ls_suspect *m = NULL;
  for (size_t i = 0; i < t->suspect_count; i++)
    if (t->suspects[i].id == 13) m = &t->suspects[i];
  assert_non_null(m);
  assert_true(m->metric == LS_METRIC_SELF_SIZE || m->metric == LS_METRIC_USED);
  assert_non_null(m->known);
  assert_string_equal(m->known->id, "v8-retained-maps");
  assert_non_null(strstr(m->known->fixed_in, "22.15.0"));
  assert_non_null(strstr(m->known->fixed_in, "23.11.0"));
  assert_non_null(strstr(m->known->reference, "57412"));
  assert_string_equal(m->path[m->path_len - 2].class_name,
                      "system / NativeContext");
  /* the table lists it */
  const ls_known_leak *k = ls_known_leaks();
  assert_string_equal(k[0].id, "v8-retained-maps");
  /* the fixture has no process object: no version, so the signature decides */
  assert_string_equal(t->snapshots[t->snapshot_count - 1].node_version, "");
  ls_trend_free(t);
}

/* The trend of files[0..n) with these times, CPU and runnable figures
 * (any may be NULL); the caller frees it. */
static ls_trend *series_trend_run(size_t n, const double *times, const double *work,
                                  const double *runnable) {
  const char *paths[8];
  for (size_t i = 0; i < n; i++) paths[i] = files[i];
  ls_trend_options o;
  memset(&o, 0, sizeof o);
  o.times = times;
  o.work = work;
  o.runnable = runnable;
  ls_trend *t = NULL;
  ls_error err;
  if (ls_trend_build(paths, n, &o, &t, &err) != LS_OK) fail_msg("trend: %s", err.message);
  return t;
}

static ls_trend *series_trend(size_t n, const double *times, const double *work) {
  return series_trend_run(n, times, work, NULL);
}

/* The caller's times and CPU work weigh the intervals: a last interval in
 * which the process did no work does not count as a plateau. */
static void idle_interval_by_work(void **state) {
  (void)state;
  /* new objects (the largest id) move with the items: in the last
   * interval hardly at all */
  static const int items[7] = {400, 800, 1200, 1600, 2000, 2400, 2400};
  for (int k = 0; k < 7; k++) write_step_tick(k, k, items[k], 10, 1000, items[k] * 10 + k);
  double times[7], work[7];
  for (int i = 0; i < 7; i++) {
    times[i] = 100.0 + 10.0 * i;
    work[i] = i < 6 ? 5.0 * i : 25.0; /* no CPU used in the last interval */
  }
  ls_trend *t = series_trend(7, times, work);
  assert_int_equal(t->verdict, LS_VERDICT_LEAK);
  assert_true(t->settled); /* the idle interval is no plateau */
  assert_true(t->snapshots[6].time == 160.0);
  ls_trend_free(t);
  /* unknown CPU: hardly a new object says idle too */
  t = series_trend(7, times, NULL);
  assert_int_equal(t->verdict, LS_VERDICT_LEAK);
  assert_true(t->settled);
  ls_trend_free(t);
  /* new objects at the usual pace in every interval: not idle, whatever
   * the CPU says (the flat last interval counts: not settled) */
  for (int k = 0; k < 7; k++) write_step(k, k, items[k], 10, 1000);
  for (int with_work = 0; with_work < 2; with_work++) {
    t = series_trend(7, times, with_work ? work : NULL);
    assert_int_equal(t->verdict, LS_VERDICT_LEAK);
    assert_false(t->settled);
    ls_trend_free(t);
  }
}

/* A program paused by back-to-back snapshots (a fixed schedule no longer
 * than the pause) runs only while leakscope reads the last one, and CPU
 * while one is written is taken off: an interval can show little CPU yet
 * as many new objects as the others. It counts: three rising snapshots
 * are unsure, never clean. (Seen on bench/stream-rss.mjs's workload: a
 * steady leak called clean.) */
static void low_cpu_interval_with_new_objects_counts(void **state) {
  (void)state;
  static const int items[3] = {400, 800, 1200};
  for (int k = 0; k < 3; k++) write_step_tick(k, k, items[k], 10, 1000, items[k] * 10 + k);
  const double times[3] = {10, 27.3, 44.8}, work[3] = {2.0, 3.0, 3.05};
  ls_trend *t = series_trend(3, times, work);
  assert_int_equal(t->verdict, LS_VERDICT_UNSURE);
  ls_trend_free(t);
  /* the same CPU and hardly a new object in the second interval: idle */
  for (int k = 0; k < 3; k++) {
    const int n = k < 2 ? items[k] : items[1];
    write_step_tick(k, k, n, 10, 1000, n * 10 + k);
  }
  t = series_trend(3, times, work);
  assert_int_equal(t->verdict, LS_VERDICT_CLEAN);
  ls_trend_free(t);
}

/* A watch of 40 wall seconds at a quarter of the CPU the process wanted
 * is too short to settle a leak (LS_TREND_LEAK_SECONDS of its own
 * running); the verdict itself does not change. */
static void starved_watch_by_runnable_time(void **state) {
  (void)state;
  for (int k = 0; k < 6; k++) write_step(k, k, 400 * (k + 1), 10, 1000);
  double times[6], runnable[6];
  for (int i = 0; i < 6; i++) {
    times[i] = 100.0 + 10.0 * i;
    runnable[i] = 2.5 * i;
  }
  ls_trend *t = series_trend_run(6, times, NULL, runnable);
  assert_int_equal(t->verdict, LS_VERDICT_LEAK);
  assert_false(t->settled); /* 10 s of its own running: watch longer */
  ls_trend_free(t);
  t = series_trend_run(6, times, NULL, NULL);
  /* by the wall clock the snapshot before the last was 40 s in: enough */
  assert_true(t->settled);
  ls_trend_free(t);
  /* a leak must have been watched 30 s by the snapshot before the last
   * (the last one confirms it): 30 s at the last alone is not settled */
  for (int i = 0; i < 6; i++) times[i] = 100.0 + 7.0 * i; /* 28 s, then 35 s */
  t = series_trend_run(6, times, NULL, NULL);
  assert_int_equal(t->verdict, LS_VERDICT_LEAK);
  assert_false(t->settled);
  ls_trend_free(t);
}

/* A known runtime leak's signature needs no confirming snapshot (rule 9):
 * watched 30 s by its last snapshot is enough, where an unknown leak at
 * the same times waits for one more; under 30 s neither settles. */
static void known_leak_settles_at_its_watch(void **state) {
  (void)state;
  for (int k = 0; k < 6; k++)
    write_step(k, k, 400, 10, 1000 + 200000ull * (unsigned long long)k);
  double times[6], runnable[6];
  for (int i = 0; i < 6; i++) {
    times[i] = 100.0 + 10.0 * i;
    runnable[i] = 7.0 * i; /* 28 s by the one before the last, 35 s by the last */
  }
  ls_trend *t = series_trend_run(6, times, NULL, runnable);
  assert_int_equal(t->verdict, LS_VERDICT_LEAK);
  assert_non_null(t->suspects[0].known);
  assert_true(t->settled);
  ls_trend_free(t);
  for (int i = 0; i < 6; i++) runnable[i] = 5.5 * i; /* 27.5 s by the last */
  t = series_trend_run(6, times, NULL, runnable);
  assert_int_equal(t->verdict, LS_VERDICT_LEAK);
  assert_false(t->settled);
  ls_trend_free(t);
  /* the same watch on a leak of the program's own: one more snapshot */
  for (int k = 0; k < 6; k++) write_step(k, k, 400 * (k + 1), 10, 1000);
  for (int i = 0; i < 6; i++) runnable[i] = 7.0 * i;
  t = series_trend_run(6, times, NULL, runnable);
  assert_int_equal(t->verdict, LS_VERDICT_LEAK);
  assert_null(t->suspects[0].known);
  assert_false(t->settled);
  ls_trend_free(t);
}

/* Three rising snapshots cannot tell a leak from chance: unsure, with
 * how many more would settle it. */
static void three_snapshots_are_unsure(void **state) {
  (void)state;
  for (int k = 0; k < 3; k++) write_step(k, k, 400 * (k + 1), 10, 1000);
  ls_trend *t = run(3, NULL);
  assert_int_equal(t->verdict, LS_VERDICT_UNSURE);
  assert_false(t->leak);
  assert_false(t->settled);
  assert_int_equal(t->unsure_why, LS_UNSURE_FEW);
  assert_int_equal(t->more_snapshots, 2);
  assert_true(t->suspect_count > 0);
  assert_int_equal(t->suspects[0].verdict, LS_VERDICT_UNSURE);
  ls_trend_free(t);
}

/* A cache that set its room aside (an array of 1,000 slots made at once,
 * as lru-cache does for its `max`) and fills it: bounded. While it fills
 * the verdict is unsure ("filling"); once full, clean. */
static void write_store(int slot, int k, int items, const char *owner, const char *by) {
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int global = tsnap_node(t, "object", "global", 100);
  int cache = tsnap_node(t, "object", "Cache", 32);
  int list = tsnap_node(t, "object", owner, 32);
  int store = tsnap_node(t, "array", "(object elements)", 16 + 8 * 1000);
  t->nodes[global].id = 3;
  t->nodes[cache].id = 5;
  t->nodes[list].id = 7;
  t->nodes[store].id = 9;
  tsnap_edge(t, root, "shortcut", "global", global);
  tsnap_edge(t, global, "property", "cache", cache);
  tsnap_edge(t, cache, "property", "values", list);
  tsnap_edge(t, list, "internal", by, store);
  for (int i = 0; i < items; i++) {
    int it = tsnap_node(t, "object", "Entry", 64);
    t->nodes[it].id = 1001 + 2ull * (unsigned)i;
    char idx[16];
    snprintf(idx, sizeof idx, "%d", i);
    tsnap_edge(t, store, "element", idx, it);
  }
  finish_step(t, slot, k, global);
}

static void write_fixed_store(int slot, int k, int items) {
  write_store(slot, k, items, "Array", "elements");
}

static void fixed_store_filling_is_unsure_then_clean(void **state) {
  (void)state;
  for (int k = 0; k < 6; k++) write_fixed_store(k, k, 100 + 120 * k);
  ls_trend *t = run(6, NULL);
  assert_int_equal(t->verdict, LS_VERDICT_UNSURE);
  assert_int_equal(t->unsure_why, LS_UNSURE_FILLING);
  assert_true(t->more_snapshots >= 3); /* 400 slots left at 120 a snapshot */
  ls_trend_free(t);
  static const int full[6] = {400, 640, 880, 1000, 1000, 1000};
  for (int k = 0; k < 6; k++) write_fixed_store(k, k, full[k]);
  t = run(6, NULL);
  assert_int_equal(t->verdict, LS_VERDICT_CLEAN);
  ls_trend_free(t);
  /* the same growth in storage that is reallocated as it grows: a leak */
  for (int k = 0; k < 6; k++) write_step(k, k, 100 + 120 * k, 10, 1000);
  t = run(6, NULL);
  assert_int_equal(t->verdict, LS_VERDICT_LEAK);
  ls_trend_free(t);
  /* and in a Map's hash table that kept its capacity over the series: V8
   * rehashes a table when it is full, so its room was not set aside (a
   * table holds two edges an entry in about 3.5 slots: always half empty) */
  for (int k = 0; k < 6; k++) write_store(k, k, 100 + 120 * k, "Map", "table");
  t = run(6, NULL);
  assert_int_equal(t->verdict, LS_VERDICT_LEAK);
  ls_trend_free(t);
}

/* One snapshot: `items` Parser objects, each on a property of its own
 * (no one container holds them) and each holding a buffer of `each`
 * bytes. */
static void write_parsers(int slot, int k, int items, unsigned long long each) {
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int global = tsnap_node(t, "object", "global", 100);
  t->nodes[global].id = 3;
  tsnap_edge(t, root, "shortcut", "global", global);
  for (int i = 0; i < items; i++) {
    int p = tsnap_node(t, "object", "Parser", 40);
    int b = tsnap_node(t, "native", "system / Buffer", each);
    t->nodes[p].id = 1001 + 4ull * (unsigned)i;
    t->nodes[b].id = 1003 + 4ull * (unsigned)i;
    char name[16];
    snprintf(name, sizeof name, "p%d", i);
    tsnap_edge(t, global, "property", name, p);
    tsnap_edge(t, p, "internal", "buf", b);
  }
  finish_step(t, slot, k, global);
}

/* A class that retains more only because it has more instances is judged
 * by their number: 120 more parsers (under the count floor of 256) with
 * 600 bytes each are no leak by their 77 kB; with 10 kB each (1.2 MB,
 * large in itself) they are; 400 more are, by their number. */
/* The Parser suspect of 6 snapshots with 100 + step * k parsers of `each`
 * bytes: its verdict and metric (clean: no leak suspect at all). */
static void expect_parsers(int step, unsigned long long each, ls_verdict verdict,
                           ls_metric metric) {
  for (int k = 0; k < 6; k++) write_parsers(k, k, 100 + step * k, each);
  ls_trend *t = run(6, NULL);
  const ls_suspect *p = find(t, "Parser");
  if (verdict == LS_VERDICT_CLEAN) {
    assert_true(!p || p->verdict != LS_VERDICT_LEAK);
  } else {
    assert_non_null(p);
    assert_int_equal(p->verdict, verdict);
    assert_int_equal(p->metric, metric);
  }
  ls_trend_free(t);
}

static void more_instances_are_judged_by_count(void **state) {
  (void)state;
  expect_parsers(24, 600, LS_VERDICT_CLEAN, 0);
  expect_parsers(24, 10000, LS_VERDICT_LEAK, LS_METRIC_RETAINED_SIZE);
  expect_parsers(80, 600, LS_VERDICT_LEAK, LS_METRIC_COUNT);
}

/* The order comes from the ids, not from names or mtimes. */
static void order_comes_from_ids(void **state) {
  (void)state;
  for (int k = 0; k < 5; k++) write_step(k, k, 400 * (k + 1), 10, 1000);
  /* make the mtimes say the opposite of the truth */
  for (int k = 0; k < 5; k++) {
    struct timeval tv[2] = {{1000000 - k * 10, 0}, {1000000 - k * 10, 0}};
    utimes(files[k], tv);
  }
  static const int shuffled[5] = {3, 0, 4, 1, 2};
  ls_trend *t = run(5, shuffled);
  for (int i = 0; i < 5; i++)
    assert_string_equal(t->snapshots[i].path, files[i]);
  for (int i = 1; i < 5; i++)
    assert_true(t->snapshots[i].max_node_id > t->snapshots[i - 1].max_node_id);
  assert_true(t->leak);
  const ls_suspect *item = find(t, "Item");
  assert_non_null(item);
  assert_int_equal(item->counts[0], 400);
  assert_int_equal(item->counts[4], 2000);
  ls_trend_free(t);
}

static void bad_series(void **state) {
  (void)state;
  for (int k = 0; k < 3; k++) write_step(k, k, 400, 10, 1000);
  const char *two[2] = {files[0], files[1]};
  ls_trend *t = NULL;
  ls_error err;
  assert_int_equal(ls_trend_build(two, 2, NULL, &t, &err), LS_ERR_INVALID_ARG);
  assert_non_null(strstr(err.message, "at least 3"));
  const char *dup[3] = {files[0], files[1], files[1]};
  assert_int_equal(ls_trend_build(dup, 3, NULL, &t, &err), LS_ERR_INVALID_ARG);
  assert_non_null(strstr(err.message, "same"));
  /* a broken file: the message names it */
  FILE *f = fopen(files[2], "w");
  fputs("{\"snapshot\":", f);
  fclose(f);
  const char *three[3] = {files[0], files[1], files[2]};
  assert_int_not_equal(ls_trend_build(three, 3, NULL, &t, &err), LS_OK);
  assert_non_null(strstr(err.message, files[2]));
  assert_null(t);
}

/* ---- ls_trend_stream: the same trend, one heap at a time ---------------- */

static ls_heap *load(int slot) {
  ls_heap_options ho;
  memset(&ho, 0, sizeof ho);
  ho.raw_sizes = 1;
  ho.no_distances = 1;
  ls_heap *h = NULL;
  ls_error err;
  if (ls_heap_load(files[slot], &ho, &h, &err) != LS_OK) fail_msg("load: %s", err.message);
  return h;
}

/* Open fds of this process on unlinked files. */
static int deleted_fds(void) {
  int n = 0;
  for (int fd = 0; fd < 1024; fd++) {
    char p[64], link[512];
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    ssize_t k = readlink(p, link, sizeof link - 1);
    if (k <= 0) continue;
    link[k] = 0;
    if (strstr(link, "(deleted)")) n++;
  }
  return n;
}

static void stream_add(ls_trend_stream *ts, int slot, double time) {
  ls_heap *h = load(slot);
  ls_error err;
  ls_status st = ls_trend_stream_add(ts, h, files[slot], time, -1, -1, &err);
  ls_heap_free(h); /* the stream keeps nothing of it */
  if (st != LS_OK) fail_msg("add: %s", err.message);
}

static void same_series(const uint64_t *a, const uint64_t *b, size_t n) {
  assert_true((a == NULL) == (b == NULL));
  for (size_t i = 0; a && i < n; i++) assert_int_equal(a[i], b[i]);
}

/* Everything a report shows, but the paths' text (compared by length). */
static void same_trend(const ls_trend *a, const ls_trend *b) {
  assert_int_equal(a->verdict, b->verdict);
  assert_int_equal(a->settled, b->settled);
  assert_int_equal(a->unsure_why, b->unsure_why);
  assert_int_equal(a->rising_below_floor, b->rising_below_floor);
  assert_int_equal(a->snapshot_count, b->snapshot_count);
  for (size_t i = 0; i < a->snapshot_count; i++) {
    assert_int_equal(a->snapshots[i].max_node_id, b->snapshots[i].max_node_id);
    assert_int_equal(a->snapshots[i].total_size, b->snapshots[i].total_size);
  }
  assert_int_equal(a->suspect_count, b->suspect_count);
  for (size_t i = 0; i < a->suspect_count; i++) {
    const ls_suspect *x = &a->suspects[i], *y = &b->suspects[i];
    assert_string_equal(x->name, y->name);
    assert_int_equal(x->kind, y->kind);
    assert_int_equal(x->id, y->id);
    assert_int_equal(x->metric, y->metric);
    assert_int_equal(x->group, y->group);
    assert_int_equal(x->growth_bytes, y->growth_bytes);
    assert_int_equal(x->growth_count, y->growth_count);
    assert_int_equal(x->path_len, y->path_len);
    assert_true(x->known == y->known);
    same_series(x->sizes, y->sizes, a->snapshot_count);
    same_series(x->retained, y->retained, a->snapshot_count);
    same_series(x->counts, y->counts, a->snapshot_count);
    same_series(x->used, y->used, a->snapshot_count);
  }
}

/* A growing container and V8's retained_maps list (followed by owner and
 * edge: storage V8 reallocates gets new ids): the stream judges as
 * ls_trend_build does, whether added oldest first or not, and again after
 * more snapshots come. */
static void stream_judges_as_build(void **state) {
  (void)state;
  for (int k = 0; k < 6; k++)
    write_step(k, k, 400 * (k + 1), 10, 1000 + 200000ull * (unsigned long long)k);
  const char *paths[6];
  double times[6];
  for (int i = 0; i < 6; i++) paths[i] = files[i], times[i] = 10.0 * i;
  ls_trend_options o;
  memset(&o, 0, sizeof o);
  o.times = times;
  ls_trend *want = NULL, *got = NULL;
  ls_error err;
  assert_int_equal(ls_trend_build(paths, 6, &o, &want, &err), LS_OK);
  assert_true(want->leak);

  ls_trend_stream *ts = NULL;
  assert_int_equal(ls_trend_stream_new(&o, &ts, &err), LS_OK);
  for (int i = 0; i < 3; i++) stream_add(ts, i, times[i]);
  assert_int_equal(ls_trend_stream_count(ts), 3);
  assert_int_equal(ls_trend_stream_judge(ts, &got, &err), LS_OK); /* a look on the way */
  assert_int_equal(got->snapshot_count, 3);
  ls_trend_free(got);
  for (int i = 3; i < 6; i++) stream_add(ts, i, times[i]);
  assert_true(ls_trend_stream_bytes(ts) > 0);
  assert_int_equal(ls_trend_stream_judge(ts, &got, &err), LS_OK);
  same_trend(want, got);
  assert_string_equal(got->snapshots[0].path, files[0]);
  ls_trend_free(got);
  ls_trend_stream_free(ts);

  /* every digest spilled to the stream's temporary file (an unlinked
   * file: one more fd, named "(deleted)") and read back per judge: the
   * same trend, twice; and where no file can be made, kept in memory */
  const char *tmpdirs[2] = {NULL, "/nonexistent-leakscope-dir"};
  const char *was = getenv("TMPDIR");
  char *saved = was ? strdup(was) : NULL;
  for (int v = 0; v < 2; v++) {
    if (tmpdirs[v]) setenv("TMPDIR", tmpdirs[v], 1);
    const int before = deleted_fds();
    assert_int_equal(ls_trend_stream_new(&o, &ts, &err), LS_OK);
    ls__trend_stream_spill_at(ts, 0);
    for (int i = 0; i < 6; i++) stream_add(ts, i, times[i]);
    assert_int_equal(deleted_fds(), before + (v == 0));
    for (int r = 0; r < 2; r++) {
      assert_int_equal(ls_trend_stream_judge(ts, &got, &err), LS_OK);
      same_trend(want, got);
      ls_trend_free(got);
    }
    ls_trend_stream_free(ts);
    assert_int_equal(deleted_fds(), before);
  }
  if (saved) setenv("TMPDIR", saved, 1);
  else unsetenv("TMPDIR");
  free(saved);

  /* out of order: the newest heap still picks the candidates */
  static const int shuffled[6] = {2, 0, 5, 1, 4, 3};
  assert_int_equal(ls_trend_stream_new(&o, &ts, &err), LS_OK);
  for (int i = 0; i < 6; i++) stream_add(ts, shuffled[i], times[shuffled[i]]);
  assert_int_equal(ls_trend_stream_judge(ts, &got, &err), LS_OK);
  same_trend(want, got);
  ls_trend_free(got);
  ls_trend_stream_free(ts);
  ls_trend_free(want);
}

static void stream_errors(void **state) {
  (void)state;
  ls_error err;
  ls_trend *t = (ls_trend *)&err; /* set to NULL on every error */
  ls_trend_stream *ts = NULL;
  assert_int_equal(ls_trend_stream_new(NULL, NULL, &err), LS_ERR_INVALID_ARG);
  assert_int_equal(ls_trend_stream_new(NULL, &ts, &err), LS_OK);
  assert_int_equal(ls_trend_stream_count(ts), 0);
  assert_int_equal(ls_trend_stream_judge(ts, &t, &err), LS_ERR_INVALID_ARG);
  assert_null(t);
  assert_non_null(strstr(err.message, "at least 3 snapshots"));
  for (int k = 0; k < 3; k++) write_step(k, k, 400 * (k + 1), 10, 1000);
  stream_add(ts, 0, 0);
  stream_add(ts, 1, 1);
  t = (ls_trend *)&err;
  assert_int_equal(ls_trend_stream_judge(ts, &t, &err), LS_ERR_INVALID_ARG);
  assert_null(t);
  assert_non_null(strstr(err.message, "has 2 so far"));
  assert_int_equal(ls_trend_stream_add(ts, NULL, "x", 0, -1, -1, &err), LS_ERR_INVALID_ARG);
  assert_int_equal(ls_trend_stream_count(ts), 2);
  /* the same snapshot twice (no label: the report has no file to name) */
  ls_heap *h = load(1);
  assert_int_equal(ls_trend_stream_add(ts, h, NULL, 2, -1, -1, &err), LS_OK);
  ls_heap_free(h);
  assert_int_equal(ls_trend_stream_judge(ts, &t, &err), LS_ERR_INVALID_ARG);
  assert_non_null(strstr(err.message, "same largest node id"));
  assert_int_equal(ls_trend_stream_judge(NULL, &t, &err), LS_ERR_INVALID_ARG);
  ls_trend_stream_free(ts);
  ls_trend_stream_free(NULL);
  /* a label-less stream: paths stay NULL */
  assert_int_equal(ls_trend_stream_new(NULL, &ts, &err), LS_OK);
  for (int i = 0; i < 3; i++) {
    h = load(i);
    assert_int_equal(ls_trend_stream_add(ts, h, NULL, i, -1, -1, &err), LS_OK);
    ls_heap_free(h);
  }
  assert_int_equal(ls_trend_stream_judge(ts, &t, &err), LS_OK);
  for (size_t i = 0; i < t->snapshot_count; i++) assert_null(t->snapshots[i].path);
  ls_trend_free(t);
  ls_trend_stream_free(ts);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(growing_container_is_a_leak, setup, teardown),
      cmocka_unit_test_setup_teardown(idle_interval_by_work, setup, teardown),
      cmocka_unit_test_setup_teardown(low_cpu_interval_with_new_objects_counts, setup, teardown),
      cmocka_unit_test_setup_teardown(three_snapshots_are_unsure, setup, teardown),
      cmocka_unit_test_setup_teardown(fixed_store_filling_is_unsure_then_clean, setup, teardown),
      cmocka_unit_test_setup_teardown(starved_watch_by_runnable_time, setup, teardown),
      cmocka_unit_test_setup_teardown(known_leak_settles_at_its_watch, setup, teardown),
      cmocka_unit_test_setup_teardown(warm_up_then_flat_is_clean, setup, teardown),
      cmocka_unit_test_setup_teardown(steps_that_stop_are_clean, setup, teardown),
      cmocka_unit_test_setup_teardown(retained_maps_is_a_known_runtime_leak, setup, teardown),
      cmocka_unit_test_setup_teardown(more_instances_are_judged_by_count, setup, teardown),
      cmocka_unit_test_setup_teardown(order_comes_from_ids, setup, teardown),
      cmocka_unit_test_setup_teardown(bad_series, setup, teardown),
      cmocka_unit_test_setup_teardown(stream_judges_as_build, setup, teardown),
      cmocka_unit_test_setup_teardown(stream_errors, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
