/* Handle-scope audit over small hand-made snapshots (read by the real
 * reader, analysed by the real heap build), and its rendering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyses/heap.h"
#include "render/render.h"
#include "tsnap.h"

#define SECRET "s3cret-token-value"
enum { FOO1 = 10, FOO2 = 11 }; /* ordinals of the two "Foo" objects */

/* The shape V8 writes, with `local` handles in "(Handle scope)" split over
 * a closure, the global object and an oddball like the unscoped loop:
 *   root -element-> (GC roots) -element-> (Global handles), (Strong roots),
 *                                         (Handle scope), (Eternal handles)
 * The handle scope is listed after the global handles on purpose (the
 * report puts it first), twice (reported once), and a non-synthetic node
 * whose name says "handle" hangs from (GC roots) too (ignored). */
static ls_heap *leaky_heap(int local) {
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int gc = tsnap_node(t, "synthetic", "(GC roots)", 0);
  int global_h = tsnap_node(t, "synthetic", "(Global handles)", 0);
  int strong = tsnap_node(t, "synthetic", "(Strong roots)", 0);
  int scope = tsnap_node(t, "synthetic", "(Handle scope)", 0);
  int eternal = tsnap_node(t, "synthetic", "(Eternal handles)", 0);
  int fake = tsnap_node(t, "object", "(Fake handles)", 16);
  int fn = tsnap_node(t, "closure", "idle", 32);
  int glob = tsnap_node(t, "object", "Window", 64);
  int odd = tsnap_node(t, "hidden", "system / Oddball", 16);
  int foo1 = tsnap_node(t, "object", "Foo", 24);
  int foo2 = tsnap_node(t, "object", "Foo", 24); /* other location */
  assert_int_equal(foo1, FOO1);
  assert_int_equal(foo2, FOO2);
  int str = tsnap_node(t, "string", SECRET, 40);
  tsnap_loc(t, foo1, 1, 2, 3);
  tsnap_loc(t, foo2, 4, 5, 6);
  tsnap_edge(t, root, "element", "1", gc);
  tsnap_edge(t, root, "shortcut", "global", glob);
  tsnap_edge(t, gc, "element", "1", global_h);
  tsnap_edge(t, gc, "element", "2", strong);
  tsnap_edge(t, gc, "element", "3", scope);
  tsnap_edge(t, gc, "element", "4", scope);
  tsnap_edge(t, gc, "element", "5", eternal);
  tsnap_edge(t, gc, "element", "6", fake);
  tsnap_edge(t, fake, "property", "handles", fn);
  /* the scope: function, receiver, result per call */
  for (int i = 0; i < local; i++)
    tsnap_edge(t, scope, "internal", i % 3 == 0 ? "1" : i % 3 == 1 ? "2" : "3",
               i % 3 == 0 ? fn : i % 3 == 1 ? glob : odd);
  /* global handles: two "Foo" classes (same name, two locations), a
   * string and a weak one */
  tsnap_edge(t, global_h, "internal", "a", foo1);
  tsnap_edge(t, global_h, "internal", "b", foo2);
  tsnap_edge(t, global_h, "internal", "c", foo2);
  tsnap_edge(t, global_h, "internal", "d", str);
  tsnap_edge(t, global_h, "weak", "e", fn);
  tsnap_edge(t, strong, "internal", "x", glob);
  ls_heap *h = NULL;
  assert_int_equal(ls_heap_build(tsnap_read(t), NULL, &h, NULL), LS_OK);
  tsnap_free(t);
  return h;
}

static const ls_handle_root *find_root(const ls_handles *hs, const char *n) {
  for (size_t i = 0; i < hs->root_count; i++)
    if (!strcmp(hs->roots[i].name, n)) return &hs->roots[i];
  return NULL;
}

static uint64_t class_count(const ls_handle_root *r, const char *n) {
  for (size_t i = 0; i < r->class_count; i++)
    if (!strcmp(r->by_class[i].name, n)) return r->by_class[i].count;
  return 0;
}

static void leak_found(void **state) {
  ls_heap *h = leaky_heap(10001);
  ls_handles *hs = NULL;
  ls_error err;
  assert_int_equal(ls_handles_build(h, &hs, &err), LS_OK);
  assert_int_equal(hs->leak, 1);
  assert_int_equal(hs->threshold, 10000);
  /* handle roots only, each once, "(Handle scope)" first */
  assert_int_equal(hs->root_count, 3);
  assert_string_equal(hs->roots[0].name, "(Handle scope)");
  assert_string_equal(hs->roots[1].name, "(Global handles)");
  assert_string_equal(hs->roots[2].name, "(Eternal handles)");
  assert_null(find_root(hs, "(Strong roots)"));
  const ls_handle_root *sc = &hs->roots[0];
  assert_int_equal(sc->handles, 10001);
  assert_int_equal(sc->class_count, 3);
  /* most first: 3334 Function, 3334 Window (tie: by name), 3333 (system) */
  assert_string_equal(sc->by_class[0].name, "Function");
  assert_int_equal(sc->by_class[0].count, 3334);
  assert_string_equal(sc->by_class[1].name, "Window");
  assert_int_equal(sc->by_class[1].count, 3334);
  assert_string_equal(sc->by_class[2].name, "(system)");
  assert_int_equal(sc->by_class[2].count, 3333);
  /* global handles: every edge counts (weak too); same-named classes
   * from two constructor locations are one row */
  /* the two Foo objects are two classes of one name */
  uint32_t c1 = h->classes.node_class[FOO1], c2 = h->classes.node_class[FOO2];
  assert_int_not_equal(c1, c2);
  assert_string_equal(h->classes.items[c1].name, "Foo");
  assert_string_equal(h->classes.items[c2].name, "Foo");
  const ls_handle_root *gh = &hs->roots[1];
  assert_int_equal(gh->handles, 5);
  assert_int_equal(gh->class_count, 3);
  assert_string_equal(gh->by_class[0].name, "Foo");
  assert_int_equal(gh->by_class[0].count, 3);
  assert_int_equal(class_count(gh, "(string)"), 1);
  assert_int_equal(class_count(gh, "Function"), 1);
  const ls_handle_root *et = &hs->roots[2];
  assert_int_equal(et->handles, 0);
  assert_int_equal(et->class_count, 0);
  assert_null(et->by_class);
  ls_handles_free(hs);
  ls_heap_free(h);
}

static void at_threshold_clean(void **state) {
  ls_heap *h = leaky_heap(10000);
  ls_handles *hs = NULL;
  assert_int_equal(ls_handles_build(h, &hs, NULL), LS_OK);
  assert_int_equal(hs->roots[0].handles, 10000);
  assert_int_equal(hs->leak, 0); /* more than the threshold is a leak */
  ls_handles_free(hs);
  ls_heap_free(h);
}

/* Only "(Handle scope)" decides: full global handles are not a leak. */
static void global_handles_do_not_decide(void **state) {
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int gc = tsnap_node(t, "synthetic", "(GC roots)", 0);
  int gh = tsnap_node(t, "synthetic", "(Global handles)", 0);
  int scope = tsnap_node(t, "synthetic", "(Handle scope)", 0);
  int o = tsnap_node(t, "object", "Thing", 8);
  tsnap_edge(t, root, "element", "1", gc);
  tsnap_edge(t, gc, "element", "1", scope);
  tsnap_edge(t, gc, "element", "2", gh);
  tsnap_edge(t, scope, "internal", "1", o);
  for (int i = 0; i < 12000; i++) tsnap_edge(t, gh, "internal", "g", o);
  ls_heap *h = NULL;
  assert_int_equal(ls_heap_build(tsnap_read(t), NULL, &h, NULL), LS_OK);
  tsnap_free(t);
  ls_handles *hs = NULL;
  assert_int_equal(ls_handles_build(h, &hs, NULL), LS_OK);
  assert_int_equal(hs->leak, 0);
  assert_int_equal(find_root(hs, "(Global handles)")->handles, 12000);
  assert_int_equal(find_root(hs, "(Handle scope)")->handles, 1);
  ls_handles_free(hs);
  ls_heap_free(h);
}

/* No (GC roots) at all, or no handle roots under it: nothing to report. */
static void no_handle_roots(void **state) {
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int gc = tsnap_node(t, "synthetic", "(GC roots)", 0);
  int strong = tsnap_node(t, "synthetic", "(Strong roots)", 0);
  int o = tsnap_node(t, "object", "Handle", 8); /* a class, not a root */
  tsnap_edge(t, root, "element", "1", gc);
  tsnap_edge(t, root, "shortcut", "o", o);
  tsnap_edge(t, gc, "element", "1", strong);
  tsnap_edge(t, strong, "internal", "1", o);
  ls_heap *h = NULL;
  assert_int_equal(ls_heap_build(tsnap_read(t), NULL, &h, NULL), LS_OK);
  tsnap_free(t);
  ls_handles *hs = NULL;
  assert_int_equal(ls_handles_build(h, &hs, NULL), LS_OK);
  assert_int_equal(hs->root_count, 0);
  assert_int_equal(hs->leak, 0);
  assert_int_equal(hs->threshold, 10000);
  char msg[1024];
  ls__handles_message(hs, msg, sizeof msg);
  assert_non_null(strstr(msg, "no (Handle scope) root"));
  ls_handles_free(hs);
  ls_heap_free(h);
}

static void null_args(void **state) {
  ls_handles *hs = (ls_handles *)1;
  ls_error err;
  assert_int_equal(ls_handles_build(NULL, &hs, &err), LS_ERR_INVALID_ARG);
  assert_int_equal(err.code, LS_ERR_INVALID_ARG);
  ls_heap *h = leaky_heap(3);
  assert_int_equal(ls_handles_build(h, NULL, NULL), LS_ERR_INVALID_ARG);
  ls_heap_free(h);
  ls_handles_free(NULL);
}

static char *render(const ls_heap *h, const ls_handles *hs, int json) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  ls_heap_totals tot;
  ls_heap_totals_get(h, &tot);
  int rc = json ? ls__render_handles_json(f, "x.heapsnapshot", &tot, hs)
                : ls__render_handles_text(f, "x.heapsnapshot", &tot, hs);
  assert_int_equal(rc, 0);
  fclose(f);
  return buf;
}

static void rendered(void **state) {
  ls_heap *h = leaky_heap(10001);
  ls_handles *hs = NULL;
  assert_int_equal(ls_handles_build(h, &hs, NULL), LS_OK);
  char *j = render(h, hs, 1), *x = render(h, hs, 0);
  assert_non_null(strstr(j, "{\"snapshot\":{\"path\":\"x.heapsnapshot\""));
  assert_non_null(strstr(j, "\"verdict\":\"leak\",\"threshold\":10000,"));
  assert_non_null(strstr(j, "{\"name\":\"(Handle scope)\",\"handles\":10001,"
                            "\"by_class\":[{\"name\":\"Function\",\"count\":3334},"));
  assert_non_null(strstr(j, "\"message\":\"(Handle scope) holds 10,001 live"));
  assert_non_null(strstr(j, "napi_open_handle_scope"));
  assert_non_null(strstr(x, "(Handle scope)"));
  assert_non_null(strstr(x, "10,001"));
  assert_non_null(strstr(x, "LEAK: "));
  assert_non_null(strstr(x, "napi_close_handle_scope"));
  /* class names only: never a string's value */
  assert_null(strstr(j, SECRET));
  assert_null(strstr(x, SECRET));
  assert_non_null(strstr(j, "\"(string)\""));
  free(j);
  free(x);
  ls_handles_free(hs);
  ls_heap_free(h);

  h = leaky_heap(30);
  assert_int_equal(ls_handles_build(h, &hs, NULL), LS_OK);
  j = render(h, hs, 1);
  x = render(h, hs, 0);
  assert_non_null(strstr(j, "\"verdict\":\"clean\""));
  assert_non_null(strstr(j, "no handle-scope leak"));
  assert_null(strstr(x, "LEAK"));
  assert_non_null(strstr(x, "no handle-scope leak"));
  free(j);
  free(x);
  ls_handles_free(hs);
  ls_heap_free(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(leak_found),
      cmocka_unit_test(at_threshold_clean),
      cmocka_unit_test(global_handles_do_not_decide),
      cmocka_unit_test(no_handle_roots),
      cmocka_unit_test(null_args),
      cmocka_unit_test(rendered),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
