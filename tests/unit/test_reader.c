/* Reader: tokenizer + builder + gzip, fed in chunks of every size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <cmocka.h>

#include "leakscope.h"
#include "reader/snapshot.h"

#define META                                                                 \
  "{\"node_fields\":[\"type\",\"name\",\"id\",\"self_size\",\"edge_count\"," \
  "\"trace_node_id\",\"detachedness\"],"                                     \
  "\"node_types\":[[\"hidden\",\"array\",\"string\",\"object\",\"code\","    \
  "\"closure\",\"regexp\",\"number\",\"native\",\"synthetic\","              \
  "\"concatenated string\",\"sliced string\",\"symbol\",\"bigint\","         \
  "\"object shape\",\"wasm object\"],\"string\",\"number\",\"number\","      \
  "\"number\",\"number\",\"number\"],"                                       \
  "\"edge_fields\":[\"type\",\"name_or_index\",\"to_node\"],"                \
  "\"edge_types\":[[\"context\",\"element\",\"property\",\"internal\","      \
  "\"hidden\",\"shortcut\",\"weak\"],\"string_or_number\",\"node\"],"        \
  "\"location_fields\":[\"object_index\",\"script_id\",\"line\","            \
  "\"column\"]}"

/* root --element 1--> A (object "A", 32) --property "x"--> "hello" (16)
 * root --element 2--> B (object "B", 24) */
static const char *MINI =
    "{\"snapshot\":{\"meta\":" META
    ",\"node_count\":4,\"edge_count\":3,\"trace_function_count\":0},\n"
    "\"nodes\":[9,0,1,0,2,0,0,\n3,1,3,32,1,0,0,\n2,2,5,16,0,0,0,\n"
    "3,4,7,24,0,0,0],\n"
    "\"edges\":[1,1,7,1,2,21,2,3,14],\n"
    "\"trace_function_infos\":[0,1,0,0,0,0],\"trace_tree\":[1,0,3,4,[5,0,7,8,[]]],"
    "\"samples\":[-1.5e3,2,0.25],\"unknown\":{\"a\":[true,false,null,{}]},\n"
    "\"locations\":[7,5,10,20],\n"
    "\"strings\":[\"\",\"A\",\"hello\",\"x\",\"B\"]}\n";

static ls_status read_chunked(const void *data, size_t len, size_t step,
                              ls_snapshot **out, ls_error *err) {
  ls_reader *r = ls_reader_new(err);
  assert_non_null(r);
  const uint8_t *p = data;
  ls_status st = LS_OK;
  for (size_t i = 0; i < len && st == LS_OK; i += step)
    st = ls_reader_feed(r, p + i, len - i < step ? len - i : step, err);
  if (st == LS_OK) st = ls_reader_finish(r, out, err);
  ls_reader_free(r);
  return st;
}

static ls_snapshot *read_ok(const char *text) {
  ls_error err;
  ls_snapshot *s = NULL;
  ls_status st = read_chunked(text, strlen(text), strlen(text) + 1, &s, &err);
  if (st != LS_OK) fail_msg("unexpected error at %llu: %s",
                            (unsigned long long)err.offset, err.message);
  return s;
}

static uint64_t read_err(const char *text, ls_status want, const char *words) {
  ls_error err;
  ls_snapshot *s = NULL;
  memset(&err, 0, sizeof err);
  ls_status st = read_chunked(text, strlen(text), 7, &s, &err);
  assert_int_equal(st, want);
  assert_null(s);
  if (words && !strstr(err.message, words))
    fail_msg("message \"%s\" lacks \"%s\"", err.message, words);
  return err.offset;
}

static void test_mini_columns(void **state) {
  (void)state;
  ls_snapshot *s = read_ok(MINI);
  assert_int_equal(s->node_count, 4);
  assert_int_equal(s->edge_count, 3);
  assert_int_equal(s->node_type_count, 16);
  assert_int_equal(s->edge_type_count, 7);
  assert_int_equal(s->nt.synthetic, 9);
  assert_int_equal(s->nt.object_shape, 14);
  assert_int_equal(s->et.weak, 6);
  assert_int_equal(s->node_type[1], s->nt.object);
  assert_int_equal(ls__node_id(s, 3), 7);
  assert_int_equal(ls__node_self(s, 1), 32);
  assert_int_equal(s->first_edge[0], 0);
  assert_int_equal(s->first_edge[1], 2);
  assert_int_equal(s->first_edge[2], 3);
  assert_int_equal(s->first_edge[4], 3);
  assert_int_equal(ls__edge_to(s, 0), 1); /* to_node 7 / 7 fields */
  assert_int_equal(ls__edge_to(s, 2), 2);
  assert_string_equal(ls__str(s, ls__edge_name(s, 2)), "x");
  assert_int_equal(s->string_count, 5);
  assert_string_equal(ls__str(s, s->node_name[3]), "B");
  assert_int_equal(ls__strlen(s, 2), 5);
  assert_int_equal(s->location_count, 1);
  assert_int_equal(s->loc_node[0], 1);
  assert_int_equal(s->loc_script[0], 5);
  assert_int_equal(s->loc_column[0], 20);
  assert_int_equal(s->input_bytes, strlen(MINI));
  ls_snapshot_free(s);
}

/* Every chunk size gives the same result as one feed. */
static void test_every_split(void **state) {
  (void)state;
  size_t len = strlen(MINI);
  for (size_t step = 1; step <= 40; step++) {
    ls_error err;
    ls_snapshot *s = NULL;
    assert_int_equal(read_chunked(MINI, len, step, &s, &err), LS_OK);
    assert_int_equal(s->node_count, 4);
    assert_int_equal(ls__edge_to(s, 1), 3);
    assert_string_equal(ls__str(s, 4), "B");
    ls_snapshot_free(s);
  }
}

static char *with_strings(const char *strings_json) {
  const char *head =
      "{\"snapshot\":{\"meta\":" META ",\"node_count\":1,\"edge_count\":0},"
      "\"nodes\":[9,0,1,0,0,0,0],\"edges\":[],\"strings\":[";
  char *t = malloc(strlen(head) + strlen(strings_json) + 4);
  sprintf(t, "%s%s]}", head, strings_json);
  return t;
}

static void test_string_escapes(void **state) {
  (void)state;
  char *t = with_strings(
      "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"\\u00e9\\u20ac\",\"\\ud83d\\ude00\","
      "\"a\\ud800b\",\"\\udc00\",\"x\\u0000y\",\"caf\xc3\xa9\"");
  ls_snapshot *s = read_ok(t);
  assert_string_equal(ls__str(s, 0), "\"\\/\b\f\n\r\t");
  assert_string_equal(ls__str(s, 1), "\xc3\xa9\xe2\x82\xac");
  assert_string_equal(ls__str(s, 2), "\xf0\x9f\x98\x80");
  /* lone surrogates become U+FFFD */
  assert_string_equal(ls__str(s, 3), "a\xef\xbf\xbd" "b");
  assert_string_equal(ls__str(s, 4), "\xef\xbf\xbd");
  /* an embedded NUL is kept: the length says 3 */
  assert_int_equal(ls__strlen(s, 5), 3);
  assert_memory_equal(ls__str(s, 5), "x\0y", 3);
  assert_string_equal(ls__str(s, 6), "caf\xc3\xa9");
  ls_snapshot_free(s);
  free(t);
}

/* Field order and type lists come from meta, not from fixed positions. */
static void test_generic_meta(void **state) {
  (void)state;
  const char *t =
      "{\"snapshot\":{\"node_count\":2,\"edge_count\":1,\"meta\":{"
      "\"node_fields\":[\"id\",\"edge_count\",\"name\",\"self_size\","
      "\"type\"],"
      "\"node_types\":[\"number\",\"number\",\"string\",\"number\","
      "[\"object\",\"synthetic\",\"hidden\"]],"
      "\"edge_fields\":[\"to_node\",\"type\",\"name_or_index\"],"
      "\"edge_types\":[\"node\",[\"weak\",\"property\"],\"string_or_number\"]"
      "}},\"nodes\":[1,1,0,0,1, 8589934593,0,1,6000000000,0],"
      "\"edges\":[5,1,1],\"strings\":[\"\",\"Big\"]}";
  ls_snapshot *s = read_ok(t);
  assert_int_equal(s->node_type_count, 3);
  assert_int_equal(s->nt.synthetic, 1);
  assert_int_equal(s->nt.object, 0);
  assert_int_equal(s->nt.string, LS__NO_TYPE);
  assert_int_equal(s->et.property, 1);
  assert_int_equal(s->et.element, LS__NO_TYPE);
  assert_int_equal(s->node_type[0], 1);
  assert_true(ls__node_id(s, 1) == 8589934593ULL); /* above 2^32 */
  assert_true(ls__node_self(s, 1) == 6000000000ULL);
  assert_null(s->node_detachedness);
  assert_int_equal(ls__edge_to(s, 0), 1);
  assert_int_equal(ls__edge_type(s, 0), 1);
  assert_string_equal(ls__str(s, s->node_name[1]), "Big");
  ls_snapshot_free(s);
}

/* The start of a generated file whose nodes are (type, name, id, self_size,
 * edge_count) of types synthetic/object, up to the nodes' opening bracket;
 * returns the length written into t. */
static size_t gen_head(char *t, size_t cap, int nodes, int edges, const char *edge_fields,
                       const char *edge_types) {
  return (size_t)snprintf(t, cap,
      "{\"snapshot\":{\"node_count\":%d,\"edge_count\":%d,\"meta\":{"
      "\"node_fields\":[\"type\",\"name\",\"id\",\"self_size\","
      "\"edge_count\"],\"node_types\":[[\"synthetic\",\"object\"]],"
      "\"edge_fields\":%s,\"edge_types\":%s}},\"nodes\":[",
      nodes, edges, edge_fields, edge_types);
}

/* Ids and self sizes stay in 32 bits until a value needs more; then the
 * column widens and keeps every value read before (across column growth,
 * in the per-record fast path and the per-field path, at any chunk size). */
static void test_wide_values_widen_columns(void **state) {
  (void)state;
  enum { NN = 70000, BIG_ID_AT = 40001, BIG_SIZE_AT = 69999 };
  size_t cap = (size_t)NN * 48 + 1024, len = 0;
  char *t = malloc(cap);
  assert_non_null(t);
  len += gen_head(t, cap, NN, 0, "[\"type\",\"name_or_index\",\"to_node\"]",
                  "[[\"property\"]]");
  for (int i = 0; i < NN; i++) {
    uint64_t id = i == BIG_ID_AT ? 4294967297ULL : 2u * (uint64_t)i + 1;
    uint64_t sz = i == BIG_SIZE_AT ? 8589934592ULL : (uint64_t)i * 3;
    len += (size_t)snprintf(t + len, cap - len, "%s%d,0,%llu,%llu,0",
                            i ? "," : "", i ? 1 : 0, (unsigned long long)id,
                            (unsigned long long)sz);
  }
  len += (size_t)snprintf(t + len, cap - len,
                          "],\"edges\":[],\"strings\":[\"\"]}");
  const size_t steps[] = {len + 1, 4096, 777};
  for (size_t k = 0; k < sizeof steps / sizeof *steps; k++) {
    ls_snapshot *s = NULL;
    ls_error err;
    assert_int_equal(read_chunked(t, len, steps[k], &s, &err), LS_OK);
    assert_non_null(s->node_id.w64); /* widened */
    assert_null(s->node_id.w32);
    assert_non_null(s->node_self_size.w64);
    for (int i = 0; i < NN; i++) {
      uint64_t id = i == BIG_ID_AT ? 4294967297ULL : 2u * (uint64_t)i + 1;
      uint64_t sz = i == BIG_SIZE_AT ? 8589934592ULL : (uint64_t)i * 3;
      if (ls__node_id(s, i) != id || ls__node_self(s, i) != sz)
        fail_msg("step %zu node %d: id %llu size %llu", steps[k], i,
                 (unsigned long long)ls__node_id(s, i),
                 (unsigned long long)ls__node_self(s, i));
    }
    ls_snapshot_free(s);
  }
  free(t);
  /* a file whose values all fit keeps both columns in 32 bits */
  ls_snapshot *s = read_ok(MINI);
  assert_non_null(s->node_id.w32);
  assert_null(s->node_id.w64);
  assert_non_null(s->node_self_size.w32);
  assert_null(s->node_self_size.w64);
  ls_snapshot_free(s);
}

/* Edge types ride in the top bits of the targets while there are at most
 * 16 of them (and fewer than 2^28 nodes); with 17 they get their own
 * column. Either way every edge reads back the same, across column growth,
 * in the per-record fast path and the per-field path (the type field after
 * the target here, so the per-field path sets the target first). */
static void test_edge_types_packed_or_not(void **state) {
  (void)state;
  enum { NN = 1000, NE = 70000 };
  for (int big = 0; big < 2; big++)
  for (int ntypes = 16; ntypes <= 17; ntypes++)
    for (int type_last = 0; type_last < 2; type_last++) {
      /* with `big`, one element index of 2^24 or more partway through */
      const int at = 40000 - 40000 % ntypes; /* type 0: "element" */
      size_t cap = (size_t)NE * 24 + (size_t)NN * 16 + 4096, len = 0;
      char *t = malloc(cap);
      assert_non_null(t);
      char types[512];
      size_t tl = (size_t)snprintf(types, sizeof types, "[%s[",
                                   type_last ? "\"string_or_number\",\"node\"," : "");
      for (int k = 0; k < ntypes; k++)
        tl += (size_t)snprintf(types + tl, sizeof types - tl, k ? ",\"t%d\"" : "\"element\"", k);
      snprintf(types + tl, sizeof types - tl, "]%s]",
               type_last ? "" : ",\"string_or_number\",\"node\"");
      len += gen_head(t, cap, NN, NE,
                      type_last ? "[\"name_or_index\",\"to_node\",\"type\"]"
                                : "[\"type\",\"name_or_index\",\"to_node\"]",
                      types);
      for (int i = 0; i < NN; i++) /* node 0 holds every edge */
        len += (size_t)snprintf(t + len, cap - len, "%s%d,0,%d,8,%d", i ? "," : "",
                                i ? 1 : 0, 2 * i + 1, i ? 0 : NE);
      len += (size_t)snprintf(t + len, cap - len, "],\"edges\":[");
      for (int e = 0; e < NE; e++) {
        const unsigned name = big && e == at ? (1u << 24) + 7 : (unsigned)e % 3;
        const unsigned to = 5u * (unsigned)((e * 7) % NN), type = (unsigned)(e % ntypes);
        len += (size_t)snprintf(t + len, cap - len, "%s%u,%u,%u", e ? "," : "",
                                type_last ? name : type, type_last ? to : name,
                                type_last ? type : to);
      }
      len += (size_t)snprintf(t + len, cap - len, "],\"strings\":[\"\",\"a\",\"b\"]}");
      assert_true(len < cap);
      const size_t steps[] = {len + 1, 4096, 333};
      for (size_t k = 0; k < sizeof steps / sizeof *steps; k++) {
        ls_snapshot *s = NULL;
        ls_error err;
        if (read_chunked(t, len, steps[k], &s, &err) != LS_OK)
          fail_msg("%d types, step %zu: %s at %llu", ntypes, steps[k], err.message,
                   (unsigned long long)err.offset);
        if (ntypes <= 16) assert_null(s->edge_type);
        else assert_non_null(s->edge_type);
        /* names in 3 bytes until one needs 4: then all in 4 */
        assert_true(big ? s->edge_name && !s->edge_name24 : !s->edge_name && s->edge_name24);
        for (int e = 0; e < NE; e++)
          if (ls__edge_type(s, e) != e % ntypes ||
              ls__edge_to(s, e) != (uint32_t)((e * 7) % NN) ||
              ls__edge_name(s, e) != (big && e == at ? (1u << 24) + 7 : (uint32_t)(e % 3)))
            fail_msg("%d types, type %s, step %zu, edge %d: type %d to %u", ntypes,
                     type_last ? "last" : "first", steps[k], e, ls__edge_type(s, e),
                     ls__edge_to(s, e));
        ls_snapshot_free(s);
      }
      free(t);
    }
}

static void gzip_bytes(const char *text, uint8_t **out, size_t *len) {
  z_stream z;
  memset(&z, 0, sizeof z);
  assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
                                Z_DEFAULT_STRATEGY), Z_OK);
  size_t cap = deflateBound(&z, strlen(text));
  *out = malloc(cap);
  z.next_in = (Bytef *)text;
  z.avail_in = (uInt)strlen(text);
  z.next_out = *out;
  z.avail_out = (uInt)cap;
  assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
  *len = cap - z.avail_out;
  deflateEnd(&z);
}

static void test_gzip_detected_by_content(void **state) {
  (void)state;
  uint8_t *gz;
  size_t len;
  gzip_bytes(MINI, &gz, &len);
  for (size_t step = 1; step <= 9; step += 4) {
    ls_error err;
    ls_snapshot *s = NULL;
    assert_int_equal(read_chunked(gz, len, step, &s, &err), LS_OK);
    assert_int_equal(s->node_count, 4);
    assert_int_equal(s->input_bytes, strlen(MINI));
    ls_snapshot_free(s);
  }
  /* truncated and corrupted streams are gzip errors, not JSON errors */
  ls_error err;
  ls_snapshot *s = NULL;
  assert_int_equal(read_chunked(gz, len / 2, 64, &s, &err), LS_ERR_PARSE);
  assert_non_null(strstr(err.message, "gzip"));
  gz[len - 6] ^= 0x55; /* CRC / length trailer */
  assert_int_equal(read_chunked(gz, len, 64, &s, &err), LS_ERR_PARSE);
  assert_non_null(strstr(err.message, "gzip"));
  free(gz);
}

static void test_errors_have_offsets(void **state) {
  (void)state;
  assert_int_equal(read_err("", LS_ERR_PARSE, "expected '{'"), 0);
  assert_int_equal(read_err("  hello", LS_ERR_PARSE, "expected"), 2);
  assert_int_equal(read_err("[]", LS_ERR_PARSE, "expected '{'"), 0);
  assert_int_equal(read_err("{}", LS_ERR_PARSE, "snapshot"), 1);
  /* truncated: the offset is the end of the input */
  size_t cut = strlen(MINI) / 2;
  char *t = strndup(MINI, cut);
  assert_int_equal(read_err(t, LS_ERR_PARSE, "expected"), cut);
  free(t);
  /* trailing garbage */
  size_t n = strlen(MINI);
  t = malloc(n + 3);
  sprintf(t, "%sxy", MINI);
  assert_int_equal(read_err(t, LS_ERR_PARSE, "nothing after"), n);
  free(t);
}

/* `base` with the first occurrence of `from` replaced by `to` (*at: where). */
static char *text_with(const char *base, const char *from, const char *to, size_t *at) {
  const char *p = strstr(base, from);
  assert_non_null(p);
  size_t pre = (size_t)(p - base);
  char *t = malloc(strlen(base) + strlen(to) + 1);
  memcpy(t, base, pre);
  strcpy(t + pre, to);
  strcat(t, p + strlen(from));
  if (at) *at = pre;
  return t;
}

static char *mini_with(const char *from, const char *to, size_t *at) {
  return text_with(MINI, from, to, at);
}

static void test_bad_values(void **state) {
  (void)state;
  size_t at;
  /* to_node outside the node array: offset of that value */
  char *t = mini_with("1,2,21,", "1,2,28,", &at);
  assert_int_equal(read_err(t, LS_ERR_PARSE, "to_node"), at + 4);
  free(t);
  t = mini_with("1,2,21,", "1,2,8,", &at);
  assert_int_equal(read_err(t, LS_ERR_PARSE, "to_node"), at + 4);
  free(t);
  t = mini_with("1,2,21,", "1,2,-7,", &at);
  assert_int_equal(read_err(t, LS_ERR_PARSE, "to_node"), at + 4);
  free(t);
  t = mini_with("1,2,21,", "1,2,2.5,", &at);
  assert_int_equal(read_err(t, LS_ERR_PARSE, "expected"), at + 5);
  free(t);
  /* node name beyond the strings: reported at the value */
  t = mini_with("3,4,7,24", "3,9,7,24", &at);
  assert_int_equal(read_err(t, LS_ERR_PARSE, "string"), at + 2);
  free(t);
  /* node type not in meta */
  t = mini_with("3,4,7,24", "99,4,7,24", &at);
  assert_int_equal(read_err(t, LS_ERR_PARSE, "node type"), at);
  free(t);
  /* counts that disagree */
  t = mini_with("\"node_count\":4", "\"node_count\":5", NULL);
  read_err(t, LS_ERR_PARSE, "node_count");
  free(t);
  t = mini_with("\"node_count\":4", "\"node_count\":3", NULL);
  read_err(t, LS_ERR_PARSE, "node_count");
  free(t);
  t = mini_with("\"edge_count\":3", "\"edge_count\":4", NULL);
  read_err(t, LS_ERR_PARSE, "edge_count");
  free(t);
  /* fewer edges declared than the nodes' counts add up to: the node
   * whose count passes the total is named, at its value */
  t = mini_with("\"edge_count\":3", "\"edge_count\":2", NULL);
  read_err(t, LS_ERR_PARSE, "past snapshot.edge_count = 2");
  free(t);
  /* edge offsets are 32-bit columns: more edges are refused up front */
  t = mini_with("\"edge_count\":3", "\"edge_count\":4294967296", NULL);
  read_err(t, LS_ERR_LIMIT, "limit of 2^32-1 edges");
  free(t);
  t = mini_with("\"edge_count\":3", "\"edge_count\":4294967295", NULL);
  read_err(t, LS_ERR_PARSE, "edge_count");
  free(t);
  /* meta without id */
  t = mini_with("\"id\",", "", NULL);
  read_err(t, LS_ERR_PARSE, "\"id\"");
  free(t);
  /* leading zeros and overflow */
  t = mini_with("3,4,7,24", "3,4,07,24", NULL);
  read_err(t, LS_ERR_PARSE, "leading zeros");
  free(t);
  t = mini_with("3,4,7,24", "3,4,18446744073709551616,24", NULL);
  read_err(t, LS_ERR_PARSE, "2^64");
  free(t);
  /* bad escapes */
  t = mini_with("\"hello\"", "\"he\\qllo\"", NULL);
  read_err(t, LS_ERR_PARSE, "backslash");
  free(t);
  t = mini_with("\"hello\"", "\"he\\u12g4\"", NULL);
  read_err(t, LS_ERR_PARSE, "hex digit");
  free(t);
}

/* A huge declared count with a tiny array is an error, not an allocation of
 * the declared size. */
static void test_huge_declared_counts(void **state) {
  (void)state;
  char *t = mini_with("\"node_count\":4", "\"node_count\":5000000000", NULL);
  read_err(t, LS_ERR_LIMIT, "limit");
  free(t);
  t = mini_with("\"node_count\":4", "\"node_count\":400000000", NULL);
  read_err(t, LS_ERR_PARSE, "node_count");
  free(t);
}

/* After an error the reader keeps refusing with the same error. */
static void test_sticky_error(void **state) {
  (void)state;
  ls_error err;
  ls_reader *r = ls_reader_new(&err);
  assert_int_equal(ls_reader_feed(r, "nope", 4, &err), LS_ERR_PARSE);
  uint64_t off = err.offset;
  memset(&err, 0, sizeof err);
  assert_int_equal(ls_reader_feed(r, MINI, strlen(MINI), &err), LS_ERR_PARSE);
  assert_int_equal(err.offset, off);
  ls_snapshot *s = (ls_snapshot *)1;
  assert_int_equal(ls_reader_finish(r, &s, &err), LS_ERR_PARSE);
  assert_null(s);
  ls_reader_free(r);
}

static void test_read_file_errors(void **state) {
  (void)state;
  ls_error err;
  ls_snapshot *s = NULL;
  assert_int_equal(ls_snapshot_read_file("/", &s, NULL, NULL, &err), LS_ERR_IO);
  assert_non_null(strstr(err.message, "directory"));
  assert_int_equal(ls_snapshot_read_file("/nonexistent/x.heapsnapshot", &s,
                                         NULL, NULL, &err),
                   LS_ERR_IO);
  assert_non_null(strstr(err.message, "No such file"));
  assert_int_equal(ls_status_exit_code(LS_ERR_IO), 2);
  assert_int_equal(ls_status_exit_code(LS_ERR_NOMEM), 3);
}

/* A snapshot with allocation tracking: trace ids per node, the function
 * infos and the nested trace tree (root -> main -> handle, root -> other).
 * Strings: 0 "", 1 "A", 2 "main", 3 "handle", 4 "/app.js", 5 "(root)". */
#define TRACE_HEAD                                                           \
  "{\"snapshot\":{\"meta\":" META                                            \
  ",\"node_count\":3,\"edge_count\":2,\"trace_function_count\":4},\n"        \
  "\"nodes\":[9,0,1,0,2,0,0,\n3,1,3,32,0,3,0,\n3,1,5,32,0,4,0],\n"           \
  "\"edges\":[1,1,7,1,2,14],\n"
static const char *TRACED =
    TRACE_HEAD
    "\"trace_function_infos\":[0,5,0,0,0,0, 7,2,4,3,1,1, 9,3,4,3,12,17,"
    " 11,1,4,3,30,2],\n"
    "\"trace_tree\":[1,0,0,0,[2,1,1,32,[3,2,1,32,[]],4,3,1,32,[]]],\n"
    "\"samples\":[],\"locations\":[],\n"
    "\"strings\":[\"\",\"A\",\"main\",\"handle\",\"/app.js\",\"(root)\"]}\n";

static void check_traced(const ls_snapshot *s) {
  assert_non_null(s->node_trace);
  assert_int_equal(s->node_trace[0], 0);
  assert_int_equal(s->node_trace[1], 3);
  assert_int_equal(s->node_trace[2], 4);
  assert_int_equal(s->trace_fn_count, 4);
  assert_string_equal(ls__str(s, s->tf_name[2]), "handle");
  assert_string_equal(ls__str(s, s->tf_script[2]), "/app.js");
  assert_int_equal(s->tf_script_id[2], 3);
  assert_int_equal(s->tf_line[2], 12);
  assert_int_equal(s->tf_column[2], 17);
  assert_int_equal(s->trace_count, 4);
  /* depth first: (root), main, handle, other; parents before children */
  assert_int_equal(s->tn_id[0], 1);
  assert_int_equal(s->tn_parent[0], UINT32_MAX);
  assert_int_equal(s->tn_id[1], 2);
  assert_int_equal(s->tn_fn[1], 1);
  assert_int_equal(s->tn_parent[1], 0);
  assert_int_equal(s->tn_id[2], 3);
  assert_int_equal(s->tn_fn[2], 2);
  assert_int_equal(s->tn_parent[2], 1);
  assert_int_equal(s->tn_id[3], 4);
  assert_int_equal(s->tn_fn[3], 3);
  assert_int_equal(s->tn_parent[3], 0);
}

static void test_trace_tree(void **state) {
  (void)state;
  size_t len = strlen(TRACED);
  for (size_t step = 1; step <= len + 1; step += step < 40 ? 1 : 97) {
    ls_error err;
    ls_snapshot *s = NULL;
    ls_status st = read_chunked(TRACED, len, step, &s, &err);
    if (st != LS_OK) fail_msg("step %zu: %s", step, err.message);
    check_traced(s);
    ls_snapshot_free(s);
  }
  /* the untracked MINI (trace_function_count 0) keeps no trace column */
  ls_snapshot *m = read_ok(MINI);
  assert_null(m->node_trace);
  ls_snapshot_free(m);
}

static char *traced_with(const char *from, const char *to, size_t *at) {
  return text_with(TRACED, from, to, at);
}

static void test_trace_errors(void **state) {
  (void)state;
  size_t at;
  /* a function info index past trace_function_infos: that value */
  char *t = traced_with("[3,2,1,32,[]]", "[3,9,1,32,[]]", &at);
  assert_int_equal(read_err(t, LS_ERR_PARSE, "function_info_index 9"), at + 3);
  free(t);
  /* a trace node cut short */
  t = traced_with("4,3,1,32,[]]]", "4,3,1]]", NULL);
  read_err(t, LS_ERR_PARSE, "values per trace node");
  free(t);
  /* children that are not an array */
  t = traced_with("4,3,1,32,[]", "4,3,1,32,7", &at);
  assert_int_equal(read_err(t, LS_ERR_PARSE, "(the children)"), at + 9);
  free(t);
  /* a string where a number belongs */
  t = traced_with("[2,1,1,32", "[\"2\",1,1,32", &at);
  assert_int_equal(read_err(t, LS_ERR_PARSE, "trace_tree"), at + 1);
  free(t);
  /* a function's name that is no string */
  t = traced_with("11,1,4,3,30,2", "11,1,44,3,30,2", NULL);
  read_err(t, LS_ERR_PARSE, "trace function info string 44");
  free(t);
  /* an info cut short */
  t = traced_with(" 11,1,4,3,30,2]", " 11,1,4]", NULL);
  read_err(t, LS_ERR_PARSE, "values per trace function info");
  free(t);
  /* a trace id too large for its column */
  t = traced_with("3,1,3,32,0,3,0", "3,1,3,32,0,4294967296,0", &at);
  assert_int_equal(read_err(t, LS_ERR_PARSE, "trace_node_id"), at + 11);
  free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_mini_columns),
      cmocka_unit_test(test_every_split),
      cmocka_unit_test(test_string_escapes),
      cmocka_unit_test(test_generic_meta),
    cmocka_unit_test(test_wide_values_widen_columns),
      cmocka_unit_test(test_edge_types_packed_or_not),
      cmocka_unit_test(test_gzip_detected_by_content),
      cmocka_unit_test(test_errors_have_offsets),
      cmocka_unit_test(test_bad_values),
      cmocka_unit_test(test_trace_tree),
      cmocka_unit_test(test_trace_errors),
      cmocka_unit_test(test_huge_declared_counts),
      cmocka_unit_test(test_sticky_error),
      cmocka_unit_test(test_read_file_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
