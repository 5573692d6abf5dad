/* leakscope trend: what keeps growing over a series of snapshots. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../render/render.h"
#include "cli.h"

static const char usage[] =
    "Usage: leakscope trend [--json] [-n N] [--html FILE [--html-strings]]\n"
    "                       SNAPSHOT... | DIR\n"
    "\n"
    "Follow a series of heap snapshots of one process (at least 3) and\n"
    "report what keeps growing after warm-up: objects (followed by their\n"
    "node id) whose own size, retained size or number of references grows,\n"
    "and classes whose instance count or size grows. Each suspect comes\n"
    "with its series and the shortest path that holds it. Known leaks in\n"
    "V8 or Node themselves are named, with the version that fixes them.\n"
    "\n"
    "The snapshots are ordered by their node ids (ids only grow in a\n"
    "process), not by name or time. A DIR stands for the .heapsnapshot\n"
    "(and .heapsnapshot.gz) files in it.\n"
    "\n"
    "  --json       one JSON object on stdout (keys documented in README.md)\n"
    "  -n N         at most N suspects (their related ones follow; default 20)\n"
    "  --html FILE  also write the report as one self-contained HTML page\n"
    "               (charts, paths, class table; created 0600)\n"
    "  --html-strings  show string values of the heap on the paths in the\n"
    "               HTML (hidden by default: they may be secrets)\n"
    "  -h, --help   this help\n"
    "\n"
    "The verdict is \"leak\", \"clean\", or \"unsure\" when the series\n"
    "cannot tell yet (it then says how many more snapshots would settle\n"
    "it). See README.md, \"How trend decides\".\n"
    "\n"
    "Exit status: 0 clean, 1 leak suspected, 2 bad usage or unreadable\n"
    "input, 3 out of memory, 4 not sure yet.\n";

typedef struct {
  char **v;
  size_t n, cap;
} list;

static int add(list *l, const char *path) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    char **v = realloc(l->v, cap * sizeof *v);
    if (!v) return -1;
    l->v = v;
    l->cap = cap;
  }
  if (!(l->v[l->n] = strdup(path))) return -1;
  l->n++;
  return 0;
}

/* The snapshot files of a directory (the library's rule: the CLI and the
 * Node package take a folder alike). */
static int add_dir(list *l, const char *dir) {
  char **v = NULL;
  size_t n = 0;
  ls_error err;
  memset(&err, 0, sizeof err);
  ls_status st = ls_trend_files(dir, &v, &n, &err);
  if (st == LS_ERR_INVALID_ARG && n == 0 && !v) {
    /* too few in it: other arguments may add more, so say it and go on */
  }
  if (st != LS_OK) {
    fprintf(stderr, "leakscope: trend: %s\n", err.message);
    return ls_status_exit_code(st);
  }
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++)
    if (add(l, v[i])) rc = LS_EXIT_RESOURCE;
  ls_trend_files_free(v, n);
  return rc;
}

int ls__cmd_trend(int argc, char **argv) {
  int json = 0, only_pos = 0, rc = 0, html_strings = 0;
  const char *html = NULL;
  uint64_t n = 0;
  int c;
  list files = {0};
  ls__html_out out = {.fd = -1};
  for (int i = 0; i < argc && !rc; i++) {
    const char *a = argv[i];
    if (only_pos || a[0] != '-') {
      struct stat sb;
      if (stat(a, &sb) == 0 && S_ISDIR(sb.st_mode)) rc = add_dir(&files, a);
      else if (add(&files, a)) rc = LS_EXIT_RESOURCE;
    } else if (!strcmp(a, "--")) {
      only_pos = 1;
    } else if (!strcmp(a, "--json")) {
      json = 1;
    } else if (!strcmp(a, "--html-strings")) {
      html_strings = 1;
    } else if (!strncmp(a, "--html", 6) && (a[6] == 0 || a[6] == '=')) {
      html = a[6] ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
      if (!html) rc = ls__cli_usage("trend", "--html needs a file name");
    } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(usage, stdout);
      rc = -1;
    } else if ((c = ls__cli_count_opt("trend", "-n", argc, argv, &i, &n)) != 0) {
      if (c < 0) rc = LS_EXIT_USAGE;
    } else {
      rc = ls__cli_usage("trend", "unknown option '%s'", a);
    }
  }
  if (rc == -1) {
    rc = ls__cli_flush();
  } else if (!rc && files.n < LS_TREND_MIN_SNAPSHOTS) {
    rc = ls__cli_usage("trend",
                       "%zu snapshot%s given: a trend needs at least 3 of one "
                       "process (to compare two, use 'leakscope diff')",
                       files.n, files.n == 1 ? "" : "s");
  } else if (!rc && html_strings && !html) {
    rc = ls__cli_usage("trend", "--html-strings goes with --html FILE");
  } else if (!rc && !(html && (rc = ls__html_open("trend", html, &out)))) {
    ls_trend_options o;
    memset(&o, 0, sizeof o);
    o.max_suspects = (size_t)n;
    o.newest_classes = html != NULL;
    o.string_values = html && html_strings;
    if (ls__progress_enabled()) o.progress = ls__progress_cb;
    ls_trend *t = NULL;
    ls_error err;
    memset(&err, 0, sizeof err);
    ls_status st = ls_trend_build((const char *const *)files.v, files.n, &o,
                                  &t, &err);
    ls__progress_done();
    if (st != LS_OK) {
      fprintf(stderr, "leakscope: trend: %s\n", err.message);
      rc = ls_status_exit_code(st);
    } else {
      if (json) ls__render_trend_json(stdout, t);
      else ls__render_trend_text(stdout, t);
      rc = ls__cli_flush();
      if (!rc && html) {
        ls__html_options ho = {html_strings};
        FILE *hf = ls__html_stream(&out);
        rc = ls__html_commit(&out, !hf || ls__render_trend_html(hf, t, &ho));
      }
      if (!rc) rc = ls__cli_verdict_exit(t);
      ls_trend_free(t);
    }
  }
  ls__html_abort(&out); /* nothing left behind when it was not written */
  for (size_t i = 0; i < files.n; i++) free(files.v[i]);
  free(files.v);
  return rc;
}
