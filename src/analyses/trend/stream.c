/*
 * The trend built one snapshot at a time (ls_trend_stream): the series
 * store of ls_trend_build (store.c), grown by one slot per snapshot, plus
 * each snapshot's digest, from which the candidate series are filled when
 * judged (the candidates come from the newest heap, known only then).
 * Judging is trend.c's (ls__trend_judge), so the verdicts are the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trend_int.h"

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
};

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
    if ((h->s->node_id[v] & 1) && h->s->node_id[v] > mx) mx = h->s->node_id[v];
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
  for (size_t i = 0; i < c->n; i++) ls__store_fill(c, &ts->dig[i], i);
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
  free(ts);
}
