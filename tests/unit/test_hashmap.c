/* The one hash table and interner: growth keeps every entry, entries stay
 * in insertion order, colliding and NUL-holding strings stay apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "graph/hashmap.h"

static void map_grows_in_order(void **state) {
  (void)state;
  ls__map m = {0};
  int added;
  assert_int_equal(ls__map_find(&m, 7), LS__MAP_NONE);
  for (uint64_t i = 0; i < 100000; i++) {
    uint64_t key = i * 2 + 1 + (i % 3 ? 0 : UINT64_MAX / 2); /* odd, spread */
    uint32_t e = ls__map_add(&m, key, &added);
    assert_int_equal(e, (uint32_t)i);
    assert_int_equal(added, 1);
    m.e[e].val = i * 10;
  }
  for (uint64_t i = 0; i < 100000; i++) {
    uint64_t key = i * 2 + 1 + (i % 3 ? 0 : UINT64_MAX / 2);
    assert_int_equal(ls__map_find(&m, key), (uint32_t)i);
    assert_int_equal(ls__map_add(&m, key, &added), (uint32_t)i);
    assert_int_equal(added, 0);
    assert_true(m.e[i].val == i * 10 && m.e[i].key == key);
  }
  assert_int_equal(ls__map_find(&m, 0), LS__MAP_NONE);
  assert_int_equal(ls__map_add(&m, UINT64_MAX, &added), 100000);
  assert_int_equal(ls__map_find(&m, UINT64_MAX), 100000);
  ls__map_free(&m);
  ls__map_free(&m); /* zeroed: safe again */
}

static void interner_keeps_bytes(void **state) {
  (void)state;
  ls__intern t = {0};
  uint32_t i;
  assert_int_equal(ls__intern_find(&t, "a", 1), LS__MAP_NONE);
  assert_int_equal(ls__intern_add(&t, "", 0, &i), 1);
  assert_int_equal(i, 0);
  assert_int_equal(ls__intern_add(&t, "a\0b", 3, &i), 1);
  assert_int_equal(ls__intern_add(&t, "a\0c", 3, &i), 1);
  assert_int_equal(ls__intern_add(&t, "a", 1, &i), 1);
  assert_int_equal(i, 3);
  assert_int_equal(ls__intern_add(&t, "a\0b", 3, &i), 0);
  assert_int_equal(i, 1);
  assert_int_equal(ls__intern_find(&t, "a\0c", 3), 2);
  assert_int_equal(ls__intern_find(&t, "", 0), 0);
  char buf[32];
  for (int k = 0; k < 5000; k++) {
    int n = snprintf(buf, sizeof buf, "name-%d", k);
    assert_int_equal(ls__intern_add(&t, buf, (size_t)n, &i), 1);
    assert_int_equal(i, (uint32_t)k + 4);
  }
  for (int k = 0; k < 5000; k++) {
    int n = snprintf(buf, sizeof buf, "name-%d", k);
    uint32_t j = ls__intern_find(&t, buf, (size_t)n);
    assert_int_equal(j, (uint32_t)k + 4);
    assert_int_equal(ls__intern_len(&t, j), (uint32_t)n);
    assert_string_equal(ls__intern_str(&t, j), buf); /* NUL-terminated */
  }
  assert_memory_equal(ls__intern_str(&t, 2), "a\0c", 4);
  ls__intern_free(&t);
}

/* Strings whose hashes collide share one map entry and stay apart. */
static void interner_chains_collisions(void **state) {
  (void)state;
  ls__intern t = {0};
  uint32_t i;
  assert_int_equal(ls__intern_add(&t, "x", 1, &i), 1);
  assert_int_equal(ls__intern_add(&t, "y", 1, &i), 1);
  /* make "y" look like it hashed where "x" did */
  uint32_t ex = ls__map_find(&t.by_hash, ls__hash_bytes("x", 1));
  t.s[1].older = (uint32_t)t.by_hash.e[ex].val;
  t.by_hash.e[ex].val = 1;
  assert_int_equal(ls__intern_find(&t, "x", 1), 0);
  assert_int_equal(ls__intern_find(&t, "y", 1), 1);
  ls__intern_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(map_grows_in_order),
      cmocka_unit_test(interner_keeps_bytes),
      cmocka_unit_test(interner_chains_collisions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
