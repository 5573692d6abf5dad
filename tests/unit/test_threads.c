/* The library on several threads at once (the Node addon runs analyses on
 * libuv's thread pool): four threads analyse four different series of
 * snapshots at the same time, each running summary, top, paths, diff,
 * trend (with the HTML report), handles and suspects again and again, and every
 * result must equal the one computed alone on one thread. Built and run
 * under ThreadSanitizer by `make tsan`, which reports any data race. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "tsnap.h"
#include "render/render.h"

#define THREADS 4
#define SNAPS 6
#define ROUNDS 3

static char dir[64];
static char files[THREADS][SNAPS][128];

/* Series w (one per thread, each different): a holder whose list of
 * objects grows (their property sets differ per series, so the names
 * DevTools infers for them differ too), an LRU-like table that levels off,
 * and some handles under (Handle scope). */
static void write_series(int w) {
  static const char *const props[THREADS][3] = {
      {"alpha", "beta", "gamma"}, {"url", "method", "headers"},
      {"x", "y", "z"}, {"key", "value", "ttl"}};
  for (int k = 0; k < SNAPS; k++) {
    tsnap *t = tsnap_new();
    int root = tsnap_node(t, "synthetic", "", 0);
    int gcroots = tsnap_node(t, "synthetic", "(GC roots)", 0);
    int hs = tsnap_node(t, "synthetic", "(Handle scope)", 0);
    int global = tsnap_node(t, "object", "global", 100);
    int holder = tsnap_node(t, "object", w % 2 ? "Registry" : "Store", 32);
    int store = tsnap_node(t, "array", "(object elements)", 16 + 8ull * 100 * (k + 1));
    t->nodes[global].id = 3;
    t->nodes[holder].id = 5;
    t->nodes[store].id = 7;
    tsnap_edge(t, root, "shortcut", "global", global);
    tsnap_edge(t, root, "element", "1", gcroots);
    tsnap_edge(t, gcroots, "element", "1", hs);
    tsnap_edge(t, global, "property", w % 2 ? "registry" : "store", holder);
    tsnap_edge(t, holder, "internal", "elements", store);
    for (int i = 0; i < 100 * (k + 1); i++) {
      int it = tsnap_node(t, "object", "Object", 24 + 8 * w);
      t->nodes[it].id = 1001 + 2ull * (unsigned)i;
      char idx[16];
      snprintf(idx, sizeof idx, "%d", i);
      tsnap_edge(t, store, "element", idx, it);
      for (int p = 0; p < 3; p++) {
        int v = tsnap_node(t, "number", "heap number", 16);
        t->nodes[v].id = 500001 + 6ull * (unsigned)i + 2ull * (unsigned)p;
        tsnap_edge(t, it, "property", props[w][p], v);
      }
      if (i < 20) tsnap_edge(t, hs, "element", idx, it);
    }
    int tick = tsnap_node(t, "object", "Tick", 8);
    t->nodes[tick].id = 9000001 + 2ull * (unsigned)k;
    tsnap_edge(t, global, "property", "tick", tick);
    snprintf(files[w][k], sizeof files[w][k], "%s/w%d-s%d.heapsnapshot", dir, w, k);
    char *json = tsnap_json(t);
    FILE *f = fopen(files[w][k], "w");
    assert_non_null(f);
    fputs(json, f);
    fclose(f);
    free(json);
    tsnap_free(t);
  }
}

/* Every analysis of series w, rendered to one text; NULL on a failure. */
static char *analyse(int w) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f) return NULL;
  int ok = 1;
  ls_error err;
  memset(&err, 0, sizeof err);
  ls_heap *h = NULL, *old = NULL;
  ls_summary *s = NULL;
  ls_top *top = NULL;
  ls_paths *p = NULL;
  ls_handles *hs = NULL;
  ls_digest *d = NULL;
  ls_diff *df = NULL;
  ls_trend *t = NULL;
  ls_suspects *sx = NULL;
  ls_heap_totals tot;
  ok = ls_heap_load(files[w][SNAPS - 1], NULL, &h, &err) == LS_OK &&
       ls_heap_load(files[w][0], NULL, &old, &err) == LS_OK;
  if (ok) ls_heap_totals_get(h, &tot);
  ok = ok && ls_summary_build(h, 0, &s, &err) == LS_OK &&
       ls__render_summary_json(f, "s", s) == 0;
  ok = ok && ls_top_build(h, 10, &top, &err) == LS_OK &&
       ls__render_top_json(f, "s", &tot, top) == 0;
  ok = ok && ls_paths_build(h, "Tick", 3, &p, &err) == LS_OK &&
       ls__render_paths_json(f, "s", &tot, "Tick", p) == 0;
  ok = ok && ls_handles_build(h, &hs, &err) == LS_OK &&
       ls__render_handles_json(f, "s", &tot, hs) == 0;
  ok = ok && ls_suspects_build(h, NULL, &sx, &err) == LS_OK && sx->count > 0 &&
       ls__render_suspects_json(f, "s", sx) == 0 &&
       ls__render_suspects_text(f, "s", sx) == 0 &&
       ls__render_suspects_html(f, "s", sx) == 0;
  ok = ok && ls_digest_build(old, &d, &err) == LS_OK &&
       ls_diff_build(d, h, &df, &err) == LS_OK &&
       ls__render_diff_json(f, "a", "b", df) == 0;
  const char *paths[SNAPS];
  for (int k = 0; k < SNAPS; k++) paths[k] = files[w][k];
  ls_trend_options o;
  memset(&o, 0, sizeof o);
  o.newest_classes = 1;
  ls__html_options ho = {0};
  ok = ok && ls_trend_build(paths, SNAPS, &o, &t, &err) == LS_OK &&
       ls__render_trend_json(f, t) == 0 && ls__render_trend_html(f, t, &ho) == 0 &&
       ls__render_summary_html(f, "s", s, &ho) == 0;
  ls_trend_free(t);
  t = NULL;
  /* the same series as a stream, one heap at a time (as run feeds it) */
  ls_trend_stream *ts = NULL;
  ok = ok && ls_trend_stream_new(&o, &ts, &err) == LS_OK;
  ls_heap_options raw = {.raw_sizes = 1, .no_distances = 1};
  for (int k = 0; ok && k < SNAPS; k++) {
    ls_heap *hk = NULL;
    ok = ls_heap_load(files[w][k], &raw, &hk, &err) == LS_OK &&
         ls_trend_stream_add(ts, hk, files[w][k], k, -1, -1, &err) == LS_OK;
    ls_heap_free(hk);
  }
  ok = ok && ls_trend_stream_judge(ts, &t, &err) == LS_OK && ls__render_trend_json(f, t) == 0;
  ls_trend_free(t);
  ls_trend_stream_free(ts);
  ls_suspects_free(sx);
  ls_diff_free(df);
  ls_digest_free(d);
  ls_handles_free(hs);
  ls_paths_free(p);
  ls_top_free(top);
  ls_summary_free(s);
  ls_heap_free(old);
  ls_heap_free(h);
  fclose(f);
  if (!ok) {
    fprintf(stderr, "analysis of series %d failed: %s\n", w, err.message);
    free(text);
    return NULL;
  }
  return text;
}

static char *expected[THREADS];

static void *worker(void *arg) {
  int w = (int)(intptr_t)arg, bad = 0;
  for (int r = 0; r < ROUNDS; r++) {
    char *got = analyse(w);
    bad += !got || strcmp(got, expected[w]) != 0;
    free(got);
  }
  return (void *)(intptr_t)bad;
}

static void concurrent_equals_sequential(void **state) {
  (void)state;
  strcpy(dir, "/tmp/ls-threads-XXXXXX");
  assert_non_null(mkdtemp(dir));
  for (int w = 0; w < THREADS; w++) write_series(w);
  for (int w = 0; w < THREADS; w++) {
    expected[w] = analyse(w);
    assert_non_null(expected[w]);
    /* the series differ, so a mix-up between threads would show */
    for (int v = 0; v < w; v++) assert_string_not_equal(expected[w], expected[v]);
  }
  assert_non_null(strstr(expected[1], "{url, method, headers}"));
  pthread_t th[THREADS];
  for (int w = 0; w < THREADS; w++)
    assert_int_equal(pthread_create(&th[w], NULL, worker, (void *)(intptr_t)w), 0);
  int bad = 0;
  for (int w = 0; w < THREADS; w++) {
    void *r;
    pthread_join(th[w], &r);
    bad += (int)(intptr_t)r;
  }
  assert_int_equal(bad, 0);
  for (int w = 0; w < THREADS; w++) {
    free(expected[w]);
    for (int k = 0; k < SNAPS; k++) unlink(files[w][k]);
  }
  rmdir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(concurrent_equals_sequential),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
