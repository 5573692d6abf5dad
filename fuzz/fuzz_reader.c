/* libFuzzer target for the reader: the input is fed in chunks whose sizes
 * come from the first byte, so token splits at every position are tried,
 * and a snapshot that parses is also run through the whole analysis. The
 * tokenizer's two-thread integer path (forced on, cut where the second byte
 * says) must give what its serial path gives. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "leakscope.h"
#include "reader/builder.h"

/* Tokenizer + builder fed like the reader feeds plain JSON. */
static ls_status direct(const uint8_t *data, size_t size, size_t step,
                        size_t split, size_t at, ls_error *err,
                        ls_snapshot **out) {
  *out = NULL;
  ls__builder *b = ls__builder_new(err);
  ls__json *j = b ? ls__json_new(&ls__builder_handler, b, err) : NULL;
  if (!j) {
    ls__builder_free(b);
    return LS_ERR_NOMEM;
  }
  ls__builder_attach(b, j);
  ls__json_set_split_threshold(j, split);
  ls__json_set_split_point(j, at);
  ls_status st = LS_OK;
  for (size_t i = 0; i < size && st == LS_OK; i += step)
    st = ls__json_feed(j, data + i, size - i < step ? size - i : step);
  if (st == LS_OK) st = ls__json_finish(j);
  if (st == LS_OK) st = ls__builder_finish(b, ls__json_offset(j), out);
  ls__json_free(j);
  ls__builder_free(b);
  return st;
}

/* ids and self sizes, through the columns' accessors (32 or 64 bits) */
static int differ_col(const ls_snapshot *a, const ls_snapshot *b) {
  for (uint64_t v = 0; v < a->node_count; v++)
    if (ls__node_id(a, v) != ls__node_id(b, v) ||
        ls__node_self(a, v) != ls__node_self(b, v))
      return 1;
  return 0;
}

/* memcmp that allows empty (NULL) columns */
static int differ(const void *a, const void *b, size_t n) {
  return n && memcmp(a, b, n) != 0;
}

static void split_vs_serial(const uint8_t *data, size_t size, size_t step) {
  if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) return; /* gzip */
  size_t at = size >= 2 ? data[1] % 64 : 0; /* 0: the balanced cut */
  ls_error e1, e2;
  memset(&e1, 0, sizeof e1);
  memset(&e2, 0, sizeof e2);
  ls_snapshot *s1, *s2;
  ls_status a = direct(data, size, step, 0, 0, &e1, &s1);
  ls_status b = direct(data, size, step, 1, at, &e2, &s2);
  if (a != b) __builtin_trap();
  if (a != LS_OK &&
      (strcmp(e1.message, e2.message) || e1.offset != e2.offset))
    __builtin_trap();
  if (a == LS_OK &&
      (s1->node_count != s2->node_count || s1->edge_count != s2->edge_count ||
       differ_col(s1, s2) ||
       !s1->edge_type != !s2->edge_type ||
       differ(s1->edge_to, s2->edge_to, s1->edge_count * 4) ||
       differ(s1->node_name, s2->node_name, s1->node_count * 4)))
    __builtin_trap();
  ls_snapshot_free(s1);
  ls_snapshot_free(s2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ls_error err;
  memset(&err, 0, sizeof err);
  size_t step = size ? (size_t)(data[0] % 61) + 1 : 1;
  ls_reader *r = ls_reader_new(&err);
  if (!r) return 0;
  ls_status st = LS_OK;
  for (size_t i = 0; i < size && st == LS_OK; i += step) {
    size_t n = size - i < step ? size - i : step;
    st = ls_reader_feed(r, data + i, n, &err);
  }
  ls_snapshot *s = NULL;
  if (st == LS_OK) st = ls_reader_finish(r, &s, &err);
  ls_reader_free(r);
  split_vs_serial(data, size, step);
  if (st != LS_OK) {
    /* every failure must carry a message */
    if (!err.message[0]) __builtin_trap();
    return 0;
  }
  ls_heap *h = NULL;
  if (ls_heap_build(s, NULL, &h, &err) == LS_OK) {
    ls_summary *sum = NULL;
    if (ls_summary_build(h, 0, &sum, &err) == LS_OK) ls_summary_free(sum);
    ls_top *top = NULL;
    if (ls_top_build(h, 10, &top, &err) == LS_OK) ls_top_free(top);
    /* the other analyses of one heap: paths (to a class and to the root),
     * the handle audit, a diff of the heap against itself */
    ls_paths *p = NULL;
    if (ls_paths_build(h, "Object", 3, &p, &err) == LS_OK) ls_paths_free(p);
    if (ls_paths_build(h, "@1", 1, &p, &err) == LS_OK) ls_paths_free(p);
    ls_handles *hs = NULL;
    if (ls_handles_build(h, &hs, &err) == LS_OK) ls_handles_free(hs);
    ls_digest *d = NULL;
    if (ls_digest_build(h, &d, &err) == LS_OK) {
      ls_diff *df = NULL;
      if (ls_diff_build(d, h, &df, &err) == LS_OK) ls_diff_free(df);
      ls_digest_free(d);
    }
    ls_heap_free(h);
  }
  return 0;
}
