/*
 * A client of Node's inspector (the Chrome DevTools Protocol over a
 * WebSocket), just what `attach` needs: the target list over HTTP, the
 * WebSocket handshake (ours), the framing (wslay, Debian's libwslay-dev),
 * Runtime.evaluate, and HeapProfiler.takeHeapSnapshot with its chunks
 * handed over one at a time, unescaped, so no snapshot is ever held whole.
 *
 * Loopback only: the host must be a loopback address (127.0.0.0/8, ::1 or
 * "localhost", never looked up in DNS). Every wait has a timeout. Nothing
 * here is global: two clients may run on two threads.
 */
#ifndef LS_SESSION_INSPECTOR_H
#define LS_SESSION_INSPECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "leakscope.h"

typedef struct ls__insp ls__insp;

/* One piece of snapshot text, already unescaped (the bytes V8 wrote). */
typedef ls_status (*ls__insp_chunk_fn)(void *ctx, const char *text, size_t len,
                                       ls_error *err);

/* 1 when `host` names a loopback address we may connect to ("localhost",
 * 127.0.0.0/8, ::1, [::1]). */
int ls__insp_loopback(const char *host);

/* GET http://HOST:PORT/json/version: 0 and Node's version ("v20.1.0") in
 * `version` when an inspector of Node.js answers there; -1 otherwise. */
int ls__insp_probe(const char *host, int port, double timeout, char *version,
                   size_t len);

/* GET http://HOST:PORT/json/list and connect to its first target's
 * webSocketDebuggerUrl. On LS_OK `*out` is the caller's (ls__insp_close).
 * Errors: LS_ERR_IO (nothing listens, not an inspector, a handshake
 * refused), LS_ERR_NOMEM, each with a message naming HOST:PORT. */
ls_status ls__insp_open(const char *host, int port, double timeout,
                        ls__insp **out, ls_error *err);

/* Runtime.evaluate of `expr` (with the console's command-line API, where
 * `require` is, when `command_line_api`), returning by value: its string
 * or number value as text in `value` ("" for others). An exception thrown
 * by `expr` is LS_ERR_PROGRAM with its text; no answer within `timeout`
 * seconds is LS_ERR_IO. */
ls_status ls__insp_evaluate(ls__insp *c, const char *expr, int command_line_api,
                            double timeout, char *value, size_t len, ls_error *err);

/* Any other command, `params` a JSON object: LS_OK once it is answered
 * without an error; errors as ls__insp_evaluate's. */
ls_status ls__insp_command(ls__insp *c, const char *method, const char *params,
                           double timeout, ls_error *err);

/* HeapProfiler.takeHeapSnapshot (V8 collects garbage first): every chunk
 * goes to `fn` in order; returns when V8 answers that the snapshot is
 * complete. `idle` seconds without a byte from the process (V8 reports its
 * progress while it builds the snapshot) is LS_ERR_IO; the connection
 * closing (the process ended) is LS_ERR_PROGRAM; *stop becoming non-zero
 * (may be NULL) is LS_ERR_PROGRAM too, with a message saying so. An error
 * `fn` returns stops it, passed on. `*bytes` (may be NULL) gets the
 * snapshot's size. */
ls_status ls__insp_snapshot(ls__insp *c, ls__insp_chunk_fn fn, void *ctx,
                            double idle, const volatile int *stop,
                            uint64_t *bytes, ls_error *err);

/* Send a close frame (without waiting long for the answer) and close the
 * connection; frees `c` (NULL is fine). */
void ls__insp_close(ls__insp *c);

/* SHA-1 of `len` bytes (FIPS 180-4), for the handshake's accept key. */
void ls__sha1(const void *data, size_t len, uint8_t out[20]);

/* The Sec-WebSocket-Accept value for a Sec-WebSocket-Key (RFC 6455 4.2.2):
 * base64(SHA-1(key + the protocol's GUID)), 28 characters and a NUL. */
void ls__ws_accept(const char *key, char out[29]);

#endif
