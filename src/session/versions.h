/*
 * The search behind `leakscope versions`, as pure functions over a runner
 * callback (tests/unit/test_versions.c drives them with a fake one).
 *
 * Candidates are versions 0..n-1, ascending. A range is searched in two
 * phases: `probes` evenly spaced versions (both ends included) are run,
 * then each adjacent pair of probes whose outcomes differ is bisected:
 * its midpoint is run; when the midpoint agrees with one end only the
 * other half is searched, when it agrees with neither (a third outcome)
 * both halves are, down to neighbouring versions. So wherever two tested
 * versions next to each other in the tested set differ, they are
 * neighbouring versions: each reported boundary is exact, and a range that
 * changes several times gives several boundaries. What it cannot see is a
 * change and a change back between two tested versions that agree (two
 * probes, or a probe and a midpoint).
 */
#ifndef LS_SESSION_VERSIONS_H
#define LS_SESSION_VERSIONS_H

#include <stddef.h>

#include "leakscope.h"

#define LS__NO_INDEX ((size_t)-1)

typedef struct ls__search_ops {
  /* Run version i. For a probe lo and hi are LS__NO_INDEX, when bisecting
   * they are the pair being narrowed. 0: it ran, go on; > 0: it ran, stop
   * (an interruption after its run); < 0: it did not run, stop (an error
   * or an interruption before it started; the caller keeps why). */
  int (*run)(void *ctx, size_t i, size_t lo, size_t hi);
  /* 1 when versions i and j (both run) had the same outcome. */
  int (*same)(void *ctx, size_t i, size_t j);
  void *ctx;
} ls__search_ops;

/* Index of probe k (0-based) of p among n versions (p <= n, p >= 2). */
size_t ls__probe_index(size_t n, size_t p, size_t k);

/* Probe, then bisect, over n versions; ran[i] (n bytes, zeroed by the
 * caller) is set for each version run. `probes` >= n runs every version.
 * Returns 0, or what ops->run returned to stop. */
int ls__versions_search(size_t n, size_t probes, const ls__search_ops *ops,
                        unsigned char *ran);

/* The boundaries after a search: every pair of consecutive run versions
 * whose outcomes differ, ascending, into pairs (2 per boundary, room for
 * 2 * n). Returns the number of boundaries. */
size_t ls__versions_boundaries(size_t n, const unsigned char *ran,
                               const ls__search_ops *ops, size_t *pairs);

/* 1 when two results have the same outcome: both failed, or the same
 * verdict and the same known ids. */
int ls__version_same(const ls_version_result *a, const ls_version_result *b);
ls_boundary_kind ls__boundary_kind(const ls_version_result *a,
                                   const ls_version_result *b);

#endif
