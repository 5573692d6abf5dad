/*
 * The session on a process that already runs (`leakscope attach PID`):
 * find or open its inspector, take heap snapshots over the protocol
 * (inspector.c) on the schedule of `run` (schedule.c), judge the series,
 * and leave the process as it was.
 *
 * Opening: Node opens its inspector on SIGUSR1 (127.0.0.1:9229, or its
 * --inspect-port). Before sending it we check that the process catches
 * SIGUSR1 (the default action would end it: --disable-sigusr1) and that
 * nobody else holds the port; the inspector's socket is then the listening
 * socket that is new among the process's own fds. An inspector that was
 * open already is found the same way (its socket among the process's) and
 * left open; one attach opened is closed again, because whoever can reach
 * an open inspector can run code in the process.
 *
 * The snapshots stream over the WebSocket through the session's sink
 * (sink.c, shared with run: each chunk unescaped into the push reader,
 * never the whole text in memory; each heap added to a trend stream and
 * freed), so no file is written unless --out asks for copies (0700
 * folder, 0600 files). The verdict is ls_trend_build's for the same
 * snapshots.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "leakscope.h"
#include "../reader/error.h"
#include "inspector.h"
#include "proc.h"
#include "schedule.h"
#include "sink.h"
#include "watch.h"

#define fail(e, code, ...) ls__set_error((e), (code), LS_NO_OFFSET, __VA_ARGS__)

#define OPEN_WAIT 5.0     /* seconds for the inspector to listen after SIGUSR1 */
#define CLOSE_WAIT 5.0    /* ... and to stop listening after close() */
#define NET_TIMEOUT 10.0  /* an HTTP request, the handshake, an evaluate */
#define SNAP_IDLE 120.0   /* a snapshot: the longest silence of the process */
#define MAX_LISTEN 64
#define DEFAULT_PORT 9229

/* Closes the inspector from inside the process. `require` exists only
 * while the expression runs (the console's command-line API), so it is
 * taken then. close() is left for a moment after our answer: we disconnect
 * at once, so it finds no session (with one still connected it waits for
 * it to go, and a program crashed now and then in that wait: SIGSEGV on
 * Node 20). The timer is unref'd (it keeps no program alive) and the call
 * guarded (it cannot throw into the program). */
static const char close_expr[] =
    "(() => { const i = require('inspector'); setTimeout(() => { try { i.close(); } "
    "catch (e) {} }, 300).unref(); return 'closing'; })()";

typedef struct {
  const ls_attach_options *o;
  ls__schedule sch;
  pid_t pid;
  char host[64];
  int port;
  unsigned long inode; /* the inspector's listening socket, 0 if unknown */
  int opened;
  int close_tried;
  ls__insp *c;
  ls_trend_stream *ts;
  size_t n;
  double *time, *work, *runnable;
  double written_cpu, asked_cpu;
  int cpu_known;
  ls__watch w; /* seconds watched that the process could run (watch.h) */
} att;

static void nap(double s) {
  if (s <= 0) return;
  struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
  nanosleep(&ts, NULL);
}

#define SAY(x, ...) ls__emit((x)->o->progress, (x)->o->progress_ctx, __VA_ARGS__)
#define NOTE(x, ...) ls__emit((x)->o->note, (x)->o->note_ctx, __VA_ARGS__)

static int alive(pid_t pid) {
  char state = 0;
  return ls__proc_status(pid, NULL, NULL, &state) == 0 && state != 'Z' && state != 'X';
}

/* ---- checks before anything is sent to the process --------------------- */

static ls_status check_process(att *a, ls_error *err) {
  const pid_t pid = a->pid;
  uid_t ruid = 0, euid = 0;
  char state = 0;
  if (kill(pid, 0) != 0 && errno == ESRCH)
    return fail(err, LS_ERR_INVALID_ARG, "no process with pid %d", (int)pid);
  if (ls__proc_status(pid, &ruid, &euid, &state) != 0)
    return fail(err, LS_ERR_INVALID_ARG, "pid %d: cannot read /proc/%d/status (%s)", (int)pid,
                (int)pid, strerror(errno));
  if (state == 'Z' || state == 'X')
    return fail(err, LS_ERR_INVALID_ARG, "pid %d has ended (its parent has not reaped it "
                "yet)", (int)pid);
  const uid_t me = geteuid();
  if (me != 0 && (me != ruid || me != euid))
    return fail(err, LS_ERR_INVALID_ARG,
                "pid %d belongs to uid %u, and we are uid %u: only its owner or root may "
                "attach (an inspector lets whoever is attached run code in the process)",
                (int)pid, (unsigned)euid, (unsigned)me);
  char exe[4096] = "";
  if (ls__proc_exe(pid, exe, sizeof exe) != 0)
    return fail(err, LS_ERR_INVALID_ARG, "pid %d: cannot read /proc/%d/exe (%s)", (int)pid,
                (int)pid, strerror(errno));
  const char *base = strrchr(exe, '/');
  base = base ? base + 1 : exe;
  /* node, nodejs, node22...; a program embedding libnode */
  int node = !strncmp(base, "node", 4);
  if (!node) {
    char maps[64];
    snprintf(maps, sizeof maps, "/proc/%d/maps", (int)pid);
    FILE *f = fopen(maps, "re");
    char line[1024];
    while (f && !node && fgets(line, sizeof line, f)) node = strstr(line, "/libnode.so") != NULL;
    if (f) fclose(f);
  }
  if (!node)
    return fail(err, LS_ERR_INVALID_ARG,
                "pid %d is not a Node.js process (its program is %s); attach needs node",
                (int)pid, exe);
  return LS_OK;
}

/* The address to connect to for a listener: loopback, or loopback for a
 * wildcard one; "" when it listens on another address only. */
static void connect_host(const ls__listener *l, char *host, size_t len) {
  if (!strcmp(l->addr, "0.0.0.0")) snprintf(host, len, "127.0.0.1");
  else if (!strcmp(l->addr, "::")) snprintf(host, len, "[::1]");
  else if (!ls__insp_loopback(l->addr)) host[0] = 0;
  else if (l->v6) snprintf(host, len, "[%s]", l->addr); /* "[::1]:PORT" in messages */
  else snprintf(host, len, "%s", l->addr);
}

/* Is one of `ls` (port `port`, or any when 0) an inspector of Node? */
static int probe_among(att *a, const ls__listener *ls, int n, int port, char *version,
                       size_t vlen) {
  for (int i = 0; i < n; i++) {
    char host[64];
    if (port && ls[i].port != port) continue;
    connect_host(&ls[i], host, sizeof host);
    if (!host[0] || ls__insp_probe(host, ls[i].port, 2.0, version, vlen) != 0) continue;
    snprintf(a->host, sizeof a->host, "%s", host);
    a->port = ls[i].port;
    a->inode = ls[i].inode;
    return 1;
  }
  return 0;
}

static int parse_inspect(const char *s, char *host, size_t hlen, int *port) {
  const char *colon = strrchr(s, ':');
  if (!colon || colon == s || (size_t)(colon - s) >= hlen) return -1;
  char *end;
  long p = strtol(colon + 1, &end, 10);
  if (*end || p < 1 || p > 65535) return -1;
  memcpy(host, s, (size_t)(colon - s));
  host[colon - s] = 0;
  *port = (int)p;
  /* "::1:9229" as "[::1]" (written so in messages and the Host header) */
  if (strchr(host, ':') && host[0] != '[' && strlen(host) + 3 <= hlen) {
    memmove(host + 1, host, strlen(host) + 1);
    host[0] = '[';
    strcat(host, "]");
  }
  return 0;
}

/* Find the process's inspector, or open it with SIGUSR1. */
static ls_status locate(att *a, ls_error *err) {
  const pid_t pid = a->pid;
  ls__listener before[MAX_LISTEN], cur[MAX_LISTEN];
  char version[32] = "";
  int nb = ls__proc_listeners(pid, before, MAX_LISTEN);
  if (nb < 0)
    return fail(err, LS_ERR_INVALID_ARG, "pid %d: cannot read /proc/%d/fd (%s)", (int)pid,
                (int)pid, strerror(errno));
  int want = 0; /* the port to look for: --inspect's, else where SIGUSR1 opens */
  int sig_port = DEFAULT_PORT; /* where SIGUSR1 opens it: 9229 or --inspect-port */
  char portv[32];
  if (ls__proc_arg_value(pid, "--inspect-port", portv, sizeof portv) == 0 &&
      atoi(strrchr(portv, ':') ? strrchr(portv, ':') + 1 : portv) > 0)
    sig_port = atoi(strrchr(portv, ':') ? strrchr(portv, ':') + 1 : portv);
  if (a->o->inspect) {
    if (parse_inspect(a->o->inspect, a->host, sizeof a->host, &want))
      return fail(err, LS_ERR_INVALID_ARG, "--inspect %s: expected HOST:PORT (127.0.0.1:9229)",
                  a->o->inspect);
    if (!ls__insp_loopback(a->host))
      return fail(err, LS_ERR_INVALID_ARG,
                  "--inspect %s: %s is not a loopback address: attach connects to 127.0.0.1, "
                  "::1 or localhost only (an inspector reachable from other hosts lets them "
                  "run code in the process)", a->o->inspect, a->host);
  } else {
    want = sig_port;
  }
  /* open already? (on the port looked for, or anywhere when it was started
   * with --inspect*) */
  int started_open = ls__proc_has_arg(pid, "--inspect") || ls__proc_has_arg(pid, "--inspect-brk") ||
                     ls__proc_has_arg(pid, "--inspect-wait");
  char user_host[64];
  snprintf(user_host, sizeof user_host, "%s", a->host);
  if (probe_among(a, before, nb, want, version, sizeof version) ||
      (started_open && !a->o->inspect && probe_among(a, before, nb, 0, version, sizeof version))) {
    if (a->o->inspect) snprintf(a->host, sizeof a->host, "%s", user_host);
    NOTE(a, "pid %d's inspector is open already (%s:%d, Node.js %s): it stays open", (int)pid,
         a->host, a->port, version);
    return LS_OK;
  }
  int how = ls__proc_signal(pid, SIGUSR1);
  if (how != 1) {
    const int disabled = ls__proc_has_arg(pid, "--disable-sigusr1");
    return fail(err, LS_ERR_PROGRAM,
                "pid %d %s, so it cannot be asked to open its inspector%s; start it with "
                "--inspect=127.0.0.1:PORT and attach with --inspect 127.0.0.1:PORT",
                (int)pid,
                disabled ? "was started with --disable-sigusr1"
                : how == 0 ? "does not handle SIGUSR1 (a Node.js without the inspector?)"
                : how == -1 ? "ignores SIGUSR1" : "has a SIGUSR1 handling we cannot read",
                how == 0 ? " (SIGUSR1 would end it: not sent)" : " (not sent)");
  }
  unsigned long other = ls__proc_port_taken(pid, sig_port);
  if (other) {
    pid_t owner = ls__proc_socket_owner(other);
    char who[64] = "another process";
    if (owner > 0) snprintf(who, sizeof who, "another process (pid %d)", (int)owner);
    return fail(err, LS_ERR_PROGRAM,
                "port %d is in use by %s, so pid %d could not open its inspector there (not "
                "asked); free the port, or start the program with --inspect-port=PORT or "
                "--inspect=127.0.0.1:PORT and attach with --inspect 127.0.0.1:PORT", sig_port, who,
                (int)pid);
  }
  if (kill(pid, SIGUSR1) != 0)
    return fail(err, LS_ERR_INVALID_ARG, "pid %d: cannot send SIGUSR1: %s", (int)pid,
                strerror(errno));
  SAY(a, "sent SIGUSR1 to pid %d: waiting for its inspector to listen", (int)pid);
  const double until = ls__now() + OPEN_WAIT;
  while (ls__now() < until) {
    nap(0.1);
    if (!alive(pid))
      return fail(err, LS_ERR_PROGRAM, "pid %d ended after SIGUSR1, before its inspector "
                  "opened", (int)pid);
    int nc = ls__proc_listeners(pid, cur, MAX_LISTEN);
    for (int i = 0; i < nc; i++) {
      int seen = 0;
      for (int k = 0; k < nb && !seen; k++) seen = before[k].inode == cur[i].inode;
      if (seen) continue;
      /* the one SIGUSR1 opened, wherever that is: it must be closed again */
      if (probe_among(a, &cur[i], 1, 0, version, sizeof version)) {
        if (a->o->inspect && a->port == want) snprintf(a->host, sizeof a->host, "%s", user_host);
        else if (a->o->inspect)
          NOTE(a, "pid %d opened its inspector on %s:%d, not on --inspect's port %d", (int)pid,
               a->host, a->port, want);
        a->opened = 1;
        SAY(a, "pid %d opened its inspector on %s:%d (Node.js %s)", (int)pid, a->host, a->port,
            version);
        return LS_OK;
      }
    }
  }
  /* no new listener: opened earlier at run time (inspector.open())? */
  if (probe_among(a, before, nb, 0, version, sizeof version)) {
    NOTE(a, "pid %d's inspector is open already (%s:%d, Node.js %s): it stays open", (int)pid,
         a->host, a->port, version);
    return LS_OK;
  }
  other = ls__proc_port_taken(pid, sig_port);
  return fail(err, LS_ERR_PROGRAM,
              "pid %d did not open an inspector within %.0f s of SIGUSR1 (%s); start it with "
              "--inspect=127.0.0.1:PORT and attach with --inspect 127.0.0.1:PORT", (int)pid,
              OPEN_WAIT, other ? "its port is in use by another process"
                               : "does the program handle SIGUSR1 itself? a "
                                 "process.on('SIGUSR1') listener takes the signal from Node, "
                                 "whose inspector then never opens on it; or a Node.js built "
                                 "without the inspector");
}

/* Connect, and check that the inspector is the process's. */
static ls_status connect_checked(att *a, ls_error *err) {
  ls_status st = ls__insp_open(a->host, a->port, NET_TIMEOUT, &a->c, err);
  if (st != LS_OK) return st;
  char v[64] = "";
  st = ls__insp_evaluate(a->c, "process.pid", 0, NET_TIMEOUT, v, sizeof v, err);
  if (st != LS_OK) return st;
  if (atoi(v) != (int)a->pid)
    return fail(err, LS_ERR_INVALID_ARG, "the inspector at %s:%d is pid %s's, not pid %d's",
                a->host, a->port, v, (int)a->pid);
  return LS_OK;
}

/* Close the inspector attach opened; 1 when its port was seen closed. */
static int close_inspector(att *a) {
  ls_error e;
  a->close_tried = 1;
  if (!a->c) return 0;
  ls_status st = ls__insp_evaluate(a->c, close_expr, 1, 60.0, NULL, 0, &e);
  ls__insp_close(a->c);
  a->c = NULL;
  if (st != LS_OK) {
    NOTE(a, "could not close the inspector of pid %d (%s): it listens on %s:%d", (int)a->pid,
         e.message, a->host, a->port);
    return 0;
  }
  const double until = ls__now() + CLOSE_WAIT;
  for (;;) {
    ls__listener cur[MAX_LISTEN];
    int nc = ls__proc_listeners(a->pid, cur, MAX_LISTEN), open = 0;
    for (int i = 0; i < nc; i++) open |= cur[i].inode == a->inode;
    if (!alive(a->pid)) break; /* its sockets went with it: not a close */
    if (nc >= 0 && !open) return 1;
    if (nc < 0 || ls__now() > until) break;
    nap(0.05);
  }
  if (!alive(a->pid)) return 0;
  NOTE(a, "asked pid %d to close its inspector, but %s:%d still listens after %.0f s (its "
       "event loop has not turned: it closes when it does)", (int)a->pid, a->host, a->port,
       CLOSE_WAIT);
  return 0;
}

/* ---- the snapshots ------------------------------------------------------ */

/* The inspector's chunks into the sink (src/session/sink.c). */
static ls_status feed_chunk(void *ctx, const char *text, size_t len, ls_error *err) {
  return ls__sink_feed(ctx, text, len, err);
}

/* Snapshot n was taken: its cost is what the process spent from asking to
 * the last chunk (`took`); the rest is shared with run (watch.c). */
static int snapshot_done(att *x, double t0, double took, uint64_t bytes, double *due,
                         ls_trend **last) {
  const ls__after a = {&x->sch, x->ts, x->n, x->time, &x->w, ls__proc_cpu(x->pid),
                       x->asked_cpu, &x->written_cpu, &x->cpu_known, bytes, took,
                       x->o->progress, x->o->progress_ctx};
  return ls__snapshot_after(&a, t0, due, last);
}

static ls_status make_out_dir(const char *out, ls_error *err) {
  struct stat sb;
  if (mkdir(out, 0700) != 0 && !(errno == EEXIST && stat(out, &sb) == 0 && S_ISDIR(sb.st_mode)))
    return fail(err, LS_ERR_INVALID_ARG, "--out %.300s: %s (expected a folder to create or "
                "use)", out, errno == EEXIST ? "not a folder" : strerror(errno));
  return LS_OK;
}

/* Take snapshot x->n + 1 into the stream (and --out's copy). */
static ls_status take(att *x, double t0, double *took, uint64_t *bytes, ls_error *err) {
  char path[4200] = "";
  if (x->o->out_dir)
    snprintf(path, sizeof path, "%s/snap-%02zu.heapsnapshot", x->o->out_dir, x->n + 1);
  ls__sink *k = NULL;
  ls_status st = ls__sink_begin(path[0] ? path : NULL, &k, err);
  if (st != LS_OK) return st;
  const double asked = ls__now();
  const size_t n = x->n;
  x->time[n] = asked - t0;
  ls__watch_note(&x->w, x->pid, x->time, n);
  x->runnable[n] = x->w.watch;
  double cpu = ls__proc_cpu(x->pid);
  if (cpu < 0) x->cpu_known = 0;
  x->asked_cpu = cpu;
  x->work[n] = cpu - x->written_cpu;
  if (x->sch.adaptive) SAY(x, "taking snapshot %zu", n + 1);
  else SAY(x, "taking snapshot %zu of %zu", n + 1, x->sch.count);
  st = ls__insp_snapshot(x->c, feed_chunk, k, SNAP_IDLE, x->o->stop, bytes, err);
  *took = ls__now() - asked;
  if (st != LS_OK) {
    ls__sink_abort(k); /* removes its copy in --out */
    return st;
  }
  return ls__sink_end(k, x->ts, path[0] ? path : NULL, x->time[n],
                      x->cpu_known ? x->work[n] : -1, x->runnable[n], err);
}

static void set_failure(ls_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_failure(ls_run *r, const char *fmt, ...) {
  char m[1200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(m, sizeof m, fmt, ap);
  va_end(ap);
  free(r->failure);
  r->failure = strdup(m);
}

ls_status ls_attach_process(const ls_attach_options *o, ls_run **out, ls_error *err) {
  if (!o || !out) return fail(err, LS_ERR_INVALID_ARG, "ls_attach_process: no options");
  *out = NULL;
  if (o->pid <= 0) return fail(err, LS_ERR_INVALID_ARG, "pid %d: expected a process id", o->pid);
  ls__schedule sch;
  if (ls__schedule_init(&sch, o->warmup, o->every, o->count, o->max_time))
    return fail(err, LS_ERR_INVALID_ARG,
                "ls_attach_process: a schedule needs at least %d snapshots, and times of 0 "
                "or more", LS_TREND_MIN_SNAPSHOTS);
  att *x = calloc(1, sizeof *x);
  ls_run *r = calloc(1, sizeof *r);
  if (!x || !r) {
    free(x), free(r);
    return fail(err, LS_ERR_NOMEM, "out of memory");
  }
  x->o = o;
  x->pid = (pid_t)o->pid;
  x->cpu_known = 1;
  x->sch = sch;
  ls_status st;
  if (o->inspect) { /* a bad --inspect is said before the process is looked at */
    char h[64];
    int p;
    if (parse_inspect(o->inspect, h, sizeof h, &p)) {
      st = fail(err, LS_ERR_INVALID_ARG, "--inspect %s: expected HOST:PORT (127.0.0.1:9229)",
                o->inspect);
      goto early;
    }
    if (!ls__insp_loopback(h)) {
      st = fail(err, LS_ERR_INVALID_ARG,
                "--inspect %s: %s is not a loopback address: attach connects to 127.0.0.1, "
                "::1 or localhost only (an inspector reachable from other hosts lets them run "
                "code in the process)", o->inspect, h);
      goto early;
    }
  }
  if ((st = check_process(x, err)) != LS_OK) goto early;
  x->time = calloc(x->sch.count, sizeof *x->time);
  x->work = calloc(x->sch.count, sizeof *x->work);
  x->runnable = calloc(x->sch.count, sizeof *x->runnable);
  if (!x->time || !x->work || !x->runnable) {
    st = fail(err, LS_ERR_NOMEM, "out of memory");
    goto early;
  }
  if ((st = ls_trend_stream_new(&o->trend, &x->ts, err)) != LS_OK) goto early;
  if (o->out_dir && (st = make_out_dir(o->out_dir, err)) != LS_OK) goto early;
  if ((st = locate(x, err)) != LS_OK) goto cleanup;
  snprintf(r->inspector, sizeof r->inspector, "%s:%d", x->host, x->port);
  r->opened_inspector = x->opened;
  if ((st = connect_checked(x, err)) != LS_OK) goto cleanup;
  /* allocation stacks from now on; V8 stops recording them when this
   * session disconnects (its heap profiler agent is disabled) */
  if (o->allocations &&
      (st = ls__insp_command(x->c, "HeapProfiler.startTrackingHeapObjects",
                             "{\"trackAllocations\":true}", NET_TIMEOUT, err)) != LS_OK)
    goto cleanup;
  SAY(x, "attached to pid %d over %s:%d; first snapshot in %.1f s%s", (int)x->pid, x->host,
      x->port, x->sch.warmup, x->sch.adaptive ? " (then until the verdict is settled)" : "");

  const double t0 = ls__now();
  double due = t0 + ls__schedule_due(&x->sch, 0, 0, 0);
  int settled = 0, ended = 0, mid = 0;
  ls_status failed = LS_OK;
  char failure[700] = "";
  ls_trend *last = NULL;
  while (!(o->stop && *o->stop) && !settled && ls__schedule_more(&x->sch, x->n, due - t0)) {
    while (ls__now() < due && !(o->stop && *o->stop) && (ended = !alive(x->pid)) == 0) {
      double w = due - ls__now();
      nap(w > 0.2 ? 0.2 : w);
    }
    if (ended || (o->stop && *o->stop)) break;
    double took = 0;
    uint64_t bytes = 0;
    ls_error se;
    memset(&se, 0, sizeof se);
    ls_status ss = take(x, t0, &took, &bytes, &se);
    if (ss != LS_OK) {
      nap(0.2); /* a process that closed the connection by ending: let it go */
      if (!alive(x->pid)) ended = mid = 1;
      else if (!(o->stop && *o->stop)) {
        snprintf(failure, sizeof failure, "%s", se.message);
        failed = ss;
      }
      break;
    }
    x->n++;
    settled = snapshot_done(x, t0, took, bytes, &due, &last);
  }
  r->interrupted = o->stop && *o->stop;
  if (!ended && !alive(x->pid)) ended = 1;
  /* leave the process as it was */
  if (!ended && x->opened) {
    r->closed_inspector = close_inspector(x);
    if (r->closed_inspector)
      NOTE(x, "closed the inspector it had opened: %s:%d is closed again", x->host, x->port);
  }
  ls__insp_close(x->c);
  x->c = NULL;
  r->snapshots = x->n;
  if (failed == LS_ERR_NOMEM || failed == LS_ERR_SYSTEM || failed == LS_ERR_LIMIT) {
    st = fail(err, failed, "snapshot %zu of pid %d: %s", x->n + 1, (int)x->pid, failure);
  } else if (x->n < LS_TREND_MIN_SNAPSHOTS) {
    if (ended)
      set_failure(r, "pid %d ended%s after %zu snapshot%s; a trend needs %d", (int)x->pid,
                  mid ? " while a snapshot was being taken" : "", x->n, x->n == 1 ? "" : "s",
                  LS_TREND_MIN_SNAPSHOTS);
    else if (failure[0])
      set_failure(r, "stopped after %zu snapshot%s of pid %d (%s); a trend needs %d", x->n,
                  x->n == 1 ? "" : "s", (int)x->pid, failure, LS_TREND_MIN_SNAPSHOTS);
    else
      set_failure(r, "%s after %zu snapshot%s of pid %d; a trend needs %d",
                  r->interrupted ? "interrupted" : "stopped", x->n, x->n == 1 ? "" : "s",
                  (int)x->pid, LS_TREND_MIN_SNAPSHOTS);
    st = r->failure ? fail(err, LS_ERR_PROGRAM, "%.500s", r->failure)
                    : fail(err, LS_ERR_NOMEM, "out of memory");
  } else {
    if (ended && !settled)
      NOTE(x, "pid %d ended%s after %zu snapshots; analysing those", (int)x->pid,
           mid ? " while a snapshot was being taken (that one is dropped)" : "", x->n);
    else if (failure[0])
      NOTE(x, "snapshot %zu failed (%s); analysing the %zu before it", x->n + 1, failure, x->n);
    if (last && last->snapshot_count == x->n && !o->trend.newest_classes &&
        !o->trend.string_values) {
      r->trend = last;
      last = NULL;
    } else {
      SAY(x, "analysing %zu snapshots", x->n);
      st = ls_trend_stream_judge(x->ts, &r->trend, err);
    }
  }
  ls_trend_free(last);
  if (o->out_dir && x->n && !(r->kept_dir = strdup(o->out_dir))) st = LS_ERR_NOMEM;
cleanup:
  if (x->c) { /* failed after connecting: still leave it as it was */
    if (x->opened && alive(x->pid)) r->closed_inspector = close_inspector(x);
    ls__insp_close(x->c);
    x->c = NULL;
  } else if (x->opened && !x->close_tried && alive(x->pid)) {
    /* opened but never connected (a refused handshake): reconnect to close */
    if (ls__insp_open(x->host, x->port, NET_TIMEOUT, &x->c, NULL) == LS_OK) {
      r->closed_inspector = close_inspector(x);
    } else {
      NOTE(x, "pid %d's inspector, opened by attach, is left open on %s:%d", (int)x->pid,
           x->host, x->port);
    }
  }
early:
  ls_trend_stream_free(x->ts);
  free(x->time);
  free(x->work);
  free(x->runnable);
  free(x);
  if (st != LS_OK && st != LS_ERR_PROGRAM && !r->snapshots) {
    ls_run_free(r);
    r = NULL;
  } else if (st == LS_ERR_PROGRAM && !r->failure) {
    set_failure(r, "%s", err ? err->message : "attach failed");
  }
  *out = r;
  return st;
}
