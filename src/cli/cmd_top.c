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
  ls_heap *h = NULL;
  int rc = ls__cli_load(o.snapshot, o.raw_sizes, &h);
  if (rc) return rc;
  ls_top *t = NULL;
  ls_error err;
  memset(&err, 0, sizeof err);
  if (ls_top_build(h, o.limit_given ? (size_t)o.limit : LS_DEFAULT_TOP, &t, &err) !=
      LS_OK) {
    rc = ls__cli_fail(o.snapshot, &err);
    ls_heap_free(h);
    return rc;
  }
  ls_heap_totals tot;
  ls_heap_totals_get(h, &tot);
  if (o.json)
    ls__render_top_json(stdout, o.snapshot, &tot, t);
  else
    ls__render_top_text(stdout, o.snapshot, &tot, t);
  ls_top_free(t);
  ls_heap_free(h);
  return ls__cli_flush();
}
