/*
 * leakscope attach: `run`'s judgement of a process that already runs
 * (src/session/attach.c): options in, the report out, the same exit codes.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: leakscope attach [--max-time SEC] [--warmup SEC] [--every SEC] [--count N]\n"
    "                        [--out DIR] [--json] [--html FILE [--html-strings]]\n"
    "                        [--allocations]\n"
    "                        [--inspect HOST:PORT] PID\n"
    "\n"
    "Take heap snapshots of a running Node.js process (started without any\n"
    "flag) over its inspector and say whether something grows without bound,\n"
    "as 'run' does. The process keeps running as it was: if its inspector was\n"
    "closed, attach opens it (SIGUSR1: 127.0.0.1:9229) and closes it again at\n"
    "the end (an open inspector lets anyone on this host run code in the\n"
    "process); one that was open stays open. Only the process's owner or root\n"
    "may attach. Node prints \"Debugger listening...\" on the process's stderr.\n"
    "\n"
    "  --inspect HOST:PORT  where its inspector listens, or will after SIGUSR1\n"
    "                (default: found from /proc, IPv4 or IPv6, or 127.0.0.1:9229);\n"
    "                loopback addresses only ([::1]:PORT or ::1:PORT for IPv6)\n"
    "  --max-time SEC  time budget from the start (default 120 without\n"
    "                --every/--count; none with them)\n"
    "  --warmup SEC  wait before the first snapshot (default 5)\n"
    "  --every SEC   fixed schedule: seconds between snapshots (default 10)\n"
    "  --count N     fixed schedule: snapshots to take, at least 3 (default 5)\n"
    "  --out DIR     keep the snapshots in DIR (created 0700, files 0600); else\n"
    "                none is kept\n"
    "  --allocations record allocation stacks from the attach on, for each\n"
    "                suspect's allocation sites (README.md \"Allocation sites\");\n"
    "                V8 stops recording them when attach ends. The process\n"
    "                runs slower meanwhile; code it optimised before may show\n"
    "                up as the caller it was inlined into\n"
    "  --json        the trend's JSON on stdout (keys in README.md)\n"
    "  -n N          at most N suspects (default 20)\n"
    "  --html FILE   also write the trend report as one HTML page (0600)\n"
    "  --html-strings  show string values of the heap on the paths in the HTML\n"
    "  -h, --help    this help\n"
    "\n"
    "A program with its own process.on('SIGUSR1') listener takes the signal\n"
    "from Node, whose inspector then never opens on it: attach gives up after\n"
    "5 s (exit 2); start such a program with --inspect=127.0.0.1:PORT.\n"
    "Each snapshot pauses the process and needs up to about twice its heap in\n"
    "memory. Exit status: 0 clean, 1 leak suspected, 2 bad usage, no such\n"
    "process, not Node.js, no inspector could be opened, or it ended before 3\n"
    "snapshots, 3 out of memory, 4 not sure yet.\n";

typedef struct {
  ls__session_opts s; /* schedule, -n */
  ls__session_cli c;  /* --out, --json, --html FILE, --html-strings */
  const char *inspect;
  int pid;
} attach_opts;

static int parse_pid(const char *a, int *pid) {
  char *end;
  errno = 0;
  long v = strtol(a, &end, 10);
  if (!*a || *end || errno || v <= 0 || v > INT_MAX) return -1;
  *pid = (int)v;
  return 0;
}

static int parse_args(int argc, char **argv, attach_opts *o) {
  memset(o, 0, sizeof *o);
  ls__session_opts_init(&o->s);
  const char *pid = NULL;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i], *v;
    int c, bad;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) return 1;
    if (!strcmp(a, "--signal"))
      return ls__cli_usage("attach", "--signal is for run (attach uses the inspector)"), -1;
    if ((v = ls__cli_value("attach", "--html", argc, argv, &i, &bad)) || bad) {
      if (bad) return -1;
      o->c.html = v;
      continue;
    }
    if ((c = ls__session_cli_opt("attach", argc, argv, &i, &o->s, &o->c))) {
      if (c < 0) return -1;
      continue;
    }
    if ((v = ls__cli_value("attach", "--inspect", argc, argv, &i, &bad)) || bad) {
      if (bad) return -1;
      o->inspect = v;
      continue;
    }
    if (a[0] == '-' && a[1])
      return ls__cli_usage("attach", "unknown option '%s'", a), -1;
    if (pid) return ls__cli_usage("attach", "one PID only (got '%s' and '%s')", pid, a), -1;
    pid = a;
  }
  if (!pid) return ls__cli_usage("attach", "missing PID (the Node.js process to attach to)"), -1;
  if (parse_pid(pid, &o->pid))
    return ls__cli_usage("attach", "PID must be a process id (a whole number above 0), got '%s'",
                         pid), -1;
  return 0;
}

int ls__cmd_attach(int argc, char **argv) {
  attach_opts o;
  int rc = parse_args(argc, argv, &o);
  if ((rc = ls__session_start("attach", rc, usage, &o.c)) >= 0) return rc;

  ls_attach_options ao;
  memset(&ao, 0, sizeof ao);
  ao.pid = o.pid;
  ao.inspect = o.inspect;
  ao.allocations = o.s.allocations;
  return ls__session_go("attach", &o.s, &o.c, NULL, &ao);
}
