/* Known runtime leaks as a pure function of a retainer path and a Node.js
 * version: each entry's signature (the last steps measured on real
 * snapshots, tests/known/SIGNATURES.md) matches on a version that has the
 * bug, only resembles it on one with the fix, and does not match the same
 * class names held another way. Plus the version ranges and their fixes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "analyses/trend/trend_int.h"

#define MAXS 12
#define B(m) (1u << (m))

typedef struct {
  const char *cls, *type, *edge_type, *edge;
} st;

typedef struct {
  const char *name;
  ls_suspect_kind kind;
  st steps[MAXS];
  const char *affected, *fixed; /* a version with the bug, one with the fix */
  const char *id;               /* NULL: must match nothing */
  ls_metric metric;             /* a metric the signature must grow in */
} kcase;

#define ROOT {"(GC roots)", "synthetic", NULL, NULL}
#define GLOBAL {"global", "object", "element", "[1]"}
#define CTX(e) {"system / Context", "object", "internal", e}
#define OBJ LS_SUSPECT_OBJECT
#define CLS LS_SUSPECT_CLASS

static const kcase cases[] = {
    {"retained_maps of the native context", OBJ,
     {ROOT, {"system / NativeContext", "hidden", "element", "[3]"},
      {"(array)", "array", "internal", "retained_maps"}},
     "22.14.0", "22.15.0", "v8-retained-maps", LS_METRIC_USED},
    {"kDependantSignals Set on a 22.x AbortSignal", OBJ,
     {ROOT, GLOBAL, {"AbortSignal", "object", "property", "longLived"},
      {"Set", "object", "property", "<symbol kDependantSignals>"}},
     "22.11.0", "22.12.0", "node-abort-any-dependants", LS_METRIC_RETAINED_SIZE},
    {"kDependantSignals Set on a 20.x signal (EventTarget), its table", OBJ,
     {ROOT, GLOBAL, {"EventTarget", "object", "property", "source"},
      {"Set", "object", "property", "<symbol kDependantSignals>"},
      {"(array)", "array", "internal", "table"}},
     "20.20.2", "22.12.0", "node-abort-any-dependants", LS_METRIC_EDGES},
    {"WeakRefs in the kDependantSignals table", CLS,
     {ROOT, GLOBAL, {"AbortSignal", "object", "property", "s"},
      {"Set", "object", "property", "<symbol kDependantSignals>"},
      {"(array)", "array", "internal", "table"},
      {"WeakRef", "object", "internal", "514465"}},
     "18.20.8", "22.12.0", "node-abort-any-dependants", LS_METRIC_COUNT},
    {"sourceSignalsCleanupRegistry", OBJ,
     {ROOT, GLOBAL, {"AbortController", "closure", "property", "AbortController"},
      CTX("context"), CTX("previous"),
      {"FinalizationRegistry", "object", "context", "sourceSignalsCleanupRegistry"}},
     "22.13.0", "24.16.0", "node-abort-any-registry", LS_METRIC_RETAINED_SIZE},
    {"the registry's records behind WeakCells", CLS,
     {ROOT, CTX("previous"),
      {"FinalizationRegistry", "object", "context", "sourceSignalsCleanupRegistry"},
      {"system / WeakCell", "hidden", "hidden", "[4]"},
      {"system / WeakCell", "hidden", "hidden", "[4]"},
      {"{sourceSignalRef, composedSignalRef}", "object", "hidden", "[2]"},
      {"WeakRef", "object", "property", "sourceSignalRef"}},
     "22.23.5", "26.1.0", "node-abort-any-registry", LS_METRIC_COUNT},
    {"a program's own object under the registry by a property: not it", CLS,
     {ROOT, CTX("previous"),
      {"FinalizationRegistry", "object", "context", "sourceSignalsCleanupRegistry"},
      {"Array", "object", "property", "mine"}},
     "22.13.0", "24.16.0", NULL, LS_METRIC_COUNT},
    {"gcPersistentSignals", OBJ,
     {ROOT, GLOBAL, CTX("context"), CTX("previous"),
      {"Set", "object", "context", "gcPersistentSignals"}},
     "22.12.0", "22.13.0", "node-abort-any-persistent", LS_METRIC_RETAINED_SIZE},
    {"composites in gcPersistentSignals (class by any name)", CLS,
     {ROOT, CTX("previous"), {"Set", "object", "context", "gcPersistentSignals"},
      {"(array)", "array", "internal", "table"},
      {"EventTarget", "object", "internal", "12"}},
     "20.20.2", "23.5.0", "node-abort-any-persistent", LS_METRIC_COUNT},
    {"knownTimersById", OBJ,
     {ROOT, GLOBAL, {"clearInterval", "closure", "property", "clearInterval"},
      CTX("context"), {"Object", "object", "context", "knownTimersById"}},
     "22.3.0", "22.4.0", "node-timer-known-timers", LS_METRIC_EDGES},
    {"Timeouts in knownTimersById", CLS,
     {ROOT, CTX("context"), {"Object", "object", "context", "knownTimersById"},
      {"Timeout", "object", "element", "[80015]"}},
     "20.15.1", "20.16.0", "node-timer-known-timers", LS_METRIC_COUNT},
    {"a program's own Timeouts in its own object: not it", CLS,
     {ROOT, GLOBAL, {"Object", "object", "property", "timersById"},
      {"Timeout", "object", "element", "[80015]"}},
     "20.15.1", "20.16.0", NULL, LS_METRIC_COUNT},
    {"events.on's abortListener contexts in the signal's kEvents", CLS,
     {ROOT, {"EventTarget", "object", "context", "signal"},
      {"Map", "object", "property", "<symbol kEvents>"},
      {"(array)", "array", "internal", "table"},
      {"Object", "object", "internal", "6"},
      {"Listener", "object", "property", "next"},
      {"abortListener", "closure", "property", "listener"},
      {"system / Context", "object", "internal", "context"}},
     "20.12.2", "20.13.0", "node-events-on-signal", LS_METRIC_COUNT},
    {"a program's own listener chain on a signal: not it", CLS,
     {ROOT, {"EventTarget", "object", "context", "signal"},
      {"Map", "object", "property", "<symbol kEvents>"},
      {"(array)", "array", "internal", "table"},
      {"Object", "object", "internal", "6"},
      {"Listener", "object", "property", "next"},
      {"onAbort", "closure", "property", "listener"},
      {"system / Context", "object", "internal", "context"}},
     "20.12.2", "20.13.0", NULL, LS_METRIC_COUNT},
    {"CompiledFnEntry wrappers of native entries", CLS,
     {{"Node / CompiledFnEntry", "synthetic", NULL, NULL},
      {"CompiledFnEntry", "object", "internal", "native_to_javascript"}},
     "20.7.0", "20.8.0", "node-vm-compile-function", LS_METRIC_COUNT},
    {"callbackMap's table", OBJ,
     {ROOT, {"setCallbackForWrap", "closure", "property", "setCallbackForWrap"},
      CTX("context"), {"WeakMap", "object", "context", "callbackMap"},
      {"(array)", "array", "internal", "table"}},
     "18.19.1", "18.20.0", "node-vm-compile-function", LS_METRIC_EDGES},
    {"a Set named like one but held by a property: not it", OBJ,
     {ROOT, GLOBAL, {"Set", "object", "property", "gcPersistentSignals"}},
     "22.12.0", "22.13.0", NULL, LS_METRIC_RETAINED_SIZE},
};

static size_t build(const kcase *c, ls_path_step *p) {
  size_t n = 0;
  for (; n < MAXS && c->steps[n].cls; n++) {
    memset(&p[n], 0, sizeof p[n]);
    p[n].id = 2 * n + 1;
    p[n].class_name = c->steps[n].cls;
    p[n].type = c->steps[n].type;
    p[n].edge_type = c->steps[n].edge_type;
    p[n].edge = (char *)c->steps[n].edge;
  }
  return n;
}

static void signatures(void **state) {
  (void)state;
  int bad = 0;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const kcase *c = &cases[i];
    ls_path_step p[MAXS];
    size_t n = build(c, p);
    const char *versions[3] = {c->affected, c->fixed, ""};
    for (int v = 0; v < 3; v++) {
      ls__known_match km;
      const ls_known_leak *k = ls__known_identity(c->kind, p, n, versions[v], &km);
      const unsigned m = km.metrics;
      const int applies = km.applies;
      int ok;
      if (!c->id) ok = k == NULL && m == 0;
      else
        ok = k && !strcmp(k->id, c->id) && (m & B(c->metric)) &&
             applies == (v != 1) && /* the fixed version: only resembles */
             km.min_bytes > 0 && km.min_bytes < 65536 && km.min_count > 0 && km.min_count < 256;
      if (!ok) {
        print_error("%s on %s: got %s (applies %d, metrics %#x)\n", c->name,
                    versions[v][0] ? versions[v] : "an unknown version", k ? k->id : "nothing",
                    applies, m);
        bad++;
      }
    }
  }
  assert_int_equal(bad, 0);
}

static const ls_known_leak *entry(const char *id) {
  for (const ls_known_leak *k = ls_known_leaks(); k->id; k++)
    if (!strcmp(k->id, id)) return k;
  return NULL;
}

/* The table itself: every field set, ids unique, and the ranges per
 * release line as measured. */
static void table_and_versions(void **state) {
  (void)state;
  size_t n = 0;
  for (const ls_known_leak *k = ls_known_leaks(); k->id; k++, n++) {
    assert_true(k->title && k->title[0] && k->fixed_in && k->fixed_in[0]);
    assert_true(k->reference && !strncmp(k->reference, "https://", 8));
    assert_true(k->advice && k->advice[0] && k->affected && k->affected[0]);
    assert_ptr_equal(entry(k->id), k);
  }
  assert_true(n >= 7);
  const ls_known_leak *rm = entry("v8-retained-maps"), *reg = entry("node-abort-any-registry"),
                      *dep = entry("node-abort-any-dependants"),
                      *tim = entry("node-timer-known-timers");
  assert_non_null(rm), assert_non_null(reg), assert_non_null(dep), assert_non_null(tim);
  assert_int_equal(ls_known_affects(rm, "22.14.0"), 1);
  assert_int_equal(ls_known_affects(rm, "v22.14.0"), 1);
  assert_int_equal(ls_known_affects(rm, "22.15.0"), 0);
  assert_int_equal(ls_known_affects(rm, "21.7.3"), 0);
  assert_string_equal(ls_known_fixed_for(rm, "22.0.0"), "22.15.0");
  assert_string_equal(ls_known_fixed_for(rm, "23.10.0"), "23.11.0");
  assert_null(ls_known_fixed_for(rm, "22.15.0"));
  /* the regression: clean on 22.12.x, leaking again from 22.13.0, and no
   * 22.x release fixes it */
  assert_int_equal(ls_known_affects(dep, "22.11.0"), 1);
  assert_int_equal(ls_known_affects(dep, "22.12.0"), 0);
  assert_int_equal(ls_known_affects(reg, "22.12.0"), 0);
  assert_int_equal(ls_known_affects(reg, "22.13.0"), 1);
  assert_int_equal(ls_known_affects(reg, "22.23.5"), 1);
  assert_null(ls_known_fixed_for(reg, "22.13.0"));
  assert_string_equal(ls_known_fixed_for(reg, "24.15.0"), "24.16.0");
  assert_int_equal(ls_known_affects(reg, "24.16.0"), 0);
  /* 20.x never got the fix of the first */
  assert_int_equal(ls_known_affects(dep, "20.20.2"), 1);
  assert_null(ls_known_fixed_for(dep, "20.20.2"));
  assert_string_equal(ls_known_fixed_for(tim, "20.15.1"), "20.16.0");
  /* not versions */
  static const char *bad[] = {"", "22", "22.14", "22.x.0", "22..0", "22.14.0-rc1", "latest"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    assert_int_equal(ls_known_affects(rm, bad[i]), -1);
  assert_int_equal(ls_known_affects(NULL, "22.14.0"), -1);
  ls_known_leak fake = *rm; /* not an entry of the table */
  assert_int_equal(ls_known_affects(&fake, "22.14.0"), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(signatures),
      cmocka_unit_test(table_and_versions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
