/* Push JSON tokenizer; see json.h. */
#include "json.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"

/* What the tokenizer expects between tokens. */
enum {
  X_VALUE,          /* top level start, after ':' or after ',' in an array */
  X_VALUE_OR_CLOSE, /* after '[' */
  X_KEY_OR_CLOSE,   /* after '{' */
  X_KEY,            /* after ',' in an object */
  X_COLON,          /* after a key */
  X_AFTER,          /* after a value inside a container: ',' or close */
  X_DONE,           /* the top-level value is complete */
  T_STRING,         /* inside a string */
  T_NUMBER,         /* inside a number (generic path) */
  T_LITERAL         /* inside true/false/null */
};

/* Integer-column states. */
enum { I_VALUE_OR_CLOSE, I_VALUE, I_NUMBER, I_AFTER };

/* String escape sub-states. */
enum { E_NONE, E_BACKSLASH, E_HEX };

/* Number grammar states (RFC 8259). */
enum { N_MINUS, N_ZERO, N_INT, N_DOT, N_FRAC, N_E, N_ESIGN, N_EXP };

#define MAX_DEPTH (1u << 20)
#define NUM_TEXT 64

struct ls__json {
  const ls__json_handler *h;
  void *ctx;
  ls_error *err;
  ls_status status;

  int state;
  uint64_t pos; /* absolute offset of chunk[0] during a feed */
  const uint8_t *chunk;

  uint8_t *stack; /* 'o' or 'a' per open container */
  uint32_t depth, stack_cap;

  /* strings */
  int str_is_key;
  int esc;
  int hex_n;
  uint32_t hex;
  uint32_t hi_surrogate; /* pending high surrogate, 0 when none */
  uint64_t str_start;
  ls__buf scratch;
  ls__buf *sink;
  ls__buf *cur_str;
  uint64_t cur_str_begin;

  /* generic numbers */
  int num_state;
  int num_overflow;
  uint64_t num_u;
  uint64_t num_start;
  char num_text[NUM_TEXT];
  uint32_t num_len;

  /* literals */
  const char *lit;
  uint32_t lit_pos;
  uint64_t lit_start;

  /* integer column */
  int int_pending;
  int int_mode;
  uint32_t int_depth;
  int ist;
  uint64_t cur, cur_off;
  uint64_t int_count;
  size_t bn;
  uint64_t batch[LS__INT_BATCH];
  uint64_t boff[LS__INT_BATCH];

  /* parallel split of big integer-column chunks (split_loop) */
  size_t split_min;  /* bytes left in a feed to split it; 0 = never */
  size_t split_at;   /* tests: split this far into the rest; 0 = balanced */
  uint64_t *sv, *so; /* the second part's values and offsets */
  size_t s_cap;
};

int ls__buf_reserve(ls__buf *b, uint64_t extra) {
  if (b->cap - b->len >= extra) return 0;
  uint64_t need = b->len + extra;
  if (need < b->len) return -1;
  uint64_t cap = b->cap ? b->cap : 256;
  while (cap < need) {
    if (cap > UINT64_MAX / 2) return -1;
    cap *= 2;
  }
  if (cap > SIZE_MAX) return -1;
  char *d = realloc(b->data, (size_t)cap);
  if (!d) return -1;
  b->data = d;
  b->cap = cap;
  return 0;
}

ls__json *ls__json_new(const ls__json_handler *h, void *ctx, ls_error *err) {
  ls__json *j = calloc(1, sizeof *j);
  if (!j) return NULL;
  j->h = h;
  j->ctx = ctx;
  j->err = err;
  j->state = X_VALUE;
  /* a second thread only pays off with a second core */
  j->split_min = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? LS__SPLIT_MIN : 0;
  j->stack_cap = 64;
  j->stack = malloc(j->stack_cap);
  if (!j->stack) {
    free(j);
    return NULL;
  }
  return j;
}

void ls__json_free(ls__json *j) {
  if (!j) return;
  free(j->stack);
  free(j->scratch.data);
  free(j->sv);
  free(j->so);
  free(j);
}

void ls__json_set_split_threshold(ls__json *j, size_t bytes) {
  j->split_min = bytes;
}
void ls__json_set_split_point(ls__json *j, size_t bytes) {
  j->split_at = bytes;
}

void ls__json_int_column(ls__json *j) { j->int_pending = 1; }
void ls__json_string_sink(ls__json *j, ls__buf *sink) { j->sink = sink; }
uint64_t ls__json_offset(const ls__json *j) { return j->pos; }

/* ---- errors ------------------------------------------------------------ */

static void describe_byte(int c, char *buf, size_t n) {
  if (c < 0)
    snprintf(buf, n, "the end of the input");
  else if (c >= 0x20 && c < 0x7f)
    snprintf(buf, n, "'%c'", c);
  else
    snprintf(buf, n, "byte 0x%02x", (unsigned)c);
}

static ls_status fail(ls__json *j, uint64_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static ls_status fail(ls__json *j, uint64_t off, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  j->status = ls__set_error(j->err, LS_ERR_PARSE, off, "%s", msg);
  return j->status;
}

static ls_status fail_nomem(ls__json *j, const char *what) {
  j->status = ls__set_error(j->err, LS_ERR_NOMEM, LS_NO_OFFSET,
                            "out of memory while reading %s", what);
  return j->status;
}

static const char *expect_text(const ls__json *j, int state) {
  switch (state) {
  case X_VALUE:
    return j->depth == 0 ? "'{' (a heap snapshot is a JSON object)"
                         : "a JSON value";
  case X_VALUE_OR_CLOSE: return "a JSON value or ']'";
  case X_KEY_OR_CLOSE: return "a key in double quotes or '}'";
  case X_KEY: return "a key in double quotes";
  case X_COLON: return "':' after a key";
  case X_AFTER:
    return j->stack[j->depth - 1] == 'o' ? "',' or '}' after an object member"
                                         : "',' or ']' after an array element";
  case X_DONE: return "nothing after the end of the snapshot";
  case T_STRING: return "the rest of a string and its closing '\"'";
  case T_NUMBER: return "the rest of a number";
  case T_LITERAL: return "the rest of true, false or null";
  }
  return "valid JSON";
}

static ls_status fail_expect(ls__json *j, uint64_t off, int c) {
  char found[32];
  describe_byte(c, found, sizeof found);
  return fail(j, off, "expected %s, found %s", expect_text(j, j->state),
              found);
}

static ls_status fail_int(ls__json *j, uint64_t off, int c, const char *what) {
  char found[32], where[160];
  describe_byte(c, found, sizeof found);
  where[0] = 0;
  if (j->h->describe)
    j->h->describe(j->ctx, j->int_count + j->bn, where, sizeof where);
  return fail(j, off, "in %s: expected %s, found %s",
              where[0] ? where : "an integer array", what, found);
}

/* ---- events ------------------------------------------------------------ */

static ls_status emit(ls__json *j, ls__jtok tok, const ls__jvalue *v,
                      uint32_t depth, uint64_t off) {
  ls_status st = j->h->event(j->ctx, tok, v, depth, off);
  if (st != LS_OK) j->status = st;
  return st;
}

/* A value finished at the current depth. */
static void value_done(ls__json *j) {
  j->state = j->depth == 0 ? X_DONE : X_AFTER;
}

static ls_status push(ls__json *j, uint8_t kind, uint64_t off) {
  if (j->depth == j->stack_cap) {
    if (j->stack_cap >= MAX_DEPTH)
      return fail(j, off, "expected at most %u nested arrays/objects",
                  MAX_DEPTH);
    uint8_t *s = realloc(j->stack, j->stack_cap * 2u);
    if (!s) return fail_nomem(j, "nested JSON");
    j->stack = s;
    j->stack_cap *= 2;
  }
  j->stack[j->depth++] = kind;
  return LS_OK;
}

static ls_status open_container(ls__json *j, uint8_t kind, uint64_t off) {
  uint32_t d = j->depth;
  j->int_pending = 0;
  ls_status st = emit(j, kind == 'o' ? LS__JT_OBJ_BEGIN : LS__JT_ARR_BEGIN,
                      NULL, d, off);
  if (st != LS_OK) return st;
  st = push(j, kind, off);
  if (st != LS_OK) return st;
  if (kind == 'a' && j->int_pending) {
    j->int_mode = 1;
    j->int_depth = j->depth;
    j->ist = I_VALUE_OR_CLOSE;
    j->int_count = 0;
    j->bn = 0;
    j->int_pending = 0;
  }
  j->state = kind == 'o' ? X_KEY_OR_CLOSE : X_VALUE_OR_CLOSE;
  return LS_OK;
}

static ls_status close_container(ls__json *j, uint8_t kind, uint64_t off) {
  j->depth--;
  ls_status st = emit(j, kind == 'o' ? LS__JT_OBJ_END : LS__JT_ARR_END, NULL,
                      j->depth, off);
  if (st != LS_OK) return st;
  value_done(j);
  return LS_OK;
}

/* ---- integer columns --------------------------------------------------- */

static ls_status flush_ints(ls__json *j) {
  if (!j->bn) return LS_OK;
  ls_status st = j->h->ints(j->ctx, j->batch, j->boff, j->bn, j->int_count);
  if (st != LS_OK) {
    j->status = st;
    return st;
  }
  j->int_count += j->bn;
  j->bn = 0;
  return LS_OK;
}

#define IS_WS(c) ((c) == ' ' || (c) == '\n' || (c) == '\r' || (c) == '\t')
#define U64_DIV10 1844674407370955161ULL

/* A number of at most 19 digits without a leading zero at p, with at
 * least 20 bytes readable after p: its value in *v and the byte after it,
 * or NULL (not a digit, longer, or 0-led: the careful path decides). */
static inline const uint8_t *short_number(const uint8_t *p, uint64_t *v) {
  unsigned d = (unsigned)*p - '0';
  if (d > 9) return NULL;
  const uint8_t *q = p + 1;
  uint64_t x = d;
  unsigned e;
  while ((e = (unsigned)*q - '0') <= 9 && q - p < 19) {
    x = x * 10 + e;
    q++;
  }
  if (e <= 9 || (d == 0 && q - p > 1)) return NULL; /* long or 0-led */
  *v = x;
  return q;
}

/* Parse integer-column elements from p; returns where it stopped (end of
 * input, or just after the closing ']'), NULL on error. Hot loop: state is
 * kept in locals (stores into the batch could otherwise alias the
 * tokenizer's fields and force reloads), and when enough input is left a
 * number is parsed without bounds checks (20 digits is the most a value
 * below 2^64 can have; more is an error anyway). */
static const uint8_t *int_loop(ls__json *j, const uint8_t *p,
                               const uint8_t *end) {
  int ist = j->ist;
  uint64_t cur = j->cur, cur_off = j->cur_off;
  size_t bn = j->bn;
  uint64_t *batch = j->batch, *boff = j->boff;
  const uint64_t base = j->pos - (uint64_t)(uintptr_t)j->chunk;
  const char *err_what = NULL;
  const uint8_t *err_at = NULL;
  int err_start = 0; /* report the number's start rather than err_at */
#define OFF(q) (base + (uint64_t)(uintptr_t)(q))
#define PUSH()                                                               \
  do {                                                                       \
    batch[bn] = cur;                                                         \
    boff[bn] = cur_off;                                                      \
    if (++bn == LS__INT_BATCH) {                                             \
      j->bn = bn;                                                            \
      if (flush_ints(j) != LS_OK) return NULL;                               \
      bn = 0;                                                                \
    }                                                                        \
  } while (0)
  while (p < end) {
    if (ist == I_NUMBER) {
      /* a number split across feeds: slow, careful path */
      while (p < end) {
        unsigned d = (unsigned)*p - '0';
        if (d > 9) break;
        if (cur == 0) {
          err_what = "no leading zeros";
          err_at = p;
          goto fail;
        }
        if (cur > U64_DIV10 || (cur == U64_DIV10 && d > 5)) {
          err_what = "an integer below 2^64";
          err_at = p;
          err_start = 1;
          goto fail;
        }
        cur = cur * 10 + d;
        p++;
      }
      if (p == end) break;
      PUSH();
      ist = I_AFTER;
    }
    int c = *p;
    if (ist == I_AFTER) {
      if (c == ',') {
        ist = I_VALUE;
        p++;
        /* fast path: "123," repeated, with room for the longest number */
        while (end - p > 24) {
          uint64_t v;
          const uint8_t *q = short_number(p, &v);
          if (!q) break;
          cur = v;
          cur_off = OFF(p);
          PUSH();
          p = q;
          if (*p != ',') {
            ist = I_AFTER;
            break;
          }
          p++;
        }
        continue;
      }
      if (c == ']') {
        j->bn = bn;
        if (flush_ints(j) != LS_OK) return NULL;
        j->int_mode = 0;
        if (close_container(j, 'a', OFF(p)) != LS_OK) return NULL;
        return p + 1;
      }
      if (IS_WS(c)) {
        p++;
        continue;
      }
      err_what = "',' or ']' after an integer";
      err_at = p;
      goto fail;
    }
    /* I_VALUE or I_VALUE_OR_CLOSE */
    unsigned d = (unsigned)c - '0';
    if (d <= 9) {
      cur = d;
      cur_off = OFF(p);
      ist = I_NUMBER;
      p++;
      continue;
    }
    if (IS_WS(c)) {
      p++;
      continue;
    }
    if (c == ']' && ist == I_VALUE_OR_CLOSE) {
      j->bn = bn;
      j->int_mode = 0;
      if (close_container(j, 'a', OFF(p)) != LS_OK) return NULL;
      return p + 1;
    }
    err_what = "a non-negative integer";
    err_at = p;
    goto fail;
  }
  j->ist = ist;
  j->cur = cur;
  j->cur_off = cur_off;
  j->bn = bn;
  return p;
fail:
  j->bn = bn;
  j->cur_off = cur_off;
  fail_int(j, err_start ? cur_off : OFF(err_at),
           *err_at, err_what);
  return NULL;
#undef PUSH
#undef OFF
}

/* ---- integer columns on two threads ------------------------------------ *
 * A big chunk is cut at a comma: this thread parses the first part through
 * int_loop while a second thread parses the rest into its own arrays and
 * publishes them a block at a time, which this thread then hands to the
 * handler (so the handler's work on the second part overlaps its parsing).
 * The second thread only takes what is plainly valid (digits, commas, JSON
 * whitespace, no leading zeros, below 2^64) and stops just after the last
 * comma it is sure of; int_loop resumes there, so errors, their offsets and
 * the handler's batches are exactly those of the serial path. */

/* Where the first part ends, as a fraction of the chunk: this thread also
 * runs the handler on both parts, so it takes less of the parsing. */
#define SPLIT_NUM 3
#define SPLIT_DEN 8
/* How far past the cut a comma is looked for before giving up. */
#define SPLIT_SCAN 64
/* Values the second thread parses between two publications. */
#define SPLIT_BLOCK LS__INT_BATCH

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LS__SWAR 1
/* Nonzero in each byte of w that is not an ASCII digit: exact for the
 * lowest such byte, all the caller looks at (only a byte of 0xfa or more,
 * itself not a digit, carries into the bytes above it). */
static inline uint64_t swar_nondigits(uint64_t w) {
  const uint64_t hi = 0xf0f0f0f0f0f0f0f0ULL, d0 = 0x3030303030303030ULL;
  return ((w & hi) ^ d0) | (((w + 0x0606060606060606ULL) & hi) ^ d0);
}
/* The value of 8 ASCII digits, first in the lowest byte (zero bytes count
 * as leading zeros): pairs, then quads, then the whole. */
static inline uint64_t swar_digits(uint64_t w) {
  w = ((w & 0x0f0f0f0f0f0f0f0fULL) * 2561) >> 8;
  w = ((w & 0x00ff00ff00ff00ffULL) * 6553601) >> 16;
  return ((w & 0x0000ffff0000ffffULL) * 42949672960001ULL) >> 32;
}
static const uint64_t swar_pow10[8] = {1,      10,      100,      1000,
                                       10000,  100000,  1000000,  10000000};
#else
#define LS__SWAR 0
#endif

typedef struct split_job {
  const uint8_t *p, *end; /* the second part */
  uint64_t off0;          /* absolute offset of p */
  uint64_t *vals, *offs;
  pthread_mutex_t mu; /* guards the fields below */
  pthread_cond_t cv;  /* signalled on each publication */
  size_t n;           /* values published, each followed by its comma */
  const uint8_t *stop; /* when done: just after the last comma taken */
  int done, cancel;
} split_job;

/* Make vals/offs[0..n) visible; returns nonzero when told to stop. */
static int publish(split_job *w, size_t n, const uint8_t *stop, int done) {
  pthread_mutex_lock(&w->mu);
  w->n = n;
  if (done) {
    w->stop = stop;
    w->done = 1;
  }
  int cancel = w->cancel;
  pthread_cond_signal(&w->cv);
  pthread_mutex_unlock(&w->mu);
  return cancel;
}

static void *split_worker(void *arg) {
  split_job *w = arg;
  const uint8_t *p = w->p, *end = w->end;
  const uint64_t base = w->off0 - (uint64_t)(uintptr_t)p;
  uint64_t *vals = w->vals, *offs = w->offs;
  size_t n = 0, lim = SPLIT_BLOCK;
  /* p is always just after a comma (or the part's start) */
  for (;;) {
    /* fast path: room for the longest number */
    while (n < lim && end - p > 24) {
#if LS__SWAR
      /* up to 15 digits read 8 bytes at a time */
      uint64_t w0, w1, m, v;
      size_t len;
      memcpy(&w0, p, 8);
      if ((m = swar_nondigits(w0)) != 0) {
        len = (size_t)__builtin_ctzll(m) >> 3;
        if (len == 0) break; /* not a digit */
        v = swar_digits(w0 << (64 - 8 * len));
      } else {
        memcpy(&w1, p + 8, 8);
        if ((m = swar_nondigits(w1)) == 0) break; /* 16 digits or more */
        size_t l2 = (size_t)__builtin_ctzll(m) >> 3;
        v = swar_digits(w0);
        if (l2) v = v * swar_pow10[l2] + swar_digits(w1 << (64 - 8 * l2));
        len = 8 + l2;
      }
      if (*p == '0' && len > 1) break; /* leading zero */
      const uint8_t *q = p + len;
#else
      uint64_t v;
      const uint8_t *q = short_number(p, &v);
      if (!q) break;
#endif
      if (*q != ',') {
        while (q < end && IS_WS(*q)) q++; /* V8 writes "\n," per node */
        if (q == end || *q != ',') break;
      }
      vals[n] = v;
      offs[n] = base + (uint64_t)(uintptr_t)p;
      n++;
      p = q + 1;
    }
    if (n == lim) {
      if (publish(w, n, NULL, 0)) break;
      lim += SPLIT_BLOCK;
      continue;
    }
    /* one element with every check */
    const uint8_t *q = p;
    while (q < end && IS_WS(*q)) q++;
    if (q == end) break;
    unsigned d = (unsigned)*q - '0';
    if (d > 9) break;
    const uint8_t *start = q++;
    uint64_t v = d;
    if (d != 0) { /* a 0 takes no more digits: "01" fails the comma test */
      unsigned e;
      while (q < end && (e = (unsigned)*q - '0') <= 9) {
        if (v > U64_DIV10 || (v == U64_DIV10 && e > 5)) goto done;
        v = v * 10 + e;
        q++;
      }
    }
    while (q < end && IS_WS(*q)) q++;
    if (q == end || *q != ',') break;
    vals[n] = v;
    offs[n] = base + (uint64_t)(uintptr_t)start;
    n++;
    p = q + 1;
  }
done:
  publish(w, n, p, 1);
  return NULL;
}

/* Hand values to the handler in the batches the serial path would have
 * made: top up the pending batch, pass whole batches straight from the
 * arrays, keep the rest pending. */
static ls_status deliver(ls__json *j, const uint64_t *v, const uint64_t *o,
                         size_t n) {
  while (n) {
    if (j->bn == 0 && n >= LS__INT_BATCH) {
      ls_status st = j->h->ints(j->ctx, v, o, LS__INT_BATCH, j->int_count);
      if (st != LS_OK) return j->status = st;
      j->int_count += LS__INT_BATCH;
      v += LS__INT_BATCH;
      o += LS__INT_BATCH;
      n -= LS__INT_BATCH;
      continue;
    }
    size_t k = LS__INT_BATCH - j->bn;
    if (k > n) k = n;
    memcpy(j->batch + j->bn, v, k * sizeof *v);
    memcpy(j->boff + j->bn, o, k * sizeof *o);
    j->bn += k;
    v += k;
    o += k;
    n -= k;
    if (j->bn == LS__INT_BATCH && flush_ints(j) != LS_OK) return j->status;
  }
  return LS_OK;
}

/* Deliver the second part as it is published; NULL on a handler error,
 * else where the second thread stopped. Having caught up with it, this
 * thread stops it at its next block and goes on alone (int_loop from
 * there): a second thread short of CPU (a busy machine) then costs one
 * block's wait, not the rest of its part. */
static const uint8_t *take_second(ls__json *j, split_job *w) {
  size_t got = 0;
  for (;;) {
    pthread_mutex_lock(&w->mu);
    if (w->n == got && !w->done) {
      w->cancel = 1;
      while (!w->done) pthread_cond_wait(&w->cv, &w->mu);
    }
    size_t n = w->n;
    int done = w->done;
    pthread_mutex_unlock(&w->mu);
    if (n > got && deliver(j, w->vals + got, w->offs + got, n - got) != LS_OK)
      return NULL;
    got = n;
    if (done) return w->stop;
  }
}

static void stop_worker(split_job *w, pthread_t tid) {
  pthread_mutex_lock(&w->mu);
  w->cancel = 1;
  pthread_mutex_unlock(&w->mu);
  pthread_join(tid, NULL);
}

/* int_loop over [p, end) with the second part on another thread; falls
 * back to int_loop alone when no cut is found or a resource is missing. */
static const uint8_t *split_loop(ls__json *j, const uint8_t *p,
                                 const uint8_t *end) {
  size_t len = (size_t)(end - p);
  size_t at = j->split_at ? j->split_at
                          : (size_t)((uint64_t)len * SPLIT_NUM / SPLIT_DEN);
  if (at >= len) return int_loop(j, p, end);
  size_t scan = len - at < SPLIT_SCAN ? len - at : SPLIT_SCAN;
  const uint8_t *comma = memchr(p + at, ',', scan);
  if (!comma) return int_loop(j, p, end);
  const uint8_t *p2 = comma + 1;
  /* each value takes two bytes at least ("0,") */
  size_t need = (size_t)(end - p2) / 2 + 1;
  if (need > j->s_cap) {
    uint64_t *sv = realloc(j->sv, need * sizeof *sv);
    if (sv) j->sv = sv;
    uint64_t *so = sv ? realloc(j->so, need * sizeof *so) : NULL;
    if (so) j->so = so;
    if (!sv || !so) return int_loop(j, p, end); /* serial needs no memory */
    j->s_cap = need;
  }
  split_job w;
  memset(&w, 0, sizeof w);
  w.p = p2;
  w.end = end;
  w.off0 = j->pos + (uint64_t)(p2 - j->chunk);
  w.vals = j->sv;
  w.offs = j->so;
  if (pthread_mutex_init(&w.mu, NULL)) return int_loop(j, p, end);
  if (pthread_cond_init(&w.cv, NULL)) {
    pthread_mutex_destroy(&w.mu);
    return int_loop(j, p, end);
  }
  pthread_t tid;
  const uint8_t *q;
  if (pthread_create(&tid, NULL, split_worker, &w) != 0) {
    q = int_loop(j, p, end);
  } else {
    q = int_loop(j, p, p2);
    if (!q || !j->int_mode) {
      /* an error or the array's end in the first part: drop the second */
      stop_worker(&w, tid);
    } else {
      /* q == p2, just after a comma: int_loop's state there is I_VALUE */
      q = take_second(j, &w);
      stop_worker(&w, tid);
      if (q) q = int_loop(j, q, end);
    }
  }
  pthread_cond_destroy(&w.cv);
  pthread_mutex_destroy(&w.mu);
  return q;
}

/* ---- strings ----------------------------------------------------------- */

/* Bytes that end a run of plain string text. */
#define SPECIAL(c) ((c) < 0x20 || (c) == '"' || (c) == '\\')

static int put_utf8(ls__json *j, uint32_t cp) {
  ls__buf *b = j->cur_str;
  if (ls__buf_reserve(b, 4)) return -1;
  char *o = b->data + b->len;
  if (cp < 0x80) {
    o[0] = (char)cp;
    b->len += 1;
  } else if (cp < 0x800) {
    o[0] = (char)(0xc0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3f));
    b->len += 2;
  } else if (cp < 0x10000) {
    o[0] = (char)(0xe0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[2] = (char)(0x80 | (cp & 0x3f));
    b->len += 3;
  } else {
    o[0] = (char)(0xf0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    b->len += 4;
  }
  return 0;
}

/* A lone surrogate cannot be UTF-8: it becomes U+FFFD. */
static int flush_hi(ls__json *j) {
  if (!j->hi_surrogate) return 0;
  j->hi_surrogate = 0;
  return put_utf8(j, 0xfffd);
}

static int code_unit(ls__json *j, uint32_t u) {
  if (u >= 0xd800 && u <= 0xdbff) {
    if (flush_hi(j)) return -1;
    j->hi_surrogate = u;
    return 0;
  }
  if (u >= 0xdc00 && u <= 0xdfff) {
    if (j->hi_surrogate) {
      uint32_t cp = 0x10000 + ((j->hi_surrogate - 0xd800) << 10) + (u - 0xdc00);
      j->hi_surrogate = 0;
      return put_utf8(j, cp);
    }
    return put_utf8(j, 0xfffd);
  }
  if (flush_hi(j)) return -1;
  return put_utf8(j, u);
}

static ls_status start_string(ls__json *j, int is_key, uint64_t off) {
  j->str_is_key = is_key;
  j->esc = E_NONE;
  j->hi_surrogate = 0;
  j->str_start = off;
  j->cur_str = (!is_key && j->sink) ? j->sink : &j->scratch;
  if (j->cur_str == &j->scratch) j->scratch.len = 0;
  j->cur_str_begin = j->cur_str->len;
  j->state = T_STRING;
  return LS_OK;
}

static ls_status end_string(ls__json *j) {
  if (flush_hi(j)) return fail_nomem(j, "a string");
  /* NUL-terminate without counting it, so keys can be compared as C
   * strings; sinks append their own terminator. */
  if (ls__buf_reserve(j->cur_str, 1)) return fail_nomem(j, "a string");
  j->cur_str->data[j->cur_str->len] = 0;
  ls__jvalue v = {j->cur_str->data + j->cur_str_begin,
                  j->cur_str->len - j->cur_str_begin, 0, 0};
  if (j->str_is_key) {
    ls_status st = emit(j, LS__JT_KEY, &v, j->depth, j->str_start);
    if (st != LS_OK) return st;
    j->state = X_COLON;
    return LS_OK;
  }
  ls_status st = emit(j, LS__JT_STRING, &v, j->depth, j->str_start);
  if (st != LS_OK) return st;
  value_done(j);
  return LS_OK;
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Consume string bytes from p; returns where it stopped, NULL on error. */
static const uint8_t *string_loop(ls__json *j, const uint8_t *p,
                                  const uint8_t *end) {
#define OFF(q) (j->pos + (uint64_t)((q) - j->chunk))
  while (p < end) {
    if (j->esc == E_NONE) {
      const uint8_t *run = p;
      while (p < end && !SPECIAL(*p)) p++;
      if (p > run) {
        if (j->hi_surrogate && flush_hi(j)) goto nomem;
        uint64_t n = (uint64_t)(p - run);
        if (ls__buf_reserve(j->cur_str, n)) goto nomem;
        memcpy(j->cur_str->data + j->cur_str->len, run, n);
        j->cur_str->len += n;
      }
      if (p == end) break;
      int c = *p;
      if (c == '"') {
        p++;
        if (end_string(j) != LS_OK) return NULL;
        return p;
      }
      if (c == '\\') {
        j->esc = E_BACKSLASH;
        p++;
        continue;
      }
      fail(j, OFF(p),
           "expected an escape sequence instead of control character 0x%02x "
           "inside a string (JSON strings cannot contain raw control "
           "characters)",
           (unsigned)c);
      return NULL;
    }
    int c = *p;
    if (j->esc == E_BACKSLASH) {
      uint32_t out;
      switch (c) {
      case '"': out = '"'; break;
      case '\\': out = '\\'; break;
      case '/': out = '/'; break;
      case 'b': out = '\b'; break;
      case 'f': out = '\f'; break;
      case 'n': out = '\n'; break;
      case 'r': out = '\r'; break;
      case 't': out = '\t'; break;
      case 'u':
        j->esc = E_HEX;
        j->hex = 0;
        j->hex_n = 0;
        p++;
        continue;
      default: {
        char found[32];
        describe_byte(c, found, sizeof found);
        fail(j, OFF(p),
             "expected one of \" \\ / b f n r t u after a backslash in a "
             "string, found %s",
             found);
        return NULL;
      }
      }
      if (code_unit(j, out)) goto nomem;
      j->esc = E_NONE;
      p++;
      continue;
    }
    /* E_HEX */
    int v = hexval(c);
    if (v < 0) {
      char found[32];
      describe_byte(c, found, sizeof found);
      fail(j, OFF(p), "expected a hex digit in a \\u escape, found %s", found);
      return NULL;
    }
    j->hex = (j->hex << 4) | (uint32_t)v;
    p++;
    if (++j->hex_n == 4) {
      if (code_unit(j, j->hex)) goto nomem;
      j->esc = E_NONE;
    }
  }
  return p;
nomem:
  fail_nomem(j, "a string");
  return NULL;
#undef OFF
}

/* ---- numbers and literals (generic path) ------------------------------- */

static ls_status end_number(ls__json *j, uint64_t off, int c) {
  if (j->num_state != N_ZERO && j->num_state != N_INT &&
      j->num_state != N_FRAC && j->num_state != N_EXP) {
    char found[32];
    describe_byte(c, found, sizeof found);
    return fail(j, off, "expected a digit in a number, found %s", found);
  }
  j->num_text[j->num_len < NUM_TEXT ? j->num_len : NUM_TEXT - 1] = 0;
  ls__jvalue v = {j->num_text, j->num_len, 0, 0};
  int plain = j->num_text[0] != '-' &&
              (j->num_state == N_ZERO || j->num_state == N_INT);
  v.is_uint = plain && !j->num_overflow;
  v.u = j->num_u;
  ls_status st = emit(j, LS__JT_NUMBER, &v, j->depth, j->num_start);
  if (st != LS_OK) return st;
  value_done(j);
  return LS_OK;
}

/* Feed one character to the number; 1 = consumed, 0 = number ended before
 * it (the caller handles it), -1 = error. */
static int number_char(ls__json *j, int c, uint64_t off) {
  int digit = c >= '0' && c <= '9';
  switch (j->num_state) {
  case N_MINUS:
    if (c == '0') j->num_state = N_ZERO;
    else if (digit) j->num_state = N_INT;
    else goto bad;
    break;
  case N_ZERO:
    if (c == '.') j->num_state = N_DOT;
    else if (c == 'e' || c == 'E') j->num_state = N_E;
    else if (digit) {
      fail(j, off, "expected no leading zeros in a number");
      return -1;
    } else return 0;
    break;
  case N_INT:
    if (digit) {
      unsigned d = (unsigned)(c - '0');
      if (j->num_u > U64_DIV10 || (j->num_u == U64_DIV10 && d > 5))
        j->num_overflow = 1;
      j->num_u = j->num_u * 10 + d;
    } else if (c == '.') j->num_state = N_DOT;
    else if (c == 'e' || c == 'E') j->num_state = N_E;
    else return 0;
    break;
  case N_DOT:
    if (digit) j->num_state = N_FRAC;
    else goto bad;
    break;
  case N_FRAC:
    if (c == 'e' || c == 'E') j->num_state = N_E;
    else if (!digit) return 0;
    break;
  case N_E:
    if (c == '+' || c == '-') j->num_state = N_ESIGN;
    else if (digit) j->num_state = N_EXP;
    else goto bad;
    break;
  case N_ESIGN:
    if (digit) j->num_state = N_EXP;
    else goto bad;
    break;
  case N_EXP:
    if (!digit) return 0;
    break;
  }
  if (j->num_len < NUM_TEXT - 1) j->num_text[j->num_len] = (char)c;
  j->num_len++;
  return 1;
bad: {
  char found[32];
  describe_byte(c, found, sizeof found);
  fail(j, off, "expected a digit in a number, found %s", found);
  return -1;
}
}

static void start_number(ls__json *j, int c, uint64_t off) {
  j->num_start = off;
  j->num_len = 1;
  j->num_text[0] = (char)c;
  j->num_overflow = 0;
  j->num_u = 0;
  if (c == '-') j->num_state = N_MINUS;
  else if (c == '0') j->num_state = N_ZERO;
  else {
    j->num_state = N_INT;
    j->num_u = (uint64_t)(c - '0');
  }
  j->state = T_NUMBER;
}

/* ---- main loop --------------------------------------------------------- */

static ls_status value_start(ls__json *j, int c, uint64_t off) {
  switch (c) {
  case '{': return open_container(j, 'o', off);
  case '[': return open_container(j, 'a', off);
  case '"': return start_string(j, 0, off);
  case 't': j->lit = "true"; break;
  case 'f': j->lit = "false"; break;
  case 'n': j->lit = "null"; break;
  default:
    if (c == '-' || (c >= '0' && c <= '9')) {
      start_number(j, c, off);
      return LS_OK;
    }
    return fail_expect(j, off, c);
  }
  j->lit_pos = 1;
  j->lit_start = off;
  j->state = T_LITERAL;
  return LS_OK;
}

ls_status ls__json_feed(ls__json *j, const uint8_t *p, size_t len) {
  if (j->status != LS_OK) return j->status;
  const uint8_t *end = p + len;
  j->chunk = p;
#define OFF(q) (j->pos + (uint64_t)((q) - j->chunk))
  while (p < end) {
    if (j->int_mode && j->depth == j->int_depth) {
      p = j->split_min && (size_t)(end - p) >= j->split_min
              ? split_loop(j, p, end)
              : int_loop(j, p, end);
      if (!p) return j->status;
      continue;
    }
    int c = *p;
    switch (j->state) {
    case T_STRING:
      p = string_loop(j, p, end);
      if (!p) return j->status;
      continue;
    case T_NUMBER: {
      int r = number_char(j, c, OFF(p));
      if (r < 0) return j->status;
      if (r > 0) {
        p++;
        continue;
      }
      if (end_number(j, OFF(p), c) != LS_OK) return j->status;
      continue; /* re-read c in the new state */
    }
    case T_LITERAL:
      if (c != j->lit[j->lit_pos]) {
        char found[32];
        describe_byte(c, found, sizeof found);
        return fail(j, OFF(p), "expected \"%s\" (true, false or null), found %s",
                    j->lit, found);
      }
      p++;
      if (j->lit[++j->lit_pos] == 0) {
        ls__jvalue v = {j->lit, strlen(j->lit), 0, 0};
        if (emit(j, LS__JT_LITERAL, &v, j->depth, j->lit_start) != LS_OK)
          return j->status;
        value_done(j);
      }
      continue;
    default:
      break;
    }
    if (IS_WS(c)) {
      p++;
      continue;
    }
    uint64_t off = OFF(p);
    ls_status st = LS_OK;
    switch (j->state) {
    case X_VALUE:
      st = value_start(j, c, off);
      break;
    case X_VALUE_OR_CLOSE:
      if (c == ']') st = close_container(j, 'a', off);
      else st = value_start(j, c, off);
      break;
    case X_KEY_OR_CLOSE:
      if (c == '}') st = close_container(j, 'o', off);
      else if (c == '"') st = start_string(j, 1, off);
      else st = fail_expect(j, off, c);
      break;
    case X_KEY:
      if (c == '"') st = start_string(j, 1, off);
      else st = fail_expect(j, off, c);
      break;
    case X_COLON:
      if (c == ':') j->state = X_VALUE;
      else st = fail_expect(j, off, c);
      break;
    case X_AFTER: {
      uint8_t kind = j->stack[j->depth - 1];
      if (c == ',') j->state = kind == 'o' ? X_KEY : X_VALUE;
      else if ((c == '}' && kind == 'o') || (c == ']' && kind == 'a'))
        st = close_container(j, kind, off);
      else st = fail_expect(j, off, c);
      break;
    }
    case X_DONE:
      st = fail_expect(j, off, c);
      break;
    }
    if (st != LS_OK) return j->status = st;
    p++;
  }
  j->pos += len;
  return LS_OK;
#undef OFF
}

ls_status ls__json_finish(ls__json *j) {
  if (j->status != LS_OK) return j->status;
  if (j->state == T_NUMBER && j->depth == 0) {
    /* a bare number at top level ends at end of input */
    if (end_number(j, j->pos, -1) != LS_OK) return j->status;
  }
  if (j->state == X_DONE) return LS_OK;
  if (j->int_mode && j->depth == j->int_depth) {
    const char *what = j->ist == I_AFTER || j->ist == I_NUMBER
                           ? "',' or ']' after an integer"
                           : "a non-negative integer";
    return fail_int(j, j->pos, -1, what);
  }
  return fail_expect(j, j->pos, -1);
}
