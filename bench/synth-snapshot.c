/* synth-snapshot: writes a large, valid V8 .heapsnapshot without V8.
 *
 *   synth-snapshot (--nodes N | --bytes N) [--seed S] -o FILE|-
 *
 * The file has Node 20's snapshot meta (node fields type, name, id,
 * self_size, edge_count, trace_node_id, detachedness; edge fields type,
 * name_or_index, to_node), a synthetic root, (GC roots) with sub-roots, a
 * global object, shared maps/prototypes/constructors, and then "units" that
 * mirror bench/gen-snapshots.mjs' workload: per unit a Session object with
 * two Items, an Array and its elements, heap numbers, a closure and its
 * Context, a cons string of two strings, a WeakRef (weak edge to a random
 * Session), a plain {ok, parent} object, a Map with an OrderedHashMap table
 * (hidden) and a Point; Sessions are held by bucket arrays reached from
 * global.registry and link to random earlier Sessions ("peer"), so the
 * dominator tree is not a plain tree. Object, Item, Point and closure nodes
 * get location entries, like V8's. 20 nodes and ~64 edges per unit, about
 * 1.43 kB of text (--bytes 6G: 80.3M nodes, 256M edges, ~25 s).
 *
 * The file is streamed: every node's edges are a function of (seed, node
 * index), so the nodes, edges, locations and strings sections are written in
 * four passes without holding the graph. Deterministic: same options, same
 * bytes. Output files are created 0600 (like any heap snapshot they would
 * hold a process's strings). Plain C11 + POSIX, no dependencies.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ meta */

enum ntype { NT_HIDDEN, NT_ARRAY, NT_STRING, NT_OBJECT, NT_CODE, NT_CLOSURE, NT_REGEXP, NT_NUMBER,
             NT_NATIVE, NT_SYNTHETIC, NT_CONS, NT_SLICED, NT_SYMBOL, NT_BIGINT, NT_SHAPE };
enum etype { ET_CONTEXT, ET_ELEMENT, ET_PROPERTY, ET_INTERNAL, ET_HIDDEN, ET_SHORTCUT, ET_WEAK };

static const char META[] =
    "{\"node_fields\":[\"type\",\"name\",\"id\",\"self_size\",\"edge_count\",\"trace_node_id\",\"detachedness\"],"
    "\"node_types\":[[\"hidden\",\"array\",\"string\",\"object\",\"code\",\"closure\",\"regexp\",\"number\","
    "\"native\",\"synthetic\",\"concatenated string\",\"sliced string\",\"symbol\",\"bigint\",\"object shape\","
    "\"wasm object\"],\"string\",\"number\",\"number\",\"number\",\"number\",\"number\"],"
    "\"edge_fields\":[\"type\",\"name_or_index\",\"to_node\"],"
    "\"edge_types\":[[\"context\",\"element\",\"property\",\"internal\",\"hidden\",\"shortcut\",\"weak\"],"
    "\"string_or_number\",\"node\"],"
    "\"trace_function_info_fields\":[\"function_id\",\"name\",\"script_name\",\"script_id\",\"line\",\"column\"],"
    "\"trace_node_fields\":[\"id\",\"function_info_index\",\"count\",\"size\",\"children\"],"
    "\"sample_fields\":[\"timestamp_us\",\"last_assigned_id\"],"
    "\"location_fields\":[\"object_index\",\"script_id\",\"line\",\"column\"]}";

#define NODE_FIELDS 7
#define SCRIPT_ID 99

/* ---------------------------------------------------------- fixed strings */

#define STRINGS(X) \
  X(S_DUMMY, "<dummy>") X(S_EMPTY, "") X(S_GCROOTS, "(GC roots)") \
  X(S_SR_STRONG, "(Strong roots)") X(S_SR_HANDLES, "(Handle scope)") X(S_SR_GLOBALH, "(Global handles)") \
  X(S_SR_INTERN, "(Internalized strings)") X(S_SR_WEAKC, "(Weak collections)") X(S_SR_RO, "(Read-only roots)") \
  X(S_NATIVE_CONTEXT, "system / NativeContext") X(S_CONTEXT, "system / Context") X(S_GLOBAL, "global") \
  X(S_ARRAY, "Array") X(S_OBJ_ELEMS, "(object elements)") X(S_SYS_MAP, "system / Map") \
  X(S_OBJECT, "Object") X(S_FUNCTION, "Function") X(S_WEAKREF, "WeakRef") X(S_MAP, "Map") \
  X(S_SESSION, "Session") X(S_ITEM, "Item") X(S_POINT, "Point") \
  X(S_SFI, "(shared function info)") X(S_FEEDBACK_CELL, "system / FeedbackCell") \
  X(S_LAZY, "(CompileLazy builtin code)") X(S_SCOPE_INFO, "system / ScopeInfo") \
  X(S_SCRIPT, "file:///srv/app/server.js") X(S_ODDBALL, "system / Oddball") \
  X(S_HEAP_NUMBER, "heap number") X(S_CONS, "(concatenated string)") X(S_OHM, "system / OrderedHashMap") \
  X(S_P_GLOBAL, "global") X(S_P_REGISTRY, "registry") X(S_P_USERS, "users") X(S_P_ELEMENTS, "elements") \
  X(S_P_MAP, "map") X(S_P_PROTO, "__proto__") X(S_P_PROTOTYPE, "prototype") X(S_P_CONSTRUCTOR, "constructor") \
  X(S_P_CBP, "constructor_or_back_pointer") X(S_P_SHARED, "shared") X(S_P_CONTEXT, "context") \
  X(S_P_FEEDBACK, "feedback_cell") X(S_P_CODE, "code") X(S_P_SCOPE_INFO, "scope_info") X(S_P_PREVIOUS, "previous") \
  X(S_P_SCRIPT, "script") X(S_P_GPO, "global_proxy_object") X(S_P_SCRIPT_CONTEXT, "script_context") \
  X(S_P_USER, "user") X(S_P_ITEMS, "items") X(S_P_ONCLOSE, "onClose") X(S_P_PEER, "peer") X(S_P_REF, "ref") \
  X(S_P_KEY, "key") X(S_P_META, "meta") X(S_P_CACHE, "cache") X(S_P_LABEL, "label") X(S_P_OWNER, "owner") \
  X(S_P_FIRST, "first") X(S_P_SECOND, "second") X(S_P_TARGET, "target") X(S_P_OK, "ok") \
  X(S_P_PARENT, "parent") X(S_P_TABLE, "table") X(S_P_SESSION_VAR, "s") X(S_P_TRUE, "true_value") \
  X(S_P_NULL, "null_value")

#define X_ENUM(id, text) id,
#define X_TEXT(id, text) text,
enum { STRINGS(X_ENUM) S_FIXED_COUNT };
static const char *const fixed_strings[] = { STRINGS(X_TEXT) };

#define POOL 1000                       /* "user-N@example.com" strings */
#define S_POOL S_FIXED_COUNT
#define S_UNIT0 (S_POOL + POOL)
#define UNIT_STRINGS 4                  /* label a, label b, key, token */

/* ------------------------------------------------------------ fixed nodes */

enum {
  F_ROOT, F_GCROOTS, F_SR_STRONG, F_SR_HANDLES, F_SR_GLOBALH, F_SR_INTERN, F_SR_WEAKC, F_SR_RO,
  F_NATIVE_CONTEXT, F_SCRIPT_CTX, F_GLOBAL, F_REG_ARRAY, F_REG_ELEMS, F_USERS_ARRAY, F_USERS_ELEMS,
  F_META_MAP, F_MAP_STRING, F_MAP_CONS, F_MAP_NUMBER, F_MAP_FIXED,
  F_MAP_SESSION, F_MAP_ITEM, F_MAP_POINT, F_MAP_OBJECT, F_MAP_ARRAY, F_MAP_WEAKREF, F_MAP_JSMAP,
  F_MAP_CLOSURE, F_MAP_CONTEXT,
  F_PROTO_OBJECT, F_PROTO_SESSION, F_PROTO_ITEM, F_PROTO_POINT, F_PROTO_ARRAY, F_PROTO_FUNCTION,
  F_PROTO_WEAKREF, F_PROTO_MAP,
  F_CTOR_SESSION, F_CTOR_ITEM, F_CTOR_POINT,
  F_SFI_SESSION, F_SFI_ITEM, F_SFI_POINT, F_SFI_ARROW, F_FEEDBACK_CELL, F_LAZY, F_SCOPE_INFO, F_SCRIPT,
  F_TRUE, F_NULL,
  F_POOL0, /* POOL strings follow */
  F_COUNT_NO_POOL
};
#define F_COUNT ((uint64_t)F_POOL0 + POOL)
#define K 20                            /* nodes per unit */
#define BUCKET 4096                     /* Sessions per bucket array */

/* unit node slots */
enum { U_SESSION, U_NUM0, U_ARRAY, U_ELEMS, U_ITEM_A, U_LABEL_A, U_NUM_A, U_ITEM_B, U_LABEL_B, U_NUM_B,
       U_CLOSURE, U_CONTEXT, U_CONS, U_WEAKREF, U_KEY, U_TOKEN, U_PLAIN, U_JSMAP, U_TABLE, U_POINT };

/* ------------------------------------------------------------------ model */

struct graph {
  uint64_t units, buckets, seed;
  uint64_t unit0, bucket0, nodes;       /* node index layout */
};

static uint64_t splitmix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static uint64_t unit_rand(const struct graph *g, uint64_t u, uint64_t k) {
  return splitmix(splitmix(g->seed ^ (u * 0xd1b54a32d192ed03ULL)) + k);
}

static void graph_init(struct graph *g, uint64_t units, uint64_t seed) {
  g->units = units;
  g->seed = seed;
  g->buckets = (units + BUCKET - 1) / BUCKET;
  g->unit0 = F_COUNT;
  g->bucket0 = g->unit0 + units * K;
  g->nodes = g->bucket0 + 2 * g->buckets;
}

struct node {
  int type;
  uint64_t name;                        /* string index */
  uint64_t size;
  bool has_location;
  uint32_t line, column;
};

/* Edge visitor: a node's edges are produced by calling emit() in order. */
struct visitor {
  void (*edge)(struct visitor *v, int type, uint64_t name_or_index, uint64_t to);
};

static uint64_t unit_node(const struct graph *g, uint64_t u, int slot) {
  return g->unit0 + u * K + (uint64_t)slot;
}

/* Describes node idx and, when v is not NULL, visits its edges. */
static void describe(const struct graph *g, uint64_t idx, struct node *n, struct visitor *v) {
#define E(t, nm, to) do { if (v) v->edge(v, (t), (nm), (to)); } while (0)
#define N(t, nm, sz) do { n->type = (t); n->name = (nm); n->size = (sz); } while (0)
  n->has_location = false;
  if (idx < F_POOL0) {
    switch ((int)idx) {
    case F_ROOT:
      N(NT_SYNTHETIC, S_EMPTY, 0);
      E(ET_ELEMENT, 1, F_GCROOTS);
      E(ET_SHORTCUT, S_P_GLOBAL, F_GLOBAL);
      return;
    case F_GCROOTS:
      N(NT_SYNTHETIC, S_GCROOTS, 0);
      for (uint64_t i = F_SR_STRONG; i <= F_SR_RO; i++) E(ET_ELEMENT, i - F_SR_STRONG + 1, i);
      return;
    case F_SR_STRONG:
      N(NT_SYNTHETIC, S_SR_STRONG, 0);
      E(ET_ELEMENT, 1, F_NATIVE_CONTEXT);
      E(ET_ELEMENT, 2, F_SCRIPT_CTX);
      return;
    case F_SR_HANDLES:
      N(NT_SYNTHETIC, S_SR_HANDLES, 0);
      E(ET_ELEMENT, 1, F_REG_ARRAY);
      return;
    case F_SR_GLOBALH:
      N(NT_SYNTHETIC, S_SR_GLOBALH, 0);
      E(ET_ELEMENT, 1, F_GLOBAL);
      return;
    case F_SR_INTERN:
      N(NT_SYNTHETIC, S_SR_INTERN, 0);
      for (uint64_t i = 0; i < POOL; i++) E(ET_ELEMENT, i, F_POOL0 + i);
      return;
    case F_SR_WEAKC:
      N(NT_SYNTHETIC, S_SR_WEAKC, 0);
      return;
    case F_SR_RO:
      N(NT_SYNTHETIC, S_SR_RO, 0);
      E(ET_ELEMENT, 1, F_META_MAP);
      E(ET_ELEMENT, 2, F_MAP_STRING);
      E(ET_ELEMENT, 3, F_MAP_CONS);
      E(ET_ELEMENT, 4, F_MAP_NUMBER);
      E(ET_ELEMENT, 5, F_MAP_FIXED);
      E(ET_ELEMENT, 6, F_TRUE);
      E(ET_ELEMENT, 7, F_NULL);
      return;
    case F_NATIVE_CONTEXT:
      N(NT_HIDDEN, S_NATIVE_CONTEXT, 2320);
      E(ET_INTERNAL, S_P_GPO, F_GLOBAL);
      E(ET_INTERNAL, S_P_SCRIPT_CONTEXT, F_SCRIPT_CTX);
      E(ET_INTERNAL, S_P_MAP, F_META_MAP);
      return;
    case F_SCRIPT_CTX:
      N(NT_OBJECT, S_CONTEXT, 104);
      E(ET_CONTEXT, S_SESSION, F_CTOR_SESSION);
      E(ET_CONTEXT, S_ITEM, F_CTOR_ITEM);
      E(ET_CONTEXT, S_POINT, F_CTOR_POINT);
      E(ET_INTERNAL, S_P_PREVIOUS, F_NATIVE_CONTEXT);
      E(ET_INTERNAL, S_P_SCOPE_INFO, F_SCOPE_INFO);
      E(ET_INTERNAL, S_P_MAP, F_MAP_CONTEXT);
      return;
    case F_GLOBAL:
      N(NT_OBJECT, S_GLOBAL, 56);
      E(ET_PROPERTY, S_P_REGISTRY, F_REG_ARRAY);
      E(ET_PROPERTY, S_P_USERS, F_USERS_ARRAY);
      E(ET_PROPERTY, S_OBJECT, F_PROTO_OBJECT);
      E(ET_PROPERTY, S_P_PROTO, F_PROTO_OBJECT);
      E(ET_INTERNAL, S_P_MAP, F_MAP_OBJECT);
      return;
    case F_REG_ARRAY:
    case F_USERS_ARRAY:
      N(NT_OBJECT, S_ARRAY, 32);
      E(ET_PROPERTY, S_P_PROTO, F_PROTO_ARRAY);
      E(ET_INTERNAL, S_P_ELEMENTS, idx + 1);
      E(ET_INTERNAL, S_P_MAP, F_MAP_ARRAY);
      return;
    case F_REG_ELEMS:
      N(NT_ARRAY, S_OBJ_ELEMS, 16 + 8 * g->buckets);
      for (uint64_t b = 0; b < g->buckets; b++) E(ET_ELEMENT, b, g->bucket0 + 2 * b);
      return;
    case F_USERS_ELEMS:
      N(NT_ARRAY, S_OBJ_ELEMS, 16 + 8 * POOL);
      for (uint64_t i = 0; i < POOL; i++) E(ET_ELEMENT, i, F_POOL0 + i);
      return;
    case F_META_MAP:
      N(NT_HIDDEN, S_SYS_MAP, 80);
      E(ET_INTERNAL, S_P_MAP, F_META_MAP); /* the meta map is its own map */
      return;
    case F_MAP_STRING: case F_MAP_CONS: case F_MAP_NUMBER: case F_MAP_FIXED:
      N(NT_HIDDEN, S_SYS_MAP, 80);
      E(ET_INTERNAL, S_P_MAP, F_META_MAP);
      return;
    case F_MAP_SESSION: case F_MAP_ITEM: case F_MAP_POINT: case F_MAP_OBJECT: case F_MAP_ARRAY:
    case F_MAP_WEAKREF: case F_MAP_JSMAP: case F_MAP_CLOSURE: case F_MAP_CONTEXT: {
      static const uint64_t proto[] = { F_PROTO_SESSION, F_PROTO_ITEM, F_PROTO_POINT, F_PROTO_OBJECT,
                                        F_PROTO_ARRAY, F_PROTO_WEAKREF, F_PROTO_MAP, F_PROTO_FUNCTION, F_NULL };
      uint64_t i = idx - F_MAP_SESSION;
      N(NT_SHAPE, S_SYS_MAP, 80);
      E(ET_INTERNAL, S_P_PROTOTYPE, proto[i]);
      if (i < 3) E(ET_INTERNAL, S_P_CBP, F_CTOR_SESSION + i);
      E(ET_INTERNAL, S_P_MAP, F_META_MAP);
      return;
    }
    case F_PROTO_OBJECT:
      N(NT_OBJECT, S_OBJECT, 56);
      E(ET_PROPERTY, S_P_PROTO, F_NULL);
      E(ET_INTERNAL, S_P_MAP, F_MAP_OBJECT);
      return;
    case F_PROTO_SESSION: case F_PROTO_ITEM: case F_PROTO_POINT:
      N(NT_OBJECT, S_OBJECT, 24);
      E(ET_PROPERTY, S_P_CONSTRUCTOR, F_CTOR_SESSION + (idx - F_PROTO_SESSION));
      E(ET_PROPERTY, S_P_PROTO, F_PROTO_OBJECT);
      E(ET_INTERNAL, S_P_MAP, F_MAP_OBJECT);
      return;
    case F_PROTO_ARRAY: case F_PROTO_WEAKREF: case F_PROTO_MAP:
      N(NT_OBJECT, idx == F_PROTO_ARRAY ? S_ARRAY : idx == F_PROTO_WEAKREF ? S_WEAKREF : S_MAP, 32);
      E(ET_PROPERTY, S_P_PROTO, F_PROTO_OBJECT);
      E(ET_INTERNAL, S_P_MAP, F_MAP_OBJECT);
      return;
    case F_PROTO_FUNCTION:
      N(NT_CLOSURE, S_EMPTY, 56);
      E(ET_PROPERTY, S_P_PROTO, F_PROTO_OBJECT);
      E(ET_INTERNAL, S_P_CONTEXT, F_NATIVE_CONTEXT);
      E(ET_INTERNAL, S_P_MAP, F_MAP_CLOSURE);
      return;
    case F_CTOR_SESSION: case F_CTOR_ITEM: case F_CTOR_POINT: {
      uint64_t i = idx - F_CTOR_SESSION;
      N(NT_CLOSURE, S_SESSION + i, 64);
      n->has_location = true;
      n->line = 40 + 10 * (uint32_t)i;
      n->column = 2;
      E(ET_PROPERTY, S_P_PROTOTYPE, F_PROTO_SESSION + i);
      E(ET_PROPERTY, S_P_PROTO, F_PROTO_FUNCTION);
      E(ET_INTERNAL, S_P_SHARED, F_SFI_SESSION + i);
      E(ET_INTERNAL, S_P_CONTEXT, F_SCRIPT_CTX);
      E(ET_INTERNAL, S_P_MAP, F_MAP_CLOSURE);
      return;
    }
    case F_SFI_SESSION: case F_SFI_ITEM: case F_SFI_POINT: case F_SFI_ARROW:
      N(NT_CODE, idx == F_SFI_ARROW ? S_SFI : S_SESSION + (idx - F_SFI_SESSION), 64);
      E(ET_INTERNAL, S_P_SCRIPT, F_SCRIPT);
      E(ET_INTERNAL, S_P_SCOPE_INFO, F_SCOPE_INFO);
      return;
    case F_FEEDBACK_CELL:
      N(NT_CODE, S_FEEDBACK_CELL, 24);
      return;
    case F_LAZY:
      N(NT_CODE, S_LAZY, 88);
      return;
    case F_SCOPE_INFO:
      N(NT_CODE, S_SCOPE_INFO, 72);
      return;
    case F_SCRIPT:
      N(NT_CODE, S_SCRIPT, 144);
      return;
    case F_TRUE: case F_NULL:
      N(NT_HIDDEN, S_ODDBALL, 48);
      E(ET_INTERNAL, S_P_MAP, F_META_MAP);
      return;
    default:
      break;
    }
    fprintf(stderr, "synth-snapshot: internal error: fixed node %" PRIu64 "\n", idx);
    abort();
  }
  if (idx < F_COUNT) { /* pool string */
    N(NT_STRING, S_POOL + (idx - F_POOL0), 40);
    E(ET_INTERNAL, S_P_MAP, F_MAP_STRING);
    return;
  }
  if (idx >= g->bucket0) {
    uint64_t b = (idx - g->bucket0) / 2;
    if ((idx - g->bucket0) % 2 == 0) {
      N(NT_OBJECT, S_ARRAY, 32);
      E(ET_PROPERTY, S_P_PROTO, F_PROTO_ARRAY);
      E(ET_INTERNAL, S_P_ELEMENTS, idx + 1);
      E(ET_INTERNAL, S_P_MAP, F_MAP_ARRAY);
    } else {
      uint64_t first = b * BUCKET, end = first + BUCKET;
      if (end > g->units) end = g->units;
      N(NT_ARRAY, S_OBJ_ELEMS, 16 + 8 * (end - first));
      for (uint64_t u = first; u < end; u++) E(ET_ELEMENT, u - first, unit_node(g, u, U_SESSION));
    }
    return;
  }
  uint64_t u = (idx - g->unit0) / K;
  int slot = (int)((idx - g->unit0) % K);
  uint64_t r = unit_rand(g, u, 0);
  uint64_t base = g->unit0 + u * K;
  uint64_t sbase = S_UNIT0 + u * UNIT_STRINGS;
  switch (slot) {
  case U_SESSION:
    N(NT_OBJECT, S_SESSION, 64);
    n->has_location = true, n->line = 41, n->column = 14;
    E(ET_PROPERTY, S_P_USER, F_POOL0 + u % POOL);
    E(ET_PROPERTY, S_P_ITEMS, base + U_ARRAY);
    E(ET_PROPERTY, S_P_ONCLOSE, base + U_CLOSURE);
    if (u > 0 && (r & 3) != 0) E(ET_PROPERTY, S_P_PEER, unit_node(g, (r >> 8) % u, U_SESSION));
    E(ET_PROPERTY, S_P_REF, base + U_WEAKREF);
    E(ET_PROPERTY, S_P_KEY, base + U_CONS);
    E(ET_PROPERTY, S_P_META, base + U_PLAIN);
    E(ET_PROPERTY, S_P_CACHE, base + U_JSMAP);
    E(ET_PROPERTY, S_P_PROTO, F_PROTO_SESSION);
    E(ET_INTERNAL, S_P_MAP, F_MAP_SESSION);
    E(ET_HIDDEN, 2, base + U_NUM0);
    return;
  case U_NUM0: case U_NUM_A: case U_NUM_B:
    N(NT_NUMBER, S_HEAP_NUMBER, 16);
    E(ET_INTERNAL, S_P_MAP, F_MAP_NUMBER);
    return;
  case U_ARRAY:
    N(NT_OBJECT, S_ARRAY, 32);
    E(ET_PROPERTY, S_P_PROTO, F_PROTO_ARRAY);
    E(ET_INTERNAL, S_P_ELEMENTS, base + U_ELEMS);
    E(ET_INTERNAL, S_P_MAP, F_MAP_ARRAY);
    return;
  case U_ELEMS:
    N(NT_ARRAY, S_OBJ_ELEMS, 32);
    E(ET_ELEMENT, 0, base + U_ITEM_A);
    E(ET_ELEMENT, 1, base + U_ITEM_B);
    return;
  case U_ITEM_A: case U_ITEM_B: {
    int a = slot == U_ITEM_A;
    N(NT_OBJECT, S_ITEM, 48);
    n->has_location = true, n->line = 50, n->column = 14;
    E(ET_PROPERTY, S_P_LABEL, base + (a ? U_LABEL_A : U_LABEL_B));
    E(ET_PROPERTY, S_P_OWNER, base + U_SESSION);
    E(ET_PROPERTY, S_P_PROTO, F_PROTO_ITEM);
    E(ET_INTERNAL, S_P_MAP, F_MAP_ITEM);
    E(ET_HIDDEN, 2, base + (a ? U_NUM_A : U_NUM_B));
    return;
  }
  case U_LABEL_A: case U_LABEL_B:
    N(NT_STRING, sbase + (slot == U_LABEL_A ? 0 : 1), 32);
    E(ET_INTERNAL, S_P_MAP, F_MAP_STRING);
    return;
  case U_CLOSURE:
    N(NT_CLOSURE, S_EMPTY, 56);
    n->has_location = true, n->line = 85, n->column = 16;
    E(ET_PROPERTY, S_P_PROTO, F_PROTO_FUNCTION);
    E(ET_INTERNAL, S_P_FEEDBACK, F_FEEDBACK_CELL);
    E(ET_INTERNAL, S_P_SHARED, F_SFI_ARROW);
    E(ET_INTERNAL, S_P_CONTEXT, base + U_CONTEXT);
    E(ET_INTERNAL, S_P_CODE, F_LAZY);
    E(ET_INTERNAL, S_P_MAP, F_MAP_CLOSURE);
    return;
  case U_CONTEXT:
    N(NT_OBJECT, S_CONTEXT, 48);
    E(ET_CONTEXT, S_P_SESSION_VAR, base + U_SESSION);
    E(ET_INTERNAL, S_P_SCOPE_INFO, F_SCOPE_INFO);
    E(ET_INTERNAL, S_P_PREVIOUS, F_SCRIPT_CTX);
    E(ET_INTERNAL, S_P_MAP, F_MAP_CONTEXT);
    return;
  case U_CONS:
    N(NT_CONS, S_CONS, 32);
    E(ET_INTERNAL, S_P_FIRST, base + U_KEY);
    E(ET_INTERNAL, S_P_SECOND, base + U_TOKEN);
    E(ET_INTERNAL, S_P_MAP, F_MAP_CONS);
    return;
  case U_WEAKREF:
    N(NT_OBJECT, S_WEAKREF, 32);
    E(ET_WEAK, S_P_TARGET, unit_node(g, (r >> 32) % g->units, U_SESSION));
    E(ET_PROPERTY, S_P_PROTO, F_PROTO_WEAKREF);
    E(ET_INTERNAL, S_P_MAP, F_MAP_WEAKREF);
    return;
  case U_KEY:
    N(NT_STRING, sbase + 2, 24);
    E(ET_INTERNAL, S_P_MAP, F_MAP_STRING);
    return;
  case U_TOKEN:
    N(NT_STRING, sbase + 3, 48);
    E(ET_INTERNAL, S_P_MAP, F_MAP_STRING);
    return;
  case U_PLAIN:
    N(NT_OBJECT, S_OBJECT, 32);
    E(ET_PROPERTY, S_P_OK, F_TRUE);
    E(ET_PROPERTY, S_P_PARENT, base + U_SESSION);
    E(ET_PROPERTY, S_P_PROTO, F_PROTO_OBJECT);
    E(ET_INTERNAL, S_P_MAP, F_MAP_OBJECT);
    return;
  case U_JSMAP:
    N(NT_OBJECT, S_MAP, 32);
    E(ET_PROPERTY, S_P_PROTO, F_PROTO_MAP);
    E(ET_INTERNAL, S_P_TABLE, base + U_TABLE);
    E(ET_INTERNAL, S_P_MAP, F_MAP_JSMAP);
    return;
  case U_TABLE:
    N(NT_HIDDEN, S_OHM, 104);
    E(ET_INTERNAL, S_P_KEY, base + U_LABEL_A);
    E(ET_HIDDEN, 1, base + U_ITEM_A);
    E(ET_INTERNAL, S_P_KEY, base + U_LABEL_B);
    E(ET_HIDDEN, 3, base + U_ITEM_B);
    E(ET_INTERNAL, S_P_MAP, F_MAP_FIXED);
    return;
  case U_POINT:
    N(NT_OBJECT, S_POINT, 32);
    n->has_location = true, n->line = 60, n->column = 14;
    E(ET_PROPERTY, S_P_PROTO, F_PROTO_POINT);
    E(ET_INTERNAL, S_P_MAP, F_MAP_POINT);
    return;
  default:
    break;
  }
  fprintf(stderr, "synth-snapshot: internal error: unit slot %d\n", slot);
  abort();
#undef E
#undef N
}

/* Text of string index s (no JSON escaping needed: all ASCII, no quotes or
 * backslashes). Returns its length; buf holds at least 96 bytes. */
static size_t string_text(const struct graph *g, uint64_t s, char *buf) {
  if (s < S_FIXED_COUNT) {
    size_t len = strlen(fixed_strings[s]);
    memcpy(buf, fixed_strings[s], len);
    return len;
  }
  if (s < S_UNIT0) return (size_t)sprintf(buf, "user-%" PRIu64 "@example.com", s - S_POOL);
  uint64_t u = (s - S_UNIT0) / UNIT_STRINGS;
  switch ((s - S_UNIT0) % UNIT_STRINGS) {
  case 0: return (size_t)sprintf(buf, "item-%" PRIu64 "-a", u);
  case 1: return (size_t)sprintf(buf, "item %" PRIu64 " b", u);
  case 2: return (size_t)sprintf(buf, "k%" PRIu64 ":", u);
  default: {
    uint64_t a = unit_rand(g, u, 1), b = unit_rand(g, u, 2);
    return (size_t)sprintf(buf, "tok_%016" PRIx64 "%016" PRIx64, a, b);
  }
  }
}

/* ------------------------------------------------------------------- sink */

struct sink {
  FILE *f;                              /* NULL: count only */
  const char *path;
  char *buf;
  size_t len, cap;
  uint64_t total;
};

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("synth-snapshot: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(2);
}

static void sink_flush(struct sink *s) {
  if (s->f && s->len && fwrite(s->buf, 1, s->len, s->f) != s->len)
    die("writing %s failed: %s", s->path, strerror(errno));
  s->len = 0;
}

static inline void put(struct sink *s, const char *p, size_t n) {
  s->total += n;
  if (!s->f) return;
  if (s->len + n > s->cap) sink_flush(s);
  memcpy(s->buf + s->len, p, n);
  s->len += n;
}

static inline void putc_(struct sink *s, char c) {
  s->total++;
  if (!s->f) return;
  if (s->len == s->cap) sink_flush(s);
  s->buf[s->len++] = c;
}

static inline void putu(struct sink *s, uint64_t v) {
  char tmp[24];
  int i = 24;
  do { tmp[--i] = (char)('0' + v % 10); v /= 10; } while (v);
  put(s, tmp + i, (size_t)(24 - i));
}

static void puts_(struct sink *s, const char *str) { put(s, str, strlen(str)); }

/* ----------------------------------------------------------------- passes */

struct counter { struct visitor v; uint64_t n; };
static void count_edge(struct visitor *v, int t, uint64_t nm, uint64_t to) {
  (void)t, (void)nm, (void)to;
  ((struct counter *)v)->n++;
}

struct writer { struct visitor v; struct sink *s; bool first; };
static void write_edge(struct visitor *v, int t, uint64_t nm, uint64_t to) {
  struct writer *w = (struct writer *)v;
  if (!w->first) putc_(w->s, ',');
  w->first = false;
  putu(w->s, (uint64_t)t);
  putc_(w->s, ',');
  putu(w->s, nm);
  putc_(w->s, ',');
  putu(w->s, to * NODE_FIELDS);
  putc_(w->s, '\n');
}

static uint64_t edge_count_of(const struct graph *g, uint64_t idx) {
  struct counter c = { { count_edge }, 0 };
  struct node n;
  describe(g, idx, &n, &c.v);
  return c.n;
}

static void write_node(struct sink *s, const struct graph *g, uint64_t idx, bool first) {
  struct node n;
  uint64_t ec = edge_count_of(g, idx);
  describe(g, idx, &n, NULL);
  if (!first) putc_(s, ',');
  putu(s, (uint64_t)n.type);
  putc_(s, ',');
  putu(s, n.name);
  putc_(s, ',');
  putu(s, 2 * idx + 1);               /* V8 heap object ids are odd */
  putc_(s, ',');
  putu(s, n.size);
  putc_(s, ',');
  putu(s, ec);
  put(s, ",0,0\n", 5);
}

static void write_edges_of(struct sink *s, const struct graph *g, uint64_t idx, bool *first) {
  struct writer w = { { write_edge }, s, *first };
  struct node n;
  describe(g, idx, &n, &w.v);
  *first = w.first;
}

static void write_location(struct sink *s, const struct graph *g, uint64_t idx, bool *first) {
  struct node n;
  describe(g, idx, &n, NULL);
  if (!n.has_location) return;
  if (!*first) putc_(s, ',');
  *first = false;
  putu(s, idx * NODE_FIELDS);
  putc_(s, ',');
  putu(s, SCRIPT_ID);
  putc_(s, ',');
  putu(s, n.line);
  putc_(s, ',');
  putu(s, n.column);
  putc_(s, '\n');
}

static void write_string(struct sink *s, const struct graph *g, uint64_t si) {
  char buf[128];
  size_t len = string_text(g, si, buf);
  if (si) put(s, ",\n", 2);
  putc_(s, '"');
  put(s, buf, len);
  putc_(s, '"');
}

static uint64_t string_count(const struct graph *g) { return S_UNIT0 + g->units * UNIT_STRINGS; }

static uint64_t total_edges(const struct graph *g) {
  uint64_t e = 0;
  for (uint64_t i = 0; i < g->unit0; i++) e += edge_count_of(g, i);
  for (uint64_t i = g->bucket0; i < g->nodes; i++) e += edge_count_of(g, i);
  /* units: as many edges as unit 0 (which has no "peer"), plus the peer edge when present */
  uint64_t per_unit = 0;
  for (int slot = 0; slot < K; slot++) per_unit += edge_count_of(g, unit_node(g, 0, slot));
  for (uint64_t u = 0; u < g->units; u++) e += per_unit + (u > 0 && (unit_rand(g, u, 0) & 3) != 0);
  return e;
}

static void write_snapshot(struct sink *s, const struct graph *g, uint64_t edges, bool progress) {
  puts_(s, "{\"snapshot\":{\"meta\":");
  puts_(s, META);
  puts_(s, ",\"node_count\":");
  putu(s, g->nodes);
  puts_(s, ",\"edge_count\":");
  putu(s, edges);
  puts_(s, ",\"trace_function_count\":0},\n\"nodes\":[");
  uint64_t step = g->nodes / 100 + 1;
  for (uint64_t i = 0; i < g->nodes; i++) {
    write_node(s, g, i, i == 0);
    if (progress && i % step == 0) fprintf(stderr, "\rnodes %3" PRIu64 "%%", i * 100 / g->nodes);
  }
  puts_(s, "],\n\"edges\":[");
  bool first = true;
  for (uint64_t i = 0; i < g->nodes; i++) {
    write_edges_of(s, g, i, &first);
    if (progress && i % step == 0) fprintf(stderr, "\redges %3" PRIu64 "%%", i * 100 / g->nodes);
  }
  puts_(s, "],\n\"trace_function_infos\":[],\n\"trace_tree\":[],\n\"samples\":[],\n\"locations\":[");
  first = true;
  for (uint64_t i = 0; i < g->nodes; i++) write_location(s, g, i, &first);
  puts_(s, "],\n\"strings\":[");
  uint64_t ns = string_count(g);
  for (uint64_t i = 0; i < ns; i++) write_string(s, g, i);
  puts_(s, "]}\n");
  if (progress) fputs("\r          \r", stderr);
}

/* Bytes of a file with `units` units: the fixed part exactly, the units from
 * 64 samples spread over the range (digit counts grow with the index). */
static uint64_t estimate_bytes(uint64_t units, uint64_t seed) {
  struct graph g;
  graph_init(&g, units, seed);
  struct sink c = { 0 };
  bool first = false;
  for (uint64_t i = 0; i < g.unit0; i++) {
    write_node(&c, &g, i, false);
    write_edges_of(&c, &g, i, &first);
    write_location(&c, &g, i, &first);
  }
  for (uint64_t i = g.bucket0; i < g.nodes; i++) {
    write_node(&c, &g, i, false);
    write_edges_of(&c, &g, i, &first);
  }
  for (uint64_t si = 0; si < S_UNIT0; si++) write_string(&c, &g, si);
  uint64_t fixed = c.total + sizeof META + 400;
  enum { SAMPLES = 64 };
  c.total = 0;
  for (int k = 0; k < SAMPLES; k++) {
    uint64_t u = units * (2 * (uint64_t)k + 1) / (2 * SAMPLES);
    for (int slot = 0; slot < K; slot++) {
      uint64_t i = unit_node(&g, u, slot);
      write_node(&c, &g, i, false);
      write_edges_of(&c, &g, i, &first);
      write_location(&c, &g, i, &first);
    }
    for (int j = 0; j < UNIT_STRINGS; j++) write_string(&c, &g, S_UNIT0 + u * UNIT_STRINGS + (uint64_t)j);
  }
  return fixed + (uint64_t)((double)c.total / SAMPLES * (double)units);
}

/* ------------------------------------------------------------------- main */

static void usage(FILE *f) {
  fputs("usage: synth-snapshot (--nodes N | --bytes N) [--seed S] [--quiet] -o FILE|-\n"
        "\n"
        "Writes a valid V8 heap snapshot (Node 20 meta) of a synthetic heap, streaming:\n"
        "memory use stays small whatever the size. Deterministic for a given seed.\n"
        "  --nodes N   about N nodes (20 per unit; ~3.2 edges per node)\n"
        "  --bytes N   about N bytes of file (suffixes k, M, G = 10^3.., Ki, Mi, Gi = 2^10..)\n"
        "  --seed S    PRNG seed (default 1)\n"
        "  -o FILE     output file, created 0600 (- for stdout)\n"
        "  --quiet     no progress or summary on stderr\n", f);
}

static uint64_t parse_size(const char *opt, const char *s) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || v < 0) die("%s: not a number: '%s' (try --help)", opt, s);
  uint64_t mul = 1;
  if (!strcmp(end, "")) mul = 1;
  else if (!strcmp(end, "k") || !strcmp(end, "K")) mul = 1000ULL;
  else if (!strcmp(end, "M")) mul = 1000000ULL;
  else if (!strcmp(end, "G")) mul = 1000000000ULL;
  else if (!strcmp(end, "Ki")) mul = 1ULL << 10;
  else if (!strcmp(end, "Mi")) mul = 1ULL << 20;
  else if (!strcmp(end, "Gi")) mul = 1ULL << 30;
  else die("%s: unknown suffix '%s' (k, M, G, Ki, Mi, Gi)", opt, end);
  double r = v * (double)mul;
  if (r > 1e15) die("%s: too large: '%s'", opt, s);
  return (uint64_t)r;
}

int main(int argc, char **argv) {
  uint64_t nodes = 0, bytes = 0, seed = 1;
  const char *out = NULL;
  bool quiet = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); return 0; }
    if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) { quiet = true; continue; }
    bool takes_value = !strcmp(a, "--nodes") || !strcmp(a, "--bytes") || !strcmp(a, "--seed") ||
                       !strcmp(a, "-o") || !strcmp(a, "--output");
    if (!takes_value) { fprintf(stderr, "synth-snapshot: unknown option: %s\n", a); usage(stderr); return 2; }
    if (i + 1 >= argc) { fprintf(stderr, "synth-snapshot: %s needs a value\n", a); usage(stderr); return 2; }
    if (!strcmp(a, "--nodes")) nodes = parse_size(a, argv[++i]);
    else if (!strcmp(a, "--bytes")) bytes = parse_size(a, argv[++i]);
    else if (!strcmp(a, "--seed")) seed = parse_size(a, argv[++i]);
    else if (!strcmp(a, "-o") || !strcmp(a, "--output")) out = argv[++i];
    else { fprintf(stderr, "synth-snapshot: unknown option: %s\n", a); usage(stderr); return 2; }
  }
  if (!out) { fputs("synth-snapshot: -o FILE is required\n", stderr); usage(stderr); return 2; }
  if ((nodes == 0) == (bytes == 0)) { fputs("synth-snapshot: give one of --nodes N or --bytes N\n", stderr); usage(stderr); return 2; }

  uint64_t units;
  if (nodes) {
    units = nodes > F_COUNT ? (nodes - F_COUNT) / K : 1;
  } else {
    units = bytes / 1500 + 1;
    for (int it = 0; it < 6; it++) {
      uint64_t est = estimate_bytes(units, seed);
      uint64_t next = (uint64_t)((double)units * (double)bytes / (double)est);
      if (next < 1) next = 1;
      if (next == units) break;
      units = next;
    }
  }
  if (units < 1) units = 1;
  if (units > (UINT64_C(1) << 32)) die("too large: %" PRIu64 " units", units);

  struct graph g;
  graph_init(&g, units, seed);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  uint64_t edges = total_edges(&g);

  struct sink s = { 0 };
  s.path = out;
  s.cap = 1 << 20;
  s.buf = malloc(s.cap);
  if (!s.buf) die("out of memory");
  if (!strcmp(out, "-")) {
    s.f = stdout;
    s.path = "standard output";
  } else {
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) die("cannot create %s: %s", out, strerror(errno));
    if (fchmod(fd, 0600) != 0) die("cannot chmod %s: %s", out, strerror(errno));
    s.f = fdopen(fd, "wb");
    if (!s.f) die("fdopen %s: %s", out, strerror(errno));
  }
  write_snapshot(&s, &g, edges, !quiet && isatty(2));
  sink_flush(&s);
  if (fflush(s.f) != 0 || (s.f != stdout && fclose(s.f) != 0)) die("writing %s failed: %s", s.path, strerror(errno));
  free(s.buf);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (!quiet) {
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "synth-snapshot: %s: %" PRIu64 " bytes, %" PRIu64 " nodes, %" PRIu64 " edges, %" PRIu64
            " units, seed %" PRIu64 ", %.1f s\n", s.path, s.total, g.nodes, edges, units, seed, secs);
  }
  return 0;
}
