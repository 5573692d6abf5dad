/*
 * TickLoop (frontend layer, Node-API): the native loop of node-addon-api
 * issue #1472 (README.md, "TickLoop") done
 * right. JavaScript registers callbacks; native code calls them at high
 * frequency, either blocking (runSync) or once per event-loop turn (start).
 *
 * Bounded handles: every call leaves one local handle (its result) in the
 * current handle scope, so the calls run in batches of about `scopeCalls`
 * calls, each batch inside its own handle scope. The callbacks' values are
 * read from their references once per batch (not once per call), and the
 * receiver is `undefined`, so a call costs one napi_call_function and the
 * live handles never exceed about scopeCalls + the number of callbacks.
 *
 * Callbacks: each one is stored in a hidden holder object on the TickLoop
 * (so the GC sees them: a dropped, stopped loop whose callbacks refer back
 * to it is collected, no cycle through a strong persistent) and reached
 * from C through a weak napi_ref. remove() deletes both at once; the env
 * teardown hook and the finalizer delete what is left.
 *
 * Per-environment state (tl_state) lives in this file only: the list of
 * live loops, the hidden key, the async cleanup hook that closes the libuv
 * handles at teardown (worker_threads).
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "addon.h"

/* Calls per handle scope when the options do not say (see bench/README.md,
 * "TickLoop": the fastest size measured that keeps the scope in one V8
 * handle block). */
#define TL_SCOPE_CALLS_DEFAULT 1000u
#define TL_SCOPE_CALLS_MAX 65536u
#define TL_INTERVAL_MAX 2147483647.0 /* like setTimeout's TIMEOUT_MAX */
#define TL_MAX_SAFE_INTEGER 9007199254740991.0

typedef struct tl_state tl_state;
typedef struct tl_loop tl_loop;

struct tl_state {
  napi_env env;
  napi_ref key;         /* Symbol: the hidden holder property */
  tl_loop *loops;       /* every loop whose wrapper is alive */
  napi_async_cleanup_hook_handle hook;
  unsigned closing;     /* libuv handles still closing after teardown */
  bool torn_down;
};

typedef struct {
  napi_ref fn;          /* weak; NULL once removed (a hole until compacted) */
  uint32_t id;
} tl_entry;

struct tl_loop {
  tl_state *st;         /* NULL after teardown */
  tl_loop *prev, *next;
  napi_env env;
  napi_ref self;        /* the wrapper: weak, strong while started */
  tl_entry *entries;
  size_t n, cap, live;
  bool holes;           /* removed entries wait for compaction */
  bool added;           /* an entry was added since the batch began */
  napi_value *vals;     /* the batch's callback values (valid in one scope) */
  size_t vals_cap;
  uint32_t next_id;
  unsigned depth;       /* > 0 while a tick runs: runSync is refused */

  /* options */
  uint32_t interval;    /* ms between turns; 0 = every event-loop turn */
  uint32_t ticks_per_turn;
  uint32_t scope_calls;
  napi_ref on_error;    /* strong; NULL when not given */

  /* start()/stop() */
  bool started, refed, in_turn, uv_ready, wrapper_alive;
  unsigned uv_open;     /* initialised libuv handles not yet closed */
  tl_state *waiting;    /* teardown waits for our handles to close */
  napi_async_context actx;
  uv_timer_t timer;     /* interval > 0 */
  uv_check_t check;     /* interval == 0: after I/O, like setImmediate */
  uv_idle_t idle;       /* interval == 0: keeps the poll from blocking */
};

/* ---- errors ------------------------------------------------------------ */

static void throw_status(napi_env env, const char *what) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) return;
  const napi_extended_error_info *info = NULL;
  napi_get_last_error_info(env, &info);
  char msg[256];
  snprintf(msg, sizeof msg, "TickLoop: %s failed (%s)", what,
           info && info->error_message ? info->error_message : "Node-API error");
  napi_throw_error(env, "ERR_TICKLOOP_INTERNAL", msg);
}

#define CHECK(call)                                 \
  do {                                              \
    if ((call) != napi_ok) {                        \
      throw_status(env, #call);                     \
      return NULL;                                  \
    }                                               \
  } while (0)

static const char *type_name(napi_valuetype t) {
  switch (t) {
  case napi_undefined: return "undefined";
  case napi_null: return "null";
  case napi_boolean: return "boolean";
  case napi_number: return "number";
  case napi_string: return "string";
  case napi_symbol: return "symbol";
  case napi_object: return "object";
  case napi_function: return "function";
  case napi_external: return "external";
  case napi_bigint: return "bigint";
  }
  return "unknown";
}

static napi_value type_error(napi_env env, const char *what, const char *want,
                             napi_valuetype got) {
  char msg[200];
  snprintf(msg, sizeof msg, "TickLoop: %s must be %s (got %s)", what, want,
           type_name(got));
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
  return NULL;
}

/* Reads a number argument that must be an integer in [lo, hi]. Returns
 * false with a TypeError/RangeError thrown. */
static bool get_integer(napi_env env, napi_value v, const char *what,
                        double lo, double hi, double *out) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) {
    throw_status(env, "napi_typeof");
    return false;
  }
  if (t != napi_number) {
    type_error(env, what, "a number", t);
    return false;
  }
  double d = 0;
  napi_get_value_double(env, v, &d);
  if (!(d >= lo && d <= hi) || d != floor(d)) {
    char msg[200];
    snprintf(msg, sizeof msg,
             "TickLoop: %s must be an integer from %.0f to %.0f (got %g)",
             what, lo, hi, d);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
    return false;
  }
  *out = d;
  return true;
}

/* ---- entries ----------------------------------------------------------- */

static void compact(tl_loop *L) {
  size_t w = 0;
  for (size_t r = 0; r < L->n; r++)
    if (L->entries[r].fn) L->entries[w++] = L->entries[r];
  L->n = w;
  L->holes = false;
}

/* Deletes every napi_ref the loop holds (callbacks, onError, self) and its
 * async context: at finalisation and at env teardown. */
static void release_js(tl_loop *L, napi_env env) {
  for (size_t i = 0; i < L->n; i++)
    if (L->entries[i].fn) napi_delete_reference(env, L->entries[i].fn);
  L->n = L->live = 0;
  L->holes = false;
  if (L->on_error) napi_delete_reference(env, L->on_error);
  L->on_error = NULL;
  if (L->actx) napi_async_destroy(env, L->actx);
  L->actx = NULL;
  if (L->self) napi_delete_reference(env, L->self);
  L->self = NULL;
}

static void free_loop(tl_loop *L) {
  free(L->entries);
  free(L->vals);
  free(L);
}

static void unlink_loop(tl_loop *L) {
  if (!L->st) return;
  if (L->prev) L->prev->next = L->next;
  else L->st->loops = L->next;
  if (L->next) L->next->prev = L->prev;
  L->prev = L->next = NULL;
  L->st = NULL;
}

/* ---- the ticks --------------------------------------------------------- */

/* Runs up to `ticks` ticks (each calls every callback present when the tick
 * began, in the order added, skipping those removed meanwhile). In a turn
 * (start mode) it also ends when stop() is called. Returns napi_ok, or the
 * failing status with the callback's exception pending. */
static napi_status run_ticks(napi_env env, tl_loop *L, uint64_t ticks,
                             bool turn, uint64_t *ticks_done,
                             uint64_t *calls_done) {
  napi_status st = napi_ok;
  uint64_t t = 0, calls = 0;
  napi_value recv;
  if ((st = napi_get_undefined(env, &recv)) != napi_ok) goto out;
  L->depth++;
  while (t < ticks && !(turn && !L->started)) {
    if (L->holes) compact(L);
    size_t n = L->n;
    if (n == 0) { /* nothing to call: the remaining ticks are empty */
      t = ticks;
      break;
    }
    if (L->vals_cap < n) {
      napi_value *v = realloc(L->vals, n * sizeof *v);
      if (!v) {
        napi_throw_error(env, "ERR_TICKLOOP_NO_MEMORY", "TickLoop: out of memory");
        st = napi_generic_failure;
        break;
      }
      L->vals = v;
      L->vals_cap = n;
    }
    napi_handle_scope hs;
    if ((st = napi_open_handle_scope(env, &hs)) != napi_ok) break;
    for (size_t i = 0; i < n && st == napi_ok; i++)
      st = napi_get_reference_value(env, L->entries[i].fn, &L->vals[i]);
    uint64_t per = L->scope_calls / n;
    if (per == 0) per = 1;
    L->added = false;
    for (uint64_t b = 0; b < per && t < ticks && st == napi_ok; b++) {
      for (size_t i = 0; i < n; i++) {
        /* removed during this batch (maybe by the previous call) */
        if (!L->entries[i].fn || !L->vals[i]) continue;
        napi_value result;
        st = napi_call_function(env, recv, L->vals[i], 0, NULL, &result);
        if (st != napi_ok) break;
        calls++;
      }
      if (st != napi_ok) break;
      t++;
      /* new callbacks start at the next tick, which needs their values;
       * stop() ends a turn after the tick that called it */
      if (L->added || (turn && !L->started)) break;
    }
    napi_close_handle_scope(env, hs);
    if (st != napi_ok) break;
  }
  L->depth--;
out:
  *ticks_done = t;
  *calls_done = calls;
  return st;
}

/* ---- libuv: start()/stop() --------------------------------------------- */

static void report_error(napi_env env, tl_loop *L, napi_value self) {
  napi_value err;
  if (napi_get_and_clear_last_exception(env, &err) != napi_ok) return;
  if (L->on_error) {
    napi_value fn, result;
    if (napi_get_reference_value(env, L->on_error, &fn) == napi_ok && fn &&
        napi_call_function(env, self, fn, 1, &err, &result) == napi_ok)
      return;
    /* onError itself threw: that one is uncaught */
    if (napi_get_and_clear_last_exception(env, &err) != napi_ok) return;
  }
  /* like a timer's callback: process 'uncaughtException', else exit */
  napi_fatal_exception(env, err);
}

static void turn(tl_loop *L) {
  napi_env env = L->env;
  if (!L->started || !L->self || L->depth > 0) return;
  napi_handle_scope hs;
  if (napi_open_handle_scope(env, &hs) != napi_ok) return;
  napi_value self = NULL;
  napi_callback_scope cs = NULL;
  if (napi_get_reference_value(env, L->self, &self) == napi_ok && self &&
      napi_open_callback_scope(env, self, L->actx, &cs) == napi_ok) {
    uint64_t t, c;
    L->in_turn = true;
    napi_status st = run_ticks(env, L, L->ticks_per_turn, true, &t, &c);
    L->in_turn = false;
    if (st != napi_ok) report_error(env, L, self);
    /* runs process.nextTick callbacks and microtasks, like after a timer */
    napi_close_callback_scope(env, cs);
  }
  /* stop() inside the turn left the async context for us to destroy */
  if (!L->started && L->actx) {
    napi_async_destroy(env, L->actx);
    L->actx = NULL;
  }
  napi_close_handle_scope(env, hs);
}

static void on_timer(uv_timer_t *h) { turn(h->data); }
static void on_check(uv_check_t *h) { turn(h->data); }
static void on_idle(uv_idle_t *h) { (void)h; /* only keeps the poll short */ }

static void on_closed(uv_handle_t *h) {
  tl_loop *L = h->data;
  tl_state *wait = L->waiting;
  L->uv_open--;
  if (L->uv_open == 0 && !L->wrapper_alive) free_loop(L);
  if (wait && --wait->closing == 0 && wait->torn_down) {
    napi_remove_async_cleanup_hook(wait->hook);
    free(wait);
  }
}

static void close_uv(tl_loop *L, tl_state *wait) {
  if (!L->uv_ready) return;
  L->uv_ready = false;
  L->waiting = wait;
  unsigned n = L->uv_open;
  if (wait) wait->closing += n;
  if (L->interval > 0) {
    uv_close((uv_handle_t *)&L->timer, on_closed);
  } else {
    uv_close((uv_handle_t *)&L->check, on_closed);
    uv_close((uv_handle_t *)&L->idle, on_closed);
  }
}

static bool init_uv(napi_env env, tl_loop *L) {
  if (L->uv_ready) return true;
  struct uv_loop_s *loop = NULL;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || !loop) {
    throw_status(env, "napi_get_uv_event_loop");
    return false;
  }
  if (L->interval > 0) {
    if (uv_timer_init(loop, &L->timer) != 0) goto fail;
    L->timer.data = L;
    L->uv_open = 1;
  } else {
    if (uv_check_init(loop, &L->check) != 0) goto fail;
    L->check.data = L;
    L->uv_open = 1;
    if (uv_idle_init(loop, &L->idle) != 0) {
      L->uv_ready = true; /* the check handle needs closing */
      close_uv(L, NULL);
      goto fail;
    }
    L->idle.data = L;
    L->uv_open = 2;
  }
  L->uv_ready = true;
  return true;
fail:
  napi_throw_error(env, "ERR_TICKLOOP_UV", "TickLoop: cannot create libuv handles");
  return false;
}

static void apply_ref(tl_loop *L) {
  if (!L->uv_ready) return;
  if (L->interval > 0) {
    if (L->refed) uv_ref((uv_handle_t *)&L->timer);
    else uv_unref((uv_handle_t *)&L->timer);
  } else {
    /* the check handle alone decides; the idle one never holds the loop */
    if (L->refed) uv_ref((uv_handle_t *)&L->check);
    else uv_unref((uv_handle_t *)&L->check);
    uv_unref((uv_handle_t *)&L->idle);
  }
}

static void stop_uv(tl_loop *L) {
  if (!L->uv_ready) return;
  if (L->interval > 0) {
    uv_timer_stop(&L->timer);
  } else {
    uv_check_stop(&L->check);
    uv_idle_stop(&L->idle);
  }
}

/* ---- env teardown and finalisation -------------------------------------- */

static void teardown(napi_async_cleanup_hook_handle hook, void *arg) {
  tl_state *st = arg;
  napi_env env = st->env;
  st->hook = hook;
  while (st->loops) {
    tl_loop *L = st->loops;
    unlink_loop(L);
    L->started = false;
    stop_uv(L);
    release_js(L, env);
    close_uv(L, st);
  }
  if (st->key) napi_delete_reference(env, st->key);
  st->key = NULL;
  st->torn_down = true;
  if (st->closing == 0) {
    napi_remove_async_cleanup_hook(hook);
    free(st);
  }
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  tl_loop *L = data;
  unlink_loop(L);
  release_js(L, env);
  L->wrapper_alive = false;
  if (L->uv_ready) close_uv(L, NULL);
  else if (L->uv_open == 0) free_loop(L);
  /* else: on_closed frees it */
}

/* ---- methods ------------------------------------------------------------ */

static tl_loop *unwrap_this(napi_env env, napi_callback_info info, size_t *argc,
                            napi_value *argv, napi_value *self_out) {
  napi_value self;
  void *data = NULL;
  if (napi_get_cb_info(env, info, argc, argv, &self, NULL) != napi_ok) {
    throw_status(env, "napi_get_cb_info");
    return NULL;
  }
  if (napi_unwrap(env, self, &data) != napi_ok || !data) {
    napi_throw_type_error(env, "ERR_INVALID_THIS",
                          "TickLoop: method called on an object that is not a TickLoop");
    return NULL;
  }
  tl_loop *L = data;
  if (!L->st) {
    napi_throw_error(env, "ERR_TICKLOOP_TORN_DOWN", "TickLoop: its environment has ended");
    return NULL;
  }
  if (self_out) *self_out = self;
  return L;
}

static napi_value holder_of(napi_env env, tl_loop *L, napi_value self) {
  napi_value key, holder;
  if (napi_get_reference_value(env, L->st->key, &key) != napi_ok ||
      napi_get_property(env, self, key, &holder) != napi_ok) {
    throw_status(env, "reading the callbacks");
    return NULL;
  }
  return holder;
}

static napi_value m_add(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], self;
  tl_loop *L = unwrap_this(env, info, &argc, argv, &self);
  if (!L) return NULL;
  napi_valuetype t = napi_undefined;
  if (argc >= 1) CHECK(napi_typeof(env, argv[0], &t));
  if (t != napi_function) return type_error(env, "add(fn): fn", "a function", t);
  if (L->next_id == UINT32_MAX) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE",
                           "TickLoop: add(): this loop has used up its 4,294,967,294 handles");
    return NULL;
  }
  if (L->n == L->cap) {
    size_t cap = L->cap ? 2 * L->cap : 8;
    tl_entry *e = realloc(L->entries, cap * sizeof *e);
    if (!e) {
      napi_throw_error(env, "ERR_TICKLOOP_NO_MEMORY", "TickLoop: out of memory");
      return NULL;
    }
    L->entries = e;
    L->cap = cap;
  }
  napi_value holder = holder_of(env, L, self);
  if (!holder) return NULL;
  uint32_t id = ++L->next_id;
  napi_ref ref;
  CHECK(napi_set_element(env, holder, id, argv[0]));
  if (napi_create_reference(env, argv[0], 0, &ref) != napi_ok) {
    napi_delete_element(env, holder, id, NULL);
    throw_status(env, "napi_create_reference");
    return NULL;
  }
  L->entries[L->n].fn = ref;
  L->entries[L->n].id = id;
  L->n++;
  L->live++;
  L->added = true;
  napi_value handle;
  CHECK(napi_create_uint32(env, id, &handle));
  return handle;
}

static napi_value m_remove(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], self;
  tl_loop *L = unwrap_this(env, info, &argc, argv, &self);
  if (!L) return NULL;
  napi_valuetype t = napi_undefined;
  if (argc >= 1) CHECK(napi_typeof(env, argv[0], &t));
  if (t != napi_number)
    return type_error(env, "remove(handle): handle", "a number returned by add()", t);
  double d;
  CHECK(napi_get_value_double(env, argv[0], &d));
  bool found = false;
  if (d >= 1 && d <= UINT32_MAX && d == floor(d)) {
    uint32_t id = (uint32_t)d;
    for (size_t i = 0; i < L->n; i++) {
      if (L->entries[i].id != id || !L->entries[i].fn) continue;
      napi_value holder = holder_of(env, L, self);
      if (!holder) return NULL;
      CHECK(napi_delete_element(env, holder, id, NULL));
      napi_delete_reference(env, L->entries[i].fn);
      L->entries[i].fn = NULL;
      L->live--;
      /* during a tick the ticking code skips the hole; compact later */
      if (L->depth > 0) L->holes = true;
      else compact(L);
      found = true;
      break;
    }
  }
  napi_value r;
  CHECK(napi_get_boolean(env, found, &r));
  return r;
}

static napi_value m_run_sync(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  tl_loop *L = unwrap_this(env, info, &argc, argv, NULL);
  if (!L) return NULL;
  double iterations;
  if (argc < 1) {
    type_error(env, "runSync(iterations): iterations", "a number", napi_undefined);
    return NULL;
  }
  if (!get_integer(env, argv[0], "runSync(iterations): iterations", 0,
                   TL_MAX_SAFE_INTEGER, &iterations))
    return NULL;
  if (L->depth > 0) {
    napi_throw_error(env, "ERR_TICKLOOP_REENTRANT",
                     "TickLoop: runSync() called from inside one of this loop's callbacks "
                     "(a tick is running); call it after the tick, e.g. from setImmediate");
    return NULL;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  uint64_t ticks = 0, calls = 0;
  napi_status st = run_ticks(env, L, (uint64_t)iterations, false, &ticks, &calls);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (st != napi_ok) {
    /* the callback's own exception is pending: it reaches the caller as is */
    throw_status(env, "calling a callback");
    return NULL;
  }
  double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
  napi_value out, v;
  CHECK(napi_create_object(env, &out));
  CHECK(napi_create_double(env, (double)ticks, &v));
  CHECK(napi_set_named_property(env, out, "iterations", v));
  CHECK(napi_create_double(env, (double)calls, &v));
  CHECK(napi_set_named_property(env, out, "calls", v));
  CHECK(napi_create_double(env, ms, &v));
  CHECK(napi_set_named_property(env, out, "elapsed", v));
  return out;
}

static napi_value m_start(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  napi_value self;
  tl_loop *L = unwrap_this(env, info, &argc, NULL, &self);
  if (!L) return NULL;
  if (L->started) return NULL;
  if (!init_uv(env, L)) return NULL;
  if (!L->actx) {
    napi_value name;
    CHECK(napi_create_string_utf8(env, "TickLoop", NAPI_AUTO_LENGTH, &name));
    CHECK(napi_async_init(env, self, name, &L->actx));
  }
  uint32_t refs;
  CHECK(napi_reference_ref(env, L->self, &refs)); /* alive while started */
  int rc;
  if (L->interval > 0) {
    rc = uv_timer_start(&L->timer, on_timer, L->interval, L->interval);
  } else {
    rc = uv_check_start(&L->check, on_check);
    if (rc == 0) rc = uv_idle_start(&L->idle, on_idle);
  }
  if (rc != 0) {
    stop_uv(L);
    napi_reference_unref(env, L->self, &refs);
    napi_throw_error(env, "ERR_TICKLOOP_UV", "TickLoop: cannot start the libuv handle");
    return NULL;
  }
  L->started = true;
  apply_ref(L);
  return NULL;
}

static napi_value m_stop(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  tl_loop *L = unwrap_this(env, info, &argc, NULL, NULL);
  if (!L) return NULL;
  if (!L->started) return NULL;
  L->started = false;
  stop_uv(L);
  uint32_t refs;
  CHECK(napi_reference_unref(env, L->self, &refs));
  /* inside a turn its callback scope still uses the context */
  if (!L->in_turn && L->actx) {
    CHECK(napi_async_destroy(env, L->actx));
    L->actx = NULL;
  }
  return NULL;
}

static napi_value set_ref(napi_env env, napi_callback_info info, bool refed) {
  size_t argc = 0;
  napi_value self;
  tl_loop *L = unwrap_this(env, info, &argc, NULL, &self);
  if (!L) return NULL;
  L->refed = refed;
  apply_ref(L);
  return self;
}

static napi_value m_ref(napi_env env, napi_callback_info info) { return set_ref(env, info, true); }
static napi_value m_unref(napi_env env, napi_callback_info info) { return set_ref(env, info, false); }

static napi_value m_has_ref(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  tl_loop *L = unwrap_this(env, info, &argc, NULL, NULL);
  if (!L) return NULL;
  napi_value r;
  CHECK(napi_get_boolean(env, L->refed, &r));
  return r;
}

static napi_value g_size(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  tl_loop *L = unwrap_this(env, info, &argc, NULL, NULL);
  if (!L) return NULL;
  napi_value r;
  CHECK(napi_create_double(env, (double)L->live, &r));
  return r;
}

static napi_value g_started(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  tl_loop *L = unwrap_this(env, info, &argc, NULL, NULL);
  if (!L) return NULL;
  napi_value r;
  CHECK(napi_get_boolean(env, L->started, &r));
  return r;
}

/* ---- constructor --------------------------------------------------------- */

/* Reads options.<name> when present (not undefined). */
static bool option(napi_env env, napi_value opts, const char *name,
                   napi_value *out) {
  *out = NULL;
  if (!opts) return true;
  napi_value v;
  napi_valuetype t;
  if (napi_get_named_property(env, opts, name, &v) != napi_ok ||
      napi_typeof(env, v, &t) != napi_ok)
    return false;
  if (t != napi_undefined) *out = v;
  return true;
}

static napi_value construct(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], self, target;
  tl_state *st = NULL;
  CHECK(napi_get_cb_info(env, info, &argc, argv, &self, (void **)&st));
  CHECK(napi_get_new_target(env, info, &target));
  if (!target) {
    napi_throw_type_error(env, "ERR_CONSTRUCT_CALL_REQUIRED",
                          "TickLoop: the constructor needs `new`");
    return NULL;
  }
  napi_value opts = NULL;
  if (argc >= 1) {
    napi_valuetype t;
    CHECK(napi_typeof(env, argv[0], &t));
    if (t == napi_object) opts = argv[0];
    else if (t != napi_undefined)
      return type_error(env, "new TickLoop(options): options", "an object", t);
  }
  double interval = 0, tpt = 1, sc = TL_SCOPE_CALLS_DEFAULT;
  napi_value v, on_error = NULL;
  if (!option(env, opts, "interval", &v)) return throw_status(env, "options.interval"), NULL;
  if (v && !get_integer(env, v, "options.interval", 0, TL_INTERVAL_MAX, &interval)) return NULL;
  if (!option(env, opts, "ticksPerTurn", &v)) return throw_status(env, "options.ticksPerTurn"), NULL;
  if (v && !get_integer(env, v, "options.ticksPerTurn", 1, UINT32_MAX, &tpt)) return NULL;
  if (!option(env, opts, "scopeCalls", &v)) return throw_status(env, "options.scopeCalls"), NULL;
  if (v && !get_integer(env, v, "options.scopeCalls", 1, TL_SCOPE_CALLS_MAX, &sc)) return NULL;
  if (!option(env, opts, "onError", &on_error)) return throw_status(env, "options.onError"), NULL;
  if (on_error) {
    napi_valuetype t;
    CHECK(napi_typeof(env, on_error, &t));
    if (t != napi_function) return type_error(env, "options.onError", "a function", t);
  }

  tl_loop *L = calloc(1, sizeof *L);
  if (!L) {
    napi_throw_error(env, "ERR_TICKLOOP_NO_MEMORY", "TickLoop: out of memory");
    return NULL;
  }
  L->env = env;
  L->interval = (uint32_t)interval;
  L->ticks_per_turn = (uint32_t)tpt;
  L->scope_calls = (uint32_t)sc;
  L->refed = true;

  /* the hidden holder keeps the callbacks reachable for the GC */
  napi_value key, holder;
  napi_property_descriptor hidden = {0};
  if (napi_get_reference_value(env, st->key, &key) != napi_ok ||
      napi_create_object(env, &holder) != napi_ok) {
    free(L);
    return throw_status(env, "creating the callbacks holder"), NULL;
  }
  hidden.name = key;
  hidden.value = holder;
  hidden.attributes = napi_default; /* not writable, enumerable, configurable */
  if (napi_define_properties(env, self, 1, &hidden) != napi_ok) {
    free(L);
    return throw_status(env, "napi_define_properties"), NULL;
  }
  if (on_error && napi_create_reference(env, on_error, 1, &L->on_error) != napi_ok) {
    free(L);
    return throw_status(env, "napi_create_reference"), NULL;
  }
  if (napi_wrap(env, self, L, finalize, NULL, NULL) != napi_ok) {
    if (L->on_error) napi_delete_reference(env, L->on_error);
    free(L);
    return throw_status(env, "napi_wrap"), NULL;
  }
  /* from here the finalizer owns L */
  L->wrapper_alive = true;
  L->st = st;
  L->next = st->loops;
  if (st->loops) st->loops->prev = L;
  st->loops = L;
  CHECK(napi_create_reference(env, self, 0, &L->self));
  return self;
}

/* ---- registration --------------------------------------------------------- */

napi_value ls__tickloop_init(napi_env env, napi_value exports) {
  tl_state *st = calloc(1, sizeof *st);
  if (!st) {
    napi_throw_error(env, "ERR_TICKLOOP_NO_MEMORY", "TickLoop: out of memory");
    return NULL;
  }
  st->env = env;
  napi_value desc, key, cls;
  if (napi_create_string_utf8(env, "TickLoop callbacks", NAPI_AUTO_LENGTH, &desc) != napi_ok ||
      napi_create_symbol(env, desc, &key) != napi_ok ||
      napi_create_reference(env, key, 1, &st->key) != napi_ok) {
    free(st);
    return throw_status(env, "creating the TickLoop key"), NULL;
  }
  if (napi_add_async_cleanup_hook(env, teardown, st, &st->hook) != napi_ok) {
    napi_delete_reference(env, st->key);
    free(st);
    return throw_status(env, "napi_add_async_cleanup_hook"), NULL;
  }
  /* from here the teardown hook owns st */
  napi_property_descriptor props[] = {
    {"add", NULL, m_add, NULL, NULL, NULL, napi_default_method, st},
    {"remove", NULL, m_remove, NULL, NULL, NULL, napi_default_method, st},
    {"runSync", NULL, m_run_sync, NULL, NULL, NULL, napi_default_method, st},
    {"start", NULL, m_start, NULL, NULL, NULL, napi_default_method, st},
    {"stop", NULL, m_stop, NULL, NULL, NULL, napi_default_method, st},
    {"ref", NULL, m_ref, NULL, NULL, NULL, napi_default_method, st},
    {"unref", NULL, m_unref, NULL, NULL, NULL, napi_default_method, st},
    {"hasRef", NULL, m_has_ref, NULL, NULL, NULL, napi_default_method, st},
    {"size", NULL, NULL, g_size, NULL, NULL, napi_configurable, st},
    {"started", NULL, NULL, g_started, NULL, NULL, napi_configurable, st},
  };
  CHECK(napi_define_class(env, "TickLoop", NAPI_AUTO_LENGTH, construct, st,
                          sizeof props / sizeof props[0], props, &cls));
  CHECK(napi_set_named_property(env, exports, "TickLoop", cls));
  return exports;
}
