/* Leak suspects of one snapshot (src/analyses/suspects.c) on hand-made
 * heaps: single and class suspects, the accumulation point's descent (the
 * 0.7 ratio), plumbing replaced by its owner, weak edges, Node's own state,
 * known runtime leaks, related suspects and the threshold's edges. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tsnap.h"
#include "analyses/heap.h"
#include "render/render.h"

/* root (synthetic) -> (GC roots), and -> the global object (a user root). */
static tsnap *base(int *global) {
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int gc = tsnap_node(t, "synthetic", "(GC roots)", 0);
  *global = tsnap_node(t, "object", "global", 50);
  tsnap_edge(t, root, "element", "1", gc);
  tsnap_edge(t, root, "shortcut", "global", *global);
  return t;
}

/* `n` small objects of distinct classes under global: the rest of the heap,
 * no suspect by themselves. */
static void filler(tsnap *t, int global, int n, unsigned long long size) {
  for (int i = 0; i < n; i++) {
    char name[32];
    snprintf(name, sizeof name, "Filler%d", i);
    int o = tsnap_node(t, "object", name, size);
    snprintf(name, sizeof name, "f%d", i);
    tsnap_edge(t, global, "property", name, o);
  }
}

static ls_heap *heap_of(tsnap *t) {
  ls_heap *h = NULL;
  assert_int_equal(ls_heap_build(tsnap_read(t), NULL, &h, NULL), LS_OK);
  return h;
}

static ls_suspects *suspects_of(const ls_heap *h, double threshold) {
  ls_suspects_options o = {threshold, 0};
  ls_suspects *r = NULL;
  ls_error err;
  assert_int_equal(ls_suspects_build(h, &o, &r, &err), LS_OK);
  return r;
}

/* Frees what a case made, in the order it depends on. */
static void done(ls_suspects *r, ls_heap *h, tsnap *t) {
  ls_suspects_free(r);
  ls_heap_free(h);
  tsnap_free(t);
}

static uint64_t id_of(int ordinal) { return 1 + 2ull * (unsigned)ordinal; }

static const char *last_edge(const ls_leak_suspect *x) {
  return x->path_len ? x->path[x->path_len - 1].edge : NULL;
}

/* global .cache -> Map -> internal table (an array) -> 50 entries: one
 * object suspect, whose point is the Map (not its table), held by .cache,
 * with the entries as the accumulated objects. */
static int map_heap(tsnap *t, int global, int *table) {
  int map = tsnap_node(t, "object", "Map", 32);
  tsnap_edge(t, global, "property", "cache", map);
  *table = tsnap_node(t, "array", "", 400);
  tsnap_edge(t, map, "internal", "table", *table);
  for (int i = 0; i < 50; i++) {
    int e = tsnap_node(t, "object", "Entry", 20);
    char idx[16];
    snprintf(idx, sizeof idx, "%d", i);
    tsnap_edge(t, *table, "element", idx, e);
  }
  return map;
}

static void single_map_owner(void **state) {
  (void)state;
  int global, table;
  tsnap *t = base(&global);
  int map = map_heap(t, global, &table);
  filler(t, global, 20, 50); /* 1,000 B of other things */
  ls_heap *h = heap_of(t);
  ls_suspects *r = suspects_of(h, 0);
  assert_true(fabs(r->threshold - 0.10) < 1e-12);
  assert_int_equal(r->count, 1);
  const ls_leak_suspect *x = &r->suspects[0];
  assert_int_equal(x->kind, LS_SUSPECT_OBJECT);
  assert_string_equal(x->name, "Map");
  assert_int_equal(x->id, id_of(map));
  assert_int_equal(x->retained_size, 32 + 400 + 50 * 20);
  assert_int_equal(x->retained_size, ls__retained(h, map));
  assert_true(fabs(x->share - (double)x->retained_size / (double)r->heap_size) < 1e-12);
  /* the descent stops at the table (its entries are 20 B each), which is
   * plumbing: the point is its owner, the Map, reached by .cache */
  assert_int_equal(x->point_id, id_of(map));
  assert_int_not_equal(x->point_id, id_of(table));
  assert_int_equal(x->point_retained, x->retained_size);
  assert_string_equal(x->point_name, "Map");
  assert_int_equal(x->path_len, 2);
  assert_string_equal(x->path[0].class_name, "global");
  assert_string_equal(last_edge(x), "cache");
  assert_string_equal(x->path[1].edge_type, "property");
  assert_int_equal(x->accumulated_count, 1);
  assert_string_equal(x->accumulated[0].class_name, "Entry");
  assert_int_equal(x->accumulated[0].count, 50);
  assert_int_equal(x->accumulated[0].self_size, 1000);
  assert_int_equal(x->accumulated[0].retained_size, 1000);
  assert_int_equal(x->related_count, 0);
  assert_null(x->known);
  done(r, h, t);
}

/* A chain A -> B -> C: B/A = `b_share`, C/B below 0.7. The descent goes
 * into B when b_share >= 0.7, and stops at B (C/B < 0.7); else at A. */
static void descent_case(int b_retained, int expect_b) {
  int global;
  tsnap *t = base(&global);
  /* A 1,000 retained: itself 1,000 - b_retained, B below it */
  int a = tsnap_node(t, "object", "A", (unsigned long long)(1000 - b_retained));
  int b = tsnap_node(t, "object", "B", (unsigned long long)(b_retained - 400));
  int c = tsnap_node(t, "object", "C", 400); /* 400/b_retained < 0.7 */
  tsnap_edge(t, global, "property", "a", a);
  tsnap_edge(t, a, "property", "b", b);
  tsnap_edge(t, b, "property", "c", c);
  filler(t, global, 10, 10);
  ls_heap *h = heap_of(t);
  assert_int_equal(ls__retained(h, a), 1000);
  assert_int_equal(ls__retained(h, b), (uint64_t)b_retained);
  ls_suspects *r = suspects_of(h, 0.5);
  assert_int_equal(r->count, 1);
  const ls_leak_suspect *x = &r->suspects[0];
  assert_int_equal(x->id, id_of(a));
  if (expect_b) {
    assert_int_equal(x->point_id, id_of(b));
    assert_int_equal(x->point_retained, (uint64_t)b_retained);
    assert_string_equal(last_edge(x), "b");
    assert_string_equal(x->accumulated[0].class_name, "C");
  } else {
    assert_int_equal(x->point_id, id_of(a));
    assert_string_equal(last_edge(x), "a");
    assert_string_equal(x->accumulated[0].class_name, "B");
  }
  done(r, h, t);
}

static void descent_ratio(void **state) {
  (void)state;
  descent_case(750, 1); /* 0.75: into B; 400/750 = 0.53: stops at B */
  descent_case(700, 1); /* exactly 0.7: still into B */
  descent_case(690, 0); /* 0.69: stops at A */
}

/* A linked list (global .queue -> Queue .head -> Node .next -> Node ...):
 * the ratio stays near 1 from node to node, and the point is the list's
 * first node (held by .head), not one near its end. */
static void linked_list_head(void **state) {
  (void)state;
  int global;
  tsnap *t = base(&global);
  int q = tsnap_node(t, "object", "Queue", 16);
  tsnap_edge(t, global, "property", "queue", q);
  int prev = q, first = -1;
  for (int i = 0; i < 200; i++) {
    int n = tsnap_node(t, "object", "Node", 16);
    int payload = tsnap_node(t, "object", "Payload", 8);
    tsnap_edge(t, prev, "property", i ? "next" : "head", n);
    tsnap_edge(t, n, "property", "value", payload);
    if (!i) first = n;
    prev = n;
  }
  filler(t, global, 10, 50);
  ls_heap *h = heap_of(t);
  ls_suspects *r = suspects_of(h, 0);
  assert_int_equal(r->count, 1);
  const ls_leak_suspect *x = &r->suspects[0];
  assert_int_equal(x->id, id_of(q));
  assert_int_equal(x->point_id, id_of(first));
  assert_string_equal(last_edge(x), "head");
  assert_string_equal(x->point_name, "Node");
  /* accumulated: the list's other nodes (retained once: each holds the
   * rest) and every node's payload */
  assert_int_equal(x->accumulated_count, 2);
  assert_string_equal(x->accumulated[0].class_name, "Node");
  assert_int_equal(x->accumulated[0].count, 199);
  assert_int_equal(x->accumulated[0].self_size, 199 * 16);
  assert_int_equal(x->accumulated[0].retained_size, 199 * 24);
  assert_string_equal(x->accumulated[1].class_name, "Payload");
  assert_int_equal(x->accumulated[1].count, 200);
  assert_int_equal(x->accumulated[1].retained_size, 200 * 8);
  done(r, h, t);
}

/* A closure's context holds the array: global .handler -> closure ->
 * context (system / Context) -> variable items -> Array -> internal
 * elements -> the items. The point is the Array, held by `items`. */
static void closure_variable(void **state) {
  (void)state;
  int global;
  tsnap *t = base(&global);
  int fn = tsnap_node(t, "closure", "handler", 32);
  int ctx = tsnap_node(t, "object", "system / Context", 40);
  int arr = tsnap_node(t, "object", "Array", 16);
  int el = tsnap_node(t, "array", "(object elements)", 800);
  tsnap_edge(t, global, "property", "handler", fn);
  tsnap_edge(t, fn, "internal", "context", ctx);
  tsnap_edge(t, ctx, "context", "items", arr);
  tsnap_edge(t, arr, "internal", "elements", el);
  for (int i = 0; i < 100; i++) {
    int o = tsnap_node(t, "object", "Item", 30);
    char idx[16];
    snprintf(idx, sizeof idx, "%d", i);
    tsnap_edge(t, el, "element", idx, o);
  }
  filler(t, global, 10, 100);
  ls_heap *h = heap_of(t);
  ls_suspects *r = suspects_of(h, 0);
  assert_int_equal(r->count, 1);
  const ls_leak_suspect *x = &r->suspects[0];
  assert_int_equal(x->id, id_of(fn)); /* the top-level dominator */
  assert_int_equal(x->point_id, id_of(arr));
  assert_string_equal(x->point_name, "Array");
  assert_string_equal(last_edge(x), "items");
  assert_string_equal(x->path[x->path_len - 1].edge_type, "context");
  assert_string_equal(x->accumulated[0].class_name, "Item");
  assert_int_equal(x->accumulated[0].count, 100);
  done(r, h, t);
}

/* 40 Items each held by two containers (an Array's elements and an
 * object's properties), so each hangs from the global object on its own:
 * 40 top-level dominators of 25 B (under 10% each), 1,000 B together. The
 * point of the class is where 70% of their paths meet: the elements of
 * the Array (plumbing), so the Array, held by .list. */
static void class_group(void **state) {
  (void)state;
  int global;
  tsnap *t = base(&global);
  int arr = tsnap_node(t, "object", "Array", 16);
  int el = tsnap_node(t, "array", "(object elements)", 0);
  int reg = tsnap_node(t, "object", "Registry", 16);
  int wrap = tsnap_node(t, "object", "Wrap", 16);
  int idx = tsnap_node(t, "object", "Index", 16);
  tsnap_edge(t, global, "property", "list", arr);
  /* a longer way: the shortest paths go through the Array */
  tsnap_edge(t, global, "property", "registry", reg);
  tsnap_edge(t, reg, "property", "wrap", wrap);
  tsnap_edge(t, wrap, "property", "index", idx);
  tsnap_edge(t, arr, "internal", "elements", el);
  for (int i = 0; i < 40; i++) {
    int o = tsnap_node(t, "object", "Item", 25);
    char name[16];
    snprintf(name, sizeof name, "%d", i);
    tsnap_edge(t, el, "element", name, o);
    snprintf(name, sizeof name, "k%d", i);
    tsnap_edge(t, idx, "property", name, o);
  }
  filler(t, global, 20, 60);
  ls_heap *h = heap_of(t);
  ls_suspects *r = suspects_of(h, 0);
  assert_int_equal(r->count, 1);
  const ls_leak_suspect *x = &r->suspects[0];
  assert_int_equal(x->kind, LS_SUSPECT_CLASS);
  assert_string_equal(x->name, "Item");
  assert_int_equal(x->count, 40);
  assert_int_equal(x->retained_size, 1000);
  assert_int_equal(x->id, 0);
  assert_true(x->share >= 0.10 && x->share < 0.5);
  assert_int_equal(x->point_id, id_of(arr));
  assert_string_equal(last_edge(x), "list");
  assert_int_equal(x->accumulated_count, 1);
  assert_string_equal(x->accumulated[0].class_name, "Item");
  assert_int_equal(x->accumulated[0].count, 40);
  assert_int_equal(x->accumulated[0].self_size, 1000);
  done(r, h, t);
}

/* The class key has the constructor location: 20 Items from one place and
 * 20 from another are two classes of 500 B (under a 30% threshold each),
 * though 1,000 B (over it) by name. */
static void class_key_has_location(void **state) {
  (void)state;
  int global;
  tsnap *t = base(&global);
  int idx1 = tsnap_node(t, "object", "Index", 16);
  int idx2 = tsnap_node(t, "object", "Index", 16);
  tsnap_edge(t, global, "property", "i1", idx1);
  tsnap_edge(t, global, "property", "i2", idx2);
  for (int i = 0; i < 40; i++) {
    int o = tsnap_node(t, "object", "Item", 25);
    tsnap_loc(t, o, 1 + (unsigned)(i % 2), 10, 4);
    char name[16];
    snprintf(name, sizeof name, "k%d", i);
    tsnap_edge(t, idx1, "property", name, o);
    tsnap_edge(t, idx2, "property", name, o);
  }
  filler(t, global, 10, 100);
  ls_heap *h = heap_of(t);
  ls_suspects *r = suspects_of(h, 0.30);
  assert_int_equal(r->count, 0);
  ls_suspects_free(r);
  r = suspects_of(h, 0.15); /* 500 B of ~2,100 B: both are suspects now */
  assert_int_equal(r->count, 2);
  for (size_t i = 0; i < r->count; i++) {
    assert_int_equal(r->suspects[i].kind, LS_SUSPECT_CLASS);
    assert_int_equal(r->suspects[i].count, 20);
    assert_int_equal(r->suspects[i].retained_size, 500);
  }
  done(r, h, t);
}

/* Retained sizes are kept in 32 bits only while the heap's total fits: a
 * 5 GiB chain keeps every value exact, a small heap takes 4 bytes a node. */
static void retained_above_4gib_exact(void **state) {
  (void)state;
  int global;
  tsnap *t = base(&global);
  int a = tsnap_node(t, "object", "Big", 3ull << 30);
  int b = tsnap_node(t, "object", "Bigger", (2ull << 30) + 7);
  tsnap_edge(t, global, "property", "a", a);
  tsnap_edge(t, a, "property", "b", b);
  ls_heap *h = heap_of(t);
  assert_non_null(h->retained.w64);
  assert_null(h->retained.w32);
  assert_int_equal(ls__retained(h, a), (5ull << 30) + 7);
  assert_int_equal(ls__retained(h, b), (2ull << 30) + 7);
  assert_true(ls__retained(h, h->s->root_ordinal) > (5ull << 30));
  ls_heap_free(h);
  tsnap_free(t);

  t = base(&global);
  a = tsnap_node(t, "object", "Small", 3000);
  b = tsnap_node(t, "object", "Smaller", 70);
  tsnap_edge(t, global, "property", "a", a);
  tsnap_edge(t, a, "property", "b", b);
  h = heap_of(t);
  assert_non_null(h->retained.w32);
  assert_null(h->retained.w64);
  assert_int_equal(ls__retained(h, a), 3070);
  assert_int_equal(ls__retained(h, b), 70);
  ls_heap_free(h);
  tsnap_free(t);
}

/* What only a weak edge holds is retained by nobody: its holder is no
 * suspect, and the weakly held memory (no path from a root) neither. */
static void weak_not_followed(void **state) {
  (void)state;
  int global;
  tsnap *t = base(&global);
  int holder = tsnap_node(t, "object", "Holder", 10);
  int big = tsnap_node(t, "object", "Big", 2000);
  tsnap_edge(t, global, "property", "holder", holder);
  tsnap_edge(t, holder, "weak", "w", big);
  filler(t, global, 20, 50);
  ls_heap *h = heap_of(t);
  assert_int_equal(ls__retained(h, holder), 10);
  ls_suspects *r = suspects_of(h, 0);
  assert_int_equal(r->count, 0);
  ls_suspects_free(r);
  /* the same heap with a strong edge: Holder is the suspect, point Big */
  tsnap_edge(t, holder, "property", "s", big);
  ls_heap *h2 = heap_of(t);
  r = suspects_of(h2, 0);
  assert_int_equal(r->count, 1);
  assert_int_equal(r->suspects[0].id, id_of(holder));
  assert_int_equal(r->suspects[0].point_id, id_of(big));
  assert_string_equal(last_edge(&r->suspects[0]), "s");
  ls_suspects_free(r);
  ls_heap_free(h2);
  ls_heap_free(h);
  tsnap_free(t);
}

/* The threshold: a share exactly at it is a suspect, just above it not;
 * out of range is an error; 0 is the default (10%). */
static void threshold_edges(void **state) {
  (void)state;
  int global, table;
  tsnap *t = base(&global);
  map_heap(t, global, &table);
  filler(t, global, 20, 50);
  ls_heap *h = heap_of(t);
  ls_suspects *r = suspects_of(h, 1.0);
  assert_int_equal(r->count, 0); /* 1,432 B of 2,482 B: not all of it */
  ls_suspects_free(r);
  r = suspects_of(h, 0);
  const double share = r->suspects[0].share;
  ls_suspects_free(r);
  r = suspects_of(h, share);
  assert_int_equal(r->count, 1);
  ls_suspects_free(r);
  r = suspects_of(h, nextafter(share, 2.0));
  assert_int_equal(r->count, 0);
  ls_suspects_free(r);
  const double bad[] = {-0.1, 1.5, NAN, INFINITY, -INFINITY};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    ls_suspects_options o = {bad[i], 0};
    ls_error err;
    r = (ls_suspects *)&err; /* set to NULL on failure */
    assert_int_equal(ls_suspects_build(h, &o, &r, &err), LS_ERR_INVALID_ARG);
    assert_null(r);
    assert_int_equal(err.code, LS_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "threshold"));
  }
  assert_int_equal(ls_suspects_build(NULL, NULL, &r, NULL), LS_ERR_INVALID_ARG);
  ls_heap_free(h);
  tsnap_free(t);
}

/* Many small things of distinct classes: no suspect at 10%. */
static void no_suspect(void **state) {
  (void)state;
  int global;
  tsnap *t = base(&global);
  filler(t, global, 30, 100);
  ls_heap *h = heap_of(t);
  ls_suspects *r = suspects_of(h, 0);
  assert_int_equal(r->count, 0);
  assert_true(r->heap_size >= 3000);
  done(r, h, t);
}

/* A closure whose script is named `script`, its context holding a big Map
 * in variable `var`. */
static void scripted_closure(tsnap *t, int global, const char *script,
                             const char *var) {
  int fn = tsnap_node(t, "closure", "f", 32);
  int sfi = tsnap_node(t, "code", "f", 16);
  int scr = tsnap_node(t, "code", script, 16);
  int ctx = tsnap_node(t, "object", "system / Context", 40);
  int set = tsnap_node(t, "object", "Set", 32);
  int table = tsnap_node(t, "array", "", 100);
  tsnap_edge(t, global, "property", "fn", fn);
  tsnap_edge(t, fn, "internal", "shared", sfi);
  tsnap_edge(t, sfi, "internal", "script_or_debug_info", scr);
  tsnap_edge(t, fn, "internal", "context", ctx);
  tsnap_edge(t, ctx, "context", var, set);
  tsnap_edge(t, set, "internal", "table", table);
  for (int i = 0; i < 60; i++) {
    int o = tsnap_node(t, "object", "Signal", 40);
    char idx[16];
    snprintf(idx, sizeof idx, "%d", i);
    tsnap_edge(t, table, "element", idx, o);
  }
  filler(t, global, 10, 50);
}

/* Node's own state (a variable of a node:* script, or what hangs under
 * one of Node's private symbols) is not a suspect; the same heap from the
 * user's script is. */
static void node_internals_skipped(void **state) {
  (void)state;
  int global;
  tsnap *t = base(&global);
  scripted_closure(t, global, "node:internal/foo", "store");
  ls_heap *h = heap_of(t);
  ls_suspects *r = suspects_of(h, 0);
  assert_int_equal(r->count, 0);
  done(r, h, t);

  /* held under one of Node's private symbols (primordials) */
  t = base(&global);
  int holder = tsnap_node(t, "object", "Object", 16);
  tsnap_edge(t, global, "property", "<symbol node:per_context_binding_exports>", holder);
  int prim = tsnap_node(t, "object", "Object", 16);
  tsnap_edge(t, holder, "property", "primordials", prim);
  for (int i = 0; i < 40; i++) {
    char name[16];
    snprintf(name, sizeof name, "p%d", i);
    tsnap_edge(t, prim, "property", name, tsnap_node(t, "closure", name, 50));
  }
  filler(t, global, 10, 50);
  h = heap_of(t);
  r = suspects_of(h, 0);
  assert_int_equal(r->count, 0);
  done(r, h, t);

  t = base(&global);
  scripted_closure(t, global, "/app/server.js", "store");
  h = heap_of(t);
  r = suspects_of(h, 0);
  assert_int_equal(r->count, 1);
  assert_string_equal(r->suspects[0].point_name, "Set");
  assert_string_equal(last_edge(&r->suspects[0]), "store");
  assert_null(r->suspects[0].known);
  done(r, h, t);
}

/* A point whose path has a known runtime leak's signature says so, even in
 * Node's own code (the snapshot has no Node.js version: the signature
 * decides). */
static void known_leak(void **state) {
  (void)state;
  int global;
  tsnap *t = base(&global);
  scripted_closure(t, global, "node:internal/abort_controller", "gcPersistentSignals");
  ls_heap *h = heap_of(t);
  ls_suspects *r = suspects_of(h, 0);
  assert_int_equal(r->count, 1);
  const ls_leak_suspect *x = &r->suspects[0];
  assert_string_equal(last_edge(x), "gcPersistentSignals");
  assert_non_null(x->known);
  assert_string_equal(x->known->id, "node-abort-any-persistent");
  done(r, h, t);
}

/* On a Node.js version with the fix (22.15.0 has the gcPersistentSignals
 * one), the signature only resembles the known leak: reported as the
 * program's own (`resembles`), not skipped as Node's state. */
static void resembles_on_fixed_version(void **state) {
  (void)state;
  int global;
  tsnap *t = base(&global);
  scripted_closure(t, global, "node:internal/abort_controller", "gcPersistentSignals");
  int proc = tsnap_node(t, "object", "process", 40);
  tsnap_edge(t, global, "property", "process", proc);
  tsnap_edge(t, proc, "property", "version", tsnap_node(t, "string", "v22.15.0", 24));
  ls_heap *h = heap_of(t);
  ls_suspects *r = suspects_of(h, 0);
  assert_string_equal(r->totals.node_version, "22.15.0");
  assert_int_equal(r->count, 1);
  assert_null(r->suspects[0].known);
  assert_non_null(r->suspects[0].resembles);
  assert_string_equal(r->suspects[0].resembles->id, "node-abort-any-persistent");
  done(r, h, t);
}

/* Node's own variables holding more than Node's own state can (4 MiB) hold
 * the program's objects (pending timers, say): reported. */
static void big_node_state_reported(void **state) {
  (void)state;
  int global;
  tsnap *t = base(&global);
  int fn = tsnap_node(t, "closure", "f", 32);
  int sfi = tsnap_node(t, "code", "f", 16);
  int scr = tsnap_node(t, "code", "node:internal/timers", 16);
  int ctx = tsnap_node(t, "object", "system / Context", 40);
  int lists = tsnap_node(t, "object", "Object", 32);
  tsnap_edge(t, global, "property", "fn", fn);
  tsnap_edge(t, fn, "internal", "shared", sfi);
  tsnap_edge(t, sfi, "internal", "script_or_debug_info", scr);
  tsnap_edge(t, fn, "internal", "context", ctx);
  tsnap_edge(t, ctx, "context", "timerListMap", lists);
  for (int i = 0; i < 100; i++) {
    char name[16];
    snprintf(name, sizeof name, "%d", 1000 + i);
    tsnap_edge(t, lists, "property", name, tsnap_node(t, "object", "Timeout", 50000));
  }
  filler(t, global, 10, 50);
  ls_heap *h = heap_of(t);
  ls_suspects *r = suspects_of(h, 0);
  assert_int_equal(r->count, 1);
  assert_string_equal(last_edge(&r->suspects[0]), "timerListMap");
  assert_true(r->suspects[0].retained_size > 4u << 20);
  done(r, h, t);
}

/* Two top-level dominators whose paths go through the same object (App)
 * are related; a third elsewhere is not; nor two whose paths share only a
 * function of the runtime. */
static void related_suspects(void **state) {
  (void)state;
  int global;
  tsnap *t = base(&global);
  int app = tsnap_node(t, "object", "App", 16);
  int a = tsnap_node(t, "object", "A", 1000);
  int b = tsnap_node(t, "object", "B", 900);
  int c = tsnap_node(t, "object", "C", 800);
  int x1 = tsnap_node(t, "object", "X", 8);
  int x2 = tsnap_node(t, "object", "Y", 8);
  tsnap_edge(t, global, "property", "app", app);
  tsnap_edge(t, app, "property", "a", a);
  tsnap_edge(t, app, "property", "b", b);
  /* a second, longer way to A and B: they hang from global, not App */
  tsnap_edge(t, global, "property", "x", x1);
  tsnap_edge(t, x1, "property", "y", x2);
  tsnap_edge(t, x2, "property", "a", a);
  tsnap_edge(t, x2, "property", "b", b);
  tsnap_edge(t, global, "property", "c", c);
  filler(t, global, 10, 50);
  ls_heap *h = heap_of(t);
  ls_suspects *r = suspects_of(h, 0);
  assert_int_equal(r->count, 3);
  /* largest first: A, B, C */
  assert_int_equal(r->suspects[0].id, id_of(a));
  assert_int_equal(r->suspects[1].id, id_of(b));
  assert_int_equal(r->suspects[2].id, id_of(c));
  assert_int_equal(r->suspects[0].related_count, 1);
  assert_int_equal(r->suspects[0].related[0], 1);
  assert_int_equal(r->suspects[1].related_count, 1);
  assert_int_equal(r->suspects[1].related[0], 0);
  assert_int_equal(r->suspects[2].related_count, 0);
  done(r, h, t);

  /* the same through a function of the runtime (no script: V8's, or
   * Node's): not one cause */
  t = base(&global);
  app = tsnap_node(t, "closure", "setTimeout", 16);
  a = tsnap_node(t, "object", "A", 1000);
  b = tsnap_node(t, "object", "B", 900);
  x1 = tsnap_node(t, "object", "X", 8);
  x2 = tsnap_node(t, "object", "Y", 8);
  tsnap_edge(t, global, "property", "setTimeout", app);
  tsnap_edge(t, app, "property", "a", a);
  tsnap_edge(t, app, "property", "b", b);
  tsnap_edge(t, global, "property", "x", x1);
  tsnap_edge(t, x1, "property", "y", x2);
  tsnap_edge(t, x2, "property", "a", a);
  tsnap_edge(t, x2, "property", "b", b);
  filler(t, global, 10, 50);
  h = heap_of(t);
  r = suspects_of(h, 0);
  assert_int_equal(r->count, 2);
  assert_int_equal(r->suspects[0].path_len, 3); /* global .setTimeout .a */
  assert_int_equal(r->suspects[0].related_count, 0);
  assert_int_equal(r->suspects[1].related_count, 0);
  done(r, h, t);
}

static char *render(int (*fn)(FILE *, const char *, const ls_suspects *),
                    const ls_suspects *r) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  assert_int_equal(fn(f, "a\"b.heapsnapshot", r), 0);
  fclose(f);
  return buf;
}

/* Heap names are data: escaped in JSON and HTML; no string value appears;
 * with no suspect the reports say so. */
static void renderers_escape_names(void **state) {
  (void)state;
  int global;
  tsnap *t = base(&global);
  int map = tsnap_node(t, "object", "<script>alert(\"x\")</script>", 32);
  int table = tsnap_node(t, "array", "", 100);
  tsnap_edge(t, global, "property", "c\"<b>", map);
  tsnap_edge(t, map, "internal", "table", table);
  for (int i = 0; i < 30; i++) {
    int e = tsnap_node(t, "object", "Entry", 20);
    int v = tsnap_node(t, "string", "hunter2-secret", 40);
    char idx[16];
    snprintf(idx, sizeof idx, "%d", i);
    tsnap_edge(t, table, "element", idx, e);
    tsnap_edge(t, e, "property", "password", v);
  }
  filler(t, global, 10, 50);
  ls_heap *h = heap_of(t);
  ls_suspects *r = suspects_of(h, 0);
  assert_int_equal(r->count, 1);
  char *json = render(ls__render_suspects_json, r);
  assert_non_null(strstr(json, "\"name\":\"<script>alert(\\\"x\\\")</script>\""));
  assert_non_null(strstr(json, "\"edge\":\"c\\\"<b>\""));
  assert_non_null(strstr(json, "\"path\":\"a\\\"b.heapsnapshot\""));
  assert_non_null(strstr(json, "\"kind\":\"object\""));
  char *text = render(ls__render_suspects_text, r);
  assert_non_null(strstr(text, ".c\"<b>  →  <script>alert(\"x\")</script> @"));
  char *html = render(ls__render_suspects_html, r);
  assert_null(strstr(html, "<script"));
  assert_non_null(strstr(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
  assert_non_null(strstr(html, "c&quot;&lt;b&gt;"));
  assert_non_null(strstr(html, "Accumulation point"));
  for (char *const *p = (char *const[]){json, text, html, NULL}; *p; p++)
    assert_null(strstr(*p, "hunter2"));
  free(json);
  free(text);
  free(html);
  ls_suspects_free(r);
  r = suspects_of(h, 1.0);
  assert_int_equal(r->count, 0);
  json = render(ls__render_suspects_json, r);
  assert_non_null(strstr(json, "\"threshold\":1,"));
  assert_non_null(strstr(json, "\"suspects\":[]}"));
  text = render(ls__render_suspects_text, r);
  assert_non_null(strstr(text, "No leak suspect"));
  html = render(ls__render_suspects_html, r);
  assert_non_null(strstr(html, "No leak suspect"));
  free(json);
  free(text);
  free(html);
  done(r, h, t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(single_map_owner),
      cmocka_unit_test(descent_ratio),
      cmocka_unit_test(closure_variable),
      cmocka_unit_test(linked_list_head),
      cmocka_unit_test(class_group),
      cmocka_unit_test(class_key_has_location),
      cmocka_unit_test(weak_not_followed),
      cmocka_unit_test(threshold_edges),
      cmocka_unit_test(no_suspect),
      cmocka_unit_test(node_internals_skipped),
      cmocka_unit_test(known_leak),
      cmocka_unit_test(resembles_on_fixed_version),
      cmocka_unit_test(big_node_state_reported),
      cmocka_unit_test(related_suspects),
      cmocka_unit_test(retained_above_4gib_exact),
      cmocka_unit_test(renderers_escape_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
