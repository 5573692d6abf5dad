/*
 * When `run` and `attach` take their snapshots. A fixed schedule
 * (--every/--count) takes N snapshots SEC apart after the warm-up; the
 * adaptive one (the default) takes them further and further apart and
 * stops as soon as the trend is settled (ls_trend.settled) or the time
 * budget is spent.
 */
#ifndef LS_SESSION_SCHEDULE_H
#define LS_SESSION_SCHEDULE_H

#include <stddef.h>

#define LS__SCHED_WARMUP 5.0     /* seconds before the first snapshot */
#define LS__SCHED_EVERY 10.0     /* fixed schedule: seconds apart */
#define LS__SCHED_COUNT 5        /* fixed schedule: snapshots */
#define LS__SCHED_MAX_TIME 120.0 /* adaptive: the time budget, seconds */
#define LS__SCHED_MAX_SNAPS 40   /* adaptive: at most this many snapshots */

typedef struct ls__schedule {
  int adaptive;    /* 1: spacing grows, stops when settled */
  double warmup;   /* seconds from the start to the first snapshot */
  double every;    /* fixed: seconds between snapshots */
  size_t count;    /* fixed: snapshots; adaptive: the most it takes */
  double max_time; /* seconds from the start after which no snapshot is
                      started; 0 = no limit */
} ls__schedule;

/* The schedule that a session's options ask for (ls_run_options' and
 * ls_attach_options' rules, one place for both): 0, or -1 when they are
 * out of range (every or max_time below 0, count below
 * LS_TREND_MIN_SNAPSHOTS). */
int ls__schedule_init(ls__schedule *s, double warmup, double every, size_t count,
                      double max_time);

/* Seconds from the program's start at which snapshot k (0-based) is due,
 * given when the previous one finished (`prev_done`, seconds from the
 * start; ignored for k = 0) and how long writing it took. Adaptive gaps
 * grow by 30% per snapshot from 2 s, and are at least four times the last
 * write: the program works at least four fifths of the time (a schedule
 * that pauses it much changes what a busy program keeps, such as the
 * sessions of its last seconds). */
double ls__schedule_due(const ls__schedule *s, size_t k, double prev_done,
                        double prev_write);

/* May snapshot k (0-based), due at `due` seconds from the start, still be
 * taken? (count and time budget; the budget never stops a series before
 * LS_TREND_MIN_SNAPSHOTS, whose gaps past it are only as long as the last
 * write) */
int ls__schedule_more(const ls__schedule *s, size_t k, double due);

#endif
