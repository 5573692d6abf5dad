/* leakscope handles: the handle-scope audit. */
#include <string.h>

#include "../render/render.h"
#include "cli.h"

static const char usage[] =
    "Usage: leakscope handles [--json] SNAPSHOT\n"
    "\n"
    "Audit the handle roots of a snapshot: how many live handles\n"
    "'(Handle scope)', '(Global handles)' and the other handle roots under\n"
    "'(GC roots)' hold, and of which classes. JavaScript code keeps a few\n"
    "dozen local handles alive; native code (an addon) that calls into JS\n"
    "in a loop without a handle scope per iteration leaves about 3 per call\n"
    "(function, receiver, result) until it returns. Take the snapshot while\n"
    "the loop runs (e.g. v8.writeHeapSnapshot() from the callback).\n"
    "\n"
    "  SNAPSHOT     a .heapsnapshot file, plain or gzip, or - for stdin\n"
    "  --json       one JSON object on stdout (keys documented in README.md)\n"
    "  -h, --help   this help\n"
    "\n"
    "Exit status: 0 no leak; 1 '(Handle scope)' holds more live handles than\n"
    "the threshold (10,000): a handle-scope leak, the report says how to fix\n"
    "it; 2 bad usage or unreadable input; 3 out of memory.\n";

int ls__cmd_handles(int argc, char **argv) {
  /* only --json and --help: refuse the options of the other commands */
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--")) break;
    if (a[0] == '-' && a[1] && strcmp(a, "--json") && strcmp(a, "--help") &&
        strcmp(a, "-h"))
      return ls__cli_usage("handles", "unknown option '%s'", a);
  }
  ls__cli_opts o;
  if (ls__cli_parse("handles", argc, argv, "--top", &o)) return LS_EXIT_USAGE;
  if (o.help) {
    fputs(usage, stdout);
    return ls__cli_flush();
  }
  ls_heap *h = NULL;
  int rc = ls__cli_load(o.snapshot, 0, &h);
  if (rc) return rc;
  ls_handles *hs = NULL;
  ls_error err;
  memset(&err, 0, sizeof err);
  if (ls_handles_build(h, &hs, &err) != LS_OK) {
    rc = ls__cli_fail(o.snapshot, &err);
    ls_heap_free(h);
    return rc;
  }
  ls_heap_totals tot;
  ls_heap_totals_get(h, &tot);
  if (o.json)
    ls__render_handles_json(stdout, o.snapshot, &tot, hs);
  else
    ls__render_handles_text(stdout, o.snapshot, &tot, hs);
  int leak = hs->leak;
  ls_handles_free(hs);
  ls_heap_free(h);
  rc = ls__cli_flush();
  if (rc) return rc;
  return leak ? LS_EXIT_LEAK : LS_EXIT_OK;
}
