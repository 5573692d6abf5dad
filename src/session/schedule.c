/* The snapshot schedule of a session (schedule.h). */
#include <math.h>

#include "leakscope.h"
#include "schedule.h"

#define FIRST_GAP 2.0 /* adaptive: seconds between the first two snapshots */
#define GROWTH 1.3    /* ... each gap 30% longer than the one before */

int ls__schedule_init(ls__schedule *s, double warmup, double every, size_t count,
                      double max_time) {
  if (every < 0 || max_time < 0 || (count && count < LS_TREND_MIN_SNAPSHOTS)) return -1;
  s->adaptive = !(every > 0) && !count;
  s->warmup = warmup >= 0 ? warmup : LS__SCHED_WARMUP;
  s->every = every > 0 ? every : LS__SCHED_EVERY;
  s->count = s->adaptive ? LS__SCHED_MAX_SNAPS : count ? count : LS__SCHED_COUNT;
  s->max_time = max_time > 0 ? max_time : s->adaptive ? LS__SCHED_MAX_TIME : 0;
  return 0;
}

double ls__schedule_due(const ls__schedule *s, size_t k, double prev_done,
                        double prev_write) {
  if (k == 0) return s->warmup;
  if (!s->adaptive) {
    double due = s->warmup + s->every * (double)k;
    return due > prev_done ? due : prev_done;
  }
  /* irregular, growing gaps also help the rule: a leak's growth follows
   * the elapsed time, noise does not */
  double gap = FIRST_GAP * pow(GROWTH, (double)(k - 1));
  if (gap < 4 * prev_write) gap = 4 * prev_write;
  /* a trend needs its few snapshots even when writing them is slow (a
   * starved process on a busy machine): past the budget, only a gap as
   * long as the last write is left to the program */
  if (k < LS_TREND_MIN_SNAPSHOTS && s->max_time > 0 && prev_done + gap > s->max_time) {
    gap = prev_write > FIRST_GAP ? prev_write : FIRST_GAP;
  }
  return prev_done + gap;
}

int ls__schedule_more(const ls__schedule *s, size_t k, double due) {
  if (k >= s->count) return 0;
  /* the budget does not cut a series short of what a trend needs */
  return !(s->max_time > 0 && due > s->max_time && k >= LS_TREND_MIN_SNAPSHOTS);
}
