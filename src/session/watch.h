/*
 * What run and attach share (watch.c): after each snapshot, the time the
 * program could run while watched, and the snapshot's cost, the next one's
 * plan and, on the adaptive schedule, the look at the series so far with
 * its progress lines; the session's clock and line writer; and the options
 * their two structs have in common. No state of its own: all of it is the
 * caller's.
 */
#ifndef LS_SESSION_WATCH_H
#define LS_SESSION_WATCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "leakscope.h"
#include "schedule.h"

/* Seconds on the monotonic clock (from an arbitrary start). */
double ls__now(void);

/* One line, printf-formatted (at most 1023 bytes), to `fn` (none when
 * NULL): the session's progress and notes. */
void ls__emit(ls_line_fn fn, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The fields ls_run_options and ls_attach_options both have, by pointer:
 * the structs differ in layout (public), so the CLI and the addon fill
 * these through one piece of code for either. */
typedef struct ls__session_fields {
  double *warmup, *every;
  size_t *count;
  double *max_time;
  const char **out_dir;
  const volatile int **stop;
  ls_line_fn *progress;
  void **progress_ctx;
  ls_line_fn *note;
  void **note_ctx;
  ls_trend_options *trend;
} ls__session_fields;

ls__session_fields ls__run_fields(ls_run_options *o);
ls__session_fields ls__attach_fields(ls_attach_options *o);

/* Seconds watched that the program could run: each interval's wall time
 * times the share of its wanted CPU time it got (a busy machine makes a
 * program do less in a second, so a cache fills slower). */
typedef struct ls__watch {
  double watch;        /* the sum so far */
  double run_s, wait_s; /* ls__proc_sched's at the last snapshot */
  int known;           /* whether those are */
} ls__watch;

/* Snapshot n is asked now (time[n], seconds from the start): the interval
 * from time[n - 1] counts for the share of the CPU time pid wanted that it
 * got. */
void ls__watch_note(ls__watch *w, pid_t pid, const double *time, size_t n);

/* A snapshot was added (n complete ones now in ts). */
typedef struct ls__after {
  ls__schedule *sch;
  ls_trend_stream *ts;
  size_t n;
  const double *time;  /* per snapshot: when asked (s from start) */
  const ls__watch *w;
  double cpu;          /* the program's CPU seconds once it was written (-1) */
  double asked_cpu;    /* ... and when it was asked (-1) */
  double *written_cpu; /* CPU seconds spent writing snapshots, summed */
  int *cpu_known;      /* cleared when a CPU time is unknown */
  uint64_t bytes;      /* its size */
  double took;         /* seconds it took the program */
  ls_line_fn progress; /* may be NULL */
  void *progress_ctx;
} ls__after;

/* Note its cost, plan the next one (*due, on the clock of t0), and on the
 * adaptive schedule judge the series so far into *last (the previous one
 * freed). 1 when settled. */
int ls__snapshot_after(const ls__after *a, double t0, double *due, ls_trend **last);

#endif
