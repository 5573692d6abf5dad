/* leakscope diff: what was allocated and freed between two snapshots. */
#include <inttypes.h>
#include <string.h>

#include "../render/render.h"
#include "cli.h"

static const char usage[] =
    "Usage: leakscope diff [--json] OLD NEW\n"
    "\n"
    "Compare two heap snapshots of the same process, OLD taken before NEW,\n"
    "like DevTools' Comparison view: objects are matched by node id (V8\n"
    "keeps an object's id for its whole life and never reuses one). Per\n"
    "class: objects only in NEW (new), only in OLD (deleted), the change in\n"
    "count, and the self sizes allocated, freed and their difference.\n"
    "Classes are listed when anything was added or removed, largest size\n"
    "change first; text shows the first 50, --json all.\n"
    "\n"
    "  OLD, NEW     .heapsnapshot files, plain or gzip (one of them may be -\n"
    "               for stdin)\n"
    "  --json       one JSON object on stdout (keys documented in README.md)\n"
    "  -h, --help   this help\n"
    "\n"
    "OLD is reduced to its ids, classes and sizes before NEW is read, so\n"
    "memory peaks at about one snapshot's worth. A warning on stderr says\n"
    "when the files look swapped (NEW's ids end below OLD's) or when they\n"
    "look like two different processes (few shared ids, or shared ids\n"
    "naming objects of other classes); the diff is shown all the same.\n"
    "\n"
    "Exit status: 0 done, 2 bad usage or unreadable input, 3 out of memory.\n";

int ls__cmd_diff(int argc, char **argv) {
  const char *files[2] = {NULL, NULL};
  int nfiles = 0, json = 0, help = 0, only_positional = 0;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (only_positional || a[0] != '-' || !strcmp(a, "-")) {
      if (nfiles == 2)
        return ls__cli_usage("diff", "two snapshots expected (OLD NEW), got '%s' too", a);
      files[nfiles++] = a;
    } else if (!strcmp(a, "--")) {
      only_positional = 1;
    } else if (!strcmp(a, "--json")) {
      json = 1;
    } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      help = 1;
    } else {
      return ls__cli_usage("diff", "unknown option '%s'", a);
    }
  }
  if (help) {
    fputs(usage, stdout);
    return ls__cli_flush();
  }
  if (nfiles < 2)
    return ls__cli_usage("diff", "missing %s (two .heapsnapshot files, OLD then NEW)",
                         nfiles ? "NEW" : "OLD and NEW");
  if (!strcmp(files[0], "-") && !strcmp(files[1], "-"))
    return ls__cli_usage("diff", "only one of OLD and NEW can be - (standard input)");

  ls_error err;
  memset(&err, 0, sizeof err);
  ls_heap *h = NULL;
  int rc = ls__cli_load(files[0], 0, &h);
  if (rc) return rc;
  ls_digest *dg = NULL;
  ls_status st = ls_digest_build(h, &dg, &err);
  ls_heap_free(h); /* only the digest of OLD stays while NEW loads */
  h = NULL;
  if (st != LS_OK) return ls__cli_fail(files[0], &err);
  rc = ls__cli_load(files[1], 0, &h);
  if (rc) {
    ls_digest_free(dg);
    return rc;
  }
  ls_diff *d = NULL;
  st = ls_diff_build(dg, h, &d, &err);
  ls_digest_free(dg);
  ls_heap_free(h);
  if (st != LS_OK) return ls__cli_fail(files[1], &err);

  if (d->warnings & LS_DIFF_SWAPPED)
    fprintf(stderr,
            "leakscope diff: warning: the files look swapped: the largest "
            "object id of NEW (%" PRIu64 ") is below OLD's (%" PRIu64
            "), but ids only grow in a process; diffing as given\n",
            d->new_max_id, d->old_max_id);
  if (d->warnings & LS_DIFF_FEW_SHARED)
    fprintf(stderr,
            "leakscope diff: warning: the snapshots share almost no objects "
            "(%" PRIu64 " of OLD's %" PRIu64
            " ids are in NEW): they are probably from different processes, "
            "and then everything shows as added and removed\n",
            d->common_objects, d->old_objects);
  else if (d->warnings & LS_DIFF_RECLASSED)
    fprintf(stderr,
            "leakscope diff: warning: %" PRIu64 " of the %" PRIu64
            " objects found in both snapshots changed class: the snapshots "
            "are probably from different processes, whose ids mean nothing "
            "to each other\n",
            d->reclassed_objects, d->common_objects);

  if (json)
    ls__render_diff_json(stdout, files[0], files[1], d);
  else
    ls__render_diff_text(stdout, files[0], files[1], d);
  ls_diff_free(d);
  return ls__cli_flush();
}
