/*
 * The trend built one snapshot at a time (ls_trend_stream): the series
 * store of ls_trend_build (store.c), grown by one slot per snapshot, plus
 * each snapshot's digest, from which the candidate series are filled when
 * judged (the candidates come from the newest heap, known only then).
 * Judging is trend.c's (ls__trend_judge), so the verdicts are the same.
 *
 * A digest is ~20 bytes a node: 40 snapshots of a 20M-node service would
 * hold 16 GB. So a large digest goes to the stream's own temporary file
 * (unlinked at once, 0600: numbers only, but of the user's process) and is
 * read back one at a time when judged; memory stays one digest whatever
 * the number of snapshots. If the file cannot be made or written, the
 * digest stays in memory (slower to run out, never wrong).
 */
#define _GNU_SOURCE /* O_TMPFILE */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trend_int.h"

/* Digests from this size on are spilled (a small one costs less kept). */
#define SPILL_MIN ((size_t)1 << 20)

/* Where a spilled digest's buffers are in the file (its lengths stay in
 * the digest itself; its pointers are NULL while spilled). */
typedef struct {
  int spilled;
  off_t at;
} spill_slot;

struct ls_trend_stream {
  ls_trend_options opts; /* arrays cleared: the stream keeps its own */
  ls__store c;
  ls__tdigest *dig;      /* per slot */
  double *work, *runnable; /* per slot */
  int work_known, runnable_known;
  size_t cap;
  uint64_t newest_id;    /* largest node id so far: that heap picked */
  int picked;
  int broken;            /* adding a newest heap failed: its candidates
                            are half made and the one before's are gone */
  spill_slot *spill;     /* per slot */
  int spill_fd;          /* -1: not made yet; -2: cannot be made */
  off_t spill_end;
  size_t spill_min;      /* digests of this many bytes and more go there */
};

void ls__trend_stream_spill_at(ls_trend_stream *ts, size_t bytes) { ts->spill_min = bytes; }

/* The stream's temporary file, made on first use, gone when closed. */
static int spill_file(ls_trend_stream *ts) {
  if (ts->spill_fd != -1) return ts->spill_fd;
  const char *dir = getenv("TMPDIR");
  if (!dir || !*dir) dir = "/tmp";
  int fd = -1;
#ifdef O_TMPFILE
  fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC | O_EXCL, 0600);
#endif
  if (fd < 0) { /* a file system without O_TMPFILE: made, then unlinked */
    char path[4096];
    if (snprintf(path, sizeof path, "%s/leakscope-digest-XXXXXX", dir) < (int)sizeof path) {
      fd = mkostemp(path, O_CLOEXEC);
      if (fd >= 0) unlink(path);
    }
  }
  if (fd >= 0 && fchmod(fd, 0600)) {
    close(fd);
    fd = -1;
  }
  ts->spill_fd = fd >= 0 ? fd : -2;
  return ts->spill_fd;
}

static int pwrite_all(int fd, const void *p, size_t n, off_t at) {
  const char *c = p;
  while (n) {
    ssize_t w = pwrite(fd, c, n, at);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    c += w, n -= (size_t)w, at += w;
  }
  return 0;
}

static int pread_all(int fd, void *p, size_t n, off_t at) {
  char *c = p;
  while (n) {
    ssize_t r = pread(fd, c, n, at);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    c += r, n -= (size_t)r, at += r;
  }
  return 0;
}

/* A dbuf's three arrays, in order, at `at`; -1 on failure. */
static int dbuf_out(int fd, const ls__dbuf *b, off_t *at) {
  const size_t nk = b->nblk * sizeof *b->blk_key, no = b->nblk * sizeof *b->blk_off;
  if (pwrite_all(fd, b->data, b->len, *at) ||
      pwrite_all(fd, b->blk_key, nk, *at + (off_t)b->len) ||
      pwrite_all(fd, b->blk_off, no, *at + (off_t)(b->len + nk)))
    return -1;
  *at += (off_t)(b->len + nk + no);
  return 0;
}

static int dbuf_in(int fd, ls__dbuf *b, off_t *at) {
  const size_t nk = b->nblk * sizeof *b->blk_key, no = b->nblk * sizeof *b->blk_off;
  b->data = malloc(b->len ? b->len : 1);
  b->blk_key = malloc(nk ? nk : 1);
  b->blk_off = malloc(no ? no : 1);
  if (!b->data || !b->blk_key || !b->blk_off) return -1;
  if (pread_all(fd, b->data, b->len, *at) ||
      pread_all(fd, b->blk_key, nk, *at + (off_t)b->len) ||
      pread_all(fd, b->blk_off, no, *at + (off_t)(b->len + nk)))
    return -1;
  *at += (off_t)(b->len + nk + no);
  b->cap = b->len;
  b->capblk = b->nblk;
  return 0;
}

/* Move slot i's digest to the file when it is large; kept in memory when
 * the file fails (space, quota). */
static void spill(ls_trend_stream *ts, size_t i) {
  ls__tdigest *d = &ts->dig[i];
  ts->spill[i].spilled = 0;
  if (ls__tdigest_bytes(d) < ts->spill_min) return;
  const int fd = spill_file(ts);
  if (fd < 0) return;
  off_t at = ts->spill_end;
  if (dbuf_out(fd, &d->nodes, &at) || dbuf_out(fd, &d->edges, &at)) return;
  ts->spill[i].spilled = 1;
  ts->spill[i].at = ts->spill_end;
  ts->spill_end = at;
  ls__dbuf *b[2] = {&d->nodes, &d->edges};
  for (int k = 0; k < 2; k++) {
    free(b[k]->data);
    free(b[k]->blk_key);
    free(b[k]->blk_off);
    b[k]->data = NULL, b[k]->blk_key = NULL, b[k]->blk_off = NULL;
    b[k]->cap = b[k]->capblk = 0;
  }
}

/* Slot i's digest, in memory: `*use` is either the kept one or `tmp`
 * (read back; the caller frees it with ls__tdigest_free). */
static ls_status unspill(ls_trend_stream *ts, size_t i, ls__tdigest *tmp,
                         const ls__tdigest **use, ls_error *err) {
  *use = &ts->dig[i];
  if (!ts->spill[i].spilled) return LS_OK;
  *tmp = ts->dig[i]; /* the lengths */
  tmp->nodes.data = tmp->edges.data = NULL;
  tmp->nodes.blk_key = tmp->edges.blk_key = NULL;
  tmp->nodes.blk_off = tmp->edges.blk_off = NULL;
  off_t at = ts->spill[i].at;
  errno = 0;
  const int e = (dbuf_in(ts->spill_fd, &tmp->nodes, &at) || dbuf_in(ts->spill_fd, &tmp->edges, &at))
                    ? (errno ? errno : EIO) : 0;
  if (e) {
    ls__tdigest_free(tmp);
    return ls__heap_fail(err, e == ENOMEM ? LS_ERR_NOMEM : LS_ERR_IO, LS_NO_OFFSET,
                         "cannot read back snapshot %zu's digest from the trend's "
                         "temporary file: %s", i + 1, strerror(e));
  }
  *use = tmp;
  return LS_OK;
}

ls_status ls_trend_stream_new(const ls_trend_options *opts, ls_trend_stream **out,
                              ls_error *err) {
  if (!out)
    return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls_trend_stream_new: NULL argument");
  *out = NULL;
  ls_trend_stream *ts = calloc(1, sizeof *ts);
  if (!ts)
    return ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET, "out of memory");
  if (opts) ts->opts = *opts;
  ts->opts.times = ts->opts.work = ts->opts.runnable = NULL;
  ts->opts.progress = NULL;
  ls__store_init(&ts->c, 0, NULL, ts->opts.string_values, ts->opts.newest_classes);
  ts->work_known = ts->runnable_known = 1;
  ts->spill_fd = -1;
  ts->spill_min = SPILL_MIN;
  *out = ts;
  return LS_OK;
}

size_t ls_trend_stream_count(const ls_trend_stream *ts) { return ts ? ts->c.n : 0; }

size_t ls_trend_stream_bytes(const ls_trend_stream *ts) {
  size_t b = 0;
  for (size_t i = 0; ts && i < ts->c.n; i++) b += ls__tdigest_bytes(&ts->dig[i]);
  return b;
}

static ls_status lost(ls_error *err) {
  return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                       "this trend stream cannot go on: adding its newest snapshot "
                       "failed earlier (start a new stream)");
}

static int reserve(ls_trend_stream *ts) {
  if (ts->c.n < ts->cap) return 0;
  size_t cap = ts->cap ? ts->cap * 2 : 8;
  ls__tdigest *d = realloc(ts->dig, cap * sizeof *d);
  if (!d) return -1;
  ts->dig = d;
  double *w = realloc(ts->work, cap * sizeof *w);
  if (!w) return -1;
  ts->work = w;
  double *r = realloc(ts->runnable, cap * sizeof *r);
  if (!r) return -1;
  ts->runnable = r;
  spill_slot *sp = realloc(ts->spill, cap * sizeof *sp);
  if (!sp) return -1;
  ts->spill = sp;
  ts->cap = cap;
  return 0;
}

ls_status ls_trend_stream_add(ls_trend_stream *ts, const ls_heap *h, const char *label,
                              double time, double work, double runnable, ls_error *err) {
  if (!ts || !h)
    return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls_trend_stream_add: NULL argument");
  ls__store *c = &ts->c;
  c->err = err;
  if (ts->broken) return lost(err);
  const size_t slot = c->n;
  char *path = label ? strdup(label) : NULL;
  if ((label && !path) || reserve(ts)) {
    free(path);
    return ls__store_nomem(c);
  }
  /* a new slot for every series; on failure the slot is dropped again
   * (its values are ABSENT until recorded, so a shorter n hides it) */
  ls_status st = ls__store_grow(c, slot + 1);
  if (st != LS_OK) {
    free(path);
    return st;
  }
  uint64_t mx = 0;
  for (uint64_t v = 0; v < h->s->node_count; v++)
    if ((ls__node_id(h->s, v) & 1) && ls__node_id(h->s, v) > mx) mx = ls__node_id(h->s, v);
  const int newest = !ts->picked || mx > ts->newest_id;
  ls__tdigest d;
  memset(&d, 0, sizeof d);
  st = ls__store_record(c, h, slot, newest, &d);
  if (st != LS_OK) {
    /* undo: the slot's class values, and the snapshot */
    for (size_t k = 0; k < c->ncls; k++) {
      c->cls[k].count[slot] = c->cls[k].self[slot] = LS__ABSENT;
      c->cls[k].ret[slot] = c->cls[k].room[slot] = LS__ABSENT;
    }
    memset(&c->snaps[slot], 0, sizeof c->snaps[slot]);
    c->n = slot;
    ts->broken = newest;
    free(path);
    return st;
  }
  if (newest) {
    ts->picked = 1;
    ts->newest_id = mx;
  }
  c->snaps[slot].path = path;
  c->snaps[slot].time = time;
  c->snaps[slot].mtime = 0;
  ts->dig[slot] = d;
  spill(ts, slot);
  ts->work[slot] = work;
  ts->runnable[slot] = runnable;
  if (work < 0) ts->work_known = 0;
  if (runnable < 0) ts->runnable_known = 0;
  return LS_OK;
}

ls_status ls_trend_stream_judge(ls_trend_stream *ts, ls_trend **out, ls_error *err) {
  if (!ts || !out)
    return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls_trend_stream_judge: NULL argument");
  *out = NULL;
  ls__store *c = &ts->c;
  c->err = err;
  if (c->n < LS_TREND_MIN_SNAPSHOTS)
    return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "a trend needs at least %d snapshots of one process "
                         "(the stream has %zu so far)",
                         LS_TREND_MIN_SNAPSHOTS, c->n);
  if (ts->broken) return lost(err);
  ls__store_clear_objects(c);
  for (size_t i = 0; i < c->n; i++) {
    ls__tdigest tmp;
    const ls__tdigest *d = NULL;
    ls_status st = unspill(ts, i, &tmp, &d, err);
    if (st != LS_OK) return st;
    ls__store_fill(c, d, i);
    if (d == &tmp) ls__tdigest_free(&tmp);
  }
  return ls__trend_judge(c, &ts->opts, 1, ts->work_known ? ts->work : NULL,
                         ts->runnable_known ? ts->runnable : NULL, out);
}

void ls_trend_stream_free(ls_trend_stream *ts) {
  if (!ts) return;
  for (size_t i = 0; i < ts->c.n; i++) {
    free(ts->c.snaps[i].path);
    ls__tdigest_free(&ts->dig[i]);
  }
  free(ts->c.snaps);
  ls__store_free(&ts->c);
  free(ts->dig);
  free(ts->work);
  free(ts->runnable);
  free(ts->spill);
  if (ts->spill_fd >= 0) close(ts->spill_fd);
  free(ts);
}
