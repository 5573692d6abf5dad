/* The snapshot schedule of a session as a pure function: fixed and
 * adaptive due times, the gap that leaves the program four fifths of the
 * time, and the time budget, which never cuts a series short of the
 * snapshots a trend needs (a starved process writes slowly). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "session/schedule.h"
#include "leakscope.h"

static void fixed_schedule(void **state) {
  (void)state;
  ls__schedule s = {0, 2.0, 3.0, 6, 0};
  assert_float_equal(ls__schedule_due(&s, 0, 0, 0), 2.0, 1e-9);
  assert_float_equal(ls__schedule_due(&s, 1, 2.5, 0.5), 5.0, 1e-9);
  /* a late snapshot: the next one as soon as it is done */
  assert_float_equal(ls__schedule_due(&s, 2, 9.0, 4.0), 9.0, 1e-9);
  assert_true(ls__schedule_more(&s, 5, 100));
  assert_false(ls__schedule_more(&s, 6, 100));
}

static void adaptive_gaps(void **state) {
  (void)state;
  ls__schedule s = {1, 5.0, 0, 40, 120.0};
  assert_float_equal(ls__schedule_due(&s, 0, 0, 0), 5.0, 1e-9);
  /* 2 s, then 30% longer each time */
  assert_float_equal(ls__schedule_due(&s, 1, 5.2, 0.2), 7.2, 1e-9);
  assert_float_equal(ls__schedule_due(&s, 2, 7.4, 0.2), 7.4 + 2.6, 1e-9);
  /* at least four times the last write */
  assert_float_equal(ls__schedule_due(&s, 3, 20.0, 3.0), 32.0, 1e-9);
  /* the budget: nothing is started past it once a trend has its snapshots */
  assert_true(ls__schedule_more(&s, 5, 119.0));
  assert_false(ls__schedule_more(&s, 5, 121.0));
  assert_false(ls__schedule_more(&s, 40, 50.0));
}

/* Writing one snapshot took 35 s (a starved Node 20): four times that
 * would end the series at one snapshot; past the budget the gaps shrink to
 * the write time and the first three are taken anyway. */
static void budget_keeps_the_first_three(void **state) {
  (void)state;
  ls__schedule s = {1, 5.0, 0, 40, 120.0};
  double due = ls__schedule_due(&s, 1, 40.0, 35.0);
  assert_float_equal(due, 75.0, 1e-9); /* 40 + 35, not 40 + 140 */
  assert_true(ls__schedule_more(&s, 1, due));
  due = ls__schedule_due(&s, 2, 110.0, 35.0);
  assert_float_equal(due, 145.0, 1e-9);
  assert_true(ls__schedule_more(&s, 2, due)); /* past the budget, still needed */
  due = ls__schedule_due(&s, LS_TREND_MIN_SNAPSHOTS, 180.0, 35.0);
  assert_false(ls__schedule_more(&s, LS_TREND_MIN_SNAPSHOTS, due));
  /* within the budget the four-fifths rule holds as before */
  assert_float_equal(ls__schedule_due(&s, 1, 10.0, 2.0), 18.0, 1e-9);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fixed_schedule),
      cmocka_unit_test(adaptive_gaps),
      cmocka_unit_test(budget_keeps_the_first_three),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
