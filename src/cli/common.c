/* Option parsing and error reporting shared by the subcommands. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../render/render.h"
#include "cli.h"

int ls__cli_usage(const char *cmd, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "leakscope%s%s: ", cmd ? " " : "", cmd ? cmd : "");
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nTry 'leakscope %s%s--help' for usage.\n", cmd ? cmd : "",
          cmd ? " " : "");
  return LS_EXIT_USAGE;
}

/* A count: digits only, no sign, no overflow. */
static int parse_count(const char *s, uint64_t *out) {
  if (!s || !*s) return -1;
  for (const char *p = s; *p; p++)
    if (*p < '0' || *p > '9') return -1;
  errno = 0;
  unsigned long long v = strtoull(s, NULL, 10);
  if (errno) return -1;
  *out = v;
  return 0;
}

int ls__cli_count_opt(const char *cmd, const char *flag, int argc,
                      char **argv, int *i, uint64_t *out) {
  const char *a = argv[*i];
  size_t flen = strlen(flag);
  if (strncmp(a, flag, flen) != 0 || (a[flen] != 0 && a[flen] != '='))
    return 0;
  const char *v = a[flen] == '=' ? a + flen + 1
                  : (*i + 1 < argc ? argv[++*i] : NULL);
  if (!v) return ls__cli_usage(cmd, "%s needs a number", flag), -1;
  if (parse_count(v, out) || *out == 0)
    return ls__cli_usage(cmd, "%s expects a positive whole number, got '%s'",
                         flag, v),
           -1;
  return 1;
}

int ls__cli_parse(const char *cmd, int argc, char **argv,
                  const char *limit_flag, ls__cli_opts *o) {
  memset(o, 0, sizeof *o);
  int only_positional = 0, rc;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (only_positional || a[0] != '-' || !strcmp(a, "-")) {
      if (o->snapshot)
        return ls__cli_usage(cmd, "one SNAPSHOT expected, got '%s' too", a),
               -1;
      o->snapshot = a;
      continue;
    }
    if (!strcmp(a, "--")) {
      only_positional = 1;
    } else if (!strcmp(a, "--json")) {
      o->json = 1;
    } else if (!strcmp(a, "--raw-sizes")) {
      o->raw_sizes = 1;
    } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      o->help = 1;
    } else if ((rc = ls__cli_count_opt(cmd, limit_flag, argc, argv, &i,
                                         &o->limit)) != 0) {
      if (rc < 0) return -1;
      o->limit_given = 1;
    } else {
      return ls__cli_usage(cmd, "unknown option '%s'", a), -1;
    }
  }
  if (!o->help && !o->snapshot)
    return ls__cli_usage(cmd, "missing SNAPSHOT (a .heapsnapshot file, plain or gzip, or - for stdin)"), -1;
  return 0;
}

int ls__cli_fail(const char *path, const ls_error *err) {
  ls__progress_done();
  if (err->offset != LS_NO_OFFSET)
    fprintf(stderr, "leakscope: %s: byte %" PRIu64 ": %s\n", path, err->offset,
            err->message);
  else
    fprintf(stderr, "leakscope: %s: %s\n", path, err->message);
  return ls_status_exit_code(err->code);
}

int ls__cli_load(const char *path, int raw_sizes, ls_heap **out) {
  ls_error err;
  memset(&err, 0, sizeof err);
  ls_heap_options o;
  memset(&o, 0, sizeof o);
  o.raw_sizes = raw_sizes;
  if (ls__progress_enabled()) o.progress = ls__progress_cb;
  ls_status st = ls_heap_load(path, &o, out, &err);
  ls__progress_done();
  if (st != LS_OK) return ls__cli_fail(path, &err);
  return LS_EXIT_OK;
}

int ls__cli_command(ls__cmd *c) {
  if (ls__progress_enabled()) c->progress = ls__progress_cb;
  ls_error err;
  memset(&err, 0, sizeof err);
  int leak = 0;
  ls_status st = ls__cmd_render(c, stdout, &leak, &err);
  ls__progress_done();
  if (st != LS_OK) return ls__cli_fail(c->path, &err);
  int rc = ls__cli_flush();
  return rc ? rc : leak ? LS_EXIT_LEAK : LS_EXIT_OK;
}

int ls__cli_flush(void) {
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "leakscope: writing the output failed: %s\n",
            strerror(errno));
    return LS_EXIT_RESOURCE;
  }
  return LS_EXIT_OK;
}

int ls__cli_verdict_exit(const ls_trend *t) {
  return t->verdict == LS_VERDICT_LEAK     ? LS_EXIT_LEAK
         : t->verdict == LS_VERDICT_UNSURE ? LS_EXIT_UNSURE
                                           : LS_EXIT_OK;
}
