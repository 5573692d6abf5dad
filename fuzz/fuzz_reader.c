/* libFuzzer target for the reader: the input is fed in chunks whose sizes
 * come from the first byte, so token splits at every position are tried,
 * and a snapshot that parses is also run through the whole analysis. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "leakscope.h"

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
