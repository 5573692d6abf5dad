/*
 * The Node-API module `leakscope.node`: registers the analyser functions
 * (analyse.c) and the TickLoop class (tickloop.c) on each environment that
 * loads it. NAPI_MODULE_INIT makes the module context-aware: it runs once
 * per environment (the main thread and every worker_threads Worker), and
 * nothing here is shared between environments.
 */
#include "addon.h"

NAPI_MODULE_INIT() {
  if (!ls__analyse_init(env, exports)) return NULL;
  if (!ls__tickloop_init(env, exports)) return NULL;
  return exports;
}
