/*
 * Trend: what keeps growing over a series of snapshots of one process.
 * The driver: read the files into the series store, put them in process
 * order, weigh the intervals, judge every series and give the verdict.
 *
 * Streaming: one heap is loaded at a time and only compact series are kept
 * (store.c), so peak memory is one heap plus the series.
 *
 * Order: node ids only grow in a process, so the snapshot with the largest
 * node id is the newest. Files are processed newest first by a guess (mtime,
 * then name); candidate objects are chosen in the first one processed and
 * looked up by id in the others. If the guess was wrong (the first processed
 * is not the one with the largest id) the series is processed again in the
 * right order, so the result never depends on names or mtimes.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "trend_int.h"

#define CLEAN_SNAPSHOTS 6   /* a clean verdict settles with this many... */
#define CLEAN_SECONDS 60.0  /* ... and this long, if anything rises slowly */
#define CPU_IDLE_SHARE 0.1  /* CPU under this share of the median: idle */
#define CPU_MIN 0.2         /* ... when the median interval used this much */
#define IDS_IDLE_SHARE 0.01 /* new objects under this share of the median */
#define IDS_IDLE_MAX 100    /* ... and under this many: idle */
#define MTIME_GAP 1.0       /* mtimes closer than this are no snapshot times */

const char *ls_verdict_name(ls_verdict v) {
  switch (v) {
  case LS_VERDICT_LEAK: return "leak";
  case LS_VERDICT_UNSURE: return "unsure";
  default: return "clean";
  }
}

const char *ls_metric_name(ls_metric m) {
  switch (m) {
  case LS_METRIC_SELF_SIZE: return "self_size";
  case LS_METRIC_RETAINED_SIZE: return "retained_size";
  case LS_METRIC_EDGES: return "edges";
  case LS_METRIC_COUNT: return "count";
  case LS_METRIC_USED: return "used";
  }
  return "self_size";
}

const char *ls_unsure_reason_name(ls_unsure_reason r) {
  switch (r) {
  case LS_UNSURE_FEW: return "few";
  case LS_UNSURE_SLOWING: return "slowing";
  case LS_UNSURE_NOISY: return "noisy";
  case LS_UNSURE_FILLING: return "filling";
  default: return "";
  }
}

typedef struct {
  const char *path;
  double mtime;
  size_t slot;
} guess;

/* Natural order: digit runs compare as numbers ("snap-9" < "snap-10"). */
static int natural_cmp(const char *a, const char *b) {
  while (*a && *b) {
    if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
      while (*a == '0') a++;
      while (*b == '0') b++;
      size_t la = 0, lb = 0;
      while (a[la] >= '0' && a[la] <= '9') la++;
      while (b[lb] >= '0' && b[lb] <= '9') lb++;
      if (la != lb) return la < lb ? -1 : 1;
      int c = strncmp(a, b, la);
      if (c) return c;
      a += la;
      b += lb;
    } else {
      if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
      a++, b++;
    }
  }
  return (unsigned char)*a - (unsigned char)*b;
}

static int guess_cmp(const void *x, const void *y) {
  const guess *a = x, *b = y;
  if (a->mtime != b->mtime) return a->mtime < b->mtime ? -1 : 1;
  return natural_cmp(a->path, b->path);
}

/* Slots in process order: by largest node id, then name. An insertion
 * sort with the snapshots passed in (no file-scope sort context: trend
 * runs on several threads at once). */
static void process_order(const ls_trend_snapshot *snaps, size_t n,
                          size_t *order) {
  for (size_t i = 0; i < n; i++) {
    size_t x = order[i] = i, j = i;
    for (; j > 0; j--) {
      const ls_trend_snapshot *a = &snaps[order[j - 1]], *b = &snaps[x];
      /* equal ids (an error, reported later): by name, or as added */
      if (a->max_node_id < b->max_node_id ||
          (a->max_node_id == b->max_node_id &&
           (!a->path || !b->path || natural_cmp(a->path, b->path) <= 0)))
        break;
      order[j] = order[j - 1];
    }
    order[j] = x;
  }
}

/* Allocation sites count the objects made since the oldest snapshot, which
 * is read last: its largest id is taken from its nodes now (only for a
 * series with allocation stacks; a file that fails here fails later). */
static void oldest_hint(ls__store *c, const char *path) {
  ls_snapshot *s = NULL;
  c->floor_hint = 0;
  if (ls_snapshot_read_file(path, &s, NULL, NULL, NULL) != LS_OK) return;
  for (uint64_t v = 0; v < s->node_count; v++)
    if ((ls__node_id(s, v) & 1) && ls__node_id(s, v) > c->floor_hint) c->floor_hint = ls__node_id(s, v);
  ls_snapshot_free(s);
}

/* One pass over the files in `proc` order (newest guess first). Sets *redo
 * when the first file was not the newest. */
static ls_status run_pass(ls__store *c, const guess *proc,
                          const ls_trend_options *o, int *redo) {
  ls_heap_options ho;
  memset(&ho, 0, sizeof ho);
  ho.raw_sizes = 1;     /* V8's own per-object sizes: see README */
  ho.no_distances = 1;
  ho.progress = o ? o->progress : NULL;
  ho.progress_ctx = o ? o->progress_ctx : NULL;
  *redo = 0;
  for (size_t i = 0; i < c->n; i++) {
    if (ho.progress) ho.progress(ho.progress_ctx, "snapshot", i + 1, c->n);
    ls_heap *h = NULL;
    ls_status st = ls_heap_load(proc[i].path, &ho, &h, c->err);
    if (st != LS_OK) {
      /* the message names the file (and the byte), since a series has
       * many; err->offset stays for programs */
      if (c->err) {
        char msg[sizeof c->err->message];
        if (c->err->offset != LS_NO_OFFSET)
          snprintf(msg, sizeof msg, "%.200s: byte %llu: %.280s", proc[i].path,
                   (unsigned long long)c->err->offset, c->err->message);
        else
          snprintf(msg, sizeof msg, "%.200s: %.300s", proc[i].path,
                   c->err->message);
        memcpy(c->err->message, msg, sizeof msg);
      }
      return st;
    }
    if (i == 0 && h->s->node_trace && c->n > 1) oldest_hint(c, proc[c->n - 1].path);
    st = ls__store_record(c, h, proc[i].slot, i == 0, NULL);
    ls_heap_free(h);
    if (st != LS_OK) return st;
    /* the candidates came from an older snapshot than this one */
    if (c->snaps[proc[i].slot].max_node_id > c->snaps[proc[0].slot].max_node_id)
      *redo = 1;
  }
  return LS_OK;
}

static double median(double *v, size_t n) {
  if (!n) return 0;
  for (size_t i = 1; i < n; i++) /* n is small: insertion sort */
    for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
      double x = v[j];
      v[j] = v[j - 1];
      v[j - 1] = x;
    }
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The work of each interval in process order (w[0] unused): its length in
 * seconds when the times are known (else 1 each), and 0 for an idle one:
 * the process used almost no CPU in it (when that is known) and made few
 * new objects (its largest node id moved under a tenth of the median), or,
 * CPU unknown, made almost none. Both, because the CPU figure alone
 * misleads: a process paused by back-to-back snapshots runs only while the
 * last one is read, and CPU counted while a snapshot is written is taken
 * off; an interval that made as many objects as the others did work.
 * Sets *times_known. */
static void weigh(const ls_trend *t, const size_t *order, const double *work,
                  int given, double *w, double *tmp, int *times_known) {
  const size_t n = t->snapshot_count;
  /* times the caller gives are trusted; files' mtimes only when they are
   * in process order and at least MTIME_GAP apart, as snapshots taken over
   * time are (a folder copied file by file gets mtimes milliseconds apart,
   * which say nothing about the process) */
  int known = 1;
  const double gap = given ? 0 : MTIME_GAP;
  for (size_t i = 1; i < n && known; i++)
    known = t->snapshots[i].time > t->snapshots[i - 1].time + gap;
  *times_known = known;
  w[0] = 0;
  for (size_t i = 1; i < n; i++)
    w[i] = known ? t->snapshots[i].time - t->snapshots[i - 1].time : 1;
  if (n < 3) return;
  for (size_t i = 1; i < n; i++)
    tmp[i - 1] = (double)(t->snapshots[i].max_node_id - t->snapshots[i - 1].max_node_id);
  double med = median(tmp, n - 1);
  if (work) {
    const double med_ids = med;
    for (size_t i = 1; i < n; i++) tmp[i - 1] = work[order[i]] - work[order[i - 1]];
    med = median(tmp, n - 1);
    if (med >= CPU_MIN)
      for (size_t i = 1; i < n; i++) {
        const double d = (double)(t->snapshots[i].max_node_id - t->snapshots[i - 1].max_node_id);
        if (work[order[i]] - work[order[i - 1]] < CPU_IDLE_SHARE * med &&
            d < CPU_IDLE_SHARE * med_ids)
          w[i] = 0;
      }
    return;
  }
  for (size_t i = 1; i < n; i++) {
    double d = (double)(t->snapshots[i].max_node_id - t->snapshots[i - 1].max_node_id);
    if (d < IDS_IDLE_SHARE * med && d / 2 < IDS_IDLE_MAX) w[i] = 0;
  }
}

/* Of the grouped suspects keep the groups whose leader has the verdict:
 * those that grow when one does, else those that may. */
static void keep_verdict(ls_trend *t) {
  int leak = 0;
  for (size_t i = 0; i < t->suspect_count; i++)
    leak |= t->suspects[i].group < 0 && t->suspects[i].verdict == LS_VERDICT_LEAK;
  const ls_verdict want = leak ? LS_VERDICT_LEAK : LS_VERDICT_UNSURE;
  size_t k = 0;
  long lead = -1, at = -1;
  for (size_t i = 0; i < t->suspect_count; i++) {
    ls_suspect *x = &t->suspects[i];
    if (x->group < 0) lead = x->verdict == want ? (long)k : -1;
    if (lead < 0) {
      ls__suspect_free(x);
      continue;
    }
    if (x->group < 0) at = (long)k;
    t->suspects[k] = *x;
    t->suspects[k].group = x->group < 0 ? -1 : at;
    if (k != i) memset(x, 0, sizeof *x);
    k++;
  }
  t->suspect_count = k;
}

/* The verdict and what would settle it. */
static void conclude(ls_trend *t, const ls__judged *j, int leak_settled, size_t more,
                     int times_known) {
  const size_t n = t->snapshot_count;
  t->rising_below_floor = j->below_floor;
  const double span = times_known ? t->snapshots[n - 1].time - t->snapshots[0].time : 0;
  if (t->suspect_count && t->suspects[0].verdict == LS_VERDICT_LEAK) {
    t->verdict = LS_VERDICT_LEAK;
    t->settled = leak_settled;
  } else if (t->suspect_count) {
    t->verdict = LS_VERDICT_UNSURE;
    t->unsure_why = t->suspects[0].why;
    t->more_snapshots = more ? more : 1;
    if (times_known) /* at the pace so far */
      t->more_seconds = (t->snapshots[n - 1].time - t->snapshots[0].time) /
                        (double)(n - 1) * (double)t->more_snapshots;
  } else {
    t->verdict = LS_VERDICT_CLEAN;
    t->settled = n >= CLEAN_SNAPSHOTS &&
                 (!j->below_floor || !times_known || span >= CLEAN_SECONDS);
  }
  t->leak = t->verdict == LS_VERDICT_LEAK;
}

static ls_class_row *rows_copy(const ls_class_row *rows, size_t n, int *fail) {
  if (!rows) return NULL;
  ls_class_row *r = calloc(n ? n : 1, sizeof *r);
  if (!r) {
    *fail = 1;
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    r[i] = rows[i];
    r[i].name = strdup(rows[i].name);
    r[i].location = rows[i].location ? strdup(rows[i].location) : NULL;
    if (!r[i].name || (rows[i].location && !r[i].location)) *fail = 1;
  }
  return r;
}

ls_status ls__trend_judge(ls__store *cs, const ls_trend_options *opts, int times_given,
                          const double *work, const double *runnable, ls_trend **out) {
  ls__store *const c = cs;
  const size_t n = c->n;
  ls_error *const err = c->err;
  ls_status st = LS_OK;
  *out = NULL;
  ls_trend *t = calloc(1, sizeof *t);
  size_t *order = calloc(n, sizeof *order);
  double *w = calloc(2 * n, sizeof *w);
  ls__judged j;
  memset(&j, 0, sizeof j);
  if (!t || !order || !w) {
    st = ls__store_nomem(c);
    goto out;
  }
  process_order(c->snaps, n, order);
  t->snapshots = calloc(n, sizeof *t->snapshots);
  if (!t->snapshots) {
    st = ls__store_nomem(c);
    goto out;
  }
  t->snapshot_count = n; /* only now: ls_trend_free walks them */
  for (size_t i = 0; i < n; i++) {
    t->snapshots[i] = c->snaps[order[i]];
    if (c->snaps[order[i]].path && !(t->snapshots[i].path = strdup(c->snaps[order[i]].path))) {
      st = ls__store_nomem(c);
      goto out;
    }
  }
  for (size_t i = 1; i < n; i++)
    if (t->snapshots[i].max_node_id == t->snapshots[i - 1].max_node_id) {
      st = ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "%s and %s have the same largest node id: the same "
                         "snapshot twice? (expected snapshots taken at "
                         "different times)",
                         t->snapshots[i - 1].path ? t->snapshots[i - 1].path : "a snapshot",
                         t->snapshots[i].path ? t->snapshots[i].path : "the next one");
      goto out;
    }
  int times_known = 0;
  weigh(t, order, work, times_given, w, w + n, &times_known);
  /* how long it was watched up to the snapshot before the last, and up
   * to the last: in the time it could run, when known */
  const size_t before = n >= 2 ? n - 2 : 0;
  double watched_before = times_known ? t->snapshots[before].time - t->snapshots[0].time : 0;
  double watched_last = times_known ? t->snapshots[n - 1].time - t->snapshots[0].time : 0;
  if (times_known && runnable) {
    watched_before = runnable[order[before]] - runnable[order[0]];
    watched_last = runnable[order[n - 1]] - runnable[order[0]];
  }
  if ((st = ls__judge_all(c, order, w, &j)) != LS_OK) goto out;
  const size_t max = opts && opts->max_suspects ? opts->max_suspects : LS_DEFAULT_SUSPECTS;
  /* what grows and what may, grouped together (a symptom of either is
   * dropped); a leak names what grows, only when nothing does what may */
  int leak_settled = 0;
  size_t more = 0;
  /* a leak settles when the snapshot before the last had been watched
   * for long enough already: the last one confirms it (rule 9); a known
   * runtime leak's signature needs no confirmation, only the watch */
  for (size_t i = 0; i < j.nleak; i++)
    leak_settled |= j.leak[i].settled &&
                    (!times_known || (j.leak[i].s.known ? watched_last : watched_before) >=
                                         LS_TREND_LEAK_SECONDS);
  for (size_t i = 0; i < j.nunsure; i++)
    if (j.unsure[i].more > more) more = j.unsure[i].more;
  const size_t nall = j.nleak + j.nunsure;
  ls__cand *all = calloc(nall ? nall : 1, sizeof *all);
  if (!all) {
    st = ls__store_nomem(c);
    goto out;
  }
  memcpy(all, j.leak, j.nleak * sizeof *all); /* moved: freed from `all` */
  memcpy(all + j.nleak, j.unsure, j.nunsure * sizeof *all);
  j.nleak = j.nunsure = 0;
  st = nall ? ls__group(c, all, nall, max, t) : LS_OK;
  for (size_t i = 0; i < nall; i++) ls__suspect_free(&all[i].s);
  free(all);
  if (st != LS_OK) goto out;
  keep_verdict(t);
  conclude(t, &j, leak_settled, more, times_known);
  int fail = 0;
  t->classes = rows_copy(c->rows, c->nrows, &fail);
  t->class_count = c->nrows;
  if (fail) st = ls__store_nomem(c);
out:
  ls__judged_free(&j);
  free(order);
  free(w);
  if (st != LS_OK) {
    ls_trend_free(t);
    return st;
  }
  *out = t;
  return LS_OK;
}

ls_status ls_trend_build(const char *const *paths, size_t n,
                         const ls_trend_options *opts, ls_trend **out,
                         ls_error *err) {
  if (!paths || !out)
    return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls_trend_build: NULL argument");
  *out = NULL;
  if (n < LS_TREND_MIN_SNAPSHOTS)
    return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "a trend needs at least %d snapshots of one process "
                         "(got %zu); to compare two, use 'leakscope diff'",
                         LS_TREND_MIN_SNAPSHOTS, n);
  const int sv = opts && opts->string_values, kc = opts && opts->newest_classes;
  ls_status st = LS_OK;
  guess *g = calloc(n, sizeof *g);
  ls_trend *t = NULL;
  size_t *order = calloc(n, sizeof *order);
  ls__store c;
  ls__store_init(&c, n, err, sv, kc);
  c.snaps = calloc(n, sizeof *c.snaps);
  if (!g || !order || !c.snaps) {
    st = ls__store_nomem(&c);
    goto out;
  }
  for (size_t i = 0; i < n; i++) {
    struct stat sb;
    g[i].path = paths[i];
    g[i].slot = i;
    g[i].mtime = stat(paths[i], &sb) == 0
                     ? (double)sb.st_mtim.tv_sec + sb.st_mtim.tv_nsec / 1e9
                     : 0;
    c.snaps[i].mtime = g[i].mtime;
    c.snaps[i].time = opts && opts->times ? opts->times[i] : g[i].mtime;
    if (!(c.snaps[i].path = strdup(paths[i]))) {
      st = ls__store_nomem(&c);
      goto out;
    }
  }
  qsort(g, n, sizeof *g, guess_cmp);
  /* newest guess first */
  for (size_t i = 0; i < n / 2; i++) {
    guess tmp = g[i];
    g[i] = g[n - 1 - i];
    g[n - 1 - i] = tmp;
  }
  int redo = 0;
  st = run_pass(&c, g, opts, &redo);
  if (st == LS_OK && redo) {
    /* every file has been read once, so their order is known now: start
     * again from the newest (the series are rebuilt from scratch) */
    process_order(c.snaps, n, order);
    for (size_t i = 0; i < n; i++) {
      g[i].slot = order[n - 1 - i];
      g[i].path = paths[g[i].slot];
    }
    ls_trend_snapshot *keep = c.snaps;
    c.snaps = NULL;
    ls__store_free(&c);
    ls__store_init(&c, n, err, sv, kc);
    c.snaps = keep;
    st = run_pass(&c, g, opts, &redo);
  }
  if (st != LS_OK) goto out;

  st = ls__trend_judge(&c, opts, opts && opts->times, opts ? opts->work : NULL,
                       opts && opts->times ? opts->runnable : NULL, &t);
out:
  if (c.snaps)
    for (size_t i = 0; i < n; i++) free(c.snaps[i].path);
  free(c.snaps);
  ls__store_free(&c);
  free(g);
  free(order);
  if (st != LS_OK) return st;
  *out = t;
  return LS_OK;
}

void ls_trend_free(ls_trend *t) {
  if (!t) return;
  for (size_t i = 0; i < t->snapshot_count; i++) free(t->snapshots[i].path);
  free(t->snapshots);
  for (size_t i = 0; i < t->suspect_count; i++) ls__suspect_free(&t->suspects[i]);
  free(t->suspects);
  ls__rows_free(t->classes, t->class_count);
  free(t);
}
