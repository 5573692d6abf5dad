/* leakscope paths: what keeps an object (or a class's instances) alive. */
#include <stdlib.h>
#include <string.h>

#include "../render/render.h"
#include "cli.h"

static const char usage[] =
    "Usage: leakscope paths [--json] [-n N] SNAPSHOT @ID|CLASS\n"
    "\n"
    "Show the shortest retainer paths to one object (@ID, as 'top' shows\n"
    "ids) or to the instances of a class (its name as 'summary' shows it),\n"
    "from the user roots (the global object) or, failing that, the GC\n"
    "roots, down to the object. Weak edges are skipped: they hold nothing.\n"
    "Each step names the edge: .property, [index], variable (a closure's\n"
    "context), or the internal edge's name.\n"
    "\n"
    "  SNAPSHOT     a .heapsnapshot file, plain or gzip, or - for stdin\n"
    "  @ID | CLASS  the object or the class\n"
    "  --json       one JSON object on stdout (keys documented in README.md)\n"
    "  -n N         paths for up to N instances of a class, largest retained\n"
    "               size first (default 3)\n"
    "  -h, --help   this help\n"
    "\n"
    "Exit status: 0 done, 2 bad usage, unreadable input or no such object,\n"
    "3 out of memory.\n";

int ls__cmd_paths(int argc, char **argv) {
  int json = 0, only_pos = 0, c;
  uint64_t n = LS_DEFAULT_PATHS;
  const char *snap = NULL, *query = NULL;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (only_pos || a[0] != '-' || !strcmp(a, "-")) {
      if (!snap) snap = a;
      else if (!query) query = a;
      else return ls__cli_usage("paths", "unexpected argument '%s'", a);
    } else if (!strcmp(a, "--")) {
      only_pos = 1;
    } else if (!strcmp(a, "--json")) {
      json = 1;
    } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(usage, stdout);
      return ls__cli_flush();
    } else if ((c = ls__cli_count_opt("paths", "-n", argc, argv, &i, &n)) != 0) {
      if (c < 0) return LS_EXIT_USAGE;
    } else {
      return ls__cli_usage("paths", "unknown option '%s'", a);
    }
  }
  if (!snap)
    return ls__cli_usage("paths", "missing SNAPSHOT and @ID or CLASS");
  if (!query)
    return ls__cli_usage("paths", "missing @ID or CLASS after the snapshot");
  ls__cmd cmd = {LS__CMD_PATHS, snap, query, (size_t)n, json, 0, NULL, NULL, 0};
  return ls__cli_command(&cmd);
}
