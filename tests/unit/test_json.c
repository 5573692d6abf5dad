/* The tokenizer's two-thread path for integer columns (json.c split_loop):
 * with the split forced on tiny inputs (ls__json_set_split_threshold) and
 * placed at every comma (ls__json_set_split_point), every handler call,
 * value, offset, event and error must equal the serial path's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reader/builder.h"
#include "reader/error.h"
#include "reader/json.h"

/* ---- a handler that logs everything ------------------------------------ */

typedef struct logbuf {
  char *s;
  size_t len, cap;
} logbuf;

static void logf_(logbuf *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void logf_(logbuf *l, const char *fmt, ...) {
  char tmp[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  assert_true(n >= 0 && (size_t)n < sizeof tmp);
  if (l->len + (size_t)n + 1 > l->cap) {
    l->cap = (l->len + (size_t)n + 1) * 2;
    l->s = realloc(l->s, l->cap);
    assert_non_null(l->s);
  }
  memcpy(l->s + l->len, tmp, (size_t)n + 1);
  l->len += (size_t)n;
}

typedef struct rec {
  ls_error *err;
  ls__json *j;
  logbuf log;
  uint64_t seen;    /* values received */
  uint64_t fail_at; /* fail the batch holding this value; UINT64_MAX: never */
} rec;

static ls_status rec_event(void *ctx, ls__jtok tok, const ls__jvalue *v,
                           uint32_t depth, uint64_t off) {
  (void)v;
  rec *r = ctx;
  logf_(&r->log, "E%d d%u @%llu\n", (int)tok, depth, (unsigned long long)off);
  return LS_OK;
}

static ls_status rec_ints(void *ctx, const uint64_t *v, const uint64_t *o,
                          size_t n, uint64_t first) {
  rec *r = ctx;
  logf_(&r->log, "I %llu+%zu\n", (unsigned long long)first, n);
  for (size_t i = 0; i < n; i++) {
    logf_(&r->log, "%llu@%llu\n", (unsigned long long)v[i],
          (unsigned long long)o[i]);
    if (r->seen + i == r->fail_at)
      return ls__set_error(r->err, LS_ERR_PARSE, o[i],
                           "handler refuses value %llu",
                           (unsigned long long)(r->seen + i));
  }
  r->seen += n;
  return LS_OK;
}

static void rec_describe(void *ctx, uint64_t index, char *buf, size_t size) {
  (void)ctx;
  snprintf(buf, size, "col[%llu]", (unsigned long long)index);
}

/* Every array is an integer column. */
static ls_status col_event(void *ctx, ls__jtok tok, const ls__jvalue *v,
                           uint32_t depth, uint64_t off) {
  if (tok == LS__JT_ARR_BEGIN) ls__json_int_column(((rec *)ctx)->j);
  return rec_event(ctx, tok, v, depth, off);
}
static const ls__json_handler rec_handler = {col_event, rec_ints,
                                             rec_describe};

/* What one run produced: the log plus the final status and error. */
typedef struct outcome {
  char *log;
  ls_status st;
  char msg[sizeof ((ls_error *)0)->message];
  uint64_t off;
} outcome;

/* Feed text in pieces ending at cuts[0..ncuts) (then the rest); split =
 * threshold (0: serial), at = split point. */
static outcome run(const char *text, size_t len, const size_t *cuts,
                   size_t ncuts, size_t split, size_t at, uint64_t fail_at) {
  ls_error err;
  memset(&err, 0, sizeof err);
  rec r = {&err, NULL, {NULL, 0, 0}, 0, fail_at};
  logf_(&r.log, "start\n");
  ls__json *j = ls__json_new(&rec_handler, &r, &err);
  assert_non_null(j);
  r.j = j;
  ls__json_set_split_threshold(j, split);
  ls__json_set_split_point(j, at);
  ls_status st = LS_OK;
  size_t from = 0;
  for (size_t i = 0; i <= ncuts && st == LS_OK; i++) {
    size_t to = i < ncuts ? cuts[i] : len;
    if (to < from) to = from;
    if (to > len) to = len;
    st = ls__json_feed(j, (const uint8_t *)text + from, to - from);
    from = to;
  }
  if (st == LS_OK) st = ls__json_finish(j);
  ls__json_free(j);
  outcome o;
  o.log = r.log.s;
  o.st = st;
  memcpy(o.msg, err.message, sizeof o.msg);
  o.off = st == LS_OK ? 0 : err.offset;
  if (st == LS_OK) o.msg[0] = 0;
  return o;
}

static void same(const outcome *a, const outcome *b, const char *what,
                 size_t k) {
  if (a->st != b->st || strcmp(a->msg, b->msg) || a->off != b->off)
    fail_msg("%s (split at %zu): serial %d \"%s\" @%llu, split %d \"%s\" "
             "@%llu", what, k, a->st, a->msg, (unsigned long long)a->off,
             b->st, b->msg, (unsigned long long)b->off);
  if (strcmp(a->log, b->log)) {
    size_t i = 0;
    while (a->log[i] == b->log[i]) i++;
    size_t s = i > 40 ? i - 40 : 0;
    fail_msg("%s (split at %zu): handler calls differ near \"%.80s\" vs "
             "\"%.80s\"", what, k, a->log + s, b->log + s);
  }
}

static void drop(outcome *o) { free(o->log); }

/* Serial against a split at every byte of the text, in one feed. */
static void every_split(const char *text, uint64_t fail_at, const char *what) {
  size_t len = strlen(text);
  outcome ser = run(text, len, NULL, 0, 0, 0, fail_at);
  for (size_t k = 1; k <= len; k++) {
    outcome par = run(text, len, NULL, 0, 1, k, fail_at);
    same(&ser, &par, what, k);
    drop(&par);
  }
  drop(&ser);
}

/* ---- random arrays ----------------------------------------------------- */

static uint64_t rng = 88172645463325252ULL;
static uint64_t rnd(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static const char *const WS[] = {"", "", "", "", "\n", " ", "\r\n\t "};

/* "[v,v,...]" of n random values of random widths and spacing. */
static char *random_array(size_t n) {
  size_t cap = n * 40 + 16, len = 0;
  char *t = malloc(cap);
  assert_non_null(t);
  t[len++] = '[';
  for (size_t i = 0; i < n; i++) {
    uint64_t v;
    switch (rnd() % 6) {
    case 0: v = 0; break;
    case 1: v = rnd() % 10; break;
    case 2: v = rnd() % 100000; break;
    case 3: v = rnd() >> (rnd() % 64); break;
    case 4: v = UINT64_MAX - rnd() % 3; break;
    default: v = rnd() % 1000; break;
    }
    const char *w1 = WS[rnd() % 7], *w2 = WS[rnd() % 7];
    len += (size_t)sprintf(t + len, "%s%llu%s%s", w1, (unsigned long long)v,
                           w2, i + 1 < n ? "," : "");
  }
  t[len++] = ']';
  t[len] = 0;
  return t;
}

static char *wrap(const char *fmt, const char *arr) {
  char *t = malloc(strlen(fmt) + strlen(arr) + 1);
  assert_non_null(t);
  sprintf(t, fmt, arr);
  return t;
}

static void test_random_every_split(void **state) {
  (void)state;
  for (int round = 0; round < 20; round++) {
    char *a = random_array(5 + (size_t)round * 3);
    char *t = wrap("{\"x\":%s,\"y\":[1,2] ,\"z\":\"s\"}", a);
    every_split(t, UINT64_MAX, "random array");
    free(t);
    free(a);
  }
}

/* Big arrays (several handler batches), many chunkings and cut points. */
static void test_random_big(void **state) {
  (void)state;
  char *a = random_array(3 * LS__INT_BATCH + 123);
  char *b = random_array(LS__INT_BATCH / 2);
  size_t alen = strlen(a), blen = strlen(b);
  char *t = malloc(alen + blen + 32);
  assert_non_null(t);
  int n = sprintf(t, "{\"a\":%s, \"b\":%s}", a, b);
  size_t len = (size_t)n;
  const size_t steps[] = {len, 65536, 4093, 301};
  const uint64_t fails[] = {UINT64_MAX, 5, LS__INT_BATCH + 17,
                            2 * LS__INT_BATCH + 4000, 3 * LS__INT_BATCH + 122,
                            3 * LS__INT_BATCH + 200};
  for (size_t s = 0; s < sizeof steps / sizeof *steps; s++) {
    size_t ncuts = len / steps[s];
    size_t *cuts = malloc((ncuts + 1) * sizeof *cuts);
    for (size_t i = 0; i < ncuts; i++) cuts[i] = (i + 1) * steps[s];
    for (size_t f = 0; f < sizeof fails / sizeof *fails; f++) {
      outcome ser = run(t, len, cuts, ncuts, 0, 0, fails[f]);
      /* the balanced default point, then explicit ones */
      const size_t ks[] = {0, 1, steps[s] / 3, steps[s] / 2, steps[s] - 30};
      for (size_t ki = 0; ki < sizeof ks / sizeof *ks; ki++) {
        size_t k = ks[ki];
        outcome par = run(t, len, cuts, ncuts, 1, k, fails[f]);
        same(&ser, &par, "big array", k);
        drop(&par);
      }
      drop(&ser);
    }
    free(cuts);
  }
  free(t);
  free(a);
  free(b);
}

/* Errors: the message and offset are the serial path's wherever the split
 * falls, before or after the bad byte. */
static void test_errors_every_split(void **state) {
  (void)state;
  static const char *const bad[] = {
      "[1,2,3,4,5,6,x,8,9,10,11,12]",       /* bad byte */
      "[1,2,3,4,5,6,7\x01,8,9,10,11,12]",   /* control byte */
      "[1,2,3,4,5,6,7x,8,9,10,11,12]",      /* bad byte after a number */
      "[1,2,3,4,5,6,7 \n:,8,9,10,11,12]",   /* ... after spacing */
      "[1,2,3,4,5,6,007,8,9,10,11,12]",     /* leading zero */
      "[1,2,3,4,5,6,00,8,9,10,11,12]",      /* leading zero */
      "[1,2,3,4,5,6,0123456789012,8,9]",    /* leading zero, long */
      "[1,2,3,4,5,6,12345678901234567,8]",  /* 17 digits, fine */
      "[1,2,3,4,5,6,0 7,8,9,10,11,12]",     /* missing comma */
      "[1,2,3,4,5,6,7 8,9,10,11,12]",       /* missing comma */
      "[1,2,3,4,5,18446744073709551616,7]", /* 2^64 */
      "[1,2,3,4,5,99999999999999999999,7]", /* 20 digits, too big */
      "[1,2,3,4,5,123456789012345678901,7]", /* 21 digits */
      "[1,2,3,4,5,18446744073709551615,7,0]", /* 2^64-1 is fine */
      "[1,2,3,4,5,6,7,8,9,]",               /* ']' after a comma */
      "[1,2,3,4,5,6,7,8,9,,10]",            /* two commas */
      "[1,2,3,4,5,6,-7,8,9,10]",            /* negative */
      "[1,2,3,4,5,6,7.5,8,9,10]",           /* fraction */
      "[1,2,3,4,5,6,7e2,8,9,10]",           /* exponent */
      "[1,2,3,4,5,6,7,8,9,10",              /* truncated */
      "[1,2,3,4,5,6,7,8,9,",                /* truncated after a comma */
      "[1,2,3,4,5,6,7,8,9,10]x",            /* garbage after */
      "[1,2,3,4,5,6,7,8,9,10] ]",           /* extra close */
      "[ 1 , 2 ,\n3\t,\r4 , 5 ]",           /* fine, spaced */
      "[1,2,3,4,5],[6]",                    /* a second value */
      "{\"a\":[1,2,3],\"b\":[4,5,6],\"c\":[]}",
      "{\"a\":[1,2,3]\"b\":[4]}",           /* missing comma in object */
      "[]",
      "[0]",
      "[,1]",
  };
  /* more values after the bad spot, so the worker's fast path meets it */
  const char *pad = ",100,101,102,103,104,105,106,107,108,109,110";
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    every_split(bad[i], UINT64_MAX, bad[i]);
    size_t len = strlen(bad[i]);
    const char *close = strchr(bad[i], ']');
    size_t at = close ? (size_t)(close - bad[i]) : len;
    char *t = malloc(len + strlen(pad) + 1);
    assert_non_null(t);
    sprintf(t, "%.*s%s%s", (int)at, bad[i], pad, bad[i] + at);
    every_split(t, UINT64_MAX, t);
    free(t);
  }
}

/* A handler error in the first part, the second part or the tail. */
static void test_handler_error_every_split(void **state) {
  (void)state;
  const char *t = "{\"x\":[10,11,12,13,14,15,16,17,18,19,20,21,22,23]}";
  for (uint64_t f = 0; f < 14; f++) every_split(t, f, "handler error");
}

/* A number (or a comma, or spacing) cut across two feeds, with the split
 * forced in both feeds at every point. */
static void test_cut_number(void **state) {
  (void)state;
  static const char *const texts[] = {
      "[12345,67890,18446744073709551615,42,7 ,\n8,9000000]",
      "[12345,67890,18446744073709551616,42]",
      "[12345,00,1]",
  };
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
    const char *t = texts[i];
    size_t len = strlen(t);
    for (size_t cut = 1; cut < len; cut++) {
      outcome ser = run(t, len, &cut, 1, 0, 0, UINT64_MAX);
      for (size_t k = 1; k < len; k++) {
        outcome par = run(t, len, &cut, 1, 1, k, UINT64_MAX);
        same(&ser, &par, t, k);
        drop(&par);
      }
      /* every chunk split, one byte a feed up to seven */
      for (size_t step = 1; step <= 7; step++) {
        size_t cuts[128], n = 0;
        for (size_t c = step; c < len && n < 128; c += step) cuts[n++] = c;
        outcome s1 = run(t, len, cuts, n, 0, 0, UINT64_MAX);
        outcome p1 = run(t, len, cuts, n, 1, 0, UINT64_MAX);
        same(&s1, &p1, t, step);
        drop(&s1);
        drop(&p1);
      }
      drop(&ser);
    }
  }
}

/* ---- through the snapshot builder -------------------------------------- */

#define META                                                                 \
  "{\"node_fields\":[\"type\",\"name\",\"id\",\"self_size\",\"edge_count\"," \
  "\"trace_node_id\",\"detachedness\"],"                                     \
  "\"node_types\":[[\"hidden\",\"array\",\"string\",\"object\",\"code\","    \
  "\"closure\",\"regexp\",\"number\",\"native\",\"synthetic\"],"             \
  "\"string\",\"number\",\"number\",\"number\",\"number\",\"number\"],"      \
  "\"edge_fields\":[\"type\",\"name_or_index\",\"to_node\"],"                \
  "\"edge_types\":[[\"context\",\"element\",\"property\",\"internal\","      \
  "\"hidden\",\"shortcut\",\"weak\"],\"string_or_number\",\"node\"]}"

/* A chain of n nodes (node i -> i+1), V8's "\n," layout; bad_node: a node
 * whose type is out of range (n: none). */
static char *chain(size_t n, size_t bad_node) {
  char *t = malloc(n * 64 + 1024);
  assert_non_null(t);
  size_t len = (size_t)sprintf(
      t, "{\"snapshot\":{\"meta\":" META ",\"node_count\":%zu,"
         "\"edge_count\":%zu},\n\"nodes\":[", n, n - 1);
  for (size_t i = 0; i < n; i++)
    len += (size_t)sprintf(t + len, "%s%d,%zu,%zu,%zu,%d,0,0", i ? "\n," : "",
                           i == bad_node ? 77 : 3, i % 3, i * 2 + 1,
                           i * 8 % 100, i + 1 < n);
  len += (size_t)sprintf(t + len, "],\n\"edges\":[");
  for (size_t i = 0; i + 1 < n; i++)
    len += (size_t)sprintf(t + len, "%s2,%zu,%zu", i ? "\n," : "", i % 3,
                           (i + 1) * 7);
  sprintf(t + len, "],\n\"strings\":[\"\",\"a\",\"b\"]}\n");
  return t;
}

typedef struct built {
  ls_status st;
  ls_error err;
  ls_snapshot *s;
} built;

static built build(const char *t, size_t step, size_t split) {
  built r;
  memset(&r, 0, sizeof r);
  ls__builder *b = ls__builder_new(&r.err);
  assert_non_null(b);
  ls__json *j = ls__json_new(&ls__builder_handler, b, &r.err);
  assert_non_null(j);
  ls__builder_attach(b, j);
  ls__json_set_split_threshold(j, split);
  size_t len = strlen(t);
  r.st = LS_OK;
  for (size_t i = 0; i < len && r.st == LS_OK; i += step)
    r.st = ls__json_feed(j, (const uint8_t *)t + i,
                         len - i < step ? len - i : step);
  if (r.st == LS_OK) r.st = ls__json_finish(j);
  if (r.st == LS_OK) r.st = ls__builder_finish(b, ls__json_offset(j), &r.s);
  ls__json_free(j);
  ls__builder_free(b);
  return r;
}

static void test_builder_same(void **state) {
  (void)state;
  const size_t n = 3000;
  const size_t bads[] = {n, 1, n / 3, n / 2, n - 1};
  for (size_t bi = 0; bi < sizeof bads / sizeof *bads; bi++) {
    char *t = chain(n, bads[bi]);
    const size_t steps[] = {strlen(t), 50000, 4096, 1000};
    for (size_t si = 0; si < sizeof steps / sizeof *steps; si++) {
      built a = build(t, steps[si], 0), b = build(t, steps[si], 1);
      assert_int_equal(a.st, b.st);
      assert_string_equal(a.err.message, b.err.message);
      if (a.st != LS_OK) {
        assert_true(a.err.offset == b.err.offset);
        assert_true(strstr(a.err.message, "77") != NULL);
      } else {
        assert_int_equal(a.s->node_count, n);
        assert_memory_equal(a.s->node_type, b.s->node_type, n);
        assert_memory_equal(a.s->node_name, b.s->node_name, n * 4);
        for (uint64_t v = 0; v < n; v++) {
          assert_true(ls__node_id(a.s, v) == ls__node_id(b.s, v));
          assert_true(ls__node_self(a.s, v) == ls__node_self(b.s, v));
        }
        assert_memory_equal(a.s->first_edge, b.s->first_edge, (n + 1) * 4);
        assert_memory_equal(a.s->edge_to, b.s->edge_to, (n - 1) * 4);
        for (uint64_t e = 0; e + 1 < n; e++)
          assert_int_equal(ls__edge_name(a.s, e), ls__edge_name(b.s, e));
        assert_int_equal(ls__edge_to(a.s, n - 2), n - 1);
        ls_snapshot_free(a.s);
        ls_snapshot_free(b.s);
      }
    }
    free(t);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_random_every_split),
      cmocka_unit_test(test_random_big),
      cmocka_unit_test(test_errors_every_split),
      cmocka_unit_test(test_handler_error_every_split),
      cmocka_unit_test(test_cut_number),
      cmocka_unit_test(test_builder_same),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
