/* Class names as DevTools' Summary shows them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tsnap.h"
#include "graph/classes.h"

typedef struct {
  ls_snapshot *s;
  ls__graph g;
  ls__classes c;
} named;

static void name_all(const tsnap *t, named *r) {
  r->s = tsnap_read(t);
  assert_int_equal(ls__graph_build(r->s, &r->g, NULL), LS_OK);
  assert_int_equal(ls__classes_build(&r->g, &r->c, NULL), LS_OK);
}

static void named_free(named *r) {
  ls__classes_free(&r->c);
  ls__graph_free(&r->g);
  ls_snapshot_free(r->s);
}

static const char *cls(const named *r, int v) {
  return r->c.items[r->c.node_class[v]].name;
}

static void names_by_type(void **state) {
  (void)state;
  tsnap *t = tsnap_new();
  tsnap_node(t, "synthetic", "", 0);
  int h = tsnap_node(t, "hidden", "system / Context", 1);
  int code = tsnap_node(t, "code", "foo", 1);
  int fn = tsnap_node(t, "closure", "foo", 1);
  int re = tsnap_node(t, "regexp", "/a+/", 1);
  int str = tsnap_node(t, "string", "secret", 1);
  int cons = tsnap_node(t, "concatenated string", "a", 1);
  int arr = tsnap_node(t, "array", "(object elements)", 1);
  int obj = tsnap_node(t, "object", "Foo", 1);
  int div = tsnap_node(t, "native", "<div id=\"x\">", 1);
  int div2 = tsnap_node(t, "native", "<div>", 1);
  int fakestr = tsnap_node(t, "object", "(string)", 1);
  named r;
  name_all(t, &r);
  assert_string_equal(cls(&r, h), "(system)");
  assert_string_equal(cls(&r, code), "(compiled code)");
  assert_string_equal(cls(&r, fn), "Function");
  assert_string_equal(cls(&r, re), "RegExp");
  assert_string_equal(cls(&r, str), "(string)");
  assert_string_equal(cls(&r, cons), "(concatenated string)");
  assert_string_equal(cls(&r, arr), "(array)");
  assert_string_equal(cls(&r, obj), "Foo");
  assert_string_equal(cls(&r, div), "<div>");
  /* a tag cut short and a short tag are one class */
  assert_int_equal(r.c.node_class[div], r.c.node_class[div2]);
  /* DevTools keys by string index: an object named "(string)" is not the
   * strings' class even though the text is the same */
  assert_string_equal(cls(&r, fakestr), "(string)");
  assert_int_not_equal(r.c.node_class[fakestr], r.c.node_class[str]);
  named_free(&r);
  tsnap_free(t);
}

/* Plain objects get "{a, b}" when enough of them share the property list;
 * an object takes the longest list it fully has. */
static void interfaces_of_plain_objects(void **state) {
  (void)state;
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int num = tsnap_node(t, "number", "heap number", 8);
  int xy[3], xyz[2], lone, quoted[2], empty;
  for (int i = 0; i < 3; i++) {
    xy[i] = tsnap_node(t, "object", "Object", 16);
    tsnap_edge(t, xy[i], "property", "x", num);
    tsnap_edge(t, xy[i], "property", "__proto__", num);
    tsnap_edge(t, xy[i], "property", "y", num);
  }
  for (int i = 0; i < 2; i++) {
    xyz[i] = tsnap_node(t, "object", "Object", 16);
    tsnap_edge(t, xyz[i], "property", "z", num);
    tsnap_edge(t, xyz[i], "property", "y", num);
    tsnap_edge(t, xyz[i], "property", "x", num);
  }
  /* only one object with this list: below the 2-object minimum, and its
   * properties include x and y, so it becomes "{x, y}" */
  lone = tsnap_node(t, "object", "Object", 16);
  tsnap_edge(t, lone, "property", "y", num);
  tsnap_edge(t, lone, "property", "w", num);
  tsnap_edge(t, lone, "property", "x", num);
  for (int i = 0; i < 2; i++) {
    quoted[i] = tsnap_node(t, "object", "Object", 16);
    tsnap_edge(t, quoted[i], "property", "a,b", num);
  }
  empty = tsnap_node(t, "object", "Object", 16);
  for (int v = 1; v < t->nn; v++) tsnap_edge(t, root, "element", "1", v);
  named r;
  name_all(t, &r);
  for (int i = 0; i < 3; i++) assert_string_equal(cls(&r, xy[i]), "{x, y}");
  for (int i = 0; i < 2; i++) assert_string_equal(cls(&r, xyz[i]), "{z, y, x}");
  assert_string_equal(cls(&r, lone), "{x, y}");
  assert_string_equal(cls(&r, quoted[0]), "{\"a,b\"}");
  assert_string_equal(cls(&r, empty), "Object");
  named_free(&r);
  tsnap_free(t);
}

static void interface_name_length_limit(void **state) {
  (void)state;
  tsnap *t = tsnap_new();
  tsnap_node(t, "synthetic", "", 0);
  int num = tsnap_node(t, "number", "heap number", 8);
  char name[64];
  int o[2];
  for (int i = 0; i < 2; i++) {
    o[i] = tsnap_node(t, "object", "Object", 16);
    for (int p = 0; p < 20; p++) {
      snprintf(name, sizeof name, "property_%02d", p); /* 11 characters */
      tsnap_edge(t, o[i], "property", name, num);
    }
  }
  named r;
  name_all(t, &r);
  const char *n = cls(&r, o[0]);
  /* "{" + 9 names * 11 + 8 * ", " = 116; a tenth would pass 120 */
  assert_int_equal(strlen(n), 117);
  assert_non_null(strstr(n, "property_08}"));
  assert_int_equal(r.c.node_class[o[0]], r.c.node_class[o[1]]);
  named_free(&r);
  tsnap_free(t);
}

static void locations_split_same_named_classes(void **state) {
  (void)state;
  tsnap *t = tsnap_new();
  tsnap_node(t, "synthetic", "", 0);
  int a1 = tsnap_node(t, "object", "Item", 8);
  int a2 = tsnap_node(t, "object", "Item", 8);
  int b = tsnap_node(t, "object", "Item", 8);
  int none = tsnap_node(t, "object", "Item", 8);
  int fn = tsnap_node(t, "closure", "f", 8);
  int fn2 = tsnap_node(t, "closure", "g", 8);
  tsnap_loc(t, a1, 3, 10, 4);
  tsnap_loc(t, a2, 3, 10, 4);
  tsnap_loc(t, b, 4, 1, 0);
  tsnap_loc(t, fn, 3, 1, 1); /* functions are not split by location */
  tsnap_loc(t, fn2, 3, 2, 1);
  named r;
  name_all(t, &r);
  assert_int_equal(r.c.node_class[a1], r.c.node_class[a2]);
  assert_int_not_equal(r.c.node_class[a1], r.c.node_class[b]);
  assert_int_not_equal(r.c.node_class[a1], r.c.node_class[none]);
  assert_int_equal(r.c.node_class[fn], r.c.node_class[fn2]);
  const ls__class *c = &r.c.items[r.c.node_class[b]];
  assert_true(c->has_location);
  assert_int_equal(c->script_id, 4);
  assert_int_equal(c->line, 1);
  assert_string_equal(c->name, "Item");
  assert_false(r.c.items[r.c.node_class[none]].has_location);
  named_free(&r);
  tsnap_free(t);
}

static void detached_native_nodes(void **state) {
  (void)state;
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int d = tsnap_node(t, "native", "<p class=\"x\">", 8);
  int child = tsnap_node(t, "native", "Text", 8);
  int js = tsnap_node(t, "object", "Holder", 8);
  int att = tsnap_node(t, "native", "<p>", 8);
  t->nodes[d].detachedness = 2;
  t->nodes[att].detachedness = 1;
  tsnap_edge(t, root, "element", "1", js);
  tsnap_edge(t, js, "property", "p", d);
  tsnap_edge(t, d, "property", "text", child);
  named r;
  name_all(t, &r);
  assert_string_equal(cls(&r, d), "Detached <p>");
  assert_string_equal(cls(&r, child), "Detached Text");
  assert_string_equal(cls(&r, js), "Holder"); /* JS is never renamed */
  assert_string_equal(cls(&r, att), "<p>");
  named_free(&r);
  tsnap_free(t);
}

static void free_is_safe_on_zeroed(void **state) {
  (void)state;
  ls__classes c;
  memset(&c, 0, sizeof c);
  ls__classes_free(&c);
  ls__classes_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(names_by_type),
      cmocka_unit_test(interfaces_of_plain_objects),
      cmocka_unit_test(interface_name_length_limit),
      cmocka_unit_test(locations_split_same_named_classes),
      cmocka_unit_test(detached_native_nodes),
      cmocka_unit_test(free_is_safe_on_zeroed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
