/* The snapshot schedule of a session (schedule.h). */
#include <math.h>

#include "schedule.h"

#define FIRST_GAP 2.0 /* adaptive: seconds between the first two snapshots */
#define GROWTH 1.3    /* ... each gap 30% longer than the one before */

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
  return prev_done + gap;
}

int ls__schedule_more(const ls__schedule *s, size_t k, double due) {
  if (k >= s->count) return 0;
  return !(s->max_time > 0 && due > s->max_time && k > 0);
}
