/* leakscope summary: DevTools' Summary view as a table or JSON. */
#include <stdlib.h>
#include <string.h>

#include "../render/render.h"
#include "cli.h"

static const char usage[] =
    "Usage: leakscope summary [--json] [--top N] [--raw-sizes] [--html FILE]\n"
    "                         SNAPSHOT\n"
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
    "  --html FILE  also write the class table and a bar chart of the largest\n"
    "               classes as one self-contained HTML page (created 0600;\n"
    "               every class, --top applies to the text/JSON only)\n"
    "  -h, --help   this help\n"
    "\n"
    "Exit status: 0 done, 2 bad usage or unreadable input, 3 out of memory.\n";

/* Takes --html FILE out of argv (the shared parser knows the rest). */
static int take_html(int *argc, char **argv, const char **html) {
  int k = 0;
  for (int i = 0; i < *argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--")) { /* the rest is positional */
      while (i < *argc) argv[k++] = argv[i++];
      break;
    }
    if (!strcmp(a, "--html-strings"))
      return ls__cli_usage("summary", "--html-strings: a summary shows no "
                           "string values (use it with trend or run)");
    if (!strncmp(a, "--html", 6) && (a[6] == 0 || a[6] == '=')) {
      *html = a[6] ? a + 7 : (i + 1 < *argc ? argv[++i] : NULL);
      if (!*html) return ls__cli_usage("summary", "--html needs a file name");
      continue;
    }
    argv[k++] = argv[i];
  }
  *argc = k;
  return 0;
}

int ls__cmd_summary(int argc, char **argv) {
  ls__cli_opts o;
  const char *html = NULL;
  char **args = malloc(((size_t)argc + 1) * sizeof *args);
  if (!args) return LS_EXIT_RESOURCE;
  memcpy(args, argv, (size_t)argc * sizeof *args);
  if (take_html(&argc, args, &html) ||
      ls__cli_parse("summary", argc, args, "--top", &o)) {
    free(args);
    return LS_EXIT_USAGE;
  }
  free(args); /* o points into argv's strings, not into args */
  if (o.help) {
    fputs(usage, stdout);
    return ls__cli_flush();
  }
  ls__html_out out = {.fd = -1};
  int rc = html ? ls__html_open("summary", html, &out) : 0;
  if (rc) return rc;
  ls_heap *h = NULL;
  rc = ls__cli_load(o.snapshot, o.raw_sizes, &h);
  if (rc) {
    ls__html_abort(&out);
    return rc;
  }
  size_t limit = o.limit_given ? (size_t)o.limit : (o.json ? 0 : LS_DEFAULT_SUMMARY_ROWS);
  ls_summary *s = NULL;
  ls_error err;
  memset(&err, 0, sizeof err);
  /* the page lists every class; the text/JSON its first `limit` */
  if (ls_summary_build(h, html ? 0 : limit, &s, &err) != LS_OK) {
    rc = ls__cli_fail(o.snapshot, &err);
    ls_heap_free(h);
    ls__html_abort(&out);
    return rc;
  }
  ls_summary shown = *s;
  if (limit && shown.row_count > limit) shown.row_count = limit;
  if (o.json)
    ls__render_summary_json(stdout, o.snapshot, &shown);
  else
    ls__render_summary_text(stdout, o.snapshot, &shown);
  rc = ls__cli_flush();
  if (!rc && html) {
    FILE *hf = ls__html_stream(&out);
    rc = ls__html_commit(&out, !hf || ls__render_summary_html(hf, o.snapshot,
                                                              s, NULL));
  }
  ls__html_abort(&out);
  ls_summary_free(s);
  ls_heap_free(h);
  return rc;
}
