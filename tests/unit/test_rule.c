/* The growth rule as a pure function: a table of hand-written series
 * (leaks, warm-ups, plateaus, idle tails, irregular times, noise, an LRU
 * filling, a slow leak, capacity steps), each with the verdict it must get,
 * plus the Mann-Kendall p-values it rests on. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "analyses/trend/rule.h"

#define A LS_TREND_ABSENT
#define MAXN 20

typedef struct {
  const char *name;
  uint64_t v[MAXN];
  double w[MAXN]; /* all zero: NULL weights (every interval alike) */
  size_t n;
  uint64_t floor;
  unsigned flags;
  ls__rule_verdict want;
  ls__rule_why why; /* checked for UNSURE */
  int settled;      /* checked for GROWS: -1 = either */
} rcase;

static const rcase cases[] = {
    /* leaks */
    {"linear leak, 6 points", {1000, 2000, 3000, 4000, 5000, 6000}, {0}, 6, 500, 0,
     LS__RULE_GROWS, 0, 1},
    /* rule 9: without its last point four rising points can be chance, so
     * the fifth grows but does not settle yet */
    {"linear leak, 5 points", {1000, 2000, 3000, 4000, 5000}, {0}, 5, 500, 0,
     LS__RULE_GROWS, 0, 0},
    {"a leak with one dip in 7 points", {100, 250, 400, 380, 600, 750, 900}, {0}, 7, 500, 0,
     LS__RULE_GROWS, 0, 1},
    {"warm-up then a steady leak", {0, 10000, 11000, 12000, 13000, 14000, 15000}, {0}, 7,
     2000, 0, LS__RULE_GROWS, 0, 1},
    {"a leak from the second snapshot (class absent at first)",
     {0, 100, 400, 700, 1000, 1300, 1600}, {0}, 7, 256, LS__RULE_ZERO_ABSENT,
     LS__RULE_GROWS, 0, 1},
    {"an object created late, then leaking", {A, A, 10, 300, 600, 900, 1200, 1500},
     {0}, 8, 256, 0, LS__RULE_GROWS, 0, 1},
    {"accelerating growth", {100, 200, 400, 800, 1600, 3200}, {0}, 6, 1000, 0,
     LS__RULE_GROWS, 0, 1},
    /* idle intervals do not veto */
    {"idle last interval (the work stopped): still a leak",
     {13004, 25524, 42200, 56696, 69546, 82936, 82936},
     {0, 1, 1, 1, 1, 1, 0.01}, 7, 256, 0, LS__RULE_GROWS, 0, 1},
    {"idle interval in the middle (paused)", {1000, 2000, 3000, 3000, 4000, 5000, 6000},
     {0, 10, 10, 0.5, 10, 10, 10}, 7, 500, 0, LS__RULE_GROWS, 0, 1},
    {"idle interval in the middle, 5 informative points: grows, not settled",
     {1000, 2000, 3000, 3000, 4000, 5000}, {0, 10, 10, 0.5, 10, 10}, 6, 500, 0,
     LS__RULE_GROWS, 0, 0},
    {"two snapshots close together at the end, then unsure (4 informative)",
     {0, 1000, 2000, 3000, 3000, 3000}, {0, 10, 10, 10, 0.5, 0.5}, 6, 500, 0,
     LS__RULE_UNSURE, LS__WHY_FEW, -1},
    /* capacity steps (V8's retained_maps list, an array's elements) */
    {"capacity in geometric steps, plateau as long as the next step needs",
     {120, 140928, 211464, 475992, 475992, 714000, 714000, 714000}, {0}, 8, 1,
     LS__RULE_CAPACITY, LS__RULE_GROWS, 0, 0},
    {"capacity steps of the 22.14 retained_maps list",
     {329352, 741840, 1113024, 1670256, 2505480, 3759144, 3759144, 3759144,
      5639040, 5639040},
     {0}, 10, 1, LS__RULE_CAPACITY, LS__RULE_GROWS, 0, 0},
    {"capacity that stepped once and then stayed (a fixed list)",
     {4000, 12000, 12000, 12000, 12000, 12000, 12000, 12000}, {0}, 8, 1,
     LS__RULE_CAPACITY, LS__RULE_FLAT, 0, 0},
    /* bounded growth */
    {"warm-up then flat", {0, 5000, 6000, 6000, 6000, 6000}, {0}, 6, 500, 0,
     LS__RULE_FLAT, 0, 0},
    {"sessions under a TTL while the throughput recovers (a warm-up, then a drift)",
     {146, 212, 296, 407, 408, 334, 419, 469}, {0, 2.7, 3.3, 4.3, 4.9, 6.6, 8.2, 10.4},
     8, 256, 0, LS__RULE_UNSURE, LS__WHY_NOISY, 0},
    {"a warm-up jump, then a plateau with noise (class Map of a busy server)",
     {351152, 540856, 540656, 540200, 541984, 540880, 540784, 542592, 543664, 542136},
     {0}, 10, 65536, 0, LS__RULE_FLAT, 0, 0},
    {"constant", {7000, 7000, 7000, 7000, 7000}, {0}, 5, 1, 0, LS__RULE_FLAT, 0, 0},
    {"shrinking", {9000, 8000, 7000, 6000, 5000}, {0}, 5, 1, 0, LS__RULE_FLAT, 0, 0},
    {"an LRU filling toward its max: slowing down, not sure yet",
     {0, 3000, 5000, 6000, 6500, 6750, 6875}, {0}, 7, 500, 0, LS__RULE_UNSURE,
     LS__WHY_SLOWING, 0},
    {"the LRU later: levelled off",
     {0, 3000, 5000, 6000, 6500, 6750, 6875, 6937, 6968, 6984, 6992, 6996, 6998},
     {0}, 13, 500, 0, LS__RULE_FLAT, 0, 0},
    {"a long plateau in time after a fast rise (irregular times)",
     {0, 1000, 2000, 3000, 3000}, {0, 1, 1, 1, 57}, 5, 500, 0, LS__RULE_FLAT, 0, 0},
    /* noise */
    {"ClientRequest: in flight, ends below its start",
     {134000, 24300, 45200, 104000, 116000}, {0}, 5, 65536, 0, LS__RULE_FLAT, 0, 0},
    {"undici WeakRefs: finalizer timing", {1053, 195, 335, 347, 543}, {0}, 5, 256, 0,
     LS__RULE_FLAT, 0, 0},
    {"http Server _events: JIT code attaching", {43000, 1000, 47000, 70000, 73000},
     {0}, 5, 65536, 0, LS__RULE_FLAT, 0, 0},
    {"a random walk rising three times in a row", {100000, 170000, 240000, 300000},
     {0}, 4, 65536, 0, LS__RULE_UNSURE, LS__WHY_FEW, 0},
    {"a fluctuation: up and down", {50000, 300000, 120000, 280000, 90000, 310000}, {0},
     6, 65536, 0, LS__RULE_FLAT, 0, 0},
    {"in-flight requests of a random concurrency: falls half as much as it gains",
     {1002, 854, 1690, 1340, 2326, 1586, 1986, 2496}, {0}, 8, 256, 0, LS__RULE_FLAT, 0, 0},
    {"a steady leak under big noise: not sure yet",
     {1000, 8000, 3000, 10000, 5000, 12000, 7000, 15000}, {0}, 8, 500, 0,
     LS__RULE_UNSURE, LS__WHY_NOISY, 0},
    {"the same leak observed longer",
     {1000, 8000, 3000, 10000, 5000, 12000, 7000, 15000, 9000, 17000, 11000, 19000,
      13000, 21000, 15000, 23000, 17000, 25000},
     {0}, 18, 500, 0, LS__RULE_GROWS, 0, -1},
    /* rule 8: the last value alone (series of a clean HTTP server whose
     * keep-alive pool grew to a new peak of demand at the last snapshot,
     * taken on a busy machine: `leakscope trend` called them leaks) */
    {"a pool's closures, new peak at the last snapshot: unsure, not a leak",
     {1103, 1229, 1246, 1369, 1318, 1310, 1322, 1497},
     {0, 1.41, 1.28, 1.26, 1.33, 1.06, 1.10, 1.05}, 8, 256, LS__RULE_ZERO_ABSENT,
     LS__RULE_UNSURE, LS__WHY_FEW, 0},
    {"a pool's functions, level then a new peak at the end: unsure",
     {7236, 7296, 7428, 7868, 7904, 7728, 7872, 8052},
     {0, 1.10, 1.26, 1.33, 1.08, 0.97, 1.02, 1.17}, 8, 723, LS__RULE_ZERO_ABSENT,
     LS__RULE_UNSURE, LS__WHY_FEW, 0},
    {"a steady leak whose last snapshot jumps: still a leak without it",
     {1000, 2000, 3100, 3900, 5000, 6100, 9000}, {0}, 7, 500, 0, LS__RULE_GROWS, 0, 1},
    {"a steady leak whose last snapshot dips: a leak, not settled",
     {1000, 2000, 3100, 3900, 5000, 6100, 5900}, {0}, 7, 500, 0, LS__RULE_GROWS, 0, 0},
    {"the same pool series as a known signature: its identity is certain",
     {1103, 1229, 1246, 1369, 1318, 1310, 1322, 1497},
     {0, 1.41, 1.28, 1.26, 1.33, 1.06, 1.10, 1.05}, 8, 64, LS__RULE_KNOWN,
     LS__RULE_GROWS, 0, -1},
    /* existed long enough */
    {"class present only in the last snapshot", {0, 0, 86}, {0}, 3, 64,
     LS__RULE_ZERO_ABSENT, LS__RULE_FLAT, 0, 0},
    {"class gone in the middle", {79, 0, 92}, {0}, 3, 64, LS__RULE_ZERO_ABSENT,
     LS__RULE_FLAT, 0, 0},
    {"three points: not sure yet", {1000, 2000, 3000}, {0}, 3, 500, 0,
     LS__RULE_UNSURE, LS__WHY_FEW, 0},
    {"three points, the last step smaller: too few to call it slowing",
     {1000, 5000, 5500}, {0}, 3, 500, 0, LS__RULE_UNSURE, LS__WHY_FEW, 0},
    {"four points, the later half slower: still too few",
     {1000, 5000, 5500, 6000}, {0}, 4, 500, 0, LS__RULE_UNSURE, LS__WHY_FEW, 0},
    {"two points", {1000, 900000}, {0}, 2, 500, 0, LS__RULE_FLAT, 0, 0},
    {"all absent", {A, A, A, A}, {0}, 4, 1, 0, LS__RULE_FLAT, 0, 0},
    {"below the floor", {1000, 1100, 1200, 1300, 1400, 1500}, {0}, 6, 65536, 0,
     LS__RULE_FLAT, 0, 0},
    /* rule 8 without the last two: a clean server's session store (10 s
     * lives, pruned every 5 s) fills, then wanders with its prune cycle;
     * two high phases at the end made this a false alarm under `run` */
    {"sessions level: fill, plateau, two high points at the end",
     {83576, 144632, 183064, 173608, 190888, 214896, 201008, 213080, 201432, 242744, 274776},
     {0, 4.2, 3.7, 4.2, 5.1, 6.6, 8.4, 10.7, 13.4, 17.0, 21.9}, 11, 65536, 0,
     LS__RULE_UNSURE, LS__WHY_FEW, 0},
    {"a leak at the same schedule with the same noise holds without its last two",
     {83576, 124632, 183064, 203608, 250888, 304896, 351008, 423080, 501432, 602744, 734776},
     {0, 4.2, 3.7, 4.2, 5.1, 6.6, 8.4, 10.7, 13.4, 17.0, 21.9}, 11, 65536, 0,
     LS__RULE_GROWS, 0, 1},
    /* rule 9: a model of that store (sessions made at a steady rate, 10 s
     * lives, a prune every 5 s, the adaptive schedule's times) whose
     * samples line up with the highs of its cycle: it grows, but without
     * its last point it did not, so it does not settle: the run takes one
     * more snapshot (that one fell) */
    {"sessions level lined up with its prune cycle: grows, not settled",
     {88074, 150055, 183441, 198196, 180107, 209883, 241194, 261728},
     {0, 3.4, 3.2, 4.1, 4.8, 5.9, 8.1, 10.1}, 8, 65536, 0, LS__RULE_GROWS, 0, 0},
    {"a leak beside the same cycle settles at the same point",
     {144203, 208033, 322243, 378880, 434226, 474679, 621206, 751396},
     {0, 2.4, 3.4, 3.7, 5.0, 5.9, 8.1, 10.0}, 8, 65536, 0, LS__RULE_GROWS, 0, 1},
    /* known runtime leaks: identity is certain */
    {"known signature, 4 points, small (its own floor)", {100, 200, 300, 400}, {0}, 4, 64,
     LS__RULE_KNOWN, LS__RULE_GROWS, 0, 1},
    {"known signature, tiny: a list stepping up by 1.6 kB", {24, 24, 1680, 1680, 1680, 1680},
     {0}, 6, 4096, LS__RULE_KNOWN | LS__RULE_CAPACITY, LS__RULE_FLAT, 0, 0},
    {"known signature on the fixed version: sawtooth (compaction)",
     {3000, 5000, 2000, 4000, 6000, 3000}, {0}, 6, 1, LS__RULE_KNOWN, LS__RULE_FLAT,
     0, 0},
};

static void table(void **state) {
  (void)state;
  int bad = 0;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const rcase *c = &cases[i];
    int weighted = 0;
    for (size_t j = 0; j < c->n; j++) weighted |= c->w[j] != 0;
    ls__rule_in in = {c->v, weighted ? c->w : NULL, c->n, c->floor, c->flags};
    ls__rule_out out;
    ls__rule_judge(&in, &out);
    int ok = out.verdict == c->want;
    if (ok && c->want == LS__RULE_UNSURE) ok = out.why == c->why && out.more > 0;
    if (ok && c->want == LS__RULE_GROWS && c->settled >= 0)
      ok = out.settled == c->settled;
    if (getenv("LS_RULE_VERBOSE")) printf("%-70s v%d why%d settled%d p=%.4g pts=%zu g=%lld more=%zu warm=%d\n", c->name, out.verdict, out.why, out.settled, out.p, out.points, (long long)out.growth, out.more, out.warmup);
    if (!ok) {
      printf("FAIL %s: verdict %d (want %d) why %d (want %d) settled %d (want %d) "
             "p %.4g points %zu growth %lld rate %.1f more %zu\n",
             c->name, out.verdict, c->want, out.why, c->why, out.settled, c->settled,
             out.p, out.points, (long long)out.growth, out.rate, out.more);
      bad++;
    }
  }
  assert_int_equal(bad, 0);
}

/* The idle tail changes the answer only through the weights. */
static void idle_tail_needs_weights(void **state) {
  (void)state;
  const uint64_t v[] = {0, 1000, 2000, 3000, 4000, 5000, 5000};
  const double idle[] = {0, 1, 1, 1, 1, 1, 0.01};
  ls__rule_in in = {v, idle, 7, 500, 0};
  ls__rule_out a, b;
  ls__rule_judge(&in, &a);
  assert_int_equal(a.verdict, LS__RULE_GROWS);
  assert_int_equal(a.settled, 1);
  assert_int_equal(a.points, 6);
  in.w = NULL;
  ls__rule_judge(&in, &b);
  assert_int_equal(b.points, 7);
  assert_int_equal(b.settled, 0); /* a plateau at the end: not confirmed */
}

static void slow_leak_is_steady(void **state) {
  (void)state;
  const uint64_t v[] = {1000, 1100, 1200, 1300, 1400, 1500};
  ls__rule_in in = {v, NULL, 6, 65536, 0};
  ls__rule_out o;
  ls__rule_judge(&in, &o);
  assert_int_equal(o.verdict, LS__RULE_FLAT);
  assert_int_equal(o.steady, 1);
  assert_int_equal(o.growth, 500);
  assert_true(fabs(o.rate - 100) < 1e-9);
}

static void more_snapshots_settle(void **state) {
  (void)state;
  /* 3 rising points need 2 more (5 rising: p = 1/120) */
  const uint64_t v[] = {1000, 2000, 3000};
  ls__rule_in in = {v, NULL, 3, 500, 0};
  ls__rule_out o;
  ls__rule_judge(&in, &o);
  assert_int_equal(o.verdict, LS__RULE_UNSURE);
  assert_int_equal(o.more, 2);
}

static void mann_kendall(void **state) {
  (void)state;
  assert_true(fabs(ls__rule_mk_p(5, 0) - 1.0 / 120) < 1e-12);
  assert_true(fabs(ls__rule_mk_p(4, 0) - 1.0 / 24) < 1e-12);
  assert_true(fabs(ls__rule_mk_p(6, 1) - 6.0 / 720) < 1e-12);
  assert_true(fabs(ls__rule_mk_p(7, 2) - 27.0 / 5040) < 1e-12);
  assert_true(fabs(ls__rule_mk_p(3, 3) - 1.0) < 1e-12);
  assert_true(ls__rule_mk_p(40, 0) < 1e-40);
  assert_true(ls__rule_mk_p(60, 0) < 1e-10); /* normal approximation */
  /* more discordant pairs, larger p; both branches agree near the cut */
  for (size_t inv = 0; inv < 20; inv++)
    assert_true(ls__rule_mk_p(9, inv) <= ls__rule_mk_p(9, inv + 1));
  double exact = ls__rule_mk_p(40, 300), approx = ls__rule_mk_p(41, 315);
  assert_true(fabs(exact - approx) < 0.05);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(table),
      cmocka_unit_test(idle_tail_needs_weights),
      cmocka_unit_test(slow_leak_is_steady),
      cmocka_unit_test(more_snapshots_settle),
      cmocka_unit_test(mann_kendall),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
