/*
 * One snapshot on its way from a running process into a trend stream:
 * chunks of .heapsnapshot JSON -> the push reader (and, when asked, a tee
 * file) -> a heap (as trend reads files: raw sizes, no distances) -> the
 * stream, and the heap freed. The JSON text is never held whole. Used by
 * run (chunks from the preload's pipe) and attach (chunks from the
 * inspector over WebSocket). One sink per snapshot, one thread at a time.
 */
#ifndef LS_SESSION_SINK_H
#define LS_SESSION_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "leakscope.h"

typedef struct ls__sink ls__sink;

/* Begin a snapshot. `tee` (may be NULL): also write the bytes to this
 * file, created or truncated, mode 0600. On LS_OK *out is the caller's:
 * ended with ls__sink_end or ls__sink_abort. */
ls_status ls__sink_begin(const char *tee, ls__sink **out, ls_error *err);

/* The next chunk. An error (bad JSON, a full disk) is kept: later feeds
 * and the end return it again. */
ls_status ls__sink_feed(ls__sink *k, const void *buf, size_t len, ls_error *err);

/* Bytes fed so far. */
uint64_t ls__sink_bytes(const ls__sink *k);

/* The snapshot is complete: finish the reader, build the heap, add it to
 * `ts` (label, time, work, runnable as ls_trend_stream_add), free it. The
 * sink is freed in every case; on an error the tee file is removed. */
ls_status ls__sink_end(ls__sink *k, ls_trend_stream *ts, const char *label, double time,
                       double work, double runnable, ls_error *err);

/* The snapshot was cut short: free the sink, remove its tee file. */
void ls__sink_abort(ls__sink *k);

/* A whole snapshot file into `ts` the same way (signal mode). */
ls_status ls__sink_file(const char *path, ls_trend_stream *ts, const char *label,
                        double time, double work, double runnable, ls_error *err);

#endif
