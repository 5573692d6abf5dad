/*
 * The session: start a Node.js program, take heap snapshots on a schedule
 * (schedule.c), stop it, and judge the series (the trend analysis). Used by
 * `leakscope run` and by the Node package's run().
 *
 * The child runs with the preload (preload.js, embedded at build time and
 * written into a private temporary folder) that listens on a socket it
 * inherits as fd 3: the session sends "stream K", the preload takes the
 * snapshot with an in-process inspector session and writes its chunks to
 * a blocking pipe it inherits as fd 4, then answers "done K". The session
 * reads the pipe straight into a reader (sink.c), so no snapshot file is
 * written unless --out asks for copies, and adds each heap to a trend
 * stream (ls_trend_stream) that the schedule's looks and the verdict
 * judge. signal_mode instead starts node with --heapsnapshot-signal, waits
 * for the file to be closed (inotify), reads it and removes it (unless
 * --out).
 *
 * It may run on any thread of a process that has others (the addon runs it
 * on libuv's thread pool): everything the child needs is prepared before
 * fork(), and the child only calls async-signal-safe functions until exec.
 */
#define _GNU_SOURCE /* pipe2, strsignal */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "leakscope.h"
#include "../reader/error.h"
#include "proc.h"
#include "schedule.h"
#include "sink.h"
#include "watch.h"

extern const char ls__preload_js[];
extern const size_t ls__preload_js_len;

#define WAIT_NOTE 60.0 /* seconds a snapshot may take before a note */
#define USR2_WAIT 30.0 /* --signal: seconds node may take to catch SIGUSR2 */
#define CHILD_FD_MIN 10 /* the child's fds 3 and 4 come from here (below) */
#define READ_CHUNK (1u << 20) /* bytes of the snapshot pipe read at once */
#define TAIL_LINES 8   /* of the program's stderr, in a failure */

typedef struct {
  const ls_run_options *o;
  ls__schedule sch;
  char node[4096];     /* the node binary, resolved */
  char outdir[4096];   /* --out, or signal mode's temporary folder; "" */
  int own_outdir;      /* a temporary folder of ours */
  char predir[64];     /* the preload's folder */
  char preload[128];
  char **paths;        /* per snapshot: its file in --out (else NULL) */
  size_t n;            /* complete snapshots, added to ts */
  ls_trend_stream *ts; /* the series so far */
  ls__sink *sink;      /* the snapshot being streamed */
  uint64_t last_bytes; /* size of the newest snapshot */
  double done_at, done_cpu; /* when the program finished it, and its CPU
                          seconds then (before leakscope builds the heap:
                          that is not the program's pause) */
  int data;            /* read end of the snapshot pipe (child's fd 4) */
  double *time, *work; /* per snapshot: when asked (s from start), CPU */
  double written_cpu, asked_cpu;
  int cpu_known;
  ls__watch w;       /* seconds watched that the program could run (watch.h) */
  double *runnable;  /* per snapshot: w.watch when asked */
  /* the child */
  pid_t pid;
  int sock, err, ino;
  char tail[4096];
  size_t tail_len;
  int exited, status;
  int node_major;       /* from node --version */
} session;

#define SAY(x, ...) ls__emit((x)->o->progress, (x)->o->progress_ctx, __VA_ARGS__)
#define NOTE(x, ...) ls__emit((x)->o->note, (x)->o->note_ctx, __VA_ARGS__)

/* The one error filler (src/reader/error.c), without an input offset. */
#define fail(e, code, ...) ls__set_error((e), (code), LS_NO_OFFSET, __VA_ARGS__)

/* The program named `name` as execve needs it: a path, or found on PATH. */
static int resolve(const char *name, char *out, size_t len) {
  if (strchr(name, '/')) {
    snprintf(out, len, "%s", name);
    return access(out, X_OK) == 0 ? 0 : -1;
  }
  const char *path = getenv("PATH");
  if (!path || !*path) path = "/usr/local/bin:/usr/bin:/bin";
  for (const char *p = path; *p;) {
    const char *e = strchr(p, ':');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    snprintf(out, len, "%.*s/%s", (int)l, l ? p : ".", name);
    struct stat sb;
    if (stat(out, &sb) == 0 && S_ISREG(sb.st_mode) && access(out, X_OK) == 0) return 0;
    p += l + (e ? 1 : 0);
    if (!e) break;
  }
  return -1;
}

/* "node --version" must print vMAJOR..., MAJOR >= 18. */
static ls_status check_node(session *x, ls_error *err) {
  const char *name = x->o->node ? x->o->node : "node";
  if (resolve(name, x->node, sizeof x->node))
    return fail(err, LS_ERR_INVALID_ARG,
                "--node %.300s: not a Node.js binary (expected '%.300s --version' "
                "to print vNN.N.N): not found or not executable", name, name);
  int p[2];
  if (pipe2(p, O_CLOEXEC)) return fail(err, LS_ERR_SYSTEM, "pipe: %s", strerror(errno));
  char *av[] = {x->node, "--version", NULL};
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]), close(p[1]);
    if (devnull >= 0) close(devnull);
    return fail(err, LS_ERR_SYSTEM, "fork: %s", strerror(errno));
  }
  if (pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    if (devnull >= 0) dup2(devnull, STDERR_FILENO), dup2(devnull, STDIN_FILENO);
    execv(x->node, av);
    _exit(127);
  }
  close(p[1]);
  if (devnull >= 0) close(devnull);
  char buf[64] = {0};
  size_t len = 0;
  ssize_t r;
  while (len + 1 < sizeof buf && (r = read(p[0], buf + len, sizeof buf - 1 - len)) > 0)
    len += (size_t)r;
  close(p[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  int major = buf[0] == 'v' ? atoi(buf + 1) : 0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || major == 0)
    return fail(err, LS_ERR_INVALID_ARG,
                "--node %.300s: not a Node.js binary (expected '%.300s --version' "
                "to print vNN.N.N)", name, name);
  if (major < 18) {
    buf[strcspn(buf, "\n")] = 0;
    return fail(err, LS_ERR_INVALID_ARG,
                "--node %.300s is Node.js %.20s: version 18 or later is needed",
                name, buf);
  }
  x->node_major = major;
  return LS_OK;
}

static ls_status make_private_dir(const char *dir, ls_error *err) {
  if (mkdir(dir, 0700) == 0) return LS_OK;
  struct stat sb;
  if (errno == EEXIST && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode)) return LS_OK;
  return fail(err, LS_ERR_INVALID_ARG,
              "--out %.300s: %s (expected a folder to create or use)", dir,
              errno == EEXIST ? "not a folder" : strerror(errno));
}

static void keep_tail(session *x, const char *p, size_t n) {
  if (n >= sizeof x->tail) {
    memcpy(x->tail, p + n - sizeof x->tail + 1, sizeof x->tail - 1);
    x->tail_len = sizeof x->tail - 1;
  } else {
    if (x->tail_len + n >= sizeof x->tail) {
      size_t drop = x->tail_len + n - (sizeof x->tail - 1);
      memmove(x->tail, x->tail + drop, x->tail_len - drop);
      x->tail_len -= drop;
    }
    memcpy(x->tail + x->tail_len, p, n);
    x->tail_len += n;
  }
  x->tail[x->tail_len] = 0;
}

/* The last lines the program wrote on stderr (all of it passed through
 * already; a failure message repeats the cause next to leakscope's words). */
static const char *tail_lines(const session *x) {
  if (!x->tail_len) return NULL;
  const char *t = x->tail + x->tail_len;
  int lines = 0;
  while (t > x->tail && lines <= TAIL_LINES)
    if (*--t == '\n' && t + 1 < x->tail + x->tail_len) lines++;
  if (*t == '\n') t++;
  return t;
}

/* Start the child. Everything is prepared here; after fork() the child
 * only moves file descriptors, resets signals and execs. */
static ls_status start_child(session *x, ls_error *err) {
  const ls_run_options *o = x->o;
  int sv[2] = {-1, -1}, ep[2] = {-1, -1}, dp[2] = {-1, -1};
  if (!o->signal_mode && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
    return fail(err, LS_ERR_SYSTEM, "socketpair: %s", strerror(errno));
  if (!o->signal_mode && pipe2(dp, O_CLOEXEC)) {
    close(sv[0]), close(sv[1]);
    return fail(err, LS_ERR_SYSTEM, "pipe: %s", strerror(errno));
  }
  if (!o->signal_mode) {
    /* the child's ends move to fds 3 and 4: from numbers above both, so
     * neither dup2 can close the other's source; our end of the snapshot
     * pipe never blocks (the child's does: see preload.js) */
    int a = fcntl(sv[1], F_DUPFD_CLOEXEC, CHILD_FD_MIN);
    int b = fcntl(dp[1], F_DUPFD_CLOEXEC, CHILD_FD_MIN);
    close(sv[1]), close(dp[1]);
    sv[1] = a, dp[1] = b;
    /* a larger pipe: fewer wake-ups per snapshot (best effort) */
    (void)fcntl(dp[0], F_SETPIPE_SZ, (int)READ_CHUNK);
    if (a < 0 || b < 0 || fcntl(dp[0], F_SETFL, O_NONBLOCK)) {
      int e = errno;
      close(sv[0]), close(dp[0]);
      if (a >= 0) close(a);
      if (b >= 0) close(b);
      return fail(err, LS_ERR_SYSTEM, "fcntl: %s", strerror(e));
    }
  }
  if (pipe2(ep, O_CLOEXEC)) {
    if (sv[0] >= 0) close(sv[0]), close(sv[1]), close(dp[0]), close(dp[1]);
    return fail(err, LS_ERR_SYSTEM, "pipe: %s", strerror(errno));
  }
  size_t na = 0, ne = 0;
  while (o->argv[na]) na++;
  extern char **environ;
  while (environ[ne]) ne++;
  char **av = calloc(na + 8, sizeof *av), **ev = calloc(ne + 3, sizeof *ev);
  char sigdir[4200];
  snprintf(sigdir, sizeof sigdir, "--diagnostic-dir=%s", x->outdir);
  if (!av || !ev) {
    free(av), free(ev);
    close(ep[0]), close(ep[1]);
    if (sv[0] >= 0) close(sv[0]), close(sv[1]), close(dp[0]), close(dp[1]);
    return fail(err, LS_ERR_NOMEM, "out of memory starting the program");
  }
  size_t k = 0;
  av[k++] = x->node;
  if (o->allocations) {
    /* V8 records the function of each stack frame, and an inlined call has
     * no frame: without inlining, a site is the function that allocated,
     * not the optimised caller it was inlined into (Maglev from Node 20) */
    av[k++] = "--track-heap-objects";
    av[k++] = "--no-turbo-inlining";
    if (x->node_major >= 20) av[k++] = "--no-maglev-inlining";
  }
  if (o->signal_mode) {
    av[k++] = "--heapsnapshot-signal=SIGUSR2";
    av[k++] = sigdir;
  } else {
    av[k++] = "--require";
    av[k++] = x->preload;
  }
  for (size_t i = 0; i < na; i++) av[k++] = (char *)o->argv[i];
  size_t m = 0;
  for (size_t i = 0; i < ne; i++)
    if (strncmp(environ[i], "LEAKSCOPE_FD=", 13) && strncmp(environ[i], "LEAKSCOPE_DATA_FD=", 18))
      ev[m++] = environ[i];
  if (!o->signal_mode) {
    ev[m++] = "LEAKSCOPE_FD=3";
    ev[m++] = "LEAKSCOPE_DATA_FD=4";
  }
  sigset_t none;
  sigemptyset(&none);
  x->pid = fork();
  if (x->pid < 0) {
    int e = errno;
    free(av), free(ev);
    close(ep[0]), close(ep[1]);
    if (sv[0] >= 0) close(sv[0]), close(sv[1]), close(dp[0]), close(dp[1]);
    return fail(err, LS_ERR_SYSTEM, "cannot start the program: fork: %s", strerror(e));
  }
  if (x->pid == 0) {
    /* the program gets default signals and an empty mask, whatever thread
     * we forked from */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /* our stdout carries only a report: the program's goes to stderr */
    if (o->stdout_to_stderr) dup2(STDERR_FILENO, STDOUT_FILENO);
    dup2(ep[1], STDERR_FILENO);
    if (!o->signal_mode) { /* dup2 clears close-on-exec */
      dup2(sv[1], 3);
      dup2(dp[1], 4);
    }
    execve(x->node, av, ev);
    static const char msg[] = "leakscope: cannot execute the node binary\n";
    (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
    _exit(127);
  }
  free(av);
  free(ev);
  close(ep[1]);
  x->err = ep[0];
  if (!o->signal_mode) {
    close(sv[1]);
    close(dp[1]);
    x->sock = sv[0];
    x->data = dp[0];
  }
  return LS_OK;
}

/* Forward what the child wrote on stderr. */
static void pump_stderr(session *x) {
  char buf[4096];
  ssize_t r = read(x->err, buf, sizeof buf);
  if (r > 0) {
    (void)ls__write_all(STDERR_FILENO, buf, (size_t)r);
    keep_tail(x, buf, (size_t)r);
  } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
    close(x->err);
    x->err = -1;
  }
}

static void reap(session *x, int block) {
  if (x->exited) return;
  pid_t r;
  do r = waitpid(x->pid, &x->status, block ? 0 : WNOHANG);
  while (r < 0 && errno == EINTR);
  if (r == x->pid) x->exited = 1;
}

/* SIGTERM, then SIGKILL after `grace` seconds, forwarding stderr. */
static void stop_child(session *x, double grace) {
  reap(x, 0);
  if (x->exited) return;
  kill(x->pid, SIGTERM);
  double until = ls__now() + grace;
  while (!x->exited && ls__now() < until) {
    struct pollfd p = {x->err, POLLIN, 0};
    if (x->err >= 0 && poll(&p, 1, 50) > 0) pump_stderr(x);
    else if (x->err < 0) nanosleep(&(struct timespec){0, 50000000}, NULL);
    reap(x, 0);
  }
  if (!x->exited) {
    kill(x->pid, SIGKILL);
    reap(x, 1);
  }
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

/* A snapshot V8 finished ends with the strings array: `]}` (then maybe
 * white space). A program killed while writing one (the OOM killer) leaves
 * a cut file, which signal mode sees closed like a complete one. */
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

/* signal mode: node names its files Heap.<date>.<time>.<pid>.<tid>.<seq>.
 * heapsnapshot; is `name` one of this child's? */
static int child_snapshot_name(const char *name, pid_t pid) {
  size_t l = strlen(name);
  char mid[32];
  snprintf(mid, sizeof mid, ".%d.", (int)pid);
  return l > 13 && !strcmp(name + l - 13, ".heapsnapshot") &&
         !strncmp(name, "Heap.", 5) && strstr(name, mid);
}

/* The snapshot just taken (number x->n + 1), whole in the sink or in the
 * file `from` (signal mode), into the stream. */
static ls_status add_snapshot(session *x, const char *from, ls_error *err) {
  const size_t k = x->n;
  const double work = x->cpu_known ? x->work[k] : -1;
  ls_status st;
  memset(err, 0, sizeof *err);
  if (from) {
    struct stat sb;
    x->last_bytes = stat(from, &sb) == 0 ? (uint64_t)sb.st_size : 0;
    st = ls__sink_file(from, x->ts, x->paths[k], x->time[k], work, x->runnable[k], err);
  } else {
    x->last_bytes = ls__sink_bytes(x->sink);
    st = ls__sink_end(x->sink, x->ts, x->paths[k], x->time[k], work, x->runnable[k], err);
    x->sink = NULL;
  }
  if (st == LS_OK) x->n++;
  return st;
}

/* A snapshot was added: its cost is from when it was asked to when the
 * program finished writing it (before leakscope builds the heap: that is
 * not the program's pause); the rest is shared with attach (watch.c). */
static int snapshot_done(session *x, double t0, double asked, double *last_write,
                         double *due, ls_trend **last) {
  *last_write = x->done_at - asked;
  const ls__after a = {&x->sch, x->ts, x->n, x->time, &x->w, x->done_cpu, x->asked_cpu,
                       &x->written_cpu, &x->cpu_known, x->last_bytes, *last_write,
                       x->o->progress, x->o->progress_ctx};
  return ls__snapshot_after(&a, t0, due, last);
}

/* The temporary folders (signal mode's snapshots are removed as they are
 * read; --out is the user's and keeps its files). */
static void remove_files(session *x) {
  if (x->own_outdir) rmdir(x->outdir);
  if (x->preload[0]) unlink(x->preload);
  if (x->predir[0]) rmdir(x->predir);
}

void ls_run_free(ls_run *r) {
  if (!r) return;
  ls_trend_free(r->trend);
  free(r->kept_dir);
  free(r->failure);
  free(r);
}

static void set_failure(ls_run *r, const session *x, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_failure(ls_run *r, const session *x, const char *fmt, ...) {
  char head[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(head, sizeof head, fmt, ap);
  va_end(ap);
  const char *tail = x ? tail_lines(x) : NULL;
  size_t len = strlen(head) + (tail ? strlen(tail) + 32 : 0) + 1;
  free(r->failure);
  if (!(r->failure = malloc(len))) return;
  if (tail)
    snprintf(r->failure, len, "%s; the end of its stderr:\n%s", head, tail);
  else
    snprintf(r->failure, len, "%s", head);
  size_t l = strlen(r->failure);
  while (l && r->failure[l - 1] == '\n') r->failure[--l] = 0;
}

ls_status ls_run_program(const ls_run_options *o, ls_run **out, ls_error *err) {
  if (!o || !out || !o->argv || !o->argv[0])
    return fail(err, LS_ERR_INVALID_ARG, "ls_run_program: no program to run");
  *out = NULL;
  ls__schedule sch;
  if (ls__schedule_init(&sch, o->warmup, o->every, o->count, o->max_time))
    return fail(err, LS_ERR_INVALID_ARG,
                "ls_run_program: a schedule needs at least %d snapshots, and "
                "times of 0 or more", LS_TREND_MIN_SNAPSHOTS);
  struct stat sb;
  if (stat(o->argv[0], &sb) != 0 || !S_ISREG(sb.st_mode))
    return fail(err, LS_ERR_INVALID_ARG,
                "%.300s: %s (expected a JavaScript file to run with node)", o->argv[0],
                stat(o->argv[0], &sb) != 0 ? strerror(errno) : "not a regular file");
  session *x = calloc(1, sizeof *x);
  ls_run *r = calloc(1, sizeof *r);
  if (!x || !r) {
    free(x), free(r);
    return fail(err, LS_ERR_NOMEM, "out of memory");
  }
  x->o = o;
  x->sock = x->err = x->ino = x->data = -1;
  x->cpu_known = 1;
  x->sch = sch;
  ls_status st = check_node(x, err);
  if (st != LS_OK) goto fail_early;
  /* folders: the snapshots' (out_dir; signal mode: else temporary, as
   * node writes files there) and the preload's */
  if (o->out_dir) {
    if ((st = make_private_dir(o->out_dir, err)) != LS_OK) goto fail_early;
    snprintf(x->outdir, sizeof x->outdir, "%s", o->out_dir);
  } else if (o->signal_mode) {
    strcpy(x->outdir, "/tmp/leakscope-run-XXXXXX");
    if (!mkdtemp(x->outdir)) {
      st = fail(err, LS_ERR_SYSTEM, "cannot create a temporary folder: %s", strerror(errno));
      goto fail_early;
    }
    x->own_outdir = 1;
  }
  x->paths = calloc(x->sch.count, sizeof *x->paths);
  x->time = calloc(x->sch.count, sizeof *x->time);
  x->work = calloc(x->sch.count, sizeof *x->work);
  x->runnable = calloc(x->sch.count, sizeof *x->runnable);
  if ((st = ls_trend_stream_new(&o->trend, &x->ts, err)) != LS_OK) goto fail_files;
  strcpy(x->predir, "/tmp/leakscope-preload-XXXXXX");
  if (!x->paths || !x->time || !x->work || !x->runnable || !mkdtemp(x->predir)) {
    x->predir[0] = 0;
    st = fail(err, LS_ERR_SYSTEM, "cannot create a temporary folder");
    goto fail_files;
  }
  snprintf(x->preload, sizeof x->preload, "%s/preload.cjs", x->predir);
  int pf = open(x->preload, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (pf < 0 || ls__write_all(pf, ls__preload_js, ls__preload_js_len)) {
    st = fail(err, LS_ERR_SYSTEM, "cannot write the preload: %s", strerror(errno));
    if (pf >= 0) close(pf);
    goto fail_files;
  }
  close(pf);
  if (o->signal_mode) {
    x->ino = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (x->ino < 0 || inotify_add_watch(x->ino, x->outdir, IN_CLOSE_WRITE) < 0) {
      st = fail(err, LS_ERR_SYSTEM, "inotify: %s", strerror(errno));
      goto fail_files;
    }
  }
  if ((st = start_child(x, err)) != LS_OK) goto fail_files;
  SAY(x, "started %s (pid %d); first snapshot in %.1f s%s", o->argv[0], (int)x->pid,
      x->sch.warmup, x->sch.adaptive ? " (then until the verdict is settled)" : "");

  const double t0 = ls__now();
  int pending = 0;           /* snapshot number being taken, 0 = none */
  int cut = 0;               /* a snapshot cut short was discarded */
  double pending_since = 0;
  double sock_closed_at = 0; /* when the preload's socket closed */
  int slow_said = 0;         /* the snapshot the "still waiting" note was for */
  char failure[600] = "";
  char line[1024];
  size_t line_len = 0;
  double due = t0 + ls__schedule_due(&x->sch, 0, 0, 0);
  double last_write = 0;
  int settled = 0, broken = 0;
  ls_trend *last = NULL; /* the newest look (adaptive schedule) */
  char *chunk = o->signal_mode ? NULL : malloc(READ_CHUNK);
  if (!o->signal_mode && !chunk) broken = 1;
  ls_error aerr; /* why a snapshot could not be added */
  while (!broken && !(o->stop && *o->stop) && !settled &&
         ls__schedule_more(&x->sch, x->n, due - t0)) {
    reap(x, 0);
    if (x->exited) break;
    /* the preload's socket closed but the program lives on (it closed fd
     * 3 itself): no snapshot can be asked for; an exiting program closes
     * it too, so give it a moment to be reaped first */
    if (!o->signal_mode && x->sock < 0) {
      if (ls__now() - sock_closed_at > 2.0) {
        snprintf(failure, sizeof failure,
                 "the program closed file descriptor 3, which leakscope's "
                 "preload uses to ask for snapshots (try --signal)");
        break;
      }
      struct pollfd pe = {x->err, POLLIN, 0};
      if (poll(&pe, x->err >= 0, 100) > 0) pump_stderr(x);
      continue;
    }
    if (pending && slow_said != pending && ls__now() - pending_since > WAIT_NOTE) {
      /* a program whose event loop never turns cannot answer */
      NOTE(x, "still waiting for snapshot %d after 60 s: the program has not "
              "finished taking it (a blocked event loop cannot start it; a big "
              "heap takes long); Ctrl-C stops", pending);
      slow_said = pending;
    }
    /* --signal: a SIGUSR2 that comes before node has set up
     * --heapsnapshot-signal (or after the program put the default back)
     * would end the program, its default action: wait until /proc shows
     * it caught */
    if (o->signal_mode && !pending && ls__now() >= due) {
      const int how = ls__proc_signal(x->pid, SIGUSR2);
      if (how != 1 && how != -2) {
        if (ls__now() - due > USR2_WAIT) {
          snprintf(failure, sizeof failure,
                   "the program has not caught SIGUSR2 after %.0f s (%s), so "
                   "--signal cannot ask it for a snapshot: does it reset "
                   "SIGUSR2's handler? Try without --signal",
                   USR2_WAIT, how < 0 ? "it ignores the signal" : "the signal would end it");
          break;
        }
        struct pollfd pe = {x->err, POLLIN, 0};
        if (poll(&pe, x->err >= 0, 20) > 0) pump_stderr(x);
        continue;
      }
    }
    if (!pending && ls__now() >= due) {
      if (o->out_dir) {
        char path[4200];
        snprintf(path, sizeof path, "%s/snap-%02zu.heapsnapshot", x->outdir, x->n + 1);
        if (!(x->paths[x->n] = strdup(path))) {
          broken = 1;
          break;
        }
      }
      if (!o->signal_mode) {
        ls_error se;
        if (ls__sink_begin(x->paths[x->n], &x->sink, &se) != LS_OK) {
          snprintf(failure, sizeof failure, "%.500s", se.message);
          break;
        }
      }
      pending = (int)x->n + 1;
      pending_since = ls__now();
      x->time[x->n] = ls__now() - t0;
      ls__watch_note(&x->w, x->pid, x->time, x->n);
      x->runnable[x->n] = x->w.watch;
      double cpu = ls__proc_cpu(x->pid);
      if (cpu < 0) x->cpu_known = 0;
      x->asked_cpu = cpu;
      x->work[x->n] = cpu - x->written_cpu;
      if (x->sch.adaptive) SAY(x, "taking snapshot %d", pending);
      else SAY(x, "taking snapshot %d of %zu", pending, x->sch.count);
      if (o->signal_mode) {
        kill(x->pid, SIGUSR2);
      } else {
        char msg[64];
        int m = snprintf(msg, sizeof msg, "stream %d\n", pending);
        if (ls__write_all(x->sock, msg, (size_t)m)) {
          /* the socket is closed: the program is exiting, or it closed
           * fd 3 (then the check above stops it) */
          ls__sink_abort(x->sink);
          x->sink = NULL;
          free(x->paths[x->n]);
          x->paths[x->n] = NULL;
          pending = 0;
          close(x->sock);
          x->sock = -1;
          sock_closed_at = ls__now();
          continue;
        }
      }
    }
    struct pollfd p[4];
    int np = 0, ies = -1, isock = -1, iino = -1, idata = -1;
    if (x->err >= 0) ies = np, p[np++] = (struct pollfd){x->err, POLLIN, 0};
    if (x->sock >= 0) isock = np, p[np++] = (struct pollfd){x->sock, POLLIN, 0};
    if (x->ino >= 0) iino = np, p[np++] = (struct pollfd){x->ino, POLLIN, 0};
    if (x->data >= 0) idata = np, p[np++] = (struct pollfd){x->data, POLLIN, 0};
    double wait = pending ? 0.2 : due - ls__now();
    if (wait > 0.2) wait = 0.2; /* notice the child's exit and *stop promptly */
    if (wait < 0) wait = 0;
    int rr = poll(p, (nfds_t)np, (int)(wait * 1000));
    if (rr < 0 && errno == EINTR) continue;
    if (ies >= 0 && (p[ies].revents & (POLLIN | POLLHUP))) pump_stderr(x);
    if (idata >= 0 && (p[idata].revents & (POLLIN | POLLHUP))) {
      /* the snapshot's bytes, straight into the reader (nothing is sent
       * when none is pending; anything else is dropped) */
      ssize_t n = read(x->data, chunk, READ_CHUNK);
      if (n > 0 && x->sink) ls__sink_feed(x->sink, chunk, (size_t)n, NULL);
      else if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
        close(x->data); /* the program closed it: no more snapshots */
        x->data = -1;
      }
    }
    if (isock >= 0 && (p[isock].revents & (POLLIN | POLLHUP))) {
      ssize_t n = read(x->sock, line + line_len, sizeof line - 1 - line_len);
      if (n <= 0) {
        close(x->sock);
        x->sock = -1;
        sock_closed_at = ls__now();
        continue;
      }
      line_len += (size_t)n;
      line[line_len] = 0;
      char *nl;
      while ((nl = memchr(line, '\n', line_len))) {
        *nl = 0;
        int k = 0;
        if (sscanf(line, "done %d", &k) == 1 && k == pending && x->sink) {
          /* every byte was in the pipe before "done": drain it */
          ssize_t n2;
          while (x->data >= 0 && (n2 = read(x->data, chunk, READ_CHUNK)) != 0) {
            if (n2 < 0 && errno == EINTR) continue;
            if (n2 < 0) break; /* EAGAIN: all of it */
            ls__sink_feed(x->sink, chunk, (size_t)n2, NULL);
          }
          pending = 0;
          x->done_at = ls__now();
          x->done_cpu = ls__proc_cpu(x->pid);
          if (add_snapshot(x, NULL, &aerr) != LS_OK) {
            snprintf(failure, sizeof failure, "%.500s", aerr.message);
            if (x->paths[x->n]) { /* ls__sink_end removed the file */
              free(x->paths[x->n]);
              x->paths[x->n] = NULL;
            }
          } else {
            settled = snapshot_done(x, t0, pending_since, &last_write, &due, &last);
          }
        } else if (!strncmp(line, "fail ", 5)) {
          const char *why = strchr(line + 5, ' ');
          snprintf(failure, sizeof failure, "%.500s", why ? why + 1 : line + 5);
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
      ssize_t n = read(x->ino, ev, sizeof ev);
      for (ssize_t off = 0; n > 0 && off < n;) {
        struct inotify_event *e = (struct inotify_event *)(ev + off);
        off += (ssize_t)(sizeof *e + e->len);
        size_t l = e->len ? strlen(e->name) : 0;
        if (!pending || l < 13 || strcmp(e->name + l - 13, ".heapsnapshot") ||
            !strncmp(e->name, "snap-", 5))
          continue;
        char from[sizeof x->outdir + 260];
        snprintf(from, sizeof from, "%s/%s", x->outdir, e->name);
        chmod(from, 0600);
        if (!snapshot_complete(from)) {
          cut = unlink(from) == 0; /* the program is dying (see below) */
          continue;
        }
        /* kept as snap-NN in --out, else read and removed */
        const char *file = from;
        if (x->paths[x->n] && rename(from, x->paths[x->n]) == 0) file = x->paths[x->n];
        pending = 0;
        x->done_at = ls__now();
        x->done_cpu = ls__proc_cpu(x->pid);
        const ls_status ast = add_snapshot(x, file, &aerr);
        if (file == from) unlink(from);
        if (ast != LS_OK) {
          snprintf(failure, sizeof failure, "%.500s", aerr.message);
          break;
        }
        settled = snapshot_done(x, t0, pending_since, &last_write, &due, &last);
      }
      if (failure[0]) break;
    }
  }

  /* stop the program (it may be done already) */
  r->interrupted = o->stop && *o->stop;
  reap(x, 0);
  const int died_early = x->exited;
  if (!x->exited) stop_child(x, 5.0);
  while (x->err >= 0) pump_stderr(x); /* the rest of its stderr */
  if (x->sock >= 0) close(x->sock);
  if (x->data >= 0) close(x->data);
  if (x->ino >= 0) close(x->ino);
  free(chunk);
  if (o->signal_mode) { /* files node closed after the loop ended */
    DIR *d = opendir(x->outdir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
      if (!child_snapshot_name(de->d_name, x->pid)) continue;
      char f[sizeof x->outdir + 260];
      snprintf(f, sizeof f, "%s/%s", x->outdir, de->d_name);
      if (pending && !failure[0] && snapshot_complete(f) && chmod(f, 0600) == 0) {
        const char *file = f;
        if (x->paths[x->n] && rename(f, x->paths[x->n]) == 0) file = x->paths[x->n];
        pending = 0;
        if (add_snapshot(x, file, &aerr) != LS_OK)
          snprintf(failure, sizeof failure, "%.500s", aerr.message);
        if (file == f) unlink(f);
      } else if (unlink(f) == 0) {
        cut = 1;
      }
    }
    if (d) closedir(d);
  }
  if (pending) { /* a snapshot that never completed: discarded */
    if (x->sink) {
      ls__sink_abort(x->sink); /* removes its copy in --out */
      x->sink = NULL;
      cut = 1;
    } else if (x->paths[x->n] && unlink(x->paths[x->n]) == 0) {
      cut = 1;
    }
    free(x->paths[x->n]);
    x->paths[x->n] = NULL;
  }
  r->snapshots = x->n;
  char sts[96];
  describe_status(x->status, sts, sizeof sts);
  const char *script = o->argv[0];
  const int clean_exit = WIFEXITED(x->status) && WEXITSTATUS(x->status) == 0;
  int keep = o->out_dir != NULL;
  if (broken) {
    st = fail(err, LS_ERR_NOMEM, "out of memory taking snapshots");
  } else if (failure[0]) {
    NOTE(x, "the program could not take snapshot %zu: %s", x->n + 1, failure);
  }
  if (!broken && x->n < LS_TREND_MIN_SNAPSHOTS) {
    if (cut && died_early && WIFSIGNALED(x->status))
      set_failure(r, NULL, "%s was %s while writing snapshot %d: a snapshot needs up "
                  "to about twice the heap in memory (out of memory?)", script, sts,
                  pending);
    else if (died_early && x->n == 0 && !clean_exit)
      set_failure(r, x, "%s ended (%s) before the first snapshot", script, sts);
    else if (failure[0])
      set_failure(r, NULL, "stopped %s after %zu snapshot%s; a trend needs %d", script,
                  x->n, x->n == 1 ? "" : "s", LS_TREND_MIN_SNAPSHOTS);
    else if (died_early && !r->interrupted && !clean_exit)
      set_failure(r, x, "%s ended after %zu snapshot%s (%s); a trend needs %d: let it "
                  "run longer, or use a shorter --warmup/--every", script, x->n,
                  x->n == 1 ? "" : "s", sts, LS_TREND_MIN_SNAPSHOTS);
    else
      set_failure(r, NULL, "%s %s after %zu snapshot%s (%s); a trend needs %d: let it "
                  "run longer, or use a shorter --warmup/--every", script,
                  r->interrupted ? "was interrupted" : "ended", x->n,
                  x->n == 1 ? "" : "s", sts, LS_TREND_MIN_SNAPSHOTS);
    st = r->failure ? fail(err, LS_ERR_PROGRAM, "%.500s", r->failure)
                    : fail(err, LS_ERR_NOMEM, "out of memory");
  } else if (!broken) {
    if (died_early && !settled && (x->sch.adaptive || x->n < x->sch.count)) {
      char planned[48] = "";
      if (!x->sch.adaptive) snprintf(planned, sizeof planned, " of %zu", x->sch.count);
      NOTE(x, "%s ended (%s)%s after %zu%s snapshot%s; analysing those", script, sts,
           !cut ? ""
           : o->out_dir ? " while writing the next snapshot (its partial file is removed)"
                        : " while writing the next snapshot (the cut one is discarded)",
           x->n, planned, x->n == 1 && !planned[0] ? "" : "s");
    }
    /* the adaptive schedule's last look covers them all */
    if (last && last->snapshot_count == x->n) {
      r->trend = last;
      last = NULL;
    } else {
      SAY(x, "judging %zu snapshots", x->n);
      memset(err, 0, sizeof *err);
      st = ls_trend_stream_judge(x->ts, &r->trend, err);
    }
  }
  ls_trend_free(last);
  if (keep && x->n && !(r->kept_dir = strdup(x->outdir))) keep = 0;
  remove_files(x);
  goto out;
fail_files:
  remove_files(x);
fail_early:
  ls_run_free(r);
  r = NULL;
out:
  if (x->paths)
    for (size_t i = 0; i < x->sch.count; i++) free(x->paths[i]);
  free(x->paths);
  free(x->time);
  free(x->work);
  free(x->runnable);
  ls__sink_abort(x->sink);
  ls_trend_stream_free(x->ts);
  free(x);
  if (r && st != LS_OK && st != LS_ERR_PROGRAM && !r->snapshots) {
    ls_run_free(r); /* nothing to tell but the error */
    r = NULL;
  }
  *out = r;
  return st;
}
