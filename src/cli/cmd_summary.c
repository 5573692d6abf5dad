/* leakscope summary: DevTools' Summary view as a table or JSON. */
#include <string.h>

#include "../render/render.h"
#include "cli.h"

static const char usage[] =
    "Usage: leakscope summary [--json] [--top N] [--raw-sizes] SNAPSHOT\n"
    "\n"
    "Group the objects of a heap snapshot by class, as Chrome DevTools'\n"
    "Summary view does, with count, self size and retained size per class,\n"
    "largest retained size first.\n"
    "\n"
    "  SNAPSHOT     a .heapsnapshot file, plain or gzip (detected by content),\n"
    "               or - for standard input\n"
    "  --json       one JSON object on stdout (keys documented in README.md)\n"
    "  --top N      show the N largest classes (text default: 25; JSON: all)\n"
    "  --raw-sizes  V8's raw per-object self sizes; by default the sizes of\n"
    "               internal arrays owned by one object are counted on their\n"
    "               owner, as DevTools shows them\n"
    "  -h, --help   this help\n"
    "\n"
    "Exit status: 0 done, 2 bad usage or unreadable input, 3 out of memory.\n";

int ls__cmd_summary(int argc, char **argv) {
  ls__cli_opts o;
  if (ls__cli_parse("summary", argc, argv, "--top", &o)) return LS_EXIT_USAGE;
  if (o.help) {
    fputs(usage, stdout);
    return ls__cli_flush();
  }
  ls_heap *h = NULL;
  int rc = ls__cli_load(o.snapshot, o.raw_sizes, &h);
  if (rc) return rc;
  size_t limit = o.limit_given ? (size_t)o.limit : (o.json ? 0 : 25);
  ls_summary *s = NULL;
  ls_error err;
  memset(&err, 0, sizeof err);
  if (ls_summary_build(h, limit, &s, &err) != LS_OK) {
    rc = ls__cli_fail(o.snapshot, &err);
    ls_heap_free(h);
    return rc;
  }
  if (o.json)
    ls__render_summary_json(stdout, o.snapshot, s);
  else
    ls__render_summary_text(stdout, o.snapshot, s);
  ls_summary_free(s);
  ls_heap_free(h);
  return ls__cli_flush();
}
