/* Render layer: JSON escaping, human sizes, table and JSON shapes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "render/render.h"

/* Run `fn` into a memory buffer and return it (caller frees). */
static char *capture_json_string(const char *s, size_t len) {
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  ls__json_string(f, s, len);
  fclose(f);
  return buf;
}

static void json_escapes_every_special(void **state) {
  (void)state;
  const char in[] = "a\"b\\c\nd\re\tf\bg\fh\x01i\x1f" "j/k";
  char *out = capture_json_string(in, sizeof in - 1);
  assert_string_equal(out,
                      "\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u001fj/k\"");
  free(out);
}

static void json_keeps_utf8_and_nul(void **state) {
  (void)state;
  const char in[] = "\xf0\x9f\x98\x80x\0y"; /* emoji, then an embedded NUL */
  char *out = capture_json_string(in, sizeof in - 1);
  assert_string_equal(out, "\"\xf0\x9f\x98\x80x\\u0000y\"");
  free(out);
}

static void human_sizes(void **state) {
  (void)state;
  char b[16];
  assert_string_equal(ls__human_size(0, b, sizeof b), "0 B");
  assert_string_equal(ls__human_size(999, b, sizeof b), "999 B");
  assert_string_equal(ls__human_size(1000, b, sizeof b), "1.00 kB");
  assert_string_equal(ls__human_size(35500, b, sizeof b), "35.5 kB");
  assert_string_equal(ls__human_size(999999, b, sizeof b), "1.00 MB");
  assert_string_equal(ls__human_size(4100000000ULL, b, sizeof b), "4.10 GB");
  assert_string_equal(ls__human_size(UINT64_MAX, b, sizeof b), "18447 PB");
}

__attribute__((noinline)) static char *render_summary(int json, ls_summary *s) {
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  if (json)
    ls__render_summary_json(f, "x\"y.heapsnapshot", s);
  else
    ls__render_summary_text(f, "x.heapsnapshot", s);
  fclose(f);
  return buf;
}

static void summary_json_shape(void **state) {
  (void)state;
  ls_class_row rows[2] = {
      {"Foo", NULL, 3, 120, 400},
      {"<script>", "12,3,4", 1, 16, 16},
  };
  ls_summary s = {{10, 20, 1000, ""}, 5, 2, rows};
  char *out = render_summary(1, &s);
  assert_string_equal(
      out,
      "{\"snapshot\":{\"path\":\"x\\\"y.heapsnapshot\",\"node_count\":10,"
      "\"edge_count\":20,\"total_size\":1000},\"class_count\":5,\"classes\":["
      "\n{\"name\":\"Foo\",\"count\":3,\"self_size\":120,\"retained_size\":400},"
      "\n{\"name\":\"<script>\",\"location\":\"12,3,4\",\"count\":1,"
      "\"self_size\":16,\"retained_size\":16}]}\n");
  free(out);
}

static void summary_text_is_aligned_and_safe(void **state) {
  (void)state;
  ls_class_row rows[2] = {
      {"Evil\x1b[2Jname\nwith newline", NULL, 1234567, 1500, 2500000},
      {"A", NULL, 1, 8, 8},
  };
  ls_summary s = {{10, 20, 5000000, ""}, 7, 2, rows};
  char *out = render_summary(0, &s);
  assert_null(strchr(out, '\x1b')); /* no terminal escapes from names */
  assert_non_null(strstr(out, "Evil?[2Jname?with newline"));
  assert_non_null(strstr(out, "1,234,567"));
  assert_non_null(strstr(out, "2.50 MB"));
  assert_non_null(strstr(out, "  50%"));
  assert_non_null(strstr(out, "5 more classes"));
  /* both data rows put the count column at the same place */
  const char *r1 = strstr(out, "   1  "), *r2 = strstr(out, "   2  ");
  assert_non_null(r1);
  assert_non_null(r2);
  assert_int_equal(strstr(r1, "1,234,567") + 9 - r1,
                   strstr(r2, " 1 ") + 2 - r2);
  free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(json_escapes_every_special),
      cmocka_unit_test(json_keeps_utf8_and_nul),
      cmocka_unit_test(human_sizes),
      cmocka_unit_test(summary_json_shape),
      cmocka_unit_test(summary_text_is_aligned_and_safe),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
