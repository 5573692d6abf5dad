/* leakscope top: the objects that retain the most memory. */
#include <string.h>

#include "../render/render.h"
#include "cli.h"

static const char usage[] =
    "Usage: leakscope top [--json] [-n N] [--raw-sizes] SNAPSHOT\n"
    "\n"
    "List the objects with the largest retained sizes (what would be freed\n"
    "if the object went away), skipping the root and synthetic nodes.\n"
    "\n"
    "  SNAPSHOT     a .heapsnapshot file, plain or gzip, or - for stdin\n"
    "  --json       one JSON object on stdout (keys documented in README.md)\n"
    "  -n N         how many objects (default 20)\n"
    "  --raw-sizes  V8's raw per-object self sizes (see 'summary --help')\n"
    "  -h, --help   this help\n"
    "\n"
    "Exit status: 0 done, 2 bad usage or unreadable input, 3 out of memory.\n";

int ls__cmd_top(int argc, char **argv) {
  ls__cli_opts o;
  if (ls__cli_parse("top", argc, argv, "-n", &o)) return LS_EXIT_USAGE;
  if (o.help) {
    fputs(usage, stdout);
    return ls__cli_flush();
  }
  ls__cmd c = {LS__CMD_TOP, o.snapshot, NULL, o.limit_given ? (size_t)o.limit : 0,
               o.json, o.raw_sizes, NULL, NULL, 0};
  return ls__cli_command(&c);
}
