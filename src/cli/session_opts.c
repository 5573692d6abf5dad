/* The options every command that runs a program takes (run, versions):
 * the schedule, --signal and -n, parsed once and given to the session;
 * the signal flag and the progress lines of run, attach and versions; and
 * the start and the end that run and attach share. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../render/render.h"
#include "../session/schedule.h"
#include "cli.h"

static int parse_seconds(const char *v, double min_exclusive, double *out) {
  char *end = NULL;
  errno = 0;
  double d = v ? strtod(v, &end) : 0;
  if (!v || !*v || *end || errno || !(d > min_exclusive) || d > 86400 * 30) return -1;
  *out = d;
  return 0;
}

void ls__session_opts_init(ls__session_opts *s) {
  memset(s, 0, sizeof *s);
  s->every = LS__SCHED_EVERY;
  s->warmup = LS__SCHED_WARMUP;
  s->count = LS__SCHED_COUNT;
}

/* argv[*i] is `name` VALUE or `name`=VALUE: the value (stepping *i), or
 * NULL when it is missing; `*hit` says whether the name matched. */
static const char *valued(const char *name, int argc, char **argv, int *i, int *hit) {
  const char *a = argv[*i];
  size_t l = strlen(name);
  *hit = !strncmp(a, name, l) && (a[l] == 0 || a[l] == '=');
  if (!*hit) return NULL;
  return a[l] == '=' ? a + l + 1 : (*i + 1 < argc ? argv[++*i] : NULL);
}

int ls__session_opt(const char *cmd, int argc, char **argv, int *i, ls__session_opts *s) {
  const char *a = argv[*i];
  int c, hit;
  if (!strcmp(a, "--signal")) {
    s->signal_mode = 1;
    return 1;
  }
  if (!strcmp(a, "--allocations")) {
    s->allocations = 1;
    return 1;
  }
  if ((c = ls__cli_count_opt(cmd, "--count", argc, argv, i, &s->count))) {
    if (c < 0) return -1;
    s->count_given = 1;
    if (s->count < LS_TREND_MIN_SNAPSHOTS)
      return ls__cli_usage(cmd, "--count %llu: a trend needs at least %d snapshots",
                           (unsigned long long)s->count, LS_TREND_MIN_SNAPSHOTS), -1;
    return 1;
  }
  if ((c = ls__cli_count_opt(cmd, "-n", argc, argv, i, &s->max_suspects))) return c;
  static const char *const names[] = {"--every", "--warmup", "--max-time"};
  for (int k = 0; k < 3; k++) {
    const char *v = valued(names[k], argc, argv, i, &hit);
    if (!hit) continue;
    if (!v || !*v) return ls__cli_usage(cmd, "%s needs a value", names[k]), -1;
    if (k == 1) {
      if (parse_seconds(v, -1, &s->warmup))
        return ls__cli_usage(cmd, "--warmup expects seconds (0 or more), got '%s'", v), -1;
      return 1;
    }
    double *to = k == 0 ? &s->every : &s->max_time;
    if (parse_seconds(v, 0, to))
      return ls__cli_usage(cmd, "%s expects seconds above 0, got '%s'", names[k], v), -1;
    if (k == 0) s->every_given = 1;
    else s->max_time_given = 1;
    return 1;
  }
  return 0;
}

const char *ls__cli_value(const char *cmd, const char *name, int argc, char **argv, int *i,
                          int *bad) {
  int hit;
  const char *v = valued(name, argc, argv, i, &hit);
  *bad = 0;
  if (hit && (!v || !*v)) {
    ls__cli_usage(cmd, "%s needs a value", name);
    *bad = 1;
    return NULL;
  }
  return v;
}

/* The schedule and -n, into run's or attach's options alike. */
static void schedule_into(const ls__session_opts *s, ls__session_fields f) {
  *f.warmup = s->warmup;
  if (s->every_given || s->count_given) { /* a fixed schedule */
    *f.every = s->every;
    *f.count = (size_t)s->count;
  }
  *f.max_time = s->max_time_given ? s->max_time : 0;
  f.trend->max_suspects = (size_t)s->max_suspects;
}

void ls__session_opts_apply(const ls__session_opts *s, ls_run_options *ro) {
  schedule_into(s, ls__run_fields(ro));
  ro->signal_mode = s->signal_mode;
  ro->allocations = s->allocations;
}

int ls__cli_script(const char *cmd, char **script_argv) {
  if (!script_argv || !script_argv[0])
    return ls__cli_usage(cmd, "missing SCRIPT (the program to run, after --)"), -1;
  struct stat sb; /* checked again by the session; said early here */
  const char *script = script_argv[0];
  if (stat(script, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    fprintf(stderr, "leakscope %s: %s: %s (expected a JavaScript file to run with node)\n",
            cmd, script, stat(script, &sb) != 0 ? strerror(errno) : "not a regular file");
    return -1;
  }
  return 0;
}

volatile int ls__cli_interrupted;

static void on_signal(int sig) { ls__cli_interrupted = sig; }

void ls__cli_catch(struct sigaction *old) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART: the session's poll returns */
  sigaction(SIGINT, &sa, &old[0]);
  sigaction(SIGTERM, &sa, &old[1]);
  signal(SIGPIPE, SIG_IGN);
}

void ls__cli_uncatch(const struct sigaction *old) {
  sigaction(SIGINT, &old[0], NULL);
  sigaction(SIGTERM, &old[1], NULL);
}

void ls__cli_say_line(void *cmd, const char *line) {
  fprintf(stderr, "leakscope %s: %s\n", (const char *)cmd, line);
}

int ls__session_cli_opt(const char *cmd, int argc, char **argv, int *i, ls__session_opts *s,
                        ls__session_cli *c) {
  const char *a = argv[*i], *v;
  int bad;
  if (!strcmp(a, "--json")) return c->json = 1;
  if (!strcmp(a, "--html-strings")) return c->html_strings = 1;
  if ((v = ls__cli_value(cmd, "--out", argc, argv, i, &bad)) || bad) {
    if (bad) return -1;
    c->out = v;
    return 1;
  }
  return ls__session_opt(cmd, argc, argv, i, s);
}

int ls__session_start(const char *cmd, int pr, const char *usage, const ls__session_cli *c) {
  if (pr > 0) {
    fputs(usage, stdout);
    return ls__cli_flush();
  }
  if (pr < 0) return LS_EXIT_USAGE;
  if (c->html_strings && !c->html)
    return ls__cli_usage(cmd, "--html-strings goes with --html FILE");
  ls__html_out hout = {.fd = -1}; /* a bad --html FILE fails before the session */
  if (c->html && (pr = ls__html_open(cmd, c->html, &hout))) return pr;
  ls__html_abort(&hout);
  return -1;
}

/* The session's result as `cmd`'s: the exit code. Frees r. */
static int report(const char *cmd, ls_status st, ls_run *r, const ls_error *err,
                  const ls__session_cli *c) {
  int rc;
  if (st == LS_ERR_PROGRAM && r && r->failure) {
    fprintf(stderr, "leakscope %s: %s\n", cmd, r->failure);
    rc = LS_EXIT_USAGE;
  } else if (st != LS_OK) {
    fprintf(stderr, "leakscope %s: %s\n", cmd, err->message);
    rc = ls_status_exit_code(st);
  } else {
    const ls_trend *t = r->trend;
    if (c->json) ls__render_trend_json(stdout, t);
    else ls__render_trend_text(stdout, t);
    rc = ls__cli_flush();
    ls__html_out hout = {.fd = -1};
    if (!rc && c->html && !(rc = ls__html_open(cmd, c->html, &hout))) {
      ls__html_options ho = {c->html_strings};
      FILE *hf = ls__html_stream(&hout);
      rc = ls__html_commit(&hout, !hf || ls__render_trend_html(hf, t, &ho));
      ls__html_abort(&hout);
    }
    if (!rc) rc = ls__cli_verdict_exit(t);
  }
  ls_run_free(r);
  return rc;
}

int ls__session_go(const char *cmd, const ls__session_opts *s, const ls__session_cli *c,
                   ls_run_options *ro, ls_attach_options *ao) {
  const ls__session_fields f = ro ? ls__run_fields(ro) : ls__attach_fields(ao);
  schedule_into(s, f);
  *f.out_dir = c->out;
  *f.stop = &ls__cli_interrupted;
  /* the context is only read (ls__cli_say_line): the command's name */
  if (ls__progress_enabled()) {
    *f.progress = ls__cli_say_line;
    *f.progress_ctx = (void *)cmd;
  }
  *f.note = ls__cli_say_line;
  *f.note_ctx = (void *)cmd;
  f.trend->newest_classes = c->html != NULL;
  f.trend->string_values = c->html_strings;

  struct sigaction old[2];
  ls__cli_catch(old);
  ls_run *r = NULL;
  ls_error err;
  memset(&err, 0, sizeof err);
  ls_status st = ro ? ls_run_program(ro, &r, &err) : ls_attach_process(ao, &r, &err);
  ls__cli_uncatch(old);
  return report(cmd, st, r, &err, c);
}
