/*
 * Known runtime leaks: leaks in V8 or Node whose fix is an upgrade, not a
 * change to the user's code, each with the signature a trend series shows
 * and the Node.js versions that have it.
 *
 * A series is matched by its identity (node types, edge names and the
 * holder chain of its retainer path), never by display names: an
 * AbortSignal shows as `EventTarget` on Node 20 and as `AbortSignal` on 22,
 * and class names of the user's own objects can be anything. Matching by
 * identity is what lets the rule give a known signature less benefit of the
 * doubt (LS__RULE_KNOWN). Edge names such as `gcPersistentSignals` are
 * variables of Node's own lib/ code: several programs may hold a container
 * under one (a program with ever more live signals is legitimately in that
 * set), so the versions gate the match, and on a version with the fix the
 * series is the program's own, only resembling the known one.
 *
 * Measurements behind each entry: tests/known/SIGNATURES.md. Adding one:
 * an entry in `known` and in `signature`, its repro in tests/known/repros
 * and a line in tests/known/known.test.mjs. The tables are constant (safe
 * on any thread).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trend_int.h"

#define BIT(m) (1u << (m))
#define SIZES (BIT(LS_METRIC_SELF_SIZE) | BIT(LS_METRIC_RETAINED_SIZE))

static int is(const char *a, const char *b) { return a && !strcmp(a, b); }

/* Step i is reached by the edge `name` of type `type`. */
static int edge_is(const ls_path_step *path, size_t len, size_t i, const char *name,
                   const char *type) {
  return i < len && is(path[i].edge, name) && is(path[i].edge_type, type);
}

/* The first step at or after `from` reached by `name` (`type`), or len. */
static size_t find_edge(const ls_path_step *path, size_t len, size_t from,
                        const char *name, const char *type) {
  for (size_t i = from; i < len; i++)
    if (edge_is(path, len, i, name, type)) return i;
  return len;
}

/* A module variable `var` (a context edge) of Node's lib/ holds a
 * container: the container itself (its last edge), its table or elements
 * (the storage below it), or a class whose instances hang in that storage.
 * `obj` and `store` are the metrics each grows in. */
static unsigned container(ls_suspect_kind kind, const ls_path_step *path, size_t len,
                          const char *var, const char *var_type, const char *storage,
                          unsigned obj, unsigned store) {
  if (len < 2) return 0;
  if (kind == LS_SUSPECT_OBJECT) {
    if (edge_is(path, len, len - 1, var, var_type)) return obj;
    if (edge_is(path, len, len - 2, var, var_type) &&
        edge_is(path, len, len - 1, storage, "internal"))
      return store | SIZES;
    return 0;
  }
  size_t i = find_edge(path, len, 1, var, var_type);
  return i + 2 < len && edge_is(path, len, i + 1, storage, "internal") ? BIT(LS_METRIC_COUNT)
                                                                      : 0;
}

/* V8 kept every map that optimised code embedded in the native context's
 * retained_maps WeakArrayList and compacted it too rarely: cleared slots
 * stay, so the list grows in capacity and used length, while its edge
 * count does not (cleared slots have no edges). It is copied to a bigger
 * array as it grows, so trend follows it as the native context's
 * retained_maps. */
static unsigned retained_maps(ls_suspect_kind kind, const ls_path_step *path, size_t len) {
  if (kind != LS_SUSPECT_OBJECT || len < 2 ||
      !is(path[len - 1].edge, "retained_maps") ||
      !is(path[len - 2].class_name, "system / NativeContext"))
    return 0;
  return SIZES | BIT(LS_METRIC_USED);
}

/* AbortSignal.any() added a WeakRef to the `kDependantSignals` Set of each
 * source signal per call and never removed it: a long-lived source gathers
 * one WeakRef per composite ever made. */
static unsigned abort_any_dependants(ls_suspect_kind kind, const ls_path_step *path,
                                     size_t len) {
  return container(kind, path, len, "<symbol kDependantSignals>", "property", "table",
                   BIT(LS_METRIC_RETAINED_SIZE), BIT(LS_METRIC_EDGES));
}

/* The fix of the above registered every source signal in the
 * FinalizationRegistry `sourceSignalsCleanupRegistry` per call: a linked
 * chain of WeakCells (hidden links), each holding a {sourceSignalRef,
 * composedSignalRef} record with two WeakRefs, that lives as long as the
 * source does. The registry's own edges do not grow (a list), so it is its
 * retained size; the cells, records and WeakRefs are classes below it
 * reached only through hidden links. */
static unsigned abort_any_registry(ls_suspect_kind kind, const ls_path_step *path,
                                   size_t len) {
  if (len < 2) return 0;
  if (kind == LS_SUSPECT_OBJECT)
    return edge_is(path, len, len - 1, "sourceSignalsCleanupRegistry", "context")
               ? BIT(LS_METRIC_RETAINED_SIZE)
               : 0;
  size_t i = find_edge(path, len, 1, "sourceSignalsCleanupRegistry", "context");
  if (i + 1 >= len) return 0;
  for (size_t j = i + 1; j < len; j++) {
    if (is(path[j].edge_type, "hidden")) continue;
    if (j == len - 1 && is(path[j].edge_type, "property") &&
        (is(path[j].edge, "sourceSignalRef") || is(path[j].edge, "composedSignalRef")))
      continue;
    return 0;
  }
  return BIT(LS_METRIC_COUNT);
}

/* A composite AbortSignal.any() with an `abort` listener was pinned in
 * the module's `gcPersistentSignals` Set until it aborted or lost the
 * listener, even once every source had died and it never could abort. */
static unsigned abort_any_persistent(ls_suspect_kind kind, const ls_path_step *path,
                                     size_t len) {
  return container(kind, path, len, "gcPersistentSignals", "context", "table",
                   BIT(LS_METRIC_RETAINED_SIZE), BIT(LS_METRIC_EDGES));
}

/* A Timeout converted to a primitive (`+setTimeout(...)`) is entered in
 * `knownTimersById` by its async id, and a fired one was never deleted:
 * the object gains an element per timer. */
static unsigned timer_known_timers(ls_suspect_kind kind, const ls_path_step *path,
                                   size_t len) {
  if (kind == LS_SUSPECT_CLASS) {
    size_t i = find_edge(path, len, 1, "knownTimersById", "context");
    return i + 1 < len && is(path[i + 1].edge_type, "element") ? BIT(LS_METRIC_COUNT) : 0;
  }
  return container(kind, path, len, "knownTimersById", "context", "elements",
                   BIT(LS_METRIC_EDGES) | SIZES, BIT(LS_METRIC_EDGES));
}

/* events.on(emitter, name, { signal }) added an `abort` listener
 * (lib/events.js's abortListener) to the signal per iterator and never
 * removed it on return(): the signal's kEvents list gains a Listener per
 * iterator, each keeping the iterator's closure context and its queues.
 * The Listener chain alone could be a program's own listeners on a
 * long-lived signal; what names this leak is abortListener's context
 * hanging in that chain. */
static unsigned events_on_signal(ls_suspect_kind kind, const ls_path_step *path,
                                 size_t len) {
  if (kind != LS_SUSPECT_CLASS) return 0;
  size_t i = find_edge(path, len, 1, "<symbol kEvents>", "property");
  for (size_t j = i + 1; j < len; j++)
    if (edge_is(path, len, j, "listener", "property") && is(path[j].type, "closure") &&
        is(path[j].class_name, "abortListener"))
      return BIT(LS_METRIC_COUNT) | SIZES;
  return 0;
}

/* vm.compileFunction() with importModuleDynamically made a native
 * CompiledFnEntry per call that held its JS wrapper strongly, and the
 * wrapper is the key of the module loader's `callbackMap` WeakMap, whose
 * value keeps the function, its context and its code. */
static unsigned vm_compile_function(ls_suspect_kind kind, const ls_path_step *path,
                                    size_t len) {
  if (kind == LS_SUSPECT_CLASS && len >= 2 &&
      edge_is(path, len, len - 1, "native_to_javascript", "internal") &&
      (is(path[len - 2].type, "synthetic") || is(path[len - 2].type, "native")) &&
      is(path[len - 2].class_name, "Node / CompiledFnEntry"))
    return BIT(LS_METRIC_COUNT) | SIZES;
  return container(kind, path, len, "callbackMap", "context", "table",
                   BIT(LS_METRIC_RETAINED_SIZE), BIT(LS_METRIC_EDGES));
}

static const ls_known_leak known[] = {
    {"v8-retained-maps",
     "V8 retained_maps WeakArrayList grows without bound",
     "Node.js 22.15.0, 23.11.0 (V8 \"Compact retained maps array more "
     "often\")",
     "https://github.com/nodejs/node/issues/57412",
     "This leak is in V8, not in your code: the native context's "
     "retained_maps list keeps growing while optimised code is created. "
     "Upgrade Node.js to 22.15.0 or 23.11.0 or later.",
     "22.0.0 to 22.14.x, 23.0.0 to 23.10.x"},
    {"node-abort-any-dependants",
     "AbortSignal.any() keeps a WeakRef per call on each long-lived source "
     "signal (kDependantSignals)",
     "Node.js 22.12.0, 23.1.0 (no fix on 18.x, 20.x, 21.x)",
     "https://github.com/nodejs/node/issues/55351",
     "This leak is in Node.js, not in your code: every AbortSignal.any() "
     "call adds a WeakRef to its source signals that is never removed. "
     "Note that 22.13.0 and later 22.x leak again in another way "
     "(node-abort-any-registry): move to 24.16.0 or 26.1.0 or later, or "
     "avoid AbortSignal.any() with long-lived source signals.",
     "18.17.0 to 18.20.x, 20.3.0 to 20.x, 21.x, 22.0.0 to 22.11.x, 23.0.x"},
    {"node-abort-any-registry",
     "AbortSignal.any() registers each source signal in "
     "sourceSignalsCleanupRegistry per call (a chain of WeakCells)",
     "Node.js 24.16.0, 26.1.0 (no fix on 22.x, 23.x, 25.x)",
     "https://github.com/nodejs/node/issues/55351",
     "This leak is in Node.js, not in your code: since 22.13.0 every "
     "AbortSignal.any() call registers its sources in a FinalizationRegistry "
     "that keeps a record for as long as the source lives. Upgrade to "
     "24.16.0 or 26.1.0 or later (no 22.x release has the fix), or avoid "
     "AbortSignal.any() with long-lived source signals.",
     "22.13.0 to 22.x, 23.5.0 to 23.x, 24.0.0 to 24.15.x, 25.x, 26.0.x"},
    {"node-abort-any-persistent",
     "AbortSignal.any() composites with an abort listener stay in "
     "gcPersistentSignals after their sources are gone",
     "Node.js 22.13.0, 23.5.0 (no fix on 18.x, 20.x, 21.x)",
     "https://github.com/nodejs/node/issues/55328",
     "This leak is in Node.js, not in your code: a composite signal with an "
     "'abort' listener is kept in a module-level set until it aborts, even "
     "when it never can. Upgrade to 22.13.0 or 23.5.0 or later, or remove "
     "the listener when you are done with the composite.",
     "18.17.0 to 18.20.x, 20.3.0 to 20.x, 21.x, 22.0.0 to 22.12.x, 23.0.0 "
     "to 23.4.x"},
    {"node-timer-known-timers",
     "Timers converted to a primitive stay in knownTimersById after they "
     "fire",
     "Node.js 20.16.0, 22.4.0 (no fix on 18.x, 21.x)",
     "https://github.com/nodejs/node/issues/53335",
     "This leak is in Node.js, not in your code: a Timeout turned into a "
     "number (+setTimeout(...), or used as an object key) is kept by its "
     "id after it has fired. Upgrade to 20.16.0 or 22.4.0 or later, or "
     "keep the Timeout objects instead of their ids.",
     "18.x, 20.0.0 to 20.15.x, 21.x, 22.0.0 to 22.3.x"},
    {"node-events-on-signal",
     "events.on() with a signal leaves an abort listener per iterator on "
     "the signal",
     "Node.js 20.13.0, 22.0.0 (no fix on 21.x)",
     "https://github.com/nodejs/node/issues/51010",
     "This leak is in Node.js, not in your code: each events.on(emitter, "
     "name, { signal }) iterator adds an 'abort' listener to the signal that "
     "stays after the iterator is closed, with the iterator's queues. "
     "Upgrade to 20.13.0 or 22.0.0 or later, or give each iterator a "
     "short-lived signal.",
     "20.0.0 to 20.12.x, 21.x"},
    {"node-vm-compile-function",
     "vm.compileFunction() with importModuleDynamically keeps every "
     "compiled function (CompiledFnEntry)",
     "Node.js 18.20.0, 20.8.0, 21.0.0",
     "https://github.com/nodejs/node/issues/42080",
     "This leak is in Node.js, not in your code: each vm.compileFunction() "
     "call with an importModuleDynamically option is kept alive by a "
     "native entry. Upgrade to 18.20.0 or 20.8.0 or later, or compile "
     "without importModuleDynamically.",
     "18.0.0 to 18.19.x, 20.0.0 to 20.7.x"},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};

/* Versions as major * 10000 + minor * 100 + patch. */
#define V(a, b, c) ((a) * 10000UL + (b) * 100UL + (c))
#define LINE_END(a) V((a) + 1, 0, 0)

typedef struct {
  unsigned long from, to; /* [from, to) within one release line */
  const char *fixed;      /* the release `to` is, when it carries the fix
                             on this line; NULL when the line ends with
                             the bug */
} range_t;

typedef struct {
  /* the metrics its signature grows in (0: this series is not it) */
  unsigned (*match)(ls_suspect_kind, const ls_path_step *, size_t);
  /* its growth floors: bytes, and references / instances / slots; small,
   * since its identity is certain, but above what V8's own bookkeeping
   * moves by (a 1.6 kB step of retained_maps on a fixed 22.13 was not it) */
  uint64_t min_bytes, min_count;
  range_t affected[8]; /* a zero `to` ends the list */
} signature_t;

/* Per entry of `known`; the ranges were measured on the official builds
 * or read in their lib/ sources (tests/known/SIGNATURES.md). */
static const signature_t signature[] = {
    {retained_maps,
     4096, 64,
     {{V(22, 0, 0), V(22, 15, 0), "22.15.0"}, {V(23, 0, 0), V(23, 11, 0), "23.11.0"}}},
    {abort_any_dependants,
     4096, 64,
     {{V(18, 17, 0), LINE_END(18), NULL},
      {V(20, 3, 0), LINE_END(20), NULL},
      {V(21, 0, 0), LINE_END(21), NULL},
      {V(22, 0, 0), V(22, 12, 0), "22.12.0"},
      {V(23, 0, 0), V(23, 1, 0), "23.1.0"}}},
    {abort_any_registry,
     4096, 64,
     {{V(22, 13, 0), LINE_END(22), NULL},
      {V(23, 5, 0), LINE_END(23), NULL},
      {V(24, 0, 0), V(24, 16, 0), "24.16.0"},
      {V(25, 0, 0), LINE_END(25), NULL},
      {V(26, 0, 0), V(26, 1, 0), "26.1.0"}}},
    {abort_any_persistent,
     4096, 64,
     {{V(18, 17, 0), LINE_END(18), NULL},
      {V(20, 3, 0), LINE_END(20), NULL},
      {V(21, 0, 0), LINE_END(21), NULL},
      {V(22, 0, 0), V(22, 13, 0), "22.13.0"},
      {V(23, 0, 0), V(23, 5, 0), "23.5.0"}}},
    {timer_known_timers,
     4096, 64,
     {{V(18, 0, 0), LINE_END(18), NULL},
      {V(20, 0, 0), V(20, 16, 0), "20.16.0"},
      {V(21, 0, 0), LINE_END(21), NULL},
      {V(22, 0, 0), V(22, 4, 0), "22.4.0"}}},
    {events_on_signal,
     4096, 64,
     {{V(20, 0, 0), V(20, 13, 0), "20.13.0"}, {V(21, 0, 0), LINE_END(21), NULL}}},
    {vm_compile_function,
     4096, 64,
     {{V(18, 0, 0), V(18, 20, 0), "18.20.0"}, {V(20, 0, 0), V(20, 8, 0), "20.8.0"}}},
};

_Static_assert(sizeof signature / sizeof *signature == sizeof known / sizeof *known - 1,
               "one signature per known leak");

/* "22.14.0" (or "v22.14.0") as 221400; 0 when it is not a version. */
static unsigned long version_number(const char *v) {
  if (!v) return 0;
  if (*v == 'v') v++;
  unsigned long part[3] = {0, 0, 0};
  int k = 0, digits = 0;
  for (; *v && k < 3; v++) {
    if (*v == '.') {
      if (!digits) return 0;
      k++, digits = 0;
    } else if (*v >= '0' && *v <= '9' && digits < 4) {
      part[k] = part[k] * 10 + (unsigned long)(*v - '0'), digits++;
    } else {
      return 0;
    }
  }
  if (k != 2 || !digits || part[1] > 99 || part[2] > 99) return 0;
  return V(part[0], part[1], part[2]);
}

static const signature_t *signature_of(const ls_known_leak *k) {
  if (!k) return NULL;
  for (size_t i = 0; i < sizeof signature / sizeof *signature; i++)
    if (k == &known[i]) return &signature[i];
  return NULL;
}

/* The affected range holding version number v, or NULL. */
static const range_t *range_of(const signature_t *sig, unsigned long v) {
  for (size_t i = 0; i < sizeof sig->affected / sizeof *sig->affected && sig->affected[i].to;
       i++)
    if (v >= sig->affected[i].from && v < sig->affected[i].to) return &sig->affected[i];
  return NULL;
}

int ls_known_affects(const ls_known_leak *k, const char *version) {
  const signature_t *sig = signature_of(k);
  unsigned long v = version_number(version);
  if (!sig || !v) return -1;
  return range_of(sig, v) != NULL;
}

const char *ls_known_fixed_for(const ls_known_leak *k, const char *version) {
  const signature_t *sig = signature_of(k);
  unsigned long v = version_number(version);
  const range_t *r = sig && v ? range_of(sig, v) : NULL;
  return r ? r->fixed : NULL;
}

const ls_known_leak *ls__known_identity(ls_suspect_kind kind, const ls_path_step *path,
                                        size_t path_len, const char *version,
                                        ls__known_match *out) {
  memset(out, 0, sizeof *out);
  const unsigned long v = version_number(version);
  const ls_known_leak *resembles = NULL;
  for (size_t i = 0; i < sizeof signature / sizeof *signature; i++) {
    unsigned m = signature[i].match(kind, path, path_len);
    if (!m) continue;
    const int applies = !v || range_of(&signature[i], v) != NULL; /* unknown: the signature decides */
    if (applies || !resembles) {
      out->metrics = m;
      out->applies = applies;
      out->min_bytes = signature[i].min_bytes;
      out->min_count = signature[i].min_count;
      resembles = &known[i];
    }
    if (applies) break;
  }
  return resembles;
}

const ls_known_leak *ls_known_leaks(void) { return known; }
