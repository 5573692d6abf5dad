/*
 * The growth rule (README.md "How trend decides").
 *
 * A leak adds something for every unit of work the program does, so the
 * series rises with the work, keeps rising at about the same pace, and what
 * it falls back is small next to what it gains. Bounded growth (a cache
 * filling, JIT warm-up, a pool) rises and then slows down to nothing; noise
 * (requests in flight, garbage not yet collected) goes up and down. The
 * rule looks for the first and refuses the other two:
 *
 *  1. Idle intervals carry no information: an interval whose work is under
 *     a quarter of the typical interval's is merged into the next one, so a
 *     snapshot taken right after the last (or after the work paused) does
 *     not look like a plateau.
 *  2. The first point may be a warm-up: the series is judged with it and,
 *     when it rose in the first interval, without it.
 *  3. Rising by chance: the Mann-Kendall test (a rank test: every pair of
 *     points that rises counts +1, every pair that falls -1) must give a
 *     one-sided p of at most 1% (5% for a known runtime leak), so five
 *     points must all rise, six may fall once, and so on.
 *  4. Noise: the largest fall from an earlier peak must be at most a
 *     quarter of the net growth.
 *  5. Slowing down: the Theil-Sen slope (the median of the pairwise slopes,
 *     per unit of work) of the later half of the work must be at least 50%
 *     of the earlier half's, and of the average pace over the whole series
 *     (a warm-up jump followed by a plateau); 30% for storage capacity,
 *     whose later half may fall on a plateau (7). A later half that no
 *     longer rises is bounded.
 *  6. Size: the net growth must reach the floor the caller gives.
 *  7. Storage capacity (LS__RULE_CAPACITY) grows in geometric steps (at
 *     most x2.5 each): a final plateau shorter than the time the last step's
 *     new room takes to fill, at the pace the series rose before it, is the
 *     wait for the next step, and is left out.
 *  8. The last value is unconfirmed: every earlier rise is checked by the
 *     points after it (a fall would show), the last one by none. From five
 *     points on, a series that passes 1-6 is judged again without its last
 *     point, on its shape alone (no floor); when that is flat (levelled
 *     off, noise, no rise), the rise rests on one value (a pool that just
 *     grew to a new peak of demand) and is unsure. From seven points on,
 *     likewise without its last two: a level that wanders (a store pruned
 *     on a timer, sampled at ever longer intervals) can end on two high
 *     phases in a row, and the second to last is confirmed by one point.
 *     Storage capacity (7) and a known runtime leak's signature are
 *     exempt: their steps are expected, their identity certain.
 *  9. Settled (for a driver that decides when to stop): a rise that still
 *     rose in its last interval and already grew without its last point;
 *     a known runtime leak's signature needs only the first (and trend.c
 *     counts its watch up to the last snapshot, not the one before).
 *
 * A series that is big enough (6) and still rises in its later half but
 * fails one test narrowly is "unsure": a rise with a p up to 20% (too few
 * points), a later half between 10% and 50% of the earlier's pace (it may
 * level off), or falls between a quarter and two fifths of the growth; and what it
 * gained in the later half alone must be at least half the floor. Anything
 * else is flat.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"

#define ALPHA 0.01        /* Mann-Kendall p for a leak */
#define ALPHA_KNOWN 0.05  /* ... for a known runtime leak's signature */
#define ALPHA_UNSURE 0.2  /* ... above which a rise is not even suspect */
#define IDLE_SHARE 0.25   /* work under this share of the median: idle */
#define NOISE_SHARE 4.0   /* growth must be this many times the largest fall */
#define PERSIST 0.5       /* later slope / earlier slope for a leak */
#define PERSIST_STEPS 0.3 /* ... for storage capacity (LS__RULE_CAPACITY) */
#define MIN_HALVES 5     /* points before the halves' paces are compared for a reason */
#define SLOW_FLAT 0.1     /* ... under which it has levelled off */
#define NOISE_UNSURE 2.5  /* growth under this many falls: noise, flat */
#define MAX_STEP 2.5      /* capacity steps larger than this are no regrowth */
#define MAX_EXACT 40      /* exact Mann-Kendall p up to this many points */
#define LAST_OUT_MIN 5    /* points from which a rise must hold without the last */
#define LAST_TWO_MIN 7    /* ... and without the last two */

double ls__rule_mk_p(size_t m, size_t inv) {
  if (m < 2) return 1.0;
  const double pairs = (double)m * (double)(m - 1) / 2;
  if (m > MAX_EXACT) { /* normal approximation with continuity correction */
    double s = pairs - 2.0 * (double)inv;
    double var = (double)m * (double)(m - 1) * (2.0 * (double)m + 5) / 18;
    double z = (s - 1) / sqrt(var);
    return 0.5 * erfc(z / sqrt(2.0));
  }
  if ((double)inv >= pairs) return 1.0;
  /* c[k] = permutations of j items with k inversions (Mahonian numbers),
   * for k <= inv only; P(inversions <= inv) is what is asked */
  double c[MAX_EXACT * (MAX_EXACT - 1) / 2 + 1], nc[sizeof c / sizeof *c];
  memset(c, 0, sizeof c);
  c[0] = 1;
  for (size_t j = 2; j <= m; j++) {
    double run = 0;
    for (size_t k = 0; k <= inv; k++) { /* nc[k] = sum c[k-j+1 .. k] */
      run += c[k];
      if (k >= j) run -= c[k - j];
      nc[k] = run;
    }
    memcpy(c, nc, (inv + 1) * sizeof *c);
  }
  double total = 1, below = 0;
  for (size_t j = 2; j <= m; j++) total *= (double)j;
  for (size_t k = 0; k <= inv; k++) below += c[k];
  double p = below / total;
  return p > 1 ? 1 : p;
}

static int dcmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Theil-Sen slope of points lo..hi-1 (per unit of work). */
static double ts_slope(const double *s, const double *y, size_t lo, size_t hi) {
  size_t n = hi - lo, k = 0;
  if (n < 2) return 0;
  double buf[256];
  double *sl = n * (n - 1) / 2 <= 256 ? buf : malloc(n * (n - 1) / 2 * sizeof *sl);
  if (!sl) { /* out of memory: the end-to-end slope is a fair stand-in */
    double ds = s[hi - 1] - s[lo];
    return ds > 0 ? (y[hi - 1] - y[lo]) / ds : 0;
  }
  for (size_t i = lo; i < hi; i++)
    for (size_t j = i + 1; j < hi; j++)
      if (s[j] > s[i]) sl[k++] = (y[j] - y[i]) / (s[j] - s[i]);
  double r = 0;
  if (k) {
    qsort(sl, k, sizeof *sl, dcmp);
    r = k % 2 ? sl[k / 2] : (sl[k / 2 - 1] + sl[k / 2]) / 2;
  }
  if (sl != buf) free(sl);
  return r;
}

/* Discordant pairs, ties counted as half (so they weaken the test). */
static size_t inversions(const double *y, size_t m) {
  size_t half = 0;
  for (size_t i = 0; i < m; i++)
    for (size_t j = i + 1; j < m; j++)
      half += y[j] < y[i] ? 2 : y[j] == y[i] ? 1 : 0;
  return (half + 1) / 2;
}

/* Snapshots more that would settle a rise with `inv` discordant pairs over
 * m points, if the series kept rising: the smallest k with p <= alpha. */
static size_t more_needed(size_t m, size_t inv, double alpha) {
  for (size_t k = 1; k <= 20; k++)
    if (ls__rule_mk_p(m + k, inv) <= alpha) return k;
  return 20;
}

typedef struct {
  ls__rule_verdict verdict;
  ls__rule_why why;
  int settled, steady;
  double growth, rate, p;
  size_t points, more;
} judged;

/* Judge m points (s: cumulative work, y: values). */
static judged judge_points(const double *s, const double *y, size_t m,
                           double floor, unsigned flags) {
  judged r;
  memset(&r, 0, sizeof r);
  r.p = 1;
  r.points = m;
  if (m < 2) return r;
  const int known = (flags & LS__RULE_KNOWN) != 0;
  const double alpha = known ? ALPHA_KNOWN : ALPHA;
  /* 7: a capacity plateau still shorter than the next step needs */
  int pending = 0;
  size_t q = m - 1;
  while (q > 0 && y[q - 1] == y[m - 1]) q--;
  if ((flags & LS__RULE_CAPACITY) && q >= 2 && q < m - 1 && y[q - 1] > y[0] &&
      y[q] > y[q - 1] && y[q] <= MAX_STEP * y[q - 1]) {
    /* the used part passed y[q-1] around s[q]; at the pace it rose from
     * y[0] until then, filling the new capacity takes `wait` */
    double pace = (y[q - 1] - y[0]) / (s[q] - s[0]);
    double wait = (y[q] - y[q - 1]) / pace;
    if (s[m - 1] - s[q] <= wait) {
      m = q + 1;
      pending = 1;
    }
  }
  r.points = m;
  r.growth = y[m - 1] - y[0];
  if (m < 2 || r.growth <= 0) return r;
  /* 4: the largest fall from an earlier peak */
  double peak = y[0], fall = 0;
  for (size_t i = 1; i < m; i++) {
    if (y[i] > peak) peak = y[i];
    if (peak - y[i] > fall) fall = peak - y[i];
  }
  /* 5: earlier and later halves of the work */
  double mid = (s[0] + s[m - 1]) / 2;
  size_t e_hi = 0, l_lo = m;
  while (e_hi < m && s[e_hi] <= mid) e_hi++;
  while (l_lo > 0 && s[l_lo - 1] >= mid) l_lo--;
  if (e_hi < 2) e_hi = 2;
  if (m - l_lo < 2) l_lo = m - 2;
  double early = ts_slope(s, y, 0, e_hi), late = ts_slope(s, y, l_lo, m);
  /* the pace to keep up: the earlier half's, or the average over the
   * whole series when that is more (a jump the medians smooth away) */
  const double avg = (y[m - 1] - y[0]) / (s[m - 1] - s[0]);
  if (avg > early) early = avg;
  r.rate = ts_slope(s, y, 0, m);
  size_t inv = inversions(y, m);
  r.p = ls__rule_mk_p(m, inv);
  const int quiet = fall * NOISE_SHARE <= r.growth;
  /* storage steps: its later half may fall on a plateau, so less pace is
   * asked of it */
  const double persist = (flags & LS__RULE_CAPACITY) ? PERSIST_STEPS : PERSIST;
  const int keeps = late > 0 && late >= persist * early;
  const int rising = r.p <= alpha;
  const int big = r.growth >= floor;
  if (!big) { /* 6: too small to report, but a slow leak may get there */
    r.steady = rising && quiet && keeps;
    return r;
  }
  if (rising && quiet && keeps) {
    r.verdict = LS__RULE_GROWS;
    r.settled = !pending && y[m - 1] > y[m - 2];
    /* 8: every earlier rise is confirmed by the points after it (a fall
     * would show), the last one by none: the shape must hold without it */
    if (m >= LAST_OUT_MIN && !pending &&
        !(flags & (LS__RULE_NO_LAST_OUT | LS__RULE_CAPACITY | LS__RULE_KNOWN)) &&
        (judge_points(s, y, m - 1, 0, flags | LS__RULE_NO_LAST_OUT).verdict == LS__RULE_FLAT ||
         (m >= LAST_TWO_MIN &&
          judge_points(s, y, m - 2, 0, flags | LS__RULE_NO_LAST_OUT).verdict == LS__RULE_FLAT))) {
      r.verdict = LS__RULE_UNSURE;
      r.why = LS__WHY_FEW;
      r.settled = 0;
      r.more = m / 2 > 3 ? m / 2 : 3;
    }
    /* 9: settled only when it grew at the point before as well: a level
     * sampled at growing gaps can line up with its highs for a while, a
     * leak goes on rising (the verdict stands; only the stop waits) */
    if (r.settled && !(flags & (LS__RULE_NO_CONFIRM | LS__RULE_NO_LAST_OUT | LS__RULE_KNOWN)) &&
        judge_points(s, y, m - 1, floor, flags | LS__RULE_NO_CONFIRM).verdict !=
            LS__RULE_GROWS)
      r.settled = 0;
    return r;
  }
  /* not proven, but not refuted either: it still rises in the later half,
   * not by chance alone, and its falls are well under its growth */
  /* ... and what it gained in the later half is worth a report in itself */
  const double late_gain = late * (s[m - 1] - s[l_lo]);
  if (late <= 0 || r.p > ALPHA_UNSURE || fall * NOISE_UNSURE > r.growth ||
      late < SLOW_FLAT * early || late_gain * 2 < floor)
    return r; /* flat */
  r.verdict = LS__RULE_UNSURE;
  if (!quiet) {
    r.why = LS__WHY_NOISY;
    r.more = m / 2 > 3 ? m / 2 : 3;
  } else if (!keeps && m >= MIN_HALVES) {
    r.why = LS__WHY_SLOWING;
    r.more = m / 2 > 3 ? m / 2 : 3;
  } else {
    /* under MIN_HALVES points the two halves share most of them: a slower
     * later half there says only that there are too few */
    r.why = LS__WHY_FEW;
    r.more = more_needed(m, inv, alpha);
    if (!keeps && r.more < MIN_HALVES - m) r.more = MIN_HALVES - m;
  }
  return r;
}

static int better(const judged *a, const judged *b) {
  if (a->verdict != b->verdict) return a->verdict > b->verdict;
  if (a->verdict == LS__RULE_UNSURE) return a->more < b->more;
  return a->steady > b->steady;
}

void ls__rule_judge(const ls__rule_in *in, ls__rule_out *out) {
  memset(out, 0, sizeof *out);
  out->p = 1;
  const size_t n = in->n;
  size_t f = 0;
  while (f < n && (in->v[f] == LS_TREND_ABSENT ||
                   ((in->flags & LS__RULE_ZERO_ABSENT) && in->v[f] == 0)))
    f++;
  if (n - f < 2) {
    out->points = n - f;
    return;
  }
  for (size_t i = f; i < n; i++)
    if (in->v[i] == LS_TREND_ABSENT) return; /* ids are never reused */
  /* 1: typical work of an interval, then the informative points */
  double wbuf[64];
  double *w = n <= 64 ? wbuf : malloc(n * sizeof *w);
  double *s = malloc(n * sizeof *s), *y = malloc(n * sizeof *y);
  if (!w || !s || !y) goto out; /* out of memory: nothing is claimed */
  size_t nw = 0;
  for (size_t i = f + 1; i < n; i++) {
    double x = in->w ? in->w[i] : 1;
    if (!(x >= 0)) x = 0; /* NaN or negative: no work known */
    w[nw++] = x;
  }
  double med = 0;
  {
    double tmp[64];
    double *t = nw <= 64 ? tmp : malloc(nw * sizeof *t);
    if (!t) goto out;
    memcpy(t, w, nw * sizeof *t);
    qsort(t, nw, sizeof *t, dcmp);
    med = nw % 2 ? t[nw / 2] : (t[nw / 2 - 1] + t[nw / 2]) / 2;
    if (t != tmp) free(t);
  }
  if (!(med > 0)) { /* nothing known about the work: every interval alike */
    for (size_t i = 0; i < nw; i++) w[i] = 1;
    med = 1;
  }
  size_t m = 0;
  double acc = 0, at = 0;
  s[m] = 0;
  y[m++] = (double)in->v[f];
  for (size_t i = f + 1; i < n; i++) {
    acc += w[i - f - 1];
    if (acc < IDLE_SHARE * med) { /* idle so far: the later value stands */
      y[m - 1] = (double)in->v[i];
      continue;
    }
    at += acc;
    acc = 0;
    s[m] = at;
    y[m++] = (double)in->v[i];
  }
  const double floor = (double)in->floor;
  judged best = judge_points(s, y, m, floor, in->flags);
  int warm = 0;
  if (best.verdict != LS__RULE_GROWS && m >= 4 && y[1] > y[0]) {
    /* 2: without a first step that rose (a warm-up) */
    judged b = judge_points(s + 1, y + 1, m - 1, floor, in->flags);
    if (better(&b, &best)) best = b, warm = 1;
  }
  out->verdict = best.verdict;
  out->why = best.why;
  out->settled = best.settled;
  out->steady = best.steady;
  out->warmup = warm;
  out->growth = (int64_t)best.growth;
  out->rate = best.rate;
  out->p = best.p;
  out->points = best.points;
  out->more = best.more;
out:
  if (w != wbuf) free(w);
  free(s);
  free(y);
}
