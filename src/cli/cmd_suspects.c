/* leakscope suspects: leak suspects from one snapshot (MAT's Leak Suspects). */
#include <stdlib.h>
#include <string.h>

#include "../render/render.h"
#include "cli.h"

static const char usage[] =
    "Usage: leakscope suspects [--json] [--threshold PCT] [--html FILE] SNAPSHOT\n"
    "\n"
    "Find leak suspects in one snapshot, as Eclipse MAT's Leak Suspects does:\n"
    "the top-level dominators (the objects right below the global object,\n"
    "the contexts and the GC roots in the dominator tree) that retain PCT%\n"
    "of the heap or more, and the classes whose top-level instances do so\n"
    "together. For each: its accumulation point (where the memory piles up:\n"
    "the Map, Array, object or closure variable holding the many objects,\n"
    "never V8's internal storage), the path from a root with the edge\n"
    "names, and the accumulated objects by class.\n"
    "\n"
    "  SNAPSHOT         a .heapsnapshot file, plain or gzip, or - for stdin\n"
    "  --json           one JSON object on stdout (keys documented in README.md)\n"
    "  --threshold PCT  share of the heap a suspect retains at least, a\n"
    "                   percentage above 0 and at most 100 (10 or 10%;\n"
    "                   default 10)\n"
    "  --html FILE      also write the report as one self-contained HTML page\n"
    "                   (created 0600)\n"
    "  -h, --help       this help\n"
    "\n"
    "Exit status: 0 no suspect, 1 a suspect at or over the threshold, 2 bad\n"
    "usage or unreadable input, 3 out of memory.\n";

/* "10", "2.5", "10%": a share in (0, 1]; -1 otherwise. */
static int parse_pct(const char *v, double *out) {
  size_t n = strlen(v), digits = 0, dots = 0;
  if (n && v[n - 1] == '%') n--;
  if (!n || n > 20) return -1;
  for (size_t i = 0; i < n; i++) {
    if (v[i] == '.') dots++;
    else if (v[i] >= '0' && v[i] <= '9') digits++;
    else return -1;
  }
  if (!digits || dots > 1) return -1;
  char buf[32];
  memcpy(buf, v, n);
  buf[n] = 0;
  double p = strtod(buf, NULL);
  if (!(p > 0 && p <= 100)) return -1;
  *out = p / 100.0;
  return 0;
}

int ls__cmd_suspects(int argc, char **argv) {
  int json = 0, only_pos = 0, bad = 0;
  double threshold = 0;
  const char *snap = NULL, *html = NULL, *v;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (only_pos || a[0] != '-' || !strcmp(a, "-")) {
      if (snap)
        return ls__cli_usage("suspects", "one SNAPSHOT expected, got '%s' too", a);
      snap = a;
    } else if (!strcmp(a, "--")) {
      only_pos = 1;
    } else if (!strcmp(a, "--json")) {
      json = 1;
    } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(usage, stdout);
      return ls__cli_flush();
    } else if ((v = ls__cli_value("suspects", "--threshold", argc, argv, &i, &bad))) {
      if (parse_pct(v, &threshold))
        return ls__cli_usage("suspects",
                             "--threshold expects a percentage above 0 and at "
                             "most 100 (e.g. 10 or 10%%), got '%s'",
                             v);
    } else if (bad) {
      return LS_EXIT_USAGE;
    } else if ((v = ls__cli_value("suspects", "--html", argc, argv, &i, &bad))) {
      html = v;
    } else if (bad) {
      return LS_EXIT_USAGE;
    } else {
      return ls__cli_usage("suspects", "unknown option '%s'", a);
    }
  }
  if (!snap)
    return ls__cli_usage("suspects", "missing SNAPSHOT (a .heapsnapshot file, "
                                     "plain or gzip, or - for stdin)");
  ls__html_out out = {.fd = -1};
  int rc = html ? ls__html_open("suspects", html, &out) : 0;
  if (rc) return rc;
  ls_heap *h = NULL;
  ls_error err;
  memset(&err, 0, sizeof err);
  ls_heap_options ho;
  memset(&ho, 0, sizeof ho);
  ho.no_distances = 1; /* suspects shows none */
  if (ls__progress_enabled()) ho.progress = ls__progress_cb;
  ls_status st = ls_heap_load(snap, &ho, &h, &err);
  ls__progress_done();
  if (st != LS_OK) {
    ls__html_abort(&out);
    return ls__cli_fail(snap, &err);
  }
  ls_suspects_options so;
  memset(&so, 0, sizeof so);
  so.threshold = threshold;
  ls_suspects *r = NULL;
  if (ls_suspects_build(h, &so, &r, &err) != LS_OK) {
    rc = ls__cli_fail(snap, &err);
    ls_heap_free(h);
    ls__html_abort(&out);
    return rc;
  }
  if (json) ls__render_suspects_json(stdout, snap, r);
  else ls__render_suspects_text(stdout, snap, r);
  rc = ls__cli_flush();
  if (!rc && html) {
    FILE *hf = ls__html_stream(&out);
    rc = ls__html_commit(&out, !hf || ls__render_suspects_html(hf, snap, r));
  }
  ls__html_abort(&out);
  if (!rc && r->count) rc = LS_EXIT_LEAK;
  ls_suspects_free(r);
  ls_heap_free(h);
  return rc;
}
