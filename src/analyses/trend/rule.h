/*
 * The growth rule: does one series grow without bound? A pure function
 * over arrays (no heap, no I/O), so it is tested on hand-written series
 * (tests/unit/test_rule.c). README.md "How trend decides" states it in
 * words; the constants are in rule.c.
 */
#ifndef LS_ANALYSES_TREND_RULE_H
#define LS_ANALYSES_TREND_RULE_H

#include <stddef.h>
#include <stdint.h>

#include "leakscope.h"

/* ls__rule_in.flags */
enum {
  /* the own size of storage V8 reallocates in geometric steps (an array's
   * elements, a hash table, a WeakArrayList): a plateau shorter than the
   * next step would take at the same pace is expected, not a bound */
  LS__RULE_CAPACITY = 1u,
  /* the signature of a known runtime leak: its identity is certain, so a
   * steady rise needs less evidence (the caller gives it a small floor) */
  LS__RULE_KNOWN = 2u,
  /* a zero before the first non-zero value means "not there yet" (a class
   * without instances), not a value */
  LS__RULE_ZERO_ABSENT = 4u,
  /* internal to rule.c: the re-judgement without the last point (rule 8) */
  LS__RULE_NO_LAST_OUT = 8u,
  /* internal to rule.c: the re-judgement without the last point (rule 9) */
  LS__RULE_NO_CONFIRM = 16u,
};

typedef enum {
  LS__RULE_FLAT = 0, /* bounded as far as the series shows */
  LS__RULE_UNSURE,   /* may be growing; the series cannot tell yet */
  LS__RULE_GROWS     /* grows without bound */
} ls__rule_verdict;

/* Why a series is unsure (what is missing). */
typedef enum {
  LS__WHY_NONE = 0,
  LS__WHY_FEW,     /* it rose, but over too few snapshots to rule out chance */
  LS__WHY_SLOWING, /* it rises more slowly than before: it may level off */
  LS__WHY_NOISY,   /* it falls back nearly as much as it rises */
  LS__WHY_FILLING  /* it fills storage of a fixed size (judge.c) */
} ls__rule_why;

typedef struct {
  const uint64_t *v; /* n values in process order; LS_TREND_ABSENT where the
                        object does not exist (yet) */
  const double *w;   /* n weights: w[i] is the work done between snapshots
                        i-1 and i (seconds, CPU time, rounds; 0 = idle);
                        w[0] is not read. NULL: every interval weighs 1 */
  size_t n;
  uint64_t floor;    /* the least growth worth a report */
  unsigned flags;    /* LS__RULE_* */
} ls__rule_in;

typedef struct {
  ls__rule_verdict verdict;
  ls__rule_why why;  /* for LS__RULE_UNSURE */
  int settled;       /* LS__RULE_GROWS, still rising at the end and
                        already growing without the last point (rule 9):
                        no later snapshot is needed to confirm it */
  int steady;        /* rises steadily but is still below the floor (a slow
                        leak may cross it with more time) */
  int warmup;        /* 1 when the first point was judged a warm-up */
  int64_t growth;    /* last minus first of the judged points */
  double rate;       /* robust growth per unit of work (Theil-Sen slope) */
  double p;          /* one-sided Mann-Kendall p-value of a rise */
  size_t points;     /* informative points judged (idle intervals merged) */
  size_t more;       /* LS__RULE_UNSURE: snapshots that could settle it */
} ls__rule_out;

/* Judge one series. Never fails; `out` is fully written. */
void ls__rule_judge(const ls__rule_in *in, ls__rule_out *out);

/* One-sided p-value of the Mann-Kendall statistic of m values with `inv`
 * discordant pairs and no ties (exact for m <= 40, normal beyond): the
 * chance that m values in random order rise at least as consistently. */
double ls__rule_mk_p(size_t m, size_t inv);

#endif
