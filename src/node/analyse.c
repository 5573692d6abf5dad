/*
 * The analyser for JavaScript (frontend layer, Node-API): summary, diff,
 * trend, paths and handles, each as napi async work so a snapshot loads on
 * libuv's thread pool while the event loop keeps running.
 *
 * Each call does what the matching CLI command does with --json (the same
 * library calls, the same JSON renderer into memory) and calls back with
 * that JSON text; lib/index.js turns the callback into a promise and parses
 * the text, so the objects have exactly the CLI contract's keys. A failure
 * calls back with an Error whose message is the CLI's ("FILE: byte N: what
 * was expected") and whose `code` names the status (LS_ERR_IO, ...).
 *
 * Why a callback and not napi_create_promise: a Worker terminated with
 * work in flight can no longer run JS when the work completes, so a
 * deferred could be neither resolved nor rejected, and Node-API frees a
 * deferred only then (8 bytes lost per job, seen under valgrind). A
 * reference to a callback is deleted whether or not JS can run.
 *
 * Per-environment state (instance data): the number of jobs in flight, so
 * a teardown with work still running is visible in tests and debugging;
 * freed by the instance-data finaliser when the environment goes away.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../render/render.h"
#include "../session/watch.h" /* ls__session_fields */
#include "addon.h"

typedef struct {
  uint32_t pending; /* async jobs started and not yet completed */
} an_state;

typedef enum { J_SUMMARY, J_DIFF, J_TREND, J_PATHS, J_HANDLES, J_RUN, J_SUSPECTS, J_ATTACH } job_kind;

typedef struct {
  napi_async_work work;
  napi_ref callback; /* (err, json) => ..., deleted in complete() */
  job_kind kind;
  char **files; /* owned, nfiles of them */
  size_t nfiles;
  char *query;  /* paths: "@ID" or a class name */
  uint64_t n;   /* summary: rows (0 = all); paths, trend: count (0 = default) */
  /* run: files are the script and its arguments; query the node binary,
   * out the snapshots' folder (NULL: temporary), sched warmup (< 0:
   * default), every, count, max_time; suspects: sched[0] the threshold
   * (a share, 0 = default) */
  char *out;
  double sched[4];
  int pid;      /* attach: the process (query: --inspect's HOST:PORT) */
  int allocations; /* run/attach: record allocation stacks */
  /* results, filled on the pool thread */
  char *json;
  size_t json_len;
  char *text; /* trend and run: the command's text report too */
  size_t text_len;
  ls_status status;
  char message[4096];
} job;

static void job_free(job *j) {
  for (size_t i = 0; i < j->nfiles; i++) free(j->files[i]);
  free(j->files);
  free(j->query);
  free(j->out);
  free(j->json);
  free(j->text);
  free(j);
}

/* The CLI's wording: "FILE: byte N: message" or "FILE: message". */
static void fail(job *j, const char *file, const ls_error *err) {
  j->status = err->code != LS_OK ? err->code : LS_ERR_NOMEM;
  if (err->offset != LS_NO_OFFSET)
    snprintf(j->message, sizeof j->message, "%s: byte %" PRIu64 ": %s", file,
             err->offset, err->message);
  else
    snprintf(j->message, sizeof j->message, "%s: %s", file, err->message);
}

static void nomem(job *j) {
  j->status = LS_ERR_NOMEM;
  snprintf(j->message, sizeof j->message, "out of memory");
}

/* ---- the work (thread pool: no napi calls here) ------------------------ */

static void run_summary(job *j, FILE *f) {
  ls_error err = {0};
  ls__cmd c = {LS__CMD_SUMMARY, j->files[0], NULL, (size_t)j->n, 1, 0, NULL, NULL, 0};
  if (ls__cmd_render(&c, f, NULL, &err) != LS_OK) fail(j, j->files[0], &err);
}

static void run_diff(job *j, FILE *f) {
  ls_error err = {0};
  ls_heap *h = NULL;
  ls_digest *dg = NULL;
  ls_diff *d = NULL;
  if (ls_heap_load(j->files[0], NULL, &h, &err) != LS_OK ||
      ls_digest_build(h, &dg, &err) != LS_OK) {
    fail(j, j->files[0], &err);
    goto out;
  }
  ls_heap_free(h); /* only OLD's digest stays while NEW loads */
  h = NULL;
  if (ls_heap_load(j->files[1], NULL, &h, &err) != LS_OK ||
      ls_diff_build(dg, h, &d, &err) != LS_OK) {
    fail(j, j->files[1], &err);
    goto out;
  }
  ls__render_diff_json(f, j->files[0], j->files[1], d);
out:
  ls_diff_free(d);
  ls_digest_free(dg);
  ls_heap_free(h);
}

/* The command's text report of a trend, for messages (assertNoLeak's
 * LeakError): one wording, the C renderer's. NULL when out of memory. */
static void text_report(job *j, const ls_trend *t) {
  FILE *f = open_memstream(&j->text, &j->text_len);
  if (!f) return;
  ls__render_trend_text(f, t);
  if (fclose(f) != 0) {
    free(j->text);
    j->text = NULL;
  }
}

static void run_trend(job *j, FILE *f) {
  ls_error err = {0};
  ls_trend_options o;
  memset(&o, 0, sizeof o);
  o.max_suspects = (size_t)j->n;
  ls_trend *t = NULL;
  char **files = j->files;
  size_t nfiles = j->nfiles;
  struct stat sb;
  /* one folder: its snapshot files, by the library's rule (as the CLI) */
  if (nfiles == 1 && stat(files[0], &sb) == 0 && S_ISDIR(sb.st_mode) &&
      ls_trend_files(j->files[0], &files, &nfiles, &err) != LS_OK) {
    j->status = err.code != LS_OK ? err.code : LS_ERR_NOMEM;
    snprintf(j->message, sizeof j->message, "%s", err.message);
    return;
  }
  ls_status st = ls_trend_build((const char *const *)files, nfiles, &o, &t, &err);
  if (files != j->files) ls_trend_files_free(files, nfiles);
  if (st != LS_OK) {
    /* as the CLI words it: the message already names the file and offset */
    j->status = err.code != LS_OK ? err.code : LS_ERR_NOMEM;
    snprintf(j->message, sizeof j->message, "trend: %s", err.message);
  } else {
    ls__render_trend_json(f, t);
    text_report(j, t);
  }
  ls_trend_free(t);
}

static void run_paths(job *j, FILE *f) {
  ls_error err = {0};
  ls__cmd c = {LS__CMD_PATHS, j->files[0], j->query, (size_t)j->n, 1, 0, NULL, NULL, 0};
  if (ls__cmd_render(&c, f, NULL, &err) != LS_OK) fail(j, j->files[0], &err);
}

static void run_handles(job *j, FILE *f) {
  ls_error err = {0};
  ls__cmd c = {LS__CMD_HANDLES, j->files[0], NULL, (size_t)j->n, 1, 0, NULL, NULL, 0};
  if (ls__cmd_render(&c, f, NULL, &err) != LS_OK) fail(j, j->files[0], &err);
}

static void run_suspects(job *j, FILE *f) {
  ls_error err = {0};
  ls__cmd c = {LS__CMD_SUSPECTS, j->files[0], NULL, 0, 1, 0, NULL, NULL, j->sched[0]};
  if (ls__cmd_render(&c, f, NULL, &err) != LS_OK) fail(j, j->files[0], &err);
}

/* run's and attach's options alike (watch.h's common fields): the
 * snapshots' folder, the schedule (warmup < 0: default), -n. */
static void session_fields(const job *j, ls__session_fields f) {
  *f.out_dir = j->out;
  *f.warmup = j->sched[0];
  *f.every = j->sched[1];
  *f.count = (size_t)j->sched[2];
  *f.max_time = j->sched[3];
  f.trend->max_suspects = (size_t)j->n;
}

/* The session's result as `cmd --json`'s, or its failure worded as the
 * command's. Frees r. */
static void session_result(job *j, FILE *f, const char *cmd, ls_status st, ls_run *r,
                           const ls_error *err) {
  if (st == LS_OK) {
    ls__render_trend_json(f, r->trend);
    text_report(j, r->trend);
  } else {
    j->status = st;
    snprintf(j->message, sizeof j->message, "%s: %s", cmd,
             st == LS_ERR_PROGRAM && r && r->failure ? r->failure : err->message);
  }
  ls_run_free(r);
}

/* The session (src/session/run.c) on this thread: the program's stdio is
 * the process's own, as for the CLI; the report is run --json's. */
static void run_run(job *j, FILE *f) {
  char **argv = calloc(j->nfiles + 1, sizeof *argv);
  if (!argv) {
    nomem(j);
    return;
  }
  memcpy(argv, j->files, j->nfiles * sizeof *argv);
  ls_run_options o;
  memset(&o, 0, sizeof o);
  o.argv = (const char *const *)argv;
  o.node = j->query;
  o.allocations = j->allocations;
  session_fields(j, ls__run_fields(&o));
  ls_run *r = NULL;
  ls_error err;
  memset(&err, 0, sizeof err);
  ls_status st = ls_run_program(&o, &r, &err);
  session_result(j, f, "run", st, r, &err);
  free(argv);
}

/* attach: the session of src/session/attach.c on this thread; the
 * report is attach --json's. */
static void run_attach(job *j, FILE *f) {
  ls_attach_options o;
  memset(&o, 0, sizeof o);
  o.pid = j->pid;
  o.inspect = j->query;
  o.allocations = j->allocations;
  session_fields(j, ls__attach_fields(&o));
  ls_run *r = NULL;
  ls_error err;
  memset(&err, 0, sizeof err);
  ls_status st = ls_attach_process(&o, &r, &err);
  session_result(j, f, "attach", st, r, &err);
}

static void execute(napi_env env, void *data) {
  (void)env; /* not to be used off the main thread */
  job *j = data;
  FILE *f = open_memstream(&j->json, &j->json_len);
  if (!f) {
    nomem(j);
    return;
  }
  switch (j->kind) {
  case J_SUMMARY: run_summary(j, f); break;
  case J_DIFF: run_diff(j, f); break;
  case J_TREND: run_trend(j, f); break;
  case J_PATHS: run_paths(j, f); break;
  case J_HANDLES: run_handles(j, f); break;
  case J_RUN: run_run(j, f); break;
  case J_SUSPECTS: run_suspects(j, f); break;
  case J_ATTACH: run_attach(j, f); break;
  }
  if ((fclose(f) != 0 || !j->json) && j->status == LS_OK) nomem(j);
}

/* ---- back on the main thread ------------------------------------------- */

static const char *status_code(ls_status s) {
  switch (s) {
  case LS_OK: return "LS_OK";
  case LS_ERR_INVALID_ARG: return "LS_ERR_INVALID_ARG";
  case LS_ERR_IO: return "LS_ERR_IO";
  case LS_ERR_PARSE: return "LS_ERR_PARSE";
  case LS_ERR_NOMEM: return "LS_ERR_NOMEM";
  case LS_ERR_LIMIT: return "LS_ERR_LIMIT";
  case LS_ERR_PROGRAM: return "LS_ERR_PROGRAM";
  case LS_ERR_SYSTEM: return "LS_ERR_SYSTEM";
  }
  return "LS_ERR_UNKNOWN";
}

/* Calls back with (null, json) or (error). When the environment is being
 * torn down (a terminated Worker) the calls fail quietly; everything is
 * still freed. */
static void complete(napi_env env, napi_status status, void *data) {
  job *j = data;
  an_state *st = NULL; /* looked up, not kept: it dies with the env */
  if (napi_get_instance_data(env, (void **)&st) == napi_ok && st && st->pending)
    st->pending--;
  napi_value argv[3], cb, recv, code, msg;
  size_t argc = 0;
  if (status == napi_cancelled) {
    j->status = LS_ERR_INVALID_ARG;
    snprintf(j->message, sizeof j->message, "the analysis was cancelled");
  }
  if (j->status == LS_OK && napi_get_null(env, &argv[0]) == napi_ok &&
      napi_create_string_utf8(env, j->json, j->json_len, &argv[1]) ==
          napi_ok) {
    argc = 2;
    if (j->text && napi_create_string_utf8(env, j->text, j->text_len, &argv[2]) == napi_ok)
      argc = 3; /* (null, json, text) */
  } else {
    if (j->status == LS_OK) nomem(j); /* the string could not be made */
    if (napi_create_string_utf8(env, status_code(j->status), NAPI_AUTO_LENGTH,
                                &code) == napi_ok &&
        napi_create_string_utf8(env, j->message, NAPI_AUTO_LENGTH, &msg) ==
            napi_ok &&
        napi_create_error(env, code, msg, &argv[0]) == napi_ok)
      argc = 1;
  }
  if (argc && napi_get_reference_value(env, j->callback, &cb) == napi_ok &&
      cb && napi_get_undefined(env, &recv) == napi_ok)
    napi_call_function(env, recv, cb, argc, argv, NULL);
  napi_delete_reference(env, j->callback);
  napi_delete_async_work(env, j->work);
  job_free(j);
}

/* ---- argument reading --------------------------------------------------- */

/* A JS string as a new C string (NULL with a TypeError pending). */
static char *string_arg(napi_env env, napi_value v, const char *what) {
  napi_valuetype t;
  size_t len = 0;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_string) {
    char m[160];
    snprintf(m, sizeof m, "%s must be a string", what);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", m);
    return NULL;
  }
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char *s = malloc(len + 1);
  if (!s) {
    napi_throw_error(env, "LS_ERR_NOMEM", "out of memory");
    return NULL;
  }
  if (napi_get_value_string_utf8(env, v, s, len + 1, &len) != napi_ok) {
    free(s);
    return NULL;
  }
  if (strlen(s) != len) { /* a NUL inside: no file has such a name */
    free(s);
    char m[160];
    snprintf(m, sizeof m, "%s must not contain NUL characters", what);
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", m);
    return NULL;
  }
  return s;
}

/* A count: a whole number >= 0 (undefined = 0, the default). */
static int count_arg(napi_env env, napi_value v, const char *what,
                     uint64_t *out) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return -1;
  if (t == napi_undefined) {
    *out = 0;
    return 0;
  }
  double d;
  if (t != napi_number || napi_get_value_double(env, v, &d) != napi_ok ||
      !(d >= 0) || d > 9007199254740991.0 || d != (double)(uint64_t)d) {
    char m[160];
    snprintf(m, sizeof m, "%s must be a whole number >= 0", what);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", m);
    return -1;
  }
  *out = (uint64_t)d;
  return 0;
}

/* Queue `j`, which calls `cb` back when done; frees `j` on failure. */
static napi_value start(napi_env env, job *j, napi_value cb, const char *name) {
  napi_value res, undef;
  napi_valuetype t;
  if (napi_typeof(env, cb, &t) != napi_ok || t != napi_function) {
    job_free(j);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE",
                          "the last argument must be a callback function");
    return NULL;
  }
  if (napi_create_reference(env, cb, 1, &j->callback) != napi_ok) {
    job_free(j);
    return NULL;
  }
  if (napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &res) != napi_ok ||
      napi_create_async_work(env, NULL, res, execute, complete, j, &j->work) !=
          napi_ok) {
    napi_delete_reference(env, j->callback);
    job_free(j);
    return NULL;
  }
  if (napi_queue_async_work(env, j->work) != napi_ok) {
    napi_delete_async_work(env, j->work);
    napi_delete_reference(env, j->callback);
    job_free(j);
    return NULL;
  }
  an_state *st = NULL;
  if (napi_get_instance_data(env, (void **)&st) == napi_ok && st) st->pending++;
  if (napi_get_undefined(env, &undef) != napi_ok) return NULL;
  return undef;
}

static job *new_job(napi_env env, job_kind k, size_t nfiles) {
  job *j = calloc(1, sizeof *j);
  if (j) j->files = calloc(nfiles ? nfiles : 1, sizeof *j->files);
  if (!j || !j->files) {
    free(j);
    napi_throw_error(env, "LS_ERR_NOMEM", "out of memory");
    return NULL;
  }
  j->kind = k;
  return j;
}

/* ---- the functions ------------------------------------------------------ */
/* Arguments are checked again in lib/index.js, which gives the friendlier
 * messages; these checks keep the native functions safe on their own.
 * Each function is described by its arguments, one letter each: 'f' a file
 * name, 'F' an array of file names, 'q' the paths target, 'n' a count,
 * 't' a share of the heap (undefined: the default). */

typedef struct {
  job_kind kind;
  const char *name; /* async resource name */
  const char *args;
  const char *what[3]; /* argument names for messages */
} fn_desc;

static const fn_desc fns[] = {
  {J_SUMMARY, "leakscope.summary", "fn", {"path", "top"}},
  {J_DIFF, "leakscope.diff", "ff", {"old", "new"}},
  {J_TREND, "leakscope.trend", "Fn", {"paths", "n"}},
  {J_PATHS, "leakscope.paths", "fqn", {"path", "target", "n"}},
  {J_HANDLES, "leakscope.handles", "f", {"path"}},
  {J_SUSPECTS, "leakscope.suspects", "ft", {"path", "threshold"}},
};

/* A share of the heap in (0, 1], or undefined (0: the default). */
static int share_arg(napi_env env, napi_value v, const char *what, double *out) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return -1;
  *out = 0;
  if (t == napi_undefined) return 0;
  if (t != napi_number || napi_get_value_double(env, v, out) != napi_ok ||
      !(*out > 0 && *out <= 1)) {
    char m[160];
    snprintf(m, sizeof m, "%s must be a share of the heap above 0 and at most 1", what);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", m);
    return -1;
  }
  return 0;
}

/* The file names of a JS array into j->files (NULL + exception on error). */
static int files_arg(napi_env env, napi_value v, job *j) {
  bool is_array = false;
  uint32_t n = 0;
  if (napi_is_array(env, v, &is_array) != napi_ok || !is_array) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE",
                          "paths must be an array of file names");
    return -1;
  }
  if (napi_get_array_length(env, v, &n) != napi_ok) return -1;
  char **files = calloc(n ? n : 1, sizeof *files);
  if (!files) {
    napi_throw_error(env, "LS_ERR_NOMEM", "out of memory");
    return -1;
  }
  free(j->files);
  j->files = files;
  for (uint32_t i = 0; i < n; i++, j->nfiles++) {
    napi_value e;
    if (napi_get_element(env, v, i, &e) != napi_ok ||
        !(j->files[i] = string_arg(env, e, "every path")))
      return -1;
  }
  return 0;
}

/* fn(...args per its fn_desc, callback(err, json)) -> undefined */
static napi_value f_job(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  void *data;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, &data) != napi_ok)
    return NULL;
  const fn_desc *d = data;
  job *j = new_job(env, d->kind, 2);
  if (!j) return NULL;
  size_t i;
  for (i = 0; d->args[i]; i++) {
    napi_value v = argv[i]; /* missing arguments read as undefined */
    int bad;
    switch (d->args[i]) {
    case 'f':
      bad = !(j->files[j->nfiles] = string_arg(env, v, d->what[i]));
      if (!bad) j->nfiles++;
      break;
    case 'F': bad = files_arg(env, v, j) != 0; break;
    case 'q': bad = !(j->query = string_arg(env, v, d->what[i])); break;
    case 't': bad = share_arg(env, v, d->what[i], &j->sched[0]) != 0; break;
    default: bad = count_arg(env, v, d->what[i], &j->n) != 0; break;
    }
    if (bad) {
      job_free(j);
      return NULL;
    }
  }
  return start(env, j, argv[i], d->name); /* the callback follows them */
}

/* A number argument (undefined: `def`). */
static int number_arg(napi_env env, napi_value v, const char *what, double def,
                      double *out) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return -1;
  if (t == napi_undefined) {
    *out = def;
    return 0;
  }
  if (t != napi_number || napi_get_value_double(env, v, out) != napi_ok ||
      !(*out >= 0) || *out > 86400.0 * 30) {
    char m[160];
    snprintf(m, sizeof m, "%s must be a number of seconds (0 or more)", what);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", m);
    return -1;
  }
  return 0;
}

/* run's and attach's arguments after the first (the same from there on):
 * argv[1] the string option `name` (node, inspect) into j->query, out, the
 * schedule, max, allocations (a boolean). 1 with an exception pending when
 * one is bad, else 0. */
static int session_args(napi_env env, napi_value *argv, const char *name, job *j) {
  napi_valuetype t;
  int bad = 0;
  if (napi_typeof(env, argv[1], &t) == napi_ok && t != napi_undefined)
    bad = !(j->query = string_arg(env, argv[1], name));
  if (!bad && napi_typeof(env, argv[2], &t) == napi_ok && t != napi_undefined)
    bad = !(j->out = string_arg(env, argv[2], "out"));
  static const char *const names[4] = {"warmup", "every", "count", "maxTime"};
  for (int k = 0; k < 4 && !bad; k++)
    bad = number_arg(env, argv[3 + k], names[k], k == 0 ? -1 : 0, &j->sched[k]) != 0;
  if (!bad) bad = count_arg(env, argv[7], "max", &j->n) != 0;
  if (!bad) {
    bool b = false;
    if (napi_typeof(env, argv[8], &t) != napi_ok || t != napi_boolean ||
        napi_get_value_bool(env, argv[8], &b) != napi_ok) {
      napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "allocations must be a boolean");
      bad = 1;
    }
    j->allocations = b;
  }
  return bad;
}

/* run(argv[], node|undefined, out|undefined, warmup, every, count, maxTime,
 *     max, allocations, callback(err, json)) -> undefined */
static napi_value f_run(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  job *j = new_job(env, J_RUN, 1);
  if (!j) return NULL;
  int bad = files_arg(env, argv[0], j) != 0;
  if (!bad && !j->nfiles) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "argv must name the script");
    bad = 1;
  }
  if (!bad) bad = session_args(env, argv, "node", j);
  if (bad) {
    job_free(j);
    return NULL;
  }
  return start(env, j, argv[9], "leakscope.run");
}

/* attach(pid, inspect|undefined, out|undefined, warmup, every, count,
 *        maxTime, max, allocations, callback(err, json)) -> undefined */
static napi_value f_attach(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  job *j = new_job(env, J_ATTACH, 1);
  if (!j) return NULL;
  napi_valuetype t;
  double pid = 0;
  int bad = napi_typeof(env, argv[0], &t) != napi_ok || t != napi_number ||
            napi_get_value_double(env, argv[0], &pid) != napi_ok || !(pid >= 1) ||
            pid > 2147483647.0 || pid != (double)(int)pid;
  if (bad) napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "pid must be a process id (a whole number >= 1)");
  j->pid = (int)pid;
  if (!bad) bad = session_args(env, argv, "inspect", j);
  if (bad) {
    job_free(j);
    return NULL;
  }
  return start(env, j, argv[9], "leakscope.attach");
}

/* pending() -> number of analyses in flight in this environment */
static napi_value f_pending(napi_env env, napi_callback_info info) {
  an_state *st = NULL;
  napi_value v;
  (void)info;
  if (napi_get_instance_data(env, (void **)&st) != napi_ok || !st ||
      napi_create_uint32(env, st->pending, &v) != napi_ok)
    return NULL;
  return v;
}

static void state_free(napi_env env, void *data, void *hint) {
  (void)env, (void)hint;
  free(data);
}

napi_value ls__analyse_init(napi_env env, napi_value exports) {
  an_state *st = calloc(1, sizeof *st);
  if (!st) {
    napi_throw_error(env, "LS_ERR_NOMEM", "out of memory");
    return NULL;
  }
  /* freed by state_free when the environment is torn down */
  if (napi_set_instance_data(env, st, state_free, NULL) != napi_ok) {
    free(st);
    return NULL;
  }
  napi_value min, paths;
  if (napi_create_uint32(env, LS_TREND_MIN_SNAPSHOTS, &min) != napi_ok ||
      napi_create_uint32(env, LS_DEFAULT_PATHS, &paths) != napi_ok)
    return NULL;
  napi_property_descriptor props[] = {
    {"MIN_SNAPSHOTS", NULL, NULL, NULL, NULL, min, napi_enumerable, NULL},
    {"DEFAULT_PATHS", NULL, NULL, NULL, NULL, paths, napi_enumerable, NULL},
    {"summary", NULL, f_job, NULL, NULL, NULL, napi_enumerable, (void *)&fns[0]},
    {"diff", NULL, f_job, NULL, NULL, NULL, napi_enumerable, (void *)&fns[1]},
    {"trend", NULL, f_job, NULL, NULL, NULL, napi_enumerable, (void *)&fns[2]},
    {"paths", NULL, f_job, NULL, NULL, NULL, napi_enumerable, (void *)&fns[3]},
    {"handles", NULL, f_job, NULL, NULL, NULL, napi_enumerable, (void *)&fns[4]},
    {"suspects", NULL, f_job, NULL, NULL, NULL, napi_enumerable, (void *)&fns[5]},
    {"run", NULL, f_run, NULL, NULL, NULL, napi_enumerable, NULL},
    {"attach", NULL, f_attach, NULL, NULL, NULL, napi_enumerable, NULL},
    {"pending", NULL, f_pending, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0],
                             props) != napi_ok)
    return NULL;
  return exports;
}
