/*
 * leakscope run: start a Node program, take heap snapshots on a schedule,
 * then give the trend verdict.
 *
 * The child runs with a small preload (written from this file into a
 * private temporary folder) that listens on a socket inherited as fd 3:
 * leakscope sends "snap K PATH", the preload writes the snapshot with
 * v8.writeHeapSnapshot and answers "done K" once the file is complete, so
 * nothing polls for files. --signal instead starts node with
 * --heapsnapshot-signal and waits for the file to be closed (inotify).
 */
#define _GNU_SOURCE /* pipe2, strsignal */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../render/render.h"
#include "../session/schedule.h"
#include "cli.h"

static const char usage[] =
    "Usage: leakscope run [--max-time SEC] [--warmup SEC] [--every SEC] [--count N]\n"
    "                     [--node PATH] [--out DIR] [--json] [--signal]\n"
    "                     [--html FILE [--html-strings]] -- SCRIPT [ARGS...]\n"
    "\n"
    "Run a Node.js program, take heap snapshots while it works, and say\n"
    "whether something grows without bound (the 'trend' analysis), then\n"
    "stop the program (SIGTERM, SIGKILL 5 s later). Its stdin, stdout and\n"
    "stderr pass through. By default the snapshots come further and further\n"
    "apart and leakscope stops as soon as the verdict is settled, or when\n"
    "the time budget is spent (then the verdict may be \"not sure yet\",\n"
    "with what would settle it). --every/--count give a fixed schedule.\n"
    "If the program exits first, the snapshots so far are analysed (3 needed).\n"
    "\n"
    "  --max-time SEC  time budget from the start (default 120 without\n"
    "                --every/--count; none with them)\n"
    "  --warmup SEC  wait before the first snapshot (default 5)\n"
    "  --every SEC   fixed schedule: seconds between snapshots (default 10;\n"
    "                may be 0.5)\n"
    "  --count N     fixed schedule: snapshots to take, at least 3 (default 5)\n"
    "  --node PATH   the node binary (default: node on PATH; version 18 on)\n"
    "  --out DIR     keep the snapshots in DIR (created 0700, files 0600);\n"
    "                else a temporary folder, removed unless a leak is found\n"
    "  --signal      for programs that cannot take a preload: snapshots via\n"
    "                node --heapsnapshot-signal (SIGUSR2)\n"
    "  --json        the trend's JSON on stdout (keys in README.md); the\n"
    "                program's own stdout then goes to stderr\n"
    "  -n N          at most N suspects (default 20)\n"
    "  --html FILE   also write the trend report as one self-contained HTML\n"
    "                page (charts, paths, class table; created 0600)\n"
    "  --html-strings  show string values of the heap on the paths in the\n"
    "                HTML (hidden by default: they may be secrets)\n"
    "  -h, --help    this help\n"
    "\n"
    "Writing a snapshot pauses the program and needs up to about twice its\n"
    "heap in memory. A snapshot holds every string of the process (tokens,\n"
    "passwords, user data): keep the files private.\n"
    "\n"
    "Exit status: 0 clean, 1 leak suspected, 2 bad usage, or the program\n"
    "failed to start or ended before 3 snapshots, 3 out of memory, 4 not\n"
    "sure yet.\n";

/* The preload: answers snapshot requests on the socket it inherits. */
static const char preload_js[] =
    "'use strict';\n"
    "// leakscope run: takes a heap snapshot when leakscope asks (fd in\n"
    "// LEAKSCOPE_FD), and says when the file is complete.\n"
    "(() => {\n"
    "  const fd = Number(process.env.LEAKSCOPE_FD);\n"
    "  delete process.env.LEAKSCOPE_FD; // not for the program's children\n"
    "  if (!Number.isInteger(fd)) return;\n"
    "  if (!require('worker_threads').isMainThread) return;\n"
    "  const net = require('net'), v8 = require('v8'), fs = require('fs');\n"
    "  let sock;\n"
    "  try { sock = new net.Socket({ fd, readable: true, writable: true }); }\n"
    "  catch { return; }\n"
    "  sock.unref(); // never keeps the program alive\n"
    "  sock.setEncoding('utf8');\n"
    "  sock.on('error', () => {});\n"
    "  let buf = '';\n"
    "  sock.on('data', (d) => {\n"
    "    buf += d;\n"
    "    for (let i; (i = buf.indexOf('\\n')) >= 0; buf = buf.slice(i + 1)) {\n"
    "      const m = /^snap (\\d+) (.+)$/.exec(buf.slice(0, i));\n"
    "      if (!m) continue;\n"
    "      let reply = 'done';\n"
    "      const mask = process.umask(0o077); // private from the first byte\n"
    "      try {\n"
    "        const f = v8.writeHeapSnapshot(m[2]);\n"
    "        fs.chmodSync(f, 0o600);\n"
    "      } catch (e) {\n"
    "        reply = 'fail ' + String((e && e.message) || e).replace(/\\n/g, ' ');\n"
    "      } finally { process.umask(mask); }\n"
    "      sock.write(reply.startsWith('fail') ? `fail ${m[1]} ${reply.slice(5)}\\n` : `done ${m[1]}\\n`);\n"
    "    }\n"
    "  });\n"
    "})();\n";

static volatile sig_atomic_t interrupted;
static void on_signal(int sig) { interrupted = sig; }

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_seconds(const char *v, double min_exclusive, double *out) {
  char *end = NULL;
  errno = 0;
  double d = v ? strtod(v, &end) : 0;
  if (!v || !*v || *end || errno || !(d > min_exclusive) || d > 86400 * 30)
    return -1;
  *out = d;
  return 0;
}

typedef struct {
  double every, warmup, max_time;
  int every_given, count_given, max_time_given;
  uint64_t count, max_suspects;
  const char *node, *out;
  int json, signal_mode;
  const char *html;   /* --html FILE */
  int html_strings;
  char **script_argv; /* SCRIPT ARGS..., NULL-terminated (argv's own) */
} run_opts;

static int progress_on;
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...) {
  if (!progress_on) return;
  va_list ap;
  va_start(ap, fmt);
  fputs("leakscope run: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

/* "node --version" must print vMAJOR..., MAJOR >= 18. */
static int check_node(const char *node) {
  int p[2];
  if (pipe(p)) return -1;
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) dup2(devnull, STDERR_FILENO), dup2(devnull, STDIN_FILENO);
    close(p[0]);
    execlp(node, node, "--version", (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  char buf[64] = {0};
  size_t len = 0;
  ssize_t r;
  while (len + 1 < sizeof buf &&
         (r = read(p[0], buf + len, sizeof buf - 1 - len)) > 0)
    len += (size_t)r;
  close(p[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  int major = buf[0] == 'v' ? atoi(buf + 1) : 0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || major == 0) {
    fprintf(stderr,
            "leakscope run: --node %s: not a Node.js binary (expected "
            "'%s --version' to print vNN.N.N)\n",
            node, node);
    return -1;
  }
  if (major < 18) {
    fprintf(stderr, "leakscope run: --node %s is Node.js %.20s: version 18 "
                    "or later is needed\n", node, strtok(buf, "\n"));
    return -1;
  }
  return 0;
}

static int make_private_dir(const char *dir) {
  if (mkdir(dir, 0700) == 0) return 0;
  struct stat sb;
  if (errno == EEXIST && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode)) return 0;
  fprintf(stderr, "leakscope run: --out %s: %s (expected a folder to create "
                  "or use)\n", dir, errno == EEXIST ? "not a folder" : strerror(errno));
  return -1;
}

typedef struct {
  pid_t pid;
  int sock;           /* preload's socket (-1 in --signal mode) */
  int err;            /* the child's stderr, forwarded */
  int ino, wd;        /* --signal: inotify on the out dir */
  char tail[4096];    /* the last bytes of the child's stderr */
  size_t tail_len;
  int exited, status;
} child;

static void keep_tail(child *c, const char *p, size_t n) {
  if (n >= sizeof c->tail) {
    memcpy(c->tail, p + n - sizeof c->tail + 1, sizeof c->tail - 1);
    c->tail_len = sizeof c->tail - 1;
  } else {
    if (c->tail_len + n >= sizeof c->tail) {
      size_t drop = c->tail_len + n - (sizeof c->tail - 1);
      memmove(c->tail, c->tail + drop, c->tail_len - drop);
      c->tail_len -= drop;
    }
    memcpy(c->tail + c->tail_len, p, n);
    c->tail_len += n;
  }
  c->tail[c->tail_len] = 0;
}

static int start_child(child *c, const run_opts *o, const char *preload,
                       const char *outdir) {
  int sv[2] = {-1, -1}, ep[2];
  if (!o->signal_mode && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
    return -1;
  if (pipe2(ep, O_CLOEXEC)) return -1;
  char sigdir[4200];
  snprintf(sigdir, sizeof sigdir, "--diagnostic-dir=%s", outdir);
  c->pid = fork();
  if (c->pid < 0) return -1;
  if (c->pid == 0) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    /* with --json our stdout carries only the report: the program's
     * stdout goes to our stderr, so `run --json | jq` works */
    if (o->json) dup2(STDERR_FILENO, STDOUT_FILENO);
    dup2(ep[1], STDERR_FILENO);
    if (!o->signal_mode) {
      dup2(sv[1], 3); /* dup2 clears close-on-exec on the copy */
      setenv("LEAKSCOPE_FD", "3", 1);
    }
    size_t n = 0;
    while (o->script_argv[n]) n++;
    char **av = calloc(n + 5, sizeof *av);
    if (!av) _exit(127);
    size_t k = 0;
    av[k++] = (char *)o->node;
    if (o->signal_mode) {
      av[k++] = "--heapsnapshot-signal=SIGUSR2";
      av[k++] = sigdir;
    } else {
      av[k++] = "--require";
      av[k++] = (char *)preload;
    }
    for (size_t i = 0; i < n; i++) av[k++] = o->script_argv[i];
    execvp(o->node, av);
    fprintf(stderr, "cannot start %s: %s\n", o->node, strerror(errno));
    _exit(127);
  }
  close(ep[1]);
  c->err = ep[0];
  if (!o->signal_mode) {
    close(sv[1]);
    c->sock = sv[0];
  } else {
    c->sock = -1;
  }
  return 0;
}

/* Forward what the child wrote on stderr. */
static void pump_stderr(child *c) {
  char buf[4096];
  ssize_t r = read(c->err, buf, sizeof buf);
  if (r > 0) {
    fwrite(buf, 1, (size_t)r, stderr);
    fflush(stderr);
    keep_tail(c, buf, (size_t)r);
  } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
    close(c->err);
    c->err = -1;
  }
}

static void reap(child *c, int block) {
  if (c->exited) return;
  pid_t r = waitpid(c->pid, &c->status, block ? 0 : WNOHANG);
  if (r == c->pid) c->exited = 1;
}

/* SIGTERM, then SIGKILL after `grace` seconds, forwarding stderr. */
static void stop_child(child *c, double grace) {
  reap(c, 0);
  if (c->exited) return;
  kill(c->pid, SIGTERM);
  double until = now() + grace;
  while (!c->exited && now() < until) {
    struct pollfd p = {c->err, POLLIN, 0};
    if (c->err >= 0 && poll(&p, 1, 50) > 0) pump_stderr(c);
    else if (c->err < 0) nanosleep(&(struct timespec){0, 50000000}, NULL);
    reap(c, 0);
  }
  if (!c->exited) {
    kill(c->pid, SIGKILL);
    reap(c, 1);
  }
}

/* Ends a message on stderr with the last lines the program wrote there
 * (all of it passed through already; this puts the cause next to ours). */
static void print_tail(const child *c) {
  if (!c->tail_len) {
    fputs("\n", stderr);
    return;
  }
  const char *t = c->tail + c->tail_len;
  int lines = 0;
  while (t > c->tail && lines <= 8)
    if (*--t == '\n' && t + 1 < c->tail + c->tail_len) lines++;
  if (*t == '\n') t++;
  fprintf(stderr, "; the end of its stderr:\n%s%s", t,
          c->tail[c->tail_len - 1] == '\n' ? "" : "\n");
}

static void describe_status(int status, char *buf, size_t len) {
  if (WIFEXITED(status))
    snprintf(buf, len, "exit code %d", WEXITSTATUS(status));
  else if (WIFSIGNALED(status))
    snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(status),
             strsignal(WTERMSIG(status)));
  else
    snprintf(buf, len, "status %d", status);
}

typedef struct {
  char **paths;
  size_t n;
} shots;

/* A snapshot V8 finished ends with the strings array: `]}` (then maybe
 * white space). A program killed while writing one (the OOM killer) leaves
 * a cut file, which --signal mode sees closed like a complete one. */
static int snapshot_complete(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char b[64];
  off_t end = lseek(fd, 0, SEEK_END);
  off_t from = end > (off_t)sizeof b ? end - (off_t)sizeof b : 0;
  ssize_t n = end > 0 ? pread(fd, b, (size_t)(end - from), from) : 0;
  close(fd);
  while (n > 0 && strchr(" \t\r\n", b[n - 1])) n--;
  return n >= 2 && b[n - 2] == ']' && b[n - 1] == '}';
}

/* --signal: node names its files Heap.<date>.<time>.<pid>.<tid>.<seq>.
 * heapsnapshot; is `name` one of this child's? */
static int child_snapshot_name(const char *name, pid_t pid) {
  size_t l = strlen(name);
  char mid[32];
  snprintf(mid, sizeof mid, ".%d.", (int)pid);
  return l > 13 && !strcmp(name + l - 13, ".heapsnapshot") &&
         !strncmp(name, "Heap.", 5) && strstr(name, mid);
}

static void remove_all(const char *dir, const shots *s, const char *preload_dir,
                       const char *preload) {
  for (size_t i = 0; i < s->n; i++) unlink(s->paths[i]);
  if (dir) rmdir(dir);
  if (preload) unlink(preload);
  if (preload_dir) rmdir(preload_dir);
}

static int parse_args(int argc, char **argv, run_opts *o) {
  memset(o, 0, sizeof *o);
  o->every = LS__SCHED_EVERY;
  o->warmup = LS__SCHED_WARMUP;
  o->count = LS__SCHED_COUNT;
  o->node = "node";
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char *v = NULL;
    int c;
    if (!strcmp(a, "--")) {
      o->script_argv = argv + i + 1;
      break;
    }
    if (a[0] != '-') { /* SCRIPT without "--" */
      o->script_argv = argv + i;
      break;
    }
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) return 1;
    if (!strcmp(a, "--json")) {
      o->json = 1;
      continue;
    }
    if (!strcmp(a, "--html-strings")) {
      o->html_strings = 1;
      continue;
    }
    if (!strncmp(a, "--html", 6) && (a[6] == 0 || a[6] == '=')) {
      o->html = a[6] ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
      if (!o->html) return ls__cli_usage("run", "--html needs a file name"), -1;
      continue;
    }
    if (!strcmp(a, "--signal")) {
      o->signal_mode = 1;
      continue;
    }
    if ((c = ls__cli_count_opt("run", "--count", argc, argv, &i, &o->count))) {
      if (c < 0) return -1;
      o->count_given = 1;
      if (o->count < 3)
        return ls__cli_usage("run", "--count %llu: a trend needs at least 3 "
                             "snapshots", (unsigned long long)o->count), -1;
      continue;
    }
    if ((c = ls__cli_count_opt("run", "-n", argc, argv, &i, &o->max_suspects))) {
      if (c < 0) return -1;
      continue;
    }
    const char *names[] = {"--every", "--warmup", "--node", "--out", "--max-time"};
    int k = -1;
    for (int j = 0; j < 5; j++) {
      size_t l = strlen(names[j]);
      if (!strncmp(a, names[j], l) && (a[l] == 0 || a[l] == '=')) {
        k = j;
        v = a[l] == '=' ? a + l + 1 : (i + 1 < argc ? argv[++i] : NULL);
      }
    }
    if (k < 0) return ls__cli_usage("run", "unknown option '%s'", a), -1;
    if (!v || !*v) return ls__cli_usage("run", "%s needs a value", names[k]), -1;
    if (k == 0 && parse_seconds(v, 0, &o->every))
      return ls__cli_usage("run", "--every expects seconds above 0, got '%s'", v), -1;
    if (k == 0) o->every_given = 1;
    if (k == 4 && parse_seconds(v, 0, &o->max_time))
      return ls__cli_usage("run", "--max-time expects seconds above 0, got '%s'", v), -1;
    if (k == 4) o->max_time_given = 1;
    if (k == 1 && (parse_seconds(v, -1, &o->warmup)))
      return ls__cli_usage("run", "--warmup expects seconds (0 or more), got '%s'", v), -1;
    if (k == 2) o->node = v;
    if (k == 3) o->out = v;
  }
  if (!o->script_argv || !o->script_argv[0])
    return ls__cli_usage("run", "missing SCRIPT (the program to run, after --)"), -1;
  struct stat sb;
  const char *script = o->script_argv[0];
  if (stat(script, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    fprintf(stderr, "leakscope run: %s: %s (expected a JavaScript file to "
                    "run with node)\n", script,
            stat(script, &sb) != 0 ? strerror(errno) : "not a regular file");
    return -1;
  }
  return 0;
}

/* CPU seconds the process has used (user + system, all its threads), from
 * /proc; -1 when unknown. */
static double cpu_seconds(pid_t pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  const char *p = strrchr(buf, ')'); /* the name may hold spaces */
  if (!p) return -1;
  unsigned long long ut = 0, st = 0;
  /* after ")": state, then fields 4..13, then utime (14), stime (15) */
  if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
             &ut, &st) != 2)
    return -1;
  long hz = sysconf(_SC_CLK_TCK);
  return hz > 0 ? (double)(ut + st) / (double)hz : -1;
}

/* When each snapshot was asked for (seconds from the start) and the CPU
 * the program had used by then, its own snapshot writing left out. */
typedef struct {
  double *time, *work;
  double written_cpu; /* CPU spent writing snapshots so far */
  double asked_cpu;   /* CPU when the pending snapshot was asked for */
  int cpu_known;
} shot_times;

static ls_status analyse(const run_opts *o, const shots *s, const shot_times *st,
                         int final, ls_trend **out, ls_error *err) {
  ls_trend_options to;
  memset(&to, 0, sizeof to);
  to.max_suspects = (size_t)o->max_suspects;
  to.newest_classes = final && o->html != NULL;
  to.string_values = final && o->html_strings;
  to.times = st->time;
  to.work = st->cpu_known ? st->work : NULL;
  if (progress_on && final) to.progress = ls__progress_cb;
  memset(err, 0, sizeof *err);
  ls_status r = ls_trend_build((const char *const *)s->paths, s->n, &to, out, err);
  if (final) ls__progress_done();
  return r;
}

static void say_verdict(const ls_trend *t, double next_in);

/* A snapshot was written: note its cost, plan the next one, and on the
 * adaptive schedule judge the series so far. Returns 1 when the verdict
 * is settled (stop taking snapshots). */
static int snapshot_done(const run_opts *o, const ls__schedule *sch,
                         const shots *s, shot_times *tm, const child *c,
                         double t0, double asked, double *last_write,
                         double *due, ls_trend **last) {
  const double t = now();
  *last_write = t - asked;
  double cpu = cpu_seconds(c->pid);
  if (cpu < 0 || tm->asked_cpu < 0) tm->cpu_known = 0;
  else tm->written_cpu += cpu - tm->asked_cpu;
  struct stat sb;
  if (stat(s->paths[s->n - 1], &sb) == 0) {
    if (sch->adaptive)
      say("snapshot %zu written (%.1f MB, %.1f s)", s->n, (double)sb.st_size / 1e6,
          *last_write);
    else
      say("snapshot %zu of %llu written (%.1f MB, %.1f s)", s->n,
          (unsigned long long)o->count, (double)sb.st_size / 1e6, *last_write);
  }
  *due = t0 + ls__schedule_due(sch, s->n, t - t0, *last_write);
  if (!sch->adaptive || s->n < LS_TREND_MIN_SNAPSHOTS) {
    if (ls__schedule_more(sch, s->n, *due - t0))
      say("next snapshot in %.1f s", *due - now());
    return 0;
  }
  ls_trend *tr = NULL;
  ls_error err;
  if (analyse(o, s, tm, 0, &tr, &err) != LS_OK) {
    /* said again (and decided on) by the final analysis */
    return 0;
  }
  ls_trend_free(*last);
  *last = tr;
  if (tr->settled) {
    say("settled: %s after %zu snapshots", ls_verdict_name(tr->verdict), s->n);
    return 1;
  }
  if (ls__schedule_more(sch, s->n, *due - t0)) say_verdict(tr, *due - now());
  else say("the time budget is spent (--max-time %.0f s)", sch->max_time);
  return 0;
}

/* Progress: what the verdict so far waits for. */
static void say_verdict(const ls_trend *t, double next_in) {
  if (!progress_on) return;
  if (t->verdict == LS_VERDICT_UNSURE) {
    char why[640];
    ls__unsure_sentence(t, why, sizeof why);
    say("not sure yet: %s; next snapshot in %.1f s", why, next_in);
  } else if (t->verdict == LS_VERDICT_LEAK) {
    say("a leak, to be confirmed by one more rise; next snapshot in %.1f s",
        next_in);
  } else {
    say("nothing grows so far; confirming (%zu series rise slowly below the "
        "floors); next snapshot in %.1f s", t->rising_below_floor, next_in);
  }
}

int ls__cmd_run(int argc, char **argv) {
  run_opts o;
  int pr = parse_args(argc, argv, &o);
  if (pr > 0) {
    fputs(usage, stdout);
    return ls__cli_flush();
  }
  if (pr < 0 || check_node(o.node)) return LS_EXIT_USAGE;
  if (o.html_strings && !o.html)
    return ls__cli_usage("run", "--html-strings goes with --html FILE");
  ls__html_out hout = {.fd = -1}; /* a bad --html FILE fails before the run */
  if (o.html && (pr = ls__html_open("run", o.html, &hout))) return pr;
  ls__html_abort(&hout);
  progress_on = ls__progress_enabled();
  ls__schedule sch;
  memset(&sch, 0, sizeof sch);
  sch.adaptive = !o.every_given && !o.count_given;
  sch.warmup = o.warmup;
  sch.every = o.every;
  sch.count = sch.adaptive ? LS__SCHED_MAX_SNAPS : (size_t)o.count;
  sch.max_time = o.max_time_given ? o.max_time
                 : sch.adaptive   ? LS__SCHED_MAX_TIME
                                  : 0;
  const size_t cap = sch.count;

  /* folders: the snapshots' (--out or temporary) and the preload's */
  char tmpdir[] = "/tmp/leakscope-run-XXXXXX";
  char predir[] = "/tmp/leakscope-preload-XXXXXX";
  const char *outdir = o.out;
  if (outdir ? make_private_dir(outdir) : !mkdtemp(tmpdir)) {
    if (!outdir) perror("leakscope run: cannot create a temporary folder");
    return outdir ? LS_EXIT_USAGE : LS_EXIT_RESOURCE;
  }
  if (!outdir) outdir = tmpdir;
  char preload[sizeof predir + 32];
  int rc = LS_EXIT_OK, keep = o.out != NULL;
  shots s = {calloc(cap, sizeof(char *)), 0};
  shot_times tm = {calloc(cap, sizeof(double)), calloc(cap, sizeof(double)), 0, 0, 1};
  ls_trend *last = NULL; /* the newest analysis (adaptive schedule) */
  if (!s.paths || !tm.time || !tm.work || !mkdtemp(predir)) {
    fputs("leakscope run: cannot create a temporary folder\n", stderr);
    if (!o.out) rmdir(tmpdir);
    free(s.paths);
    free(tm.time);
    free(tm.work);
    return LS_EXIT_RESOURCE;
  }
  snprintf(preload, sizeof preload, "%s/preload.cjs", predir);
  int pf = open(preload, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (pf < 0 || write(pf, preload_js, sizeof preload_js - 1) !=
                    (ssize_t)(sizeof preload_js - 1)) {
    perror("leakscope run: cannot write the preload");
    if (pf >= 0) close(pf);
    remove_all(o.out ? NULL : tmpdir, &s, predir, preload);
    free(s.paths);
    free(tm.time);
    free(tm.work);
    return LS_EXIT_RESOURCE;
  }
  close(pf);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART: poll returns on Ctrl-C */
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  child c;
  memset(&c, 0, sizeof c);
  c.ino = c.wd = -1;
  if (o.signal_mode) {
    c.ino = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (c.ino < 0 || (c.wd = inotify_add_watch(c.ino, outdir, IN_CLOSE_WRITE)) < 0) {
      perror("leakscope run: inotify");
      remove_all(o.out ? NULL : tmpdir, &s, predir, preload);
      free(s.paths);
      free(tm.time);
      free(tm.work);
      return LS_EXIT_RESOURCE;
    }
  }
  if (start_child(&c, &o, preload, outdir)) {
    perror("leakscope run: cannot start the program");
    remove_all(o.out ? NULL : tmpdir, &s, predir, preload);
    free(s.paths);
    free(tm.time);
    free(tm.work);
    return LS_EXIT_RESOURCE;
  }
  say("started %s (pid %d); first snapshot in %.1f s%s", o.script_argv[0],
      (int)c.pid, o.warmup,
      sch.adaptive ? " (then until the verdict is settled)" : "");

  const double t0 = now();
  int pending = 0; /* snapshot number being written, 0 = none */
  int cut = 0;     /* a snapshot file cut short was removed */
  double pending_since = 0;
  double sock_closed_at = 0; /* when the preload's socket closed */
  int slow_said = 0;         /* the snapshot the "still waiting" note was for */
  char failure[600] = "";
  char line[1024];
  size_t line_len = 0;
  double due = t0 + ls__schedule_due(&sch, 0, 0, 0);
  double last_write = 0; /* seconds the last snapshot took to write */
  int settled = 0;
  while (!interrupted && !settled && ls__schedule_more(&sch, s.n, due - t0)) {
    reap(&c, 0);
    if (c.exited) break;
    /* the preload's socket closed but the program lives on (it closed fd
     * 3 itself): no snapshot can be asked for; an exiting program closes
     * it too, so give it a moment to be reaped first */
    if (!o.signal_mode && c.sock < 0) {
      if (now() - sock_closed_at > 2.0) {
        snprintf(failure, sizeof failure,
                 "the program closed file descriptor 3, which leakscope's "
                 "preload uses to ask for snapshots (try --signal)");
        break;
      }
      struct pollfd pe = {c.err, POLLIN, 0};
      if (poll(&pe, c.err >= 0, 100) > 0) pump_stderr(&c);
      continue;
    }
    if (pending && slow_said != pending && now() - pending_since > 60.0) {
      /* a program whose event loop never turns cannot answer */
      fprintf(stderr,
              "leakscope: still waiting for snapshot %d after 60 s: the "
              "program has not finished writing it (a blocked event loop "
              "cannot start it; a big heap takes long); Ctrl-C stops\n",
              pending);
      slow_said = pending;
    }
    if (!pending && now() >= due) {
      char path[4200];
      snprintf(path, sizeof path, "%s/snap-%02zu.heapsnapshot", outdir, s.n + 1);
      pending = (int)s.n + 1;
      pending_since = now();
      if (!(s.paths[s.n] = strdup(path))) {
        rc = LS_EXIT_RESOURCE;
        break;
      }
      tm.time[s.n] = now() - t0;
      double cpu = cpu_seconds(c.pid);
      if (cpu < 0) tm.cpu_known = 0;
      tm.asked_cpu = cpu;
      tm.work[s.n] = cpu - tm.written_cpu;
      if (sch.adaptive) say("writing snapshot %d", pending);
      else say("writing snapshot %d of %llu", pending, (unsigned long long)o.count);
      if (o.signal_mode) {
        kill(c.pid, SIGUSR2);
      } else {
        char msg[4300];
        int m = snprintf(msg, sizeof msg, "snap %d %s\n", pending, path);
        if (write(c.sock, msg, (size_t)m) != m) {
          free(s.paths[s.n]);
          s.paths[s.n] = NULL;
          pending = 0;
          break; /* the child is gone: see below */
        }
      }
    }
    struct pollfd p[3];
    int np = 0;
    int ies = -1, isock = -1, iino = -1;
    if (c.err >= 0) ies = np, p[np++] = (struct pollfd){c.err, POLLIN, 0};
    if (c.sock >= 0) isock = np, p[np++] = (struct pollfd){c.sock, POLLIN, 0};
    if (c.ino >= 0) iino = np, p[np++] = (struct pollfd){c.ino, POLLIN, 0};
    double wait = pending ? 0.2 : due - now();
    if (wait > 0.2) wait = 0.2; /* notice the child's exit promptly */
    if (wait < 0) wait = 0;
    int r = poll(p, (nfds_t)np, (int)(wait * 1000));
    if (r < 0 && errno == EINTR) continue;
    if (ies >= 0 && (p[ies].revents & (POLLIN | POLLHUP))) pump_stderr(&c);
    if (isock >= 0 && (p[isock].revents & (POLLIN | POLLHUP))) {
      ssize_t n = read(c.sock, line + line_len, sizeof line - 1 - line_len);
      if (n <= 0) {
        close(c.sock);
        c.sock = -1;
        sock_closed_at = now();
        continue;
      }
      line_len += (size_t)n;
      line[line_len] = 0;
      char *nl;
      while ((nl = memchr(line, '\n', line_len))) {
        *nl = 0;
        int k = 0;
        if (sscanf(line, "done %d", &k) == 1 && k == pending) {
          s.n++;
          pending = 0;
          settled = snapshot_done(&o, &sch, &s, &tm, &c, t0, pending_since,
                                  &last_write, &due, &last);
        } else if (!strncmp(line, "fail ", 5)) {
          snprintf(failure, sizeof failure, "%.500s", line + 5);
        }
        size_t used = (size_t)(nl - line) + 1;
        memmove(line, nl + 1, line_len - used);
        line_len -= used;
      }
      if (line_len == sizeof line - 1) line_len = 0; /* garbage: drop */
      if (failure[0]) break;
    }
    if (iino >= 0 && (p[iino].revents & POLLIN)) {
      char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
      ssize_t n = read(c.ino, ev, sizeof ev);
      for (ssize_t off = 0; n > 0 && off < n;) {
        struct inotify_event *e = (struct inotify_event *)(ev + off);
        off += (ssize_t)(sizeof *e + e->len);
        size_t l = e->len ? strlen(e->name) : 0;
        if (!pending || l < 13 || strcmp(e->name + l - 13, ".heapsnapshot") ||
            !strncmp(e->name, "snap-", 5))
          continue;
        char from[4300];
        snprintf(from, sizeof from, "%s/%s", outdir, e->name);
        chmod(from, 0600);
        if (!snapshot_complete(from)) {
          cut = unlink(from) == 0; /* the program is dying (see below) */
          continue;
        }
        if (rename(from, s.paths[s.n]) == 0) {
          s.n++;
          pending = 0;
          settled = snapshot_done(&o, &sch, &s, &tm, &c, t0, pending_since,
                                  &last_write, &due, &last);
        }
      }
    }
  }

  /* stop the program (it may be done already) */
  int was_interrupted = interrupted != 0;
  reap(&c, 0);
  int died_early = c.exited;
  if (!c.exited) stop_child(&c, 5.0);
  while (c.err >= 0) pump_stderr(&c); /* the rest of its stderr */
  if (c.sock >= 0) close(c.sock);
  if (c.ino >= 0) close(c.ino);
  if (o.signal_mode) { /* files node closed after the loop ended */
    DIR *d = opendir(outdir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
      if (!child_snapshot_name(de->d_name, c.pid)) continue;
      char f[4300];
      snprintf(f, sizeof f, "%s/%s", outdir, de->d_name);
      if (pending && s.paths[s.n] && snapshot_complete(f) &&
          chmod(f, 0600) == 0 && rename(f, s.paths[s.n]) == 0) {
        s.n++;
        pending = 0;
      } else if (unlink(f) == 0) {
        cut = 1;
      }
    }
    if (d) closedir(d);
  }
  if (pending && s.paths[s.n]) { /* a snapshot that never completed */
    if (unlink(s.paths[s.n]) == 0) cut = 1;
    free(s.paths[s.n]);
    s.paths[s.n] = NULL;
  }
  char st[96];
  describe_status(c.status, st, sizeof st);

  if (rc == LS_EXIT_OK && failure[0]) {
    fprintf(stderr, "leakscope run: the program could not write snapshot "
                    "%zu: %s\n", s.n + 1, failure);
  }
  if (rc == LS_EXIT_OK && s.n < 3) {
    if (cut && died_early && WIFSIGNALED(c.status)) {
      fprintf(stderr, "leakscope run: %s was %s while writing snapshot %d: "
                      "a snapshot needs up to about twice the heap in "
                      "memory (out of memory?)\n",
              o.script_argv[0], st, pending);
    } else if (died_early && s.n == 0 &&
               !(WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0)) {
      fprintf(stderr, "leakscope run: %s ended (%s) before the first "
                      "snapshot", o.script_argv[0], st);
      print_tail(&c);
    } else if (failure[0]) { /* said above; we stopped the program */
      fprintf(stderr, "leakscope run: stopped %s after %zu snapshot%s; a "
                      "trend needs 3\n",
              o.script_argv[0], s.n, s.n == 1 ? "" : "s");
    } else {
      fprintf(stderr, "leakscope run: %s %s after %zu snapshot%s (%s); a "
                      "trend needs 3: let it run longer, or use a shorter "
                      "--warmup/--every",
              o.script_argv[0], was_interrupted ? "was interrupted" : "ended",
              s.n, s.n == 1 ? "" : "s", st);
      if (died_early && !was_interrupted &&
          !(WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0))
        print_tail(&c); /* it failed: its own words say why */
      else
        fputs("\n", stderr);
    }
    rc = LS_EXIT_USAGE;
    keep = keep || s.n > 0;
  }
  if (rc == LS_EXIT_OK) {
    if (died_early && !settled && (sch.adaptive || s.n < o.count))
    {
      char planned[48] = "";
      if (!sch.adaptive) snprintf(planned, sizeof planned, " of %zu", sch.count);
      fprintf(stderr, "leakscope run: %s ended (%s)%s after %zu%s snapshot%s; "
                      "analysing those\n",
              o.script_argv[0], st,
              cut ? " while writing the next snapshot (its partial "
                    "file is removed)" : "",
              s.n, planned, s.n == 1 && !planned[0] ? "" : "s");
    }
    ls_trend *t = NULL;
    ls_error err;
    memset(&err, 0, sizeof err);
    ls_status lst = LS_OK;
    /* the adaptive schedule's last look covers them all (unless the HTML
     * report needs what only a final analysis keeps) */
    if (last && last->snapshot_count == s.n && !o.html) {
      t = last;
      last = NULL;
    } else {
      say("analysing %zu snapshots", s.n);
      lst = analyse(&o, &s, &tm, 1, &t, &err);
    }
    if (lst != LS_OK) {
      fprintf(stderr, "leakscope run: %s\n", err.message);
      rc = ls_status_exit_code(lst);
      keep = 1;
    } else {
      if (o.json) ls__render_trend_json(stdout, t);
      else ls__render_trend_text(stdout, t);
      rc = ls__cli_flush();
      if (!rc && o.html && !(rc = ls__html_open("run", o.html, &hout))) {
        ls__html_options ho = {o.html_strings};
        FILE *hf = ls__html_stream(&hout);
        rc = ls__html_commit(&hout, !hf || ls__render_trend_html(hf, t, &ho));
        ls__html_abort(&hout);
      }
      if (!rc && t->verdict != LS_VERDICT_CLEAN) {
        rc = ls__cli_verdict_exit(t);
        keep = 1; /* a leak to look into, or a series to take further */
      }
      ls_trend_free(t);
    }
  }
  if (was_interrupted) keep = keep || s.n > 0;
  if (keep) {
    if (s.n && !o.out)
      fprintf(stderr, "leakscope run: the snapshots are kept in %s\n", outdir);
    remove_all(NULL, &(shots){NULL, 0}, predir, preload);
  } else {
    remove_all(o.out ? NULL : outdir, &s, predir, preload);
  }
  for (size_t i = 0; i < cap; i++) free(s.paths[i]);
  free(s.paths);
  free(tm.time);
  free(tm.work);
  ls_trend_free(last);
  return rc;
}
