/* Chunks -> reader (+ tee file) -> heap -> trend stream (sink.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../reader/error.h"
#include "proc.h"
#include "sink.h"

struct ls__sink {
  ls_reader *r;
  int tee;          /* -1: none */
  char *tee_path;
  uint64_t bytes;
  ls_status st;     /* the first error */
  ls_error err;
};

#define fail(e, code, ...) ls__set_error((e), (code), LS_NO_OFFSET, __VA_ARGS__)

ls_status ls__sink_begin(const char *tee, ls__sink **out, ls_error *err) {
  *out = NULL;
  ls__sink *k = calloc(1, sizeof *k);
  if (!k) return fail(err, LS_ERR_NOMEM, "out of memory");
  k->tee = -1;
  if (!(k->r = ls_reader_new(err))) {
    free(k);
    return LS_ERR_NOMEM;
  }
  if (tee) {
    k->tee_path = strdup(tee);
    k->tee = open(tee, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (!k->tee_path || k->tee < 0 || fchmod(k->tee, 0600)) {
      ls_status st = fail(err, k->tee_path ? LS_ERR_SYSTEM : LS_ERR_NOMEM,
                          "cannot write %.300s: %s", tee, strerror(errno));
      ls__sink_abort(k);
      return st;
    }
  }
  *out = k;
  return LS_OK;
}

ls_status ls__sink_feed(ls__sink *k, const void *buf, size_t len, ls_error *err) {
  if (k->st != LS_OK) {
    if (err) *err = k->err;
    return k->st;
  }
  k->bytes += len;
  if (k->tee >= 0 && ls__write_all(k->tee, buf, len))
    k->st = fail(&k->err, LS_ERR_SYSTEM, "cannot write %.300s: %s", k->tee_path,
                 strerror(errno));
  else
    k->st = ls_reader_feed(k->r, buf, len, &k->err);
  if (k->st != LS_OK && err) *err = k->err;
  return k->st;
}

uint64_t ls__sink_bytes(const ls__sink *k) { return k->bytes; }

void ls__sink_abort(ls__sink *k) {
  if (!k) return;
  ls_reader_free(k->r);
  if (k->tee >= 0) close(k->tee);
  if (k->tee_path) unlink(k->tee_path);
  free(k->tee_path);
  free(k);
}

/* The heap as trend reads it, added to the stream, freed. Takes `s`. */
static ls_status add_snapshot(ls_snapshot *s, ls_trend_stream *ts, const char *label,
                              double time, double work, double runnable, ls_error *err) {
  ls_heap_options ho;
  memset(&ho, 0, sizeof ho);
  ho.raw_sizes = 1; /* V8's own per-object sizes, as ls_trend_build */
  ho.no_distances = 1;
  ls_heap *h = NULL;
  ls_status st = ls_heap_build(s, &ho, &h, err);
  if (st != LS_OK) return st;
  st = ls_trend_stream_add(ts, h, label, time, work, runnable, err);
  ls_heap_free(h);
  return st;
}

ls_status ls__sink_end(ls__sink *k, ls_trend_stream *ts, const char *label, double time,
                       double work, double runnable, ls_error *err) {
  ls_status st = k->st;
  if (st != LS_OK && err) *err = k->err;
  if (st == LS_OK && k->tee >= 0) {
    const int bad = close(k->tee);
    k->tee = -1;
    if (bad)
      st = fail(err, LS_ERR_SYSTEM, "cannot write %.300s: %s", k->tee_path, strerror(errno));
  }
  ls_snapshot *s = NULL;
  if (st == LS_OK) st = ls_reader_finish(k->r, &s, err);
  ls_reader_free(k->r);
  k->r = NULL;
  if (st == LS_OK) st = add_snapshot(s, ts, label, time, work, runnable, err);
  if (st == LS_OK) {
    free(k->tee_path); /* the file stays */
    k->tee_path = NULL;
  }
  ls__sink_abort(k);
  return st;
}

ls_status ls__sink_file(const char *path, ls_trend_stream *ts, const char *label,
                        double time, double work, double runnable, ls_error *err) {
  ls_snapshot *s = NULL;
  ls_status st = ls_snapshot_read_file(path, &s, NULL, NULL, err);
  if (st != LS_OK) return st;
  return add_snapshot(s, ts, label, time, work, runnable, err);
}
