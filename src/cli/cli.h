/* The leakscope command: shared pieces of the subcommands. */
#ifndef LS_CLI_CLI_H
#define LS_CLI_CLI_H

#include <signal.h>
#include <stdio.h>
#include "leakscope.h"
#include "../session/watch.h" /* ls__session_fields */

enum {
  LS_EXIT_OK = 0,       /* done, no leak suspected */
  LS_EXIT_LEAK = 1,     /* leak suspected */
  LS_EXIT_USAGE = 2,    /* bad usage or unreadable input */
  LS_EXIT_RESOURCE = 3, /* out of memory or another resource failure */
  LS_EXIT_UNSURE = 4    /* trend/run: the series cannot tell yet */
};

/* The exit code of a trend's verdict. */
int ls__cli_verdict_exit(const ls_trend *t);

/* Options common to commands that read one snapshot. */
typedef struct ls__cli_opts {
  int json;
  int raw_sizes;
  int help;
  uint64_t limit;        /* --top N / -n N; 0 = command default */
  int limit_given;
  const char *snapshot;  /* positional */
} ls__cli_opts;

/* Parse argv after the command name. `limit_flag` names the option taking a
 * count ("--top" or "-n"). Prints a message and returns -1 on bad usage. */
int ls__cli_parse(const char *cmd, int argc, char **argv,
                  const char *limit_flag, ls__cli_opts *o);

/* If argv[*i] is `flag` N or `flag`=N (N a positive whole number), store N,
 * step *i past the value and return 1; 0 when it is another argument; -1
 * after a usage message when the value is missing or bad. */
int ls__cli_count_opt(const char *cmd, const char *flag, int argc,
                      char **argv, int *i, uint64_t *out);

/* The options of the commands that run a program (run, versions): the
 * schedule (--warmup, --every, --count, --max-time), --signal and -n. */
typedef struct ls__session_opts {
  double every, warmup, max_time;
  int every_given, count_given, max_time_given, signal_mode, allocations;
  uint64_t count, max_suspects;
} ls__session_opts;

void ls__session_opts_init(ls__session_opts *s);
/* 1 when argv[*i] is one of them (stepping *i past its value), 0 when it
 * is another argument, -1 after a usage message. */
int ls__session_opt(const char *cmd, int argc, char **argv, int *i, ls__session_opts *s);
/* Ctrl-C and SIGTERM set ls__cli_interrupted to the signal's number (the
 * session, given it as its stop flag, stops the program and keeps what it
 * took) until ls__cli_uncatch; SIGPIPE is ignored. `old` holds two entries
 * (SIGINT's and SIGTERM's former actions). */
extern volatile int ls__cli_interrupted;
void ls__cli_catch(struct sigaction *old);
void ls__cli_uncatch(const struct sigaction *old);
/* The session's progress and notes on stderr: "leakscope CMD: LINE", where
 * `cmd` is the command's name ("run"), given as the line's context. */
void ls__cli_say_line(void *cmd, const char *line);
/* SCRIPT is given and is a file: 0, else -1 after a message. */
int ls__cli_script(const char *cmd, char **script_argv);
/* Into the session's options (schedule, --signal, -n). */
void ls__session_opts_apply(const ls__session_opts *s, ls_run_options *ro);

/* argv[*i] is `name` VALUE or `name`=VALUE: the value, stepping *i; NULL
 * when it is another argument, or (with *bad set, after a usage message)
 * when the value is missing. */
const char *ls__cli_value(const char *cmd, const char *name, int argc, char **argv, int *i,
                          int *bad);

/* Report a library error as "leakscope: FILE: byte N: message" and return
 * the exit code for it. */
int ls__cli_fail(const char *path, const ls_error *err);

/* Usage error: message + hint, exit code 2. */
int ls__cli_usage(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Progress on stderr when it is a terminal (no-op otherwise). */
void ls__progress_cb(void *ctx, const char *phase, uint64_t done,
                     uint64_t total);
void ls__progress_done(void);
int ls__progress_enabled(void);

/* Load a snapshot and build the heap, with progress and error reporting.
 * Returns an exit code; on 0 *out is the caller's (ls_heap_free). */
int ls__cli_load(const char *path, int raw_sizes, ls_heap **out);

/* Run a one-snapshot command (render/commands.c) onto stdout with
 * progress; the exit code (1 when handles finds a leak). */
struct ls__cmd;
int ls__cli_command(struct ls__cmd *c);

/* Check that stdout was written completely; exit code 0 or 3. */
int ls__cli_flush(void);

/* --html FILE (html_out.c): the report goes to a private (0600) temporary
 * file beside FILE, renamed over FILE when complete. ls__html_open creates
 * it (exit code 2 with a message when FILE's folder is missing or not
 * writable); ls__html_stream gives the FILE* to render into;
 * ls__html_commit closes and renames (0, or 3 after a message; the
 * temporary file is removed on failure); ls__html_abort removes it. */
typedef struct ls__html_out {
  const char *path; /* FILE (argv's) */
  char *tmp;        /* the temporary file, NULL when none */
  int fd;
  FILE *f;
} ls__html_out;
int ls__html_open(const char *cmd, const char *path, ls__html_out *o);
FILE *ls__html_stream(ls__html_out *o);
int ls__html_commit(ls__html_out *o, int render_failed);
void ls__html_abort(ls__html_out *o);
/* What run and attach take besides the schedule: --out, --json, --html
 * FILE, --html-strings. */
typedef struct ls__session_cli {
  const char *out, *html;
  int json, html_strings;
} ls__session_cli;

/* 1 when argv[*i] is one of run's and attach's common options (stepping
 * *i past its value): those of ls__session_opt into `s`, --out, --json and
 * --html-strings into `c` (--html is each command's own); 0 when it is
 * another argument, -1 after a usage message. */
int ls__session_cli_opt(const char *cmd, int argc, char **argv, int *i, ls__session_opts *s,
                        ls__session_cli *c);

/* The start of run and attach once parsed (`pr`: their parse_args's, 1
 * for --help, -1 after a usage message): the help on stdout, a usage
 * error, --html-strings without --html, a bad --html FILE (said before the
 * session rather than after it). -1 to go on, else the exit code. */
int ls__session_start(const char *cmd, int pr, const char *usage, const ls__session_cli *c);

/* The rest of run and attach, on `ro` (run: ls_run_program) or `ao`
 * (attach: ls_attach_process; ro NULL): into its common fields the
 * schedule and -n (s), --out and what --html needs (c), Ctrl-C and SIGTERM
 * to stop it, its lines on stderr as `cmd`'s; the session with those
 * signals caught; then its result reported: its failure or error, else the
 * trend (JSON or text, and the --html page). The exit code. */
int ls__session_go(const char *cmd, const ls__session_opts *s, const ls__session_cli *c,
                   ls_run_options *ro, ls_attach_options *ao);

int ls__cmd_summary(int argc, char **argv);
int ls__cmd_top(int argc, char **argv);
int ls__cmd_paths(int argc, char **argv);
int ls__cmd_suspects(int argc, char **argv);
int ls__cmd_diff(int argc, char **argv);
int ls__cmd_trend(int argc, char **argv);
int ls__cmd_handles(int argc, char **argv);
int ls__cmd_run(int argc, char **argv);
int ls__cmd_attach(int argc, char **argv);
int ls__cmd_versions(int argc, char **argv);

#endif
