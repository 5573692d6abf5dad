/*
 * Snapshot builder: turns the tokenizer's events into an ls_snapshot. It
 * knows the layout of a V8 heap snapshot (meta first, then nodes, edges,
 * ..., strings), reads the field and type lists from snapshot.meta, and
 * validates every value as it arrives so an error names its byte.
 */
#ifndef LS_READER_BUILDER_H
#define LS_READER_BUILDER_H

#include "json.h"
#include "snapshot.h"

typedef struct ls__builder ls__builder;

/* NULL when out of memory. `err` is caller owned and receives errors. */
ls__builder *ls__builder_new(ls_error *err);
/* The tokenizer handler; ctx is the builder. */
extern const ls__json_handler ls__builder_handler;
/* Give the builder its tokenizer (it switches integer columns and the
 * string sink on it). */
void ls__builder_attach(ls__builder *b, ls__json *j);
/* After the tokenizer finished without error: final checks. On LS_OK the
 * caller owns *out (ls_snapshot_free); the builder gives it up. */
ls_status ls__builder_finish(ls__builder *b, uint64_t input_bytes,
                             ls_snapshot **out);
void ls__builder_free(ls__builder *b);

#endif
