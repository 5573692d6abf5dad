/* HTML report writer: escaping of hostile names, numbers, empty and short
 * series, zero suspects, privacy of string values, 1,000 classes and 100
 * suspects (size and time measured). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "render/render.h"

#define ABSENT LS_TREND_ABSENT

static size_t count_of(const char *hay, const char *needle) {
  size_t n = 0, l = strlen(needle);
  for (const char *p = hay; (p = strstr(p, needle)); p += l) n++;
  return n;
}

static char *text_of(const char *s, size_t max) {
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  ls__html_text(f, s, max);
  fclose(f);
  return buf;
}

static char *summary_html(const ls_summary *s) {
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  assert_int_equal(ls__render_summary_html(f, "dir/<a>.heapsnapshot", s, NULL), 0);
  fclose(f);
  return buf;
}

static char *trend_html(const ls_trend *t, int strings, size_t *len) {
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  ls__html_options o = {strings};
  assert_int_equal(ls__render_trend_html(f, t, &o), 0);
  fclose(f);
  if (len) *len = n;
  return buf;
}

/* Nothing executable may come out, whatever the names: no <script, no
 * event-handler attribute made of heap text, and the CSP forbids scripts. */
static void assert_inert(const char *html) {
  assert_null(strstr(html, "<script"));
  assert_null(strstr(html, "<img"));
  assert_non_null(strstr(html, "Content-Security-Policy"));
  assert_non_null(strstr(html, "default-src 'none'"));
}

static void escapes_text(void **state) {
  (void)state;
  char *s = text_of("<script>alert(\"x\")</script> & 'y'", 0);
  assert_string_equal(s, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
                         "&amp; &#39;y&#39;");
  free(s);
  s = text_of("a\nb\tc\x7f", 0);
  assert_string_equal(s, "a?b?c?");
  free(s);
  /* invalid UTF-8 (a lone continuation byte, a surrogate, an overlong) */
  s = text_of("x\x80y\xed\xa0\x80z\xc0\xaf", 0);
  assert_string_equal(s, "x\xef\xbf\xbdy\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                         "z\xef\xbf\xbd\xef\xbf\xbd");
  free(s);
  /* cut: whole characters only, with an ellipsis */
  s = text_of("ab\xc3\xa9" "cd", 3);
  assert_string_equal(s, "ab…");
  free(s);
  s = text_of("\xf0\x9f\x98\x80", 0);
  assert_string_equal(s, "\xf0\x9f\x98\x80");
  free(s);
  s = text_of(NULL, 0);
  assert_string_equal(s, "");
  free(s);
}

static void summary_hostile_names_and_numbers(void **state) {
  (void)state;
  ls_class_row rows[3] = {
      {"<script>alert(1)</script>", NULL, 1234567, 2000000, 9000000},
      {"\"'&", "41,3,14", 2, 64, 128},
      {"<img src=x onerror=alert(1)>", NULL, 0, 0, 0},
  };
  ls_summary s = {{100, 200, 10000000, ""}, 3, 3, rows};
  char *h = summary_html(&s);
  assert_inert(h);
  assert_non_null(strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert_non_null(strstr(h, "&quot;&#39;&amp;"));
  assert_non_null(strstr(h, "&lt;img src=x onerror=alert(1)&gt;"));
  assert_non_null(strstr(h, "dir/&lt;a&gt;.heapsnapshot"));
  assert_non_null(strstr(h, "41,3,14"));
  /* numbers: grouped counts, human sizes with exact bytes on hover */
  assert_non_null(strstr(h, "<td>1,234,567</td>"));
  assert_non_null(strstr(h, "title=\"9,000,000 bytes\">9.00 MB</td>"));
  assert_non_null(strstr(h, "<td>90.0</td>")); /* % of the heap */
  assert_non_null(strstr(h, "100 objects, 200 references, 10.0 MB in total"));
  /* the sortable table: a rank per key on every row */
  assert_int_equal(count_of(h, "<tr style=\"--n:"), 3);
  /* name order: "\"'&" < "<img" < "<script" */
  assert_non_null(strstr(h, "<tr style=\"--n:3;--c:1;--s:1;--r:1\">"));
  assert_non_null(strstr(h, "<tr style=\"--n:1;--c:2;--s:2;--r:2\">"));
  assert_non_null(strstr(h, "<tr style=\"--n:2;--c:3;--s:3;--r:3\">"));
  assert_int_equal(count_of(h, "type=\"radio\""), 8);
  assert_non_null(strstr(h, "id=\"class-bars\""));
  free(h);
}

static void summary_no_classes(void **state) {
  (void)state;
  ls_summary s = {{0, 0, 0, ""}, 0, 0, NULL};
  char *h = summary_html(&s);
  assert_inert(h);
  assert_non_null(strstr(h, "No classes."));
  assert_non_null(strstr(h, "</html>"));
  free(h);
}

static char *name_for(size_t i) {
  char *s = malloc(32);
  snprintf(s, 32, "Class%04zu<&>", i);
  return s;
}

static ls_class_row *many_classes(size_t n) {
  ls_class_row *r = calloc(n, sizeof *r);
  for (size_t i = 0; i < n; i++) {
    r[i].name = name_for(n - 1 - i); /* reverse name order */
    r[i].count = (i * 7919) % 1000 + 1;
    r[i].self_size = (i * 104729) % 100000;
    r[i].retained_size = (n - i) * 1000;
  }
  return r;
}

static void free_classes(ls_class_row *r, size_t n) {
  for (size_t i = 0; i < n; i++) free((char *)r[i].name);
  free(r);
}

static void summary_thousand_and_capped(void **state) {
  (void)state;
  ls_class_row *r = many_classes(1000);
  ls_summary s = {{1, 1, 1000000, ""}, 1000, 1000, r};
  char *h = summary_html(&s);
  assert_int_equal(count_of(h, "<tr style=\"--n:"), 1000);
  /* ranks by name are a permutation: row i has name rank 1000 - i */
  assert_non_null(strstr(h, "<tr style=\"--n:1000;"));
  assert_non_null(strstr(h, "<tr style=\"--n:1;"));
  /* 20 bars */
  assert_int_equal(count_of(h, "<rect class=\"bar\""), 20);
  free(h);
  free_classes(r, 1000);
  r = many_classes(2500);
  ls_summary big = {{1, 1, 1, ""}, 2500, 2500, r};
  h = summary_html(&big);
  assert_int_equal(count_of(h, "<tr style=\"--n:"), 2000);
  assert_non_null(strstr(h, "The 2,000 largest of 2,500 classes"));
  free(h);
  free_classes(r, 2500);
}

/* ---- trend ---------------------------------------------------------- */

static uint64_t *series(size_t n, uint64_t start, uint64_t step) {
  uint64_t *v = malloc((n ? n : 1) * sizeof *v);
  for (size_t i = 0; i < n; i++) v[i] = start + step * i;
  return v;
}

static ls_path_step *path_of(size_t len, const char *last) {
  ls_path_step *p = calloc(len, sizeof *p);
  for (size_t i = 0; i < len; i++) {
    p[i].id = 100 + i;
    p[i].class_name = i == 0 ? "(GC roots)" : i + 1 == len ? last : "Object";
    p[i].type = i + 1 == len ? "string" : "object";
    p[i].edge_type = i ? "property" : NULL;
    p[i].edge = i ? strdup(i + 1 == len ? "<b>token</b>" : "holder") : NULL;
  }
  return p;
}

static ls_trend *make_trend(size_t nsnap, size_t nsus, size_t path_len) {
  ls_trend *t = calloc(1, sizeof *t);
  t->snapshot_count = nsnap;
  t->snapshots = calloc(nsnap ? nsnap : 1, sizeof *t->snapshots);
  for (size_t i = 0; i < nsnap; i++) {
    t->snapshots[i].path = strdup("snap.heapsnapshot");
    t->snapshots[i].node_count = 1000 + i * 100;
    t->snapshots[i].total_size = 3000000 + i * 500000;
    t->snapshots[i].mtime = 1700000000.0 + 10.0 * (double)i;
  }
  t->suspect_count = nsus;
  t->leak = nsus > 0;
  t->verdict = nsus > 0 ? LS_VERDICT_LEAK : LS_VERDICT_CLEAN;
  t->suspects = calloc(nsus ? nsus : 1, sizeof *t->suspects);
  for (size_t k = 0; k < nsus; k++) {
    ls_suspect *x = &t->suspects[k];
    x->kind = k % 2 ? LS_SUSPECT_CLASS : LS_SUSPECT_OBJECT;
    x->name = strdup(k == 0 ? "<script>alert(1)</script>" : "Session");
    x->id = 82127 + 2 * k;
    x->metric = k % 2 ? LS_METRIC_COUNT : LS_METRIC_RETAINED_SIZE;
    x->sizes = series(nsnap, 32, 0);
    x->retained = series(nsnap, 410000, 119000);
    x->counts = series(nsnap, 2000, 2000);
    x->growth_bytes = nsnap > 1 ? (int64_t)(119000 * (nsnap - 2)) : 0;
    x->growth_count = nsnap > 1 ? (int64_t)(2000 * (nsnap - 2)) : 0;
    x->group = k % 2 ? (long)k - 1 : -1;
    x->path_len = path_len;
    x->path = path_len ? path_of(path_len, k == 0 ? "<script>" : "Session")
                       : NULL;
  }
  return t;
}

static void free_trend(ls_trend *t) {
  for (size_t i = 0; i < t->snapshot_count; i++) free(t->snapshots[i].path);
  free(t->snapshots);
  for (size_t k = 0; k < t->suspect_count; k++) {
    ls_suspect *x = &t->suspects[k];
    free(x->name);
    free(x->sizes);
    free(x->retained);
    free(x->counts);
    for (size_t i = 0; i < x->path_len; i++) {
      free(x->path[i].edge);
      if (x->path_values) free(x->path_values[i]);
    }
    free(x->path);
    free(x->path_values);
  }
  free(t->suspects);
  free(t);
}

static void trend_leak_report(void **state) {
  (void)state;
  ls_trend *t = make_trend(6, 2, 4);
  /* the first snapshot's value falls once: "shrank" is said */
  t->suspects[0].retained[3] = t->suspects[0].retained[2] - 5000;
  char *h = trend_html(t, 0, NULL);
  assert_inert(h);
  assert_non_null(strstr(h, "<h1>Leak suspected</h1>"));
  /* the key figure: name (escaped), growth, snapshots, shrinking */
  assert_non_null(strstr(h, "&lt;script&gt;</span> <span class=\"id\">@82127"
                            "</span> grew 476 kB in 6 "
                            "snapshots, shrank in 1 step (at most 5.00 kB)"));
  assert_int_equal(count_of(h, "class=\"chart suspect-chart\""), 2);
  assert_int_equal(count_of(h, "<li class=\"step\""), 8);
  assert_non_null(strstr(h, "<span class=\"edge\">.&lt;b&gt;token&lt;/b&gt;"
                            "</span>"));
  /* times from the files: +10 s apart */
  assert_non_null(strstr(h, ">+50 s</text>"));
  assert_non_null(strstr(h, "<td>+50.0 s</td>"));
  /* the member is shown under its leader */
  assert_non_null(strstr(h, "class=\"suspect member\" id=\"s2\""));
  assert_non_null(strstr(h, "with #1:"));
  assert_null(strstr(h, "gained")); /* the leader grows in bytes */
  assert_non_null(strstr(h, "+8,000 instances"));
  assert_non_null(strstr(h, "string values hidden"));
  free(h);
  free_trend(t);
}

static const ls_known_leak *known_entry(const char *id) {
  for (const ls_known_leak *k = ls_known_leaks(); k->id; k++)
    if (!strcmp(k->id, id)) return k;
  fail_msg("no known leak %s", id);
  return NULL;
}

static char *render_to(int (*fn)(FILE *, const ls_trend *), const ls_trend *t) {
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  assert_int_equal(fn(f, t), 0);
  fclose(f);
  return buf;
}

/* A known runtime leak is told against the snapshot's own Node.js
 * version: the fix of its release line, or that its line has none; on a
 * version with the fix the suspect only resembles it. Text, JSON, HTML. */
static void trend_known_by_version(void **state) {
  (void)state;
  ls_trend *t = make_trend(4, 2, 3);
  const ls_known_leak *rm = known_entry("v8-retained-maps"),
                      *dep = known_entry("node-abort-any-dependants");
  t->suspects[0].known = rm;
  for (size_t i = 0; i < 4; i++) strcpy(t->snapshots[i].node_version, "22.14.0");
  char *txt = render_to(ls__render_trend_text, t), *js = render_to(ls__render_trend_json, t);
  char *h = trend_html(t, 0, NULL);
  assert_non_null(strstr(txt, "KNOWN RUNTIME LEAK: V8 retained_maps"));
  /* an unsettled leak says so in words; a settled one does not */
  assert_non_null(strstr(txt, "(Not settled yet: the series is short"));
  t->settled = 1;
  char *settled = render_to(ls__render_trend_text, t);
  assert_null(strstr(settled, "Not settled"));
  free(settled);
  t->settled = 0;
  assert_non_null(strstr(txt, "your Node.js 22.14.0 has this bug, fixed in 22.15.0; see "
                              "https://github.com/nodejs/node/issues/57412"));
  assert_non_null(strstr(js, "\"fixed_for_version\":\"22.15.0\""));
  assert_non_null(strstr(js, "\"affected\":\"22.0.0 to 22.14.x"));
  assert_non_null(strstr(h, "your Node.js 22.14.0 has this bug, fixed in 22.15.0"));
  free(txt), free(js), free(h);
  /* a line without the fix */
  t->suspects[0].known = dep;
  for (size_t i = 0; i < 4; i++) strcpy(t->snapshots[i].node_version, "20.20.2");
  txt = render_to(ls__render_trend_text, t), js = render_to(ls__render_trend_json, t);
  assert_non_null(strstr(txt, "your Node.js 20.20.2 has this bug, and no 20.x release fixes "
                              "it: fixed in Node.js 22.12.0"));
  assert_non_null(strstr(js, "\"fixed_for_version\":null"));
  free(txt), free(js);
  /* no version in the heap: the fixes of every line */
  for (size_t i = 0; i < 4; i++) t->snapshots[i].node_version[0] = 0;
  txt = render_to(ls__render_trend_text, t);
  assert_non_null(strstr(txt, "fixed in Node.js 22.12.0, 23.1.0"));
  assert_null(strstr(txt, "your Node.js"));
  free(txt);
  /* a version with the fix: the program's own, resembling it */
  t->suspects[0].known = NULL;
  t->suspects[0].resembles = rm;
  for (size_t i = 0; i < 4; i++) strcpy(t->snapshots[i].node_version, "22.15.0");
  txt = render_to(ls__render_trend_text, t), js = render_to(ls__render_trend_json, t);
  h = trend_html(t, 0, NULL);
  assert_null(strstr(txt, "KNOWN RUNTIME LEAK"));
  assert_non_null(strstr(txt, "it resembles the known runtime leak v8-retained-maps"));
  assert_non_null(strstr(txt, "but Node.js 22.15.0 has that fix: this growth is the program's own"));
  assert_non_null(strstr(js, "\"resembles\":{\"id\":\"v8-retained-maps\""));
  assert_null(strstr(js, "\"known\""));
  assert_non_null(strstr(h, "it resembles the known runtime leak v8-retained-maps"));
  assert_null(strstr(h, "Known runtime leak:"));
  free(txt), free(js), free(h);
  free_trend(t);
}

static void trend_clean_zero_suspects(void **state) {
  (void)state;
  ls_trend *t = make_trend(3, 0, 0);
  char *h = trend_html(t, 0, NULL);
  assert_inert(h);
  assert_non_null(strstr(h, "<h1>No leak found</h1>"));
  assert_non_null(strstr(h, "Nothing keeps growing in 3 "
                            "snapshots (heap 3.00 MB → 4.00 MB)"));
  assert_int_equal(count_of(h, "suspect-chart"), 0);
  assert_int_equal(count_of(h, "heap-chart"), 1);
  assert_null(strstr(h, "id=\"classes\""));
  free(h);
  free_trend(t);
}

/* Not sure yet: its own heading, the reason and what would settle it (the
 * names escaped like everywhere), the suspects under "What may grow". */
static void trend_unsure_report(void **state) {
  (void)state;
  ls_trend *t = make_trend(3, 2, 3);
  t->leak = 0;
  t->verdict = LS_VERDICT_UNSURE;
  t->unsure_why = LS_UNSURE_FEW;
  t->more_snapshots = 2;
  t->more_seconds = 20;
  for (size_t k = 0; k < 2; k++) {
    t->suspects[k].verdict = LS_VERDICT_UNSURE;
    t->suspects[k].why = LS_UNSURE_FEW;
  }
  char *h = trend_html(t, 0, NULL);
  assert_inert(h);
  assert_non_null(strstr(h, "<h1>Not sure yet</h1>"));
  assert_non_null(strstr(h, "class=\"verdict unsure\""));
  assert_non_null(strstr(h, "rose over too few snapshots to tell a leak from "
                            "chance; take 2 more snapshots over about 20 s"));
  assert_non_null(strstr(h, "&lt;script&gt;"));
  assert_null(strstr(h, "<h1>Leak suspected</h1>"));
  assert_non_null(strstr(h, "<h2>What may grow</h2>"));
  free(h);
  free_trend(t);
}

static void trend_empty_and_single_series(void **state) {
  (void)state;
  /* every value absent: the chart says so instead of drawing nonsense */
  ls_trend *t = make_trend(4, 1, 0);
  for (size_t i = 0; i < 4; i++)
    t->suspects[0].sizes[i] = t->suspects[0].retained[i] =
        t->suspects[0].counts[i] = ABSENT;
  t->snapshots[2].mtime = 0; /* a time unknown: no times on the axis */
  char *h = trend_html(t, 0, NULL);
  assert_inert(h);
  assert_int_equal(count_of(h, ">no values</text>"), 2);
  assert_non_null(strstr(h, "<td>–</td>"));
  assert_non_null(strstr(h, "class=\"no-path\""));
  assert_null(strstr(h, " s</text>"));
  assert_null(strstr(h, "nan"));
  assert_null(strstr(h, "inf"));
  free(h);
  free_trend(t);
  /* one snapshot: one point in the middle, no division by zero */
  t = make_trend(1, 1, 2);
  h = trend_html(t, 0, NULL);
  /* heap: size and objects; suspect: retained, own size, instances */
  assert_int_equal(count_of(h, "<circle"), 2 + 3);
  assert_null(strstr(h, "nan"));
  assert_null(strstr(h, "inf"));
  free(h);
  free_trend(t);
  /* partly absent (the object appears late) and flat values */
  t = make_trend(5, 1, 2);
  t->suspects[0].retained[0] = t->suspects[0].sizes[0] = ABSENT;
  for (size_t i = 0; i < 5; i++) t->suspects[0].counts[i] = 7;
  h = trend_html(t, 0, NULL);
  assert_null(strstr(h, "nan"));
  assert_non_null(strstr(h, "<td>–</td>"));
  free(h);
  free_trend(t);
}

static void trend_string_values_only_when_asked(void **state) {
  (void)state;
  ls_trend *t = make_trend(3, 1, 3);
  ls_suspect *x = &t->suspects[0];
  x->path_values = calloc(3, sizeof *x->path_values);
  x->path_values[2] = strdup("SECRET-<token>-42");
  char *h = trend_html(t, 0, NULL);
  assert_null(strstr(h, "SECRET"));
  assert_non_null(strstr(h, "string values hidden"));
  assert_non_null(strstr(h, "class=\"strings-hidden\""));
  free(h);
  h = trend_html(t, 1, NULL);
  assert_inert(h);
  assert_non_null(strstr(h, "<q class=\"value\">SECRET-&lt;token&gt;-42</q>"));
  assert_non_null(strstr(h, "class=\"strings-shown\""));
  free(h);
  free_trend(t);
}

static void trend_hundred_suspects_thousand_classes(void **state) {
  (void)state;
  ls_trend *t = make_trend(10, 100, 12);
  t->class_count = 1000;
  t->classes = many_classes(1000);
  size_t len = 0;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  char *h = trend_html(t, 0, &len);
  clock_gettime(CLOCK_MONOTONIC, &b);
  double ms = (double)(b.tv_sec - a.tv_sec) * 1e3 +
              (double)(b.tv_nsec - a.tv_nsec) / 1e6;
  printf("# 100 suspects x 10 snapshots, 12-step paths, 1,000 classes: "
         "%zu bytes in %.1f ms\n", len, ms);
  assert_int_equal(count_of(h, "class=\"chart suspect-chart\""), 100);
  assert_int_equal(count_of(h, "<tr style=\"--n:"), 1000);
  assert_int_equal(count_of(h, "<li class=\"step\""), 1200);
  assert_true(len < 3 * 1000 * 1000); /* a page a browser opens at once */
  assert_inert(h);
  free(h);
  free_classes(t->classes, 1000);
  t->classes = NULL;
  free_trend(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(escapes_text),
      cmocka_unit_test(summary_hostile_names_and_numbers),
      cmocka_unit_test(summary_no_classes),
      cmocka_unit_test(summary_thousand_and_capped),
      cmocka_unit_test(trend_leak_report),
      cmocka_unit_test(trend_clean_zero_suspects),
      cmocka_unit_test(trend_unsure_report),
      cmocka_unit_test(trend_empty_and_single_series),
      cmocka_unit_test(trend_string_values_only_when_asked),
      cmocka_unit_test(trend_hundred_suspects_thousand_classes),
      cmocka_unit_test(trend_known_by_version),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
