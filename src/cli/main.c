/* leakscope: command-line entry point; dispatches to the subcommands. */
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: leakscope COMMAND [OPTIONS] ...\n"
    "\n"
    "Read V8 heap snapshots (.heapsnapshot, plain or gzip) and find what\n"
    "holds memory.\n"
    "\n"
    "Commands:\n"
    "  summary   objects grouped by class: count, self and retained size\n"
    "  top       the objects with the largest retained sizes\n"
    "  handles   handle-scope audit: live handles per handle root (exit 1: leak)\n"
    "  paths     what keeps an object or a class's instances alive\n"
    "  suspects  leak suspects from one snapshot: what retains a large share\n"
    "            and where it accumulates (exit 1: a suspect)\n"
    "  diff      what was allocated and freed between two snapshots\n"
    "  trend     what keeps growing over a series of snapshots (leak finder)\n"
    "  run       run a Node.js program, snapshot it on a schedule, give the\n"
    "            trend verdict\n"
    "  attach    the same verdict on a running Node.js process (its inspector)\n"
    "  versions  the run verdict on several Node.js releases (npm builds) and\n"
    "            where it changes\n"
    "\n"
    "Run 'leakscope COMMAND --help' for the options of a command;\n"
    "'leakscope --version' prints the version.\n"
    "\n"
    "Exit status: 0 done; 1 leak suspected; 2 bad usage or unreadable input\n"
    "(the message names the file, the byte offset and what was expected);\n"
    "3 out of memory or another resource failure.\n";

int main(int argc, char **argv) {
  if (argc < 2)
    return ls__cli_usage(NULL, "missing COMMAND (summary, top)");
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(usage, stdout);
    return ls__cli_flush();
  }
  if (!strcmp(cmd, "--version")) {
    puts("leakscope " LS_VERSION);
    return ls__cli_flush();
  }
  if (!strcmp(cmd, "summary")) return ls__cmd_summary(argc - 2, argv + 2);
  if (!strcmp(cmd, "top")) return ls__cmd_top(argc - 2, argv + 2);
  if (!strcmp(cmd, "handles")) return ls__cmd_handles(argc - 2, argv + 2);
  if (!strcmp(cmd, "paths")) return ls__cmd_paths(argc - 2, argv + 2);
  if (!strcmp(cmd, "suspects")) return ls__cmd_suspects(argc - 2, argv + 2);
  if (!strcmp(cmd, "diff")) return ls__cmd_diff(argc - 2, argv + 2);
  if (!strcmp(cmd, "trend")) return ls__cmd_trend(argc - 2, argv + 2);
  if (!strcmp(cmd, "run")) return ls__cmd_run(argc - 2, argv + 2);
  if (!strcmp(cmd, "attach")) return ls__cmd_attach(argc - 2, argv + 2);
  if (!strcmp(cmd, "versions")) return ls__cmd_versions(argc - 2, argv + 2);
  return ls__cli_usage(NULL, "unknown command '%s' (expected summary or top)",
                       cmd);
}
