/*
 * rule-model: how often `run`'s adaptive schedule stops on a false "leak"
 * for a store whose entries live TTL seconds and are pruned every PRUNE
 * seconds (express-session-expiring: 10 and 5), and how soon it stops on
 * a real leak beside the same store. Thousands of runs of a model in a
 * second, where the real program gives one run a minute.
 *
 * The model: entries are made at a steady rate (30-50 a second, +-10% at
 * each snapshot) from a start time 0.2-1.2 s in; the store holds those
 * made since the last prune minus TTL; a leak adds LEAK entries a second
 * that never go. Snapshots follow run's adaptive schedule (its own code: warm-up 5 s,
 * gaps of 2 s growing by 30%, at least 4 times the last write, which
 * takes 0.2-0.8 s), each interval weighing its time +-20% (the CPU time
 * `run` measures). After each snapshot from the third the rule judges the
 * series (400 bytes an entry, the 64 KiB floor): the run stops on a
 * settled leak whose snapshot before the last was 30 s in (rule 9), or a
 * flat series of 6 snapshots over 60 s, else at 120 s with what it has.
 * --old stops as before rule 9: on any leak 30 s in that rose last.
 *
 * usage: rule-model [--trials N] [--leak RATE] [--ttl S] [--prune S]
 *                   [--seed N] [--old]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyses/trend/rule.h"
#include "session/schedule.h"

typedef struct {
  uint64_t s;
} rng;

static double uniform(rng *r) {
  r->s = r->s * 6364136223846793005ULL + 1442695040888963407ULL;
  return (double)(r->s >> 11) / 9007199254740992.0;
}

static double normal(rng *r) {
  double u = uniform(r) + 1e-12, v = uniform(r);
  return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

typedef struct {
  double ttl, prune;
} store;

/* entries alive at t, made at `rate` from `from` on */
static double level(const store *st, double t, double from, double rate) {
  if (t < from) return 0;
  double oldest = floor(t / st->prune) * st->prune - st->ttl;
  if (oldest < from) oldest = from;
  return rate * (t - oldest);
}

enum { FLAT, UNSURE, LEAK };

/* One run; returns its verdict and when it stopped. */
static int one_run(const store *st, double leak, int old, rng *r, double *stopped) {
  enum { MAXS = 64 };
  double t[MAXS], w[MAXS];
  uint64_t v[MAXS];
  const double from = 0.2 + uniform(r), rate0 = 30 + 20 * uniform(r);
  /* run's default schedule itself (src/session/schedule.c) */
  ls__schedule sch;
  ls__schedule_init(&sch, -1, 0, 0, 0);
  double now = 0, write = 0;
  size_t n = 0;
  ls__rule_out o;
  memset(&o, 0, sizeof o);
  for (size_t k = 0; n < MAXS; k++) {
    const double due = ls__schedule_due(&sch, k, now, write);
    if (!ls__schedule_more(&sch, k, due)) break;
    now = due;
    const double rate = rate0 * (1 + 0.1 * normal(r));
    const double entries = level(st, now, from, rate) + (now > from ? leak * (now - from) : 0);
    t[n] = now;
    v[n] = (uint64_t)(entries * 400 + 20000);
    w[n] = n ? (t[n] - t[n - 1]) * (0.8 + 0.4 * uniform(r)) : 0;
    n++;
    write = 0.2 + 0.6 * uniform(r);
    now += write;
    if (n < 3) continue;
    ls__rule_in in = {v, w, n, 65536, 0};
    ls__rule_judge(&in, &o);
    *stopped = t[n - 1];
    if (o.verdict == LS__RULE_GROWS) {
      if (old ? v[n - 1] > v[n - 2] && t[n - 1] - t[0] >= LS_TREND_LEAK_SECONDS
              : o.settled && t[n - 2] - t[0] >= LS_TREND_LEAK_SECONDS)
        return LEAK;
    } else if (o.verdict == LS__RULE_FLAT && n >= 6 && t[n - 1] - t[0] >= 60) {
      return FLAT;
    }
  }
  return o.verdict == LS__RULE_GROWS ? LEAK : o.verdict == LS__RULE_UNSURE ? UNSURE : FLAT;
}

static double number(const char *opt, const char *s, double min) {
  char *end;
  double x = strtod(s ? s : "", &end);
  if (!s || *end || !(x >= min)) {
    fprintf(stderr, "rule-model: %s needs a number >= %g, got %s\n", opt, min, s ? s : "nothing");
    exit(2);
  }
  return x;
}

int main(int argc, char **argv) {
  long trials = 2000;
  double leak = 0;
  store st = {10, 5};
  rng r = {12345};
  int old = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--trials")) trials = (long)number(a, val, 1), i++;
    else if (!strcmp(a, "--leak")) leak = number(a, val, 0), i++;
    else if (!strcmp(a, "--ttl")) st.ttl = number(a, val, 0.1), i++;
    else if (!strcmp(a, "--prune")) st.prune = number(a, val, 0.1), i++;
    else if (!strcmp(a, "--seed")) r.s = (uint64_t)number(a, val, 0), i++;
    else if (!strcmp(a, "--old")) old = 1;
    else {
      fprintf(stderr, "usage: rule-model [--trials N] [--leak RATE] [--ttl S] [--prune S] "
                      "[--seed N] [--old]\n");
      return !strcmp(a, "--help") ? 0 : 2;
    }
  }
  long count[3] = {0, 0, 0};
  double leak_time = 0;
  for (long i = 0; i < trials; i++) {
    double stopped = 0;
    int verdict = one_run(&st, leak, old, &r, &stopped);
    count[verdict]++;
    if (verdict == LEAK) leak_time += stopped;
  }
  printf("ttl %g s, prune every %g s, leak %g/s, %s stop, %ld runs: leak %ld (%.1f%%, "
         "mean stop %.1f s), unsure %ld, clean %ld\n",
         st.ttl, st.prune, leak, old ? "old" : "rule 9", trials, count[LEAK],
         100.0 * (double)count[LEAK] / (double)trials,
         count[LEAK] ? leak_time / (double)count[LEAK] : 0, count[UNSURE], count[FLAT]);
  return 0;
}
