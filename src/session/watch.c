/* After a snapshot, for run (run.c) and attach (attach.c) alike: one
 * place for the watch, the schedule's next step and the progress lines,
 * so the two commands say the same things; and the helpers all of the
 * session uses (watch.h). */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "proc.h"
#include "watch.h"

double ls__now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ls__emit(ls_line_fn fn, void *ctx, const char *fmt, ...) {
  if (!fn) return;
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  fn(ctx, line);
}

/* One list for both: the names are the same in either struct. */
#define FIELDS(o)                                                                          \
  (ls__session_fields){&(o)->warmup, &(o)->every, &(o)->count, &(o)->max_time,             \
                       &(o)->out_dir, &(o)->stop, &(o)->progress, &(o)->progress_ctx,      \
                       &(o)->note, &(o)->note_ctx, &(o)->trend}

ls__session_fields ls__run_fields(ls_run_options *o) { return FIELDS(o); }
ls__session_fields ls__attach_fields(ls_attach_options *o) { return FIELDS(o); }

void ls__watch_note(ls__watch *w, pid_t pid, const double *time, size_t n) {
  double run = 0, wait = 0;
  const int ok = ls__proc_sched(pid, &run, &wait) == 0;
  if (n > 0) {
    const double dt = time[n] - time[n - 1];
    double share = 1;
    if (ok && w->known) {
      const double dr = run - w->run_s, dw = wait - w->wait_s;
      if (dr >= 0 && dw >= 0 && dr + dw > 0.001) share = dr / (dr + dw);
    }
    w->watch += dt * share;
  }
  w->known = ok;
  w->run_s = run;
  w->wait_s = wait;
}

#define say(a, ...) ls__emit((a)->progress, (a)->progress_ctx, __VA_ARGS__)

int ls__snapshot_after(const ls__after *a, double t0, double *due, ls_trend **last) {
  const double t = ls__now();
  const size_t n = a->n;
  const ls__schedule *sch = a->sch;
  if (a->cpu < 0 || a->asked_cpu < 0) *a->cpu_known = 0;
  else *a->written_cpu += a->cpu - a->asked_cpu;
  if (sch->adaptive)
    say(a, "snapshot %zu taken (%.1f MB, %.1f s)", n, (double)a->bytes / 1e6, a->took);
  else
    say(a, "snapshot %zu of %zu taken (%.1f MB, %.1f s)", n, sch->count,
        (double)a->bytes / 1e6, a->took);
  *due = t0 + ls__schedule_due(sch, n, t - t0, a->took);
  const int more = ls__schedule_more(sch, n, *due - t0);
  if (!sch->adaptive || n < LS_TREND_MIN_SNAPSHOTS) {
    if (more) say(a, "next snapshot in %.1f s", *due - ls__now());
    return 0;
  }
  ls_trend *tr = NULL;
  ls_error err;
  if (ls_trend_stream_judge(a->ts, &tr, &err) != LS_OK) return 0; /* the final one says it */
  ls_trend_free(*last);
  *last = tr;
  if (tr->settled) {
    say(a, "settled: %s after %zu snapshots", ls_verdict_name(tr->verdict), n);
    return 1;
  }
  /* on a busy machine the watch counts the time the program could run */
  const double watched = a->time[n - 1] - a->time[0], watch = a->w->watch;
  const int busy = watched > 0 && watch < 0.9 * watched;
  if (!more) {
    say(a, "the time budget is spent (%.0f s)", sch->max_time);
  } else if (tr->verdict == LS_VERDICT_UNSURE) {
    char note[128] = "";
    if (busy)
      snprintf(note, sizeof note, "; the machine is busy (the program got %.0f%% of the CPU "
               "time it wanted)", 100.0 * watch / watched);
    say(a, "not sure yet (%s: %zu more snapshots may settle it)%s; next snapshot in %.1f s",
        ls_unsure_reason_name(tr->unsure_why), tr->more_snapshots, note, *due - ls__now());
  } else if (tr->verdict == LS_VERDICT_LEAK) {
    if (busy)
      say(a, "a leak, to be confirmed by watching longer: the machine is busy (the "
             "program got %.0f%% of the CPU time it wanted), so it is watched for %d s "
             "of its own running (%.0f s so far); next snapshot in %.1f s",
          100.0 * watch / watched, LS_TREND_LEAK_SECONDS, watch, *due - ls__now());
    else
      say(a, "a leak, to be confirmed by watching longer; next snapshot in %.1f s",
          *due - ls__now());
  } else {
    say(a, "nothing grows so far; confirming (%zu series rise slowly below the "
           "floors); next snapshot in %.1f s", tr->rising_below_floor, *due - ls__now());
  }
  return 0;
}
