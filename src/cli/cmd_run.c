/*
 * leakscope run: the command-line face of the session (src/session/run.c):
 * options in, the program run and judged there, the report out.
 */
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: leakscope run [--max-time SEC] [--warmup SEC] [--every SEC] [--count N]\n"
    "                     [--node PATH] [--out DIR] [--json] [--signal] [--allocations]\n"
    "                     [--html FILE [--html-strings]] -- SCRIPT [ARGS...]\n"
    "\n"
    "Run a Node.js program, take heap snapshots while it works, and say\n"
    "whether something grows without bound (the 'trend' analysis), then\n"
    "stop the program (SIGTERM, SIGKILL 5 s later). Its stdin, stdout and\n"
    "stderr pass through. By default the snapshots come further and further\n"
    "apart and leakscope stops as soon as the verdict is settled, or when\n"
    "the time budget is spent (then the verdict may be \"not sure yet\",\n"
    "with what would settle it). --every/--count give a fixed schedule.\n"
    "If the program exits first, the snapshots so far are analysed (3 needed).\n"
    "\n"
    "  --max-time SEC  time budget from the start (default 120 without\n"
    "                --every/--count; none with them)\n"
    "  --warmup SEC  wait before the first snapshot (default 5)\n"
    "  --every SEC   fixed schedule: seconds between snapshots (default 10;\n"
    "                may be 0.5)\n"
    "  --count N     fixed schedule: snapshots to take, at least 3 (default 5)\n"
    "  --node PATH   the node binary (default: node on PATH; version 18 on)\n"
    "  --out DIR     also save the snapshots in DIR (created 0700, files\n"
    "                0600); without it they are streamed and no file is\n"
    "                written\n"
    "  --signal      for programs that cannot take a preload: snapshots via\n"
    "                node --heapsnapshot-signal (SIGUSR2)\n"
    "  --allocations record where every object is allocated (node\n"
    "                --track-heap-objects) and show each suspect's allocation\n"
    "                sites: the function and line that made what grows. The\n"
    "                program runs slower and uses more memory meanwhile\n"
    "                (README.md \"Allocation sites\")\n"
    "  --json        the trend's JSON on stdout (keys in README.md); the\n"
    "                program's own stdout then goes to stderr\n"
    "  -n N          at most N suspects (default 20)\n"
    "  --html FILE   also write the trend report as one self-contained HTML\n"
    "                page (charts, paths, class table; created 0600)\n"
    "  --html-strings  show string values of the heap on the paths in the\n"
    "                HTML (hidden by default: they may be secrets)\n"
    "  -h, --help    this help\n"
    "\n"
    "Writing a snapshot pauses the program and needs up to about twice its\n"
    "heap in memory. A snapshot holds every string of the process (tokens,\n"
    "passwords, user data): keep the files private.\n"
    "\n"
    "Exit status: 0 clean, 1 leak suspected, 2 bad usage, or the program\n"
    "failed to start or ended before 3 snapshots, 3 out of memory, 4 not\n"
    "sure yet.\n";

typedef struct {
  ls__session_opts s; /* schedule, --signal, -n */
  ls__session_cli c;  /* --out, --json, --html FILE, --html-strings */
  const char *node;
  char **script_argv; /* SCRIPT ARGS..., NULL-terminated (argv's own) */
} run_opts;

static int parse_args(int argc, char **argv, run_opts *o) {
  memset(o, 0, sizeof *o);
  ls__session_opts_init(&o->s);
  o->node = "node";
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char *v;
    int c, bad;
    if (!strcmp(a, "--")) {
      o->script_argv = argv + i + 1;
      break;
    }
    if (a[0] != '-') { /* SCRIPT without "--" */
      o->script_argv = argv + i;
      break;
    }
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) return 1;
    if (!strncmp(a, "--html", 6) && (a[6] == 0 || a[6] == '=')) {
      o->c.html = a[6] ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
      if (!o->c.html) return ls__cli_usage("run", "--html needs a file name"), -1;
      continue;
    }
    if ((c = ls__session_cli_opt("run", argc, argv, &i, &o->s, &o->c))) {
      if (c < 0) return -1;
      continue;
    }
    if ((v = ls__cli_value("run", "--node", argc, argv, &i, &bad)) || bad) {
      if (bad) return -1;
      o->node = v;
      continue;
    }
    return ls__cli_usage("run", "unknown option '%s'", a), -1;
  }
  return ls__cli_script("run", o->script_argv);
}

int ls__cmd_run(int argc, char **argv) {
  run_opts o;
  int rc = parse_args(argc, argv, &o);
  if ((rc = ls__session_start("run", rc, usage, &o.c)) >= 0) return rc;

  ls_run_options ro;
  memset(&ro, 0, sizeof ro);
  ro.node = o.node;
  ro.argv = (const char *const *)o.script_argv;
  ro.signal_mode = o.s.signal_mode;
  ro.allocations = o.s.allocations;
  ro.stdout_to_stderr = o.c.json; /* stdout carries the report alone */
  return ls__session_go("run", &o.s, &o.c, &ro, NULL);
}
