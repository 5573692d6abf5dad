/*
 * leakscope — read V8 heap snapshots and find what leaks.
 *
 * The one public header. Every name here starts with ls_ (internals use ls__
 * or static). Memory rule, for every function below: whatever a function
 * returns through an out-pointer is owned by the caller and freed with the
 * matching ls_*_free(); everything passed in stays owned by the caller.
 *
 * Errors: functions return an ls_status and, when `err` is not NULL, fill it
 * with a message, the byte offset in the input (when the error is about the
 * input) and the status. The caller owns the ls_error (usually on the stack).
 */
#ifndef LEAKSCOPE_H
#define LEAKSCOPE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LS_VERSION "0.1.0"

typedef enum ls_status {
  LS_OK = 0,
  LS_ERR_INVALID_ARG, /* caller error: NULL pointer, bad option value */
  LS_ERR_IO,          /* file missing, unreadable, a directory, read failure */
  LS_ERR_PARSE,       /* input is not a valid heap snapshot */
  LS_ERR_NOMEM,       /* out of memory */
  LS_ERR_LIMIT        /* input exceeds a hard limit of this build */
} ls_status;

#define LS_NO_OFFSET UINT64_MAX

typedef struct ls_error {
  ls_status code;
  /* Byte offset in the (decompressed) snapshot text where the problem was
   * found, or LS_NO_OFFSET when the error is not about a position. */
  uint64_t offset;
  char message[512];
} ls_error;

/* Short constant name of a status ("parse error", ...). Never NULL. */
const char *ls_status_str(ls_status s);

/* Exit code a command-line frontend should use for a status:
 * 2 for usage/input errors, 3 for memory/resource failures. */
int ls_status_exit_code(ls_status s);

/* ------------------------------------------------------------------------ */
/* Reader: bytes -> snapshot                                                */
/* ------------------------------------------------------------------------ */

typedef struct ls_snapshot ls_snapshot; /* see src/reader/snapshot.h */
typedef struct ls_reader ls_reader;

/* Progress callback: `done` bytes of input consumed out of `total` (0 when
 * unknown). Called at most a few times per second of work. */
typedef void (*ls_progress_fn)(void *ctx, const char *phase, uint64_t done,
                               uint64_t total);

/* Create a push-style reader. Feed it chunks of a .heapsnapshot file (plain
 * JSON or gzip, detected from the first bytes) in order, then finish it.
 * Returns NULL and fills `err` when out of memory. Free with ls_reader_free. */
ls_reader *ls_reader_new(ls_error *err);

/* Feed `len` bytes. After an error the reader refuses further input and the
 * same error is returned again. */
ls_status ls_reader_feed(ls_reader *r, const void *buf, size_t len,
                         ls_error *err);

/* Signal end of input and take the snapshot. On LS_OK `*out` is a snapshot
 * the caller frees with ls_snapshot_free; the reader must still be freed. */
ls_status ls_reader_finish(ls_reader *r, ls_snapshot **out, ls_error *err);

/* Free a reader (NULL is fine). */
void ls_reader_free(ls_reader *r);

/* Read a whole file (or "-" for stdin) with a reader. `progress` may be NULL.
 * On LS_OK the caller owns `*out` (ls_snapshot_free). */
ls_status ls_snapshot_read_file(const char *path, ls_snapshot **out,
                                ls_progress_fn progress, void *progress_ctx,
                                ls_error *err);

/* Free a snapshot and everything it owns (NULL is fine). */
void ls_snapshot_free(ls_snapshot *s);

uint64_t ls_snapshot_node_count(const ls_snapshot *s);
uint64_t ls_snapshot_edge_count(const ls_snapshot *s);

/* ------------------------------------------------------------------------ */
/* Analysis: graph + dominators + class aggregates                          */
/* ------------------------------------------------------------------------ */

typedef struct ls_heap ls_heap; /* snapshot + graph + dominators */

typedef struct ls_heap_options {
  /* 0: self sizes as DevTools shows them (owned hidden/array nodes moved
   * onto their single owner when the snapshot has user roots).
   * 1: the raw per-node self sizes written by V8. */
  int raw_sizes;
  ls_progress_fn progress;
  void *progress_ctx;
} ls_heap_options;

/* Analyse a snapshot: reverse edges, class names, dominator tree, retained
 * sizes, distances. Takes ownership of `s` (freed with the heap, also on
 * failure). On LS_OK the caller owns `*out` (ls_heap_free). `opts` may be
 * NULL for defaults. */
ls_status ls_heap_build(ls_snapshot *s, const ls_heap_options *opts,
                        ls_heap **out, ls_error *err);

/* Read a file and analyse it in one step (ls_snapshot_read_file +
 * ls_heap_build). Caller owns `*out`. */
ls_status ls_heap_load(const char *path, const ls_heap_options *opts,
                       ls_heap **out, ls_error *err);

void ls_heap_free(ls_heap *h);

/* Totals as DevTools shows them in its status line. */
typedef struct ls_heap_totals {
  uint64_t node_count;
  uint64_t edge_count;
  uint64_t total_size; /* retained size of the root + extra_native_bytes */
} ls_heap_totals;

void ls_heap_totals_get(const ls_heap *h, ls_heap_totals *out);

/* One row of the summary (a class, as in DevTools' Summary view). */
typedef struct ls_class_row {
  const char *name;     /* points into the heap; valid while the heap lives */
  const char *location; /* "script_id,line,column" when DevTools keys this
                           class by its constructor's location, else NULL */
  uint64_t count;       /* instances with a non-zero self size */
  uint64_t self_size;
  uint64_t retained_size; /* instances not dominated by another instance */
} ls_class_row;

typedef struct ls_summary {
  ls_heap_totals totals;
  size_t class_count;   /* all classes, before any limit */
  size_t row_count;     /* rows in `rows` (<= class_count) */
  ls_class_row *rows;   /* sorted by retained size, then self size, name */
} ls_summary;

/* Class summary. `limit` 0 = all rows. Caller frees with ls_summary_free;
 * the rows' strings belong to the heap and must not outlive it. */
ls_status ls_summary_build(const ls_heap *h, size_t limit, ls_summary **out,
                           ls_error *err);
void ls_summary_free(ls_summary *s);

/* One object of the `top` list. */
typedef struct ls_object_row {
  uint64_t id;
  const char *class_name; /* owned by the heap */
  const char *type;       /* V8 node type ("object", "closure", ...) */
  uint64_t self_size;
  uint64_t retained_size;
  uint32_t distance;      /* edges from a root; UINT32_MAX if unreachable */
} ls_object_row;

typedef struct ls_top {
  size_t row_count;
  ls_object_row *rows; /* largest retained size first */
} ls_top;

/* The `n` objects with the largest retained sizes, skipping the root and
 * synthetic nodes. Caller frees with ls_top_free. */
ls_status ls_top_build(const ls_heap *h, size_t n, ls_top **out,
                       ls_error *err);
void ls_top_free(ls_top *t);

#ifdef __cplusplus
}
#endif
#endif /* LEAKSCOPE_H */
