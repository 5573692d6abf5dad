/*
 * A push-style JSON tokenizer made for heap snapshots: input arrives in
 * chunks of any size (a token may be split anywhere), events go to a
 * handler, and an array the handler marks as an integer column is parsed by
 * a tight loop that hands over batches of unsigned integers instead of one
 * event per number. Strings are decoded (every escape, surrogate pairs to
 * UTF-8) straight into a buffer the handler may choose, so the snapshot's
 * string table is written once.
 */
#ifndef LS_READER_JSON_H
#define LS_READER_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "leakscope.h"

/* Growable byte buffer. */
typedef struct ls__buf {
  char *data;
  uint64_t len, cap;
} ls__buf;

/* Make room for `extra` more bytes; 0 on success, -1 when out of memory. */
int ls__buf_reserve(ls__buf *b, uint64_t extra);

typedef enum ls__jtok {
  LS__JT_OBJ_BEGIN,
  LS__JT_OBJ_END,
  LS__JT_ARR_BEGIN,
  LS__JT_ARR_END,
  LS__JT_KEY,    /* str/len: the key (in the tokenizer's scratch buffer) */
  LS__JT_STRING, /* str/len: the value, in the string sink if one is set */
  LS__JT_NUMBER, /* is_uint/u: value when a non-negative integer < 2^64 */
  LS__JT_LITERAL /* true, false or null (str: the word) */
} ls__jtok;

typedef struct ls__jvalue {
  const char *str;
  uint64_t len;
  int is_uint;
  uint64_t u;
} ls__jvalue;

#define LS__INT_BATCH 4096

typedef struct ls__json_handler {
  /* One event. `depth` is the nesting depth of the token's container (0 at
   * top level; an OBJ_BEGIN at depth d opens depth d+1). `offset` is the
   * byte offset of the token's first byte. Return LS_OK or an error (with
   * the error filled through the tokenizer's ls_error). */
  ls_status (*event)(void *ctx, ls__jtok tok, const ls__jvalue *v,
                     uint32_t depth, uint64_t offset);
  /* A batch of values of an integer column: values[i] started at byte
   * offsets[i] and is element `first_index + i` of the array. */
  ls_status (*ints)(void *ctx, const uint64_t *values,
                    const uint64_t *offsets, size_t n, uint64_t first_index);
  /* Describe element `index` of the current integer column for an error
   * message, e.g. "edges[5] (to_node of edge 1)". */
  void (*describe)(void *ctx, uint64_t index, char *buf, size_t size);
} ls__json_handler;

typedef struct ls__json ls__json;

/* Returns NULL when out of memory. `err` (caller owned, not NULL) receives
 * every error of this tokenizer; free with ls__json_free. */
ls__json *ls__json_new(const ls__json_handler *h, void *ctx, ls_error *err);
void ls__json_free(ls__json *j);

/* Feed bytes. After an error every further call returns the same status. */
ls_status ls__json_feed(ls__json *j, const uint8_t *p, size_t len);
/* End of input: error unless exactly one complete JSON value was read. */
ls_status ls__json_finish(ls__json *j);

/* Called by the handler during the ARR_BEGIN event of an array whose
 * elements must all be non-negative integers: they arrive through ints(). */
void ls__json_int_column(ls__json *j);
/* Where decoded string VALUES go (keys always use scratch); NULL = scratch
 * (reset per string). The handler owns the sink and its memory. */
void ls__json_string_sink(ls__json *j, ls__buf *sink);
/* Bytes consumed so far. */
uint64_t ls__json_offset(const ls__json *j);

/* A feed with at least this many bytes left in an integer column is parsed
 * on two threads (same results as one); the default is LS__SPLIT_MIN on a
 * machine of two cores or more, 0 (never) otherwise. Internal: for tests. */
#define LS__SPLIT_MIN ((size_t)512 << 10)
void ls__json_set_split_threshold(ls__json *j, size_t bytes);
/* Tests: cut at the first comma this many bytes into the rest of the feed
 * (0 = the balanced default). */
void ls__json_set_split_point(ls__json *j, size_t bytes);

#endif
