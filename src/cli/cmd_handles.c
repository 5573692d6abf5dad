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
  ls__cmd c = {LS__CMD_HANDLES, o.snapshot, NULL, 0, o.json, 0, NULL, NULL, 0};
  return ls__cli_command(&c);
}
