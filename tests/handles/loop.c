/*
 * Test addon for the handle-scope audit: the case-1 loop of DESIGN.md.
 *
 *   run(n, cb, scoped)  calls cb() n times from a C loop.
 *
 * Each call makes three local handles, like the game-server loop of
 * node-addon-api issue #1472: the function (read back from a reference),
 * the receiver (the global object) and the call's result. Without a scope
 * per iteration (scoped false) they pile up in the scope of run() until it
 * returns; with napi_open_handle_scope/napi_close_handle_scope around each
 * call (scoped true) at most three are alive at a time.
 *
 * Built at test time: gcc -shared -fPIC -I/usr/include/node -o loop.node loop.c
 */
#include <stdbool.h>
#include <stdint.h>
#include <node_api.h>

#define CHECK(call)                                       \
  do {                                                    \
    if ((call) != napi_ok) {                              \
      bool pending = false;                               \
      napi_is_exception_pending(env, &pending);           \
      if (!pending) napi_throw_error(env, NULL, #call);   \
      goto fail;                                          \
    }                                                     \
  } while (0)

static napi_value run(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_ref fn_ref = NULL;
  uint32_t n = 0;
  bool scoped = false;
  napi_valuetype t;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) {
    napi_throw_type_error(env, NULL, "run(n, cb, scoped)");
    return NULL;
  }
  CHECK(napi_get_value_uint32(env, argv[0], &n));
  CHECK(napi_typeof(env, argv[1], &t));
  if (t != napi_function) {
    napi_throw_type_error(env, NULL, "cb must be a function");
    return NULL;
  }
  CHECK(napi_get_value_bool(env, argv[2], &scoped));
  CHECK(napi_create_reference(env, argv[1], 1, &fn_ref));
  for (uint32_t i = 0; i < n; i++) {
    napi_handle_scope scope = NULL;
    napi_value fn, recv, result;
    if (scoped) CHECK(napi_open_handle_scope(env, &scope));
    napi_status st = napi_get_reference_value(env, fn_ref, &fn); /* 1 */
    if (st == napi_ok) st = napi_get_global(env, &recv);          /* 2 */
    if (st == napi_ok) st = napi_call_function(env, recv, fn, 0, NULL, &result); /* 3 */
    if (scope) CHECK(napi_close_handle_scope(env, scope));
    /* the callback threw: its exception is pending and rethrown on return */
    CHECK(st);
  }
  napi_delete_reference(env, fn_ref);
  return NULL;
fail:
  if (fn_ref) napi_delete_reference(env, fn_ref);
  return NULL;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_value fn;
  if (napi_create_function(env, "run", NAPI_AUTO_LENGTH, run, NULL, &fn) !=
          napi_ok ||
      napi_set_named_property(env, exports, "run", fn) != napi_ok)
    return NULL;
  return exports;
}
