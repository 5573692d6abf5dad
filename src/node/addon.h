/*
 * The Node-API addon (frontend layer): `require('leakscope')`'s native part.
 * addon.c registers the module and calls each part's init below; each part
 * keeps its own per-environment state (allocated in its init, freed by an
 * environment cleanup hook), so the addon is safe in worker_threads and
 * leaves nothing behind when an environment is torn down.
 * Built by node-gyp (binding.gyp) from the same C sources as the CMake build,
 * against Node-API version 8.
 */
#ifndef LS_NODE_ADDON_H
#define LS_NODE_ADDON_H

#define NAPI_VERSION 8
#include <node_api.h>

/* analyse.c: summary(), diff(), trend(), paths(), handles() as async work.
 * Adds its functions to `exports`; returns NULL with a pending exception on
 * failure. */
napi_value ls__analyse_init(napi_env env, napi_value exports);

/* tickloop.c: the TickLoop class. Adds `TickLoop` to `exports`; returns
 * NULL with a pending exception on failure. */
napi_value ls__tickloop_init(napi_env env, napi_value exports);

#endif
