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
    "Exit status: 0 clean, 1 leak suspected, 2 bad usage or unreadable\n"
    "input, 3 out of memory.\n";

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

static int ends_with(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && !strcmp(s + a - b, suf);
}

static int str_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The snapshot files of a directory, by name (trend orders them itself). */
static int add_dir(list *l, const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "leakscope: %s: cannot open directory: %s\n", dir,
            strerror(errno));
    return LS_EXIT_USAGE;
  }
  size_t first = l->n;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!ends_with(e->d_name, ".heapsnapshot") &&
        !ends_with(e->d_name, ".heapsnapshot.gz"))
      continue;
    size_t len = strlen(dir) + strlen(e->d_name) + 2;
    char *p = malloc(len);
    if (!p || (snprintf(p, len, "%s/%s", dir, e->d_name), add(l, p))) {
      free(p);
      closedir(d);
      fputs("leakscope: out of memory\n", stderr);
      return LS_EXIT_RESOURCE;
    }
    free(p);
  }
  closedir(d);
  if (l->n - first > 1)
    qsort(l->v + first, l->n - first, sizeof *l->v, str_cmp);
  if (l->n == first)
    fprintf(stderr, "leakscope: %s: no .heapsnapshot files in the directory\n",
            dir);
  return 0;
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
  } else if (!rc && files.n < 3) {
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
      if (!rc && t->leak) rc = LS_EXIT_LEAK;
      ls_trend_free(t);
    }
  }
  ls__html_abort(&out); /* nothing left behind when it was not written */
  for (size_t i = 0; i < files.n; i++) free(files.v[i]);
  free(files.v);
  return rc;
}
