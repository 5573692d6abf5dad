/*
 * The two plain Node-API reference loops of the TickLoop benchmark: the
 * case-1 game-server loop of DESIGN.md written the usual ways.
 *
 *   run(iterations, fns, scoped)  calls every function of the array `fns`
 *                                 once per iteration, in order, from C.
 *
 * Each call is written as such loops usually are: the function is read back
 * from its reference, the receiver is the global object, the result is
 * kept in a napi_value. scoped = true opens and closes a handle scope around
 * every call (the usual fix); scoped = false leaves the 3 handles of each
 * call in run()'s scope until it returns (the leak: 24 bytes per call).
 *
 * Built by bench/tickloop/run.sh:
 *   gcc -O2 -shared -fPIC -I<node include> -o ref.node ref.c
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <node_api.h>

#define MAX_FNS 64

static void fail(napi_env env, const char *what) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_error(env, NULL, what);
}

static napi_value run(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_ref refs[MAX_FNS];
  uint32_t nfns = 0, made = 0;
  double iterations = 0;
  bool scoped = false;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3 ||
      napi_get_value_double(env, argv[0], &iterations) != napi_ok ||
      napi_get_array_length(env, argv[1], &nfns) != napi_ok ||
      napi_get_value_bool(env, argv[2], &scoped) != napi_ok || nfns == 0 || nfns > MAX_FNS) {
    fail(env, "run(iterations, fns[1..64], scoped)");
    return NULL;
  }
  for (; made < nfns; made++) {
    napi_value fn;
    if (napi_get_element(env, argv[1], made, &fn) != napi_ok ||
        napi_create_reference(env, fn, 1, &refs[made]) != napi_ok) {
      fail(env, "fns must hold functions");
      goto out;
    }
  }
  for (uint64_t i = 0; i < (uint64_t)iterations; i++) {
    for (uint32_t k = 0; k < nfns; k++) {
      napi_handle_scope scope = NULL;
      napi_value fn, recv, result;
      if (scoped && napi_open_handle_scope(env, &scope) != napi_ok) {
        fail(env, "napi_open_handle_scope");
        goto out;
      }
      napi_status st = napi_get_reference_value(env, refs[k], &fn);
      if (st == napi_ok) st = napi_get_global(env, &recv);
      if (st == napi_ok) st = napi_call_function(env, recv, fn, 0, NULL, &result);
      if (scope) napi_close_handle_scope(env, scope);
      if (st != napi_ok) { /* the callback's exception stays pending */
        fail(env, "calling a callback");
        goto out;
      }
    }
  }
out:
  for (uint32_t k = 0; k < made; k++) napi_delete_reference(env, refs[k]);
  return NULL;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_value fn;
  if (napi_create_function(env, "run", NAPI_AUTO_LENGTH, run, NULL, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "run", fn) != napi_ok)
    return NULL;
  return exports;
}
