/*
 * Node's inspector over a WebSocket (inspector.h). The HTTP requests and
 * the handshake are ours (a few lines each); wslay does the framing
 * (masking, fragments, control frames). Messages are small JSON objects
 * except the snapshot's chunks: each is parsed by the repo's tokenizer
 * (src/reader/json.c), which unescapes the chunk's string on the way.
 */
#define _GNU_SOURCE /* getrandom, strcasestr */
#include "inspector.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>
#include <wslay/wslay.h>

#include "../reader/error.h"
#include "../reader/json.h"
#include "watch.h" /* ls__now */

#define fail(e, code, ...) ls__set_error((e), (code), LS_NO_OFFSET, __VA_ARGS__)

#define HTTP_MAX (1u << 20)       /* a /json/list answer is a few hundred bytes */
#define MSG_MAX (256u << 20)      /* a protocol message (a chunk is ~100 KB) */
#define POLL_MS 200               /* how often *stop is looked at */

struct ls__insp {
  int fd;
  char where[80]; /* "127.0.0.1:9229", for messages */
  wslay_event_context_ptr ws;
  uint8_t pre[4096]; /* bytes after the handshake's headers */
  size_t pre_len, pre_off;
  int eof, io_errno;
  uint64_t next_id;
  double last_byte; /* when a byte last came in */
  /* the message being dispatched */
  uint64_t want_id; /* the answer waited for */
  int got_answer;
  ls__insp_chunk_fn chunk_fn;
  void *chunk_ctx;
  uint64_t chunk_bytes;
  ls_status cb_status; /* a failure inside a callback */
  ls_error *cb_err;
  /* what the answer held */
  char value[256];
  int has_error, has_exception;
  char error[300];
};

/* ---- SHA-1 and base64, for the handshake ------------------------------ */

static uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

static void sha1_block(uint32_t h[5], const uint8_t *p) {
  uint32_t w[80];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
           (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 80; i++) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
  for (int i = 0; i < 80; i++) {
    uint32_t f, k;
    if (i < 20) f = (b & c) | (~b & d), k = 0x5A827999;
    else if (i < 40) f = b ^ c ^ d, k = 0x6ED9EBA1;
    else if (i < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
    else f = b ^ c ^ d, k = 0xCA62C1D6;
    uint32_t t = rol(a, 5) + f + e + k + w[i];
    e = d, d = c, c = rol(b, 30), b = a, a = t;
  }
  h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
}

void ls__sha1(const void *data, size_t len, uint8_t out[20]) {
  uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  const uint8_t *p = data;
  size_t n = len;
  for (; n >= 64; p += 64, n -= 64) sha1_block(h, p);
  uint8_t last[128] = {0};
  memcpy(last, p, n);
  last[n] = 0x80;
  size_t total = n + 9 <= 64 ? 64 : 128; /* the length's 8 bytes must fit */
  uint64_t bits = (uint64_t)len * 8;
  for (int i = 0; i < 8; i++) last[total - 1 - i] = (uint8_t)(bits >> (8 * i));
  sha1_block(h, last);
  if (total == 128) sha1_block(h, last + 64);
  for (int i = 0; i < 20; i++) out[i] = (uint8_t)(h[i / 4] >> (24 - 8 * (i % 4)));
}

static void base64(const uint8_t *in, size_t n, char *out) {
  static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t o = 0;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
                 (i + 2 < n ? in[i + 2] : 0);
    out[o++] = abc[v >> 18 & 63];
    out[o++] = abc[v >> 12 & 63];
    out[o++] = i + 1 < n ? abc[v >> 6 & 63] : '=';
    out[o++] = i + 2 < n ? abc[v & 63] : '=';
  }
  out[o] = 0;
}

void ls__ws_accept(const char *key, char out[29]) {
  char buf[128];
  int n = snprintf(buf, sizeof buf, "%.60s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key);
  uint8_t d[20];
  ls__sha1(buf, (size_t)n, d);
  base64(d, 20, out);
}

/* ---- sockets ----------------------------------------------------------- */

int ls__insp_loopback(const char *host) {
  if (!host) return 0;
  if (!strcmp(host, "localhost")) return 1;
  struct in_addr a4;
  struct in6_addr a6;
  if (inet_pton(AF_INET, host, &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
  char h[64];
  size_t l = strlen(host);
  if (l >= 2 && l < sizeof h && host[0] == '[' && host[l - 1] == ']') {
    memcpy(h, host + 1, l - 2);
    h[l - 2] = 0;
    host = h;
  }
  return inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

/* "HOST:PORT" as an HTTP Host header and a URL write it: an IPv6 literal
 * in brackets ("[::1]:9229"; Node's inspector refuses "::1:9229", its DNS
 * rebinding check finding no IP address there). */
static void hostport(const char *host, int port, char *out, size_t len) {
  if (strchr(host, ':') && host[0] != '[') snprintf(out, len, "[%s]:%d", host, port);
  else snprintf(out, len, "%s:%d", host, port);
}

/* Connect with a timeout; the socket is left non-blocking. -1 with errno. */
static int dial(const char *host, int port, double timeout) {
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  socklen_t sl;
  char h[64];
  snprintf(h, sizeof h, "%s", !strcmp(host, "localhost") ? "127.0.0.1" : host);
  size_t l = strlen(h);
  if (l >= 2 && h[0] == '[' && h[l - 1] == ']') memmove(h, h + 1, l - 2), h[l - 2] = 0;
  struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
  struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
  if (inet_pton(AF_INET, h, &s4->sin_addr) == 1) {
    s4->sin_family = AF_INET;
    s4->sin_port = htons((uint16_t)port);
    sl = sizeof *s4;
  } else if (inet_pton(AF_INET6, h, &s6->sin6_addr) == 1) {
    s6->sin6_family = AF_INET6;
    s6->sin6_port = htons((uint16_t)port);
    sl = sizeof *s6;
  } else {
    errno = EINVAL;
    return -1;
  }
  int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  if (connect(fd, (struct sockaddr *)&ss, sl) == 0) return fd;
  if (errno != EINPROGRESS) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  struct pollfd p = {fd, POLLOUT, 0};
  int r;
  do r = poll(&p, 1, (int)(timeout * 1000));
  while (r < 0 && errno == EINTR);
  int soerr = 0;
  socklen_t el = sizeof soerr;
  if (r <= 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &el) || soerr) {
    close(fd);
    errno = r == 0 ? ETIMEDOUT : soerr ? soerr : errno;
    return -1;
  }
  return fd;
}

static int send_all(int fd, const char *p, size_t n, double deadline) {
  while (n) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w > 0) {
      p += w, n -= (size_t)w;
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno != EAGAIN) return -1;
    struct pollfd pf = {fd, POLLOUT, 0};
    double left = deadline - ls__now();
    if (left <= 0 || poll(&pf, 1, (int)(left * 1000) + 1) == 0) {
      errno = ETIMEDOUT;
      return -1;
    }
  }
  return 0;
}

/* Read an HTTP answer's head (up to the blank line) and, when `body` is
 * set, its body (by Content-Length, else to the end). `buf` gets all of
 * it, NUL-ended; `*head_len` the head's length. -1 with errno. */
static int read_http(int fd, char *buf, size_t cap, size_t *len, size_t *head_len,
                     int body, double deadline) {
  size_t n = 0, want = 0;
  *head_len = 0;
  for (;;) {
    if (*head_len && (!body || (want && n >= want))) break;
    if (n + 1 >= cap) {
      errno = EMSGSIZE;
      return -1;
    }
    struct pollfd pf = {fd, POLLIN, 0};
    double left = deadline - ls__now();
    int r = left > 0 ? poll(&pf, 1, (int)(left * 1000) + 1) : 0;
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      errno = ETIMEDOUT;
      return -1;
    }
    /* without a body wanted, read only the head: WebSocket frames follow */
    ssize_t got = recv(fd, buf + n, *head_len || body ? cap - 1 - n : 1, 0);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got < 0) return -1;
    if (got == 0) {
      if (*head_len && body && !want) break; /* to the end */
      errno = ECONNRESET;
      return -1;
    }
    n += (size_t)got;
    buf[n] = 0;
    if (!*head_len) {
      char *e = strstr(buf, "\r\n\r\n");
      if (e) {
        *head_len = (size_t)(e - buf) + 4;
        char *cl = strcasestr(buf, "\r\nContent-Length:");
        if (cl && cl < e) want = *head_len + strtoul(cl + 17, NULL, 10);
        if (cl && cl < e && want == *head_len) break; /* empty body */
      }
    }
  }
  *len = n;
  buf[n] = 0;
  return 0;
}

/* GET PATH from HOST:PORT: the body (malloc'd) when the status is 200. */
static ls_status http_get(const char *host, int port, const char *path, double timeout,
                          char **body, ls_error *err) {
  *body = NULL;
  double deadline = ls__now() + timeout;
  char hp[96];
  hostport(host, port, hp, sizeof hp);
  int fd = dial(host, port, timeout);
  if (fd < 0)
    return fail(err, LS_ERR_IO, "cannot connect to %s: %s", hp, strerror(errno));
  char req[512];
  /* Node's inspector accepts only an IP address or localhost as Host
   * (DNS rebinding protection) */
  int rl = snprintf(req, sizeof req,
                    "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, hp);
  char *buf = malloc(HTTP_MAX);
  size_t len = 0, head = 0;
  if (!buf) {
    close(fd);
    return fail(err, LS_ERR_NOMEM, "out of memory");
  }
  if (send_all(fd, req, (size_t)rl, deadline) ||
      read_http(fd, buf, HTTP_MAX, &len, &head, 1, deadline)) {
    int e = errno;
    close(fd);
    free(buf);
    return fail(err, LS_ERR_IO, "GET http://%s%s: %s", hp, path, strerror(e));
  }
  close(fd);
  int code = 0;
  if (sscanf(buf, "HTTP/1.%*d %d", &code) != 1 || code != 200) {
    buf[strcspn(buf, "\r\n")] = 0;
    ls_status st = fail(err, LS_ERR_IO,
                        "GET http://%s%s: the answer is '%.80s' (expected HTTP 200 "
                        "from Node's inspector)", hp, path, buf);
    free(buf);
    return st;
  }
  memmove(buf, buf + head, len - head + 1);
  *body = buf;
  return LS_OK;
}

/* ---- small JSON look-ups (the HTTP answers) --------------------------- */

typedef struct {
  const char *key; /* the first string value of this key, at any depth */
  char *out;
  size_t len;
  int found;
  const char *last_key;
  char keybuf[64];
} find_key;

static ls_status find_event(void *ctx, ls__jtok tok, const ls__jvalue *v, uint32_t depth,
                            uint64_t offset) {
  (void)depth, (void)offset;
  find_key *f = ctx;
  if (tok == LS__JT_KEY) {
    snprintf(f->keybuf, sizeof f->keybuf, "%.*s", (int)(v->len < 63 ? v->len : 63), v->str);
    f->last_key = f->keybuf;
    return LS_OK;
  }
  if (tok == LS__JT_STRING && !f->found && f->last_key && !strcmp(f->last_key, f->key)) {
    snprintf(f->out, f->len, "%.*s", (int)(v->len < f->len ? v->len : f->len - 1), v->str);
    f->found = 1;
  }
  f->last_key = NULL;
  return LS_OK;
}

static int json_string(const char *text, const char *key, char *out, size_t len) {
  ls_error e;
  find_key f = {key, out, len, 0, NULL, ""};
  static const ls__json_handler h = {find_event, NULL, NULL};
  ls__json *j = ls__json_new(&h, &f, &e);
  if (!j) return -1;
  ls_status st = ls__json_feed(j, (const uint8_t *)text, strlen(text));
  if (st == LS_OK) st = ls__json_finish(j);
  ls__json_free(j);
  return st == LS_OK && f.found ? 0 : -1;
}

int ls__insp_probe(const char *host, int port, double timeout, char *version, size_t len) {
  char *body = NULL;
  ls_error e;
  char browser[64];
  if (http_get(host, port, "/json/version", timeout, &body, &e) != LS_OK) return -1;
  int ok = json_string(body, "Browser", browser, sizeof browser) == 0 &&
           !strncmp(browser, "node.js/", 8);
  free(body);
  if (ok) snprintf(version, len, "%s", browser + 8);
  return ok ? 0 : -1;
}

/* ---- the WebSocket (wslay's callbacks) -------------------------------- */

static ssize_t ws_recv(wslay_event_context_ptr ws, uint8_t *buf, size_t len, int flags,
                       void *user) {
  (void)flags;
  ls__insp *c = user;
  if (c->cb_status != LS_OK) { /* a message handler failed: stop reading */
    wslay_event_set_error(ws, WSLAY_ERR_CALLBACK_FAILURE);
    return -1;
  }
  if (c->pre_off < c->pre_len) {
    size_t n = c->pre_len - c->pre_off < len ? c->pre_len - c->pre_off : len;
    memcpy(buf, c->pre + c->pre_off, n);
    c->pre_off += n;
    return (ssize_t)n;
  }
  ssize_t r;
  do r = recv(c->fd, buf, len, 0);
  while (r < 0 && errno == EINTR);
  if (r > 0) {
    c->last_byte = ls__now();
    return r;
  }
  if (r < 0 && errno == EAGAIN) {
    wslay_event_set_error(ws, WSLAY_ERR_WOULDBLOCK);
    return -1;
  }
  if (r == 0) c->eof = 1;
  else c->io_errno = errno;
  wslay_event_set_error(ws, WSLAY_ERR_CALLBACK_FAILURE);
  return -1;
}

static ssize_t ws_send(wslay_event_context_ptr ws, const uint8_t *data, size_t len,
                       int flags, void *user) {
  (void)flags;
  ls__insp *c = user;
  ssize_t r;
  do r = send(c->fd, data, len, MSG_NOSIGNAL);
  while (r < 0 && errno == EINTR);
  if (r >= 0) return r;
  if (errno == EAGAIN) wslay_event_set_error(ws, WSLAY_ERR_WOULDBLOCK);
  else c->io_errno = errno, wslay_event_set_error(ws, WSLAY_ERR_CALLBACK_FAILURE);
  return -1;
}

static int ws_mask(wslay_event_context_ptr ws, uint8_t *buf, size_t len, void *user) {
  (void)ws, (void)user;
  return getrandom(buf, len, 0) == (ssize_t)len ? 0 : -1;
}

/* One message's envelope: {"id":N,"result":{...}} or {"method":M,"params":
 * {...}}. Keys are followed to depth 3 (result.result.value). */
typedef struct {
  ls__insp *c;
  char keys[4][32]; /* the key of each open object, by depth */
  uint64_t id;
  int has_id;
  char method[64];
} envelope;

static int is_chunk(const envelope *m) {
  return !strcmp(m->method, "HeapProfiler.addHeapSnapshotChunk");
}

static ls_status msg_event(void *ctx, ls__jtok tok, const ls__jvalue *v, uint32_t depth,
                           uint64_t offset) {
  (void)offset;
  envelope *m = ctx;
  ls__insp *c = m->c;
  if (tok == LS__JT_KEY) {
    if (depth >= 1 && depth <= 4)
      snprintf(m->keys[depth - 1], sizeof m->keys[0], "%.*s",
               (int)(v->len < 31 ? v->len : 31), v->str);
    return LS_OK;
  }
  if (depth < 1 || depth > 4) return LS_OK;
  const char *k1 = m->keys[0], *k = m->keys[depth - 1];
  if (tok == LS__JT_OBJ_BEGIN || tok == LS__JT_ARR_BEGIN) {
    if (depth <= 2 && !strcmp(k1, "result") && !strcmp(k, "exceptionDetails"))
      c->has_exception = m->has_id && m->id == c->want_id;
    if (depth == 1 && !strcmp(k, "error") && m->has_id && m->id == c->want_id)
      c->has_error = 1;
    if (depth < 4) m->keys[depth][0] = 0;
    return LS_OK;
  }
  if (depth == 1 && !strcmp(k, "id") && tok == LS__JT_NUMBER && v->is_uint) {
    m->id = v->u;
    m->has_id = 1;
  } else if (depth == 1 && !strcmp(k, "method") && tok == LS__JT_STRING) {
    snprintf(m->method, sizeof m->method, "%.*s", (int)(v->len < 63 ? v->len : 63), v->str);
  } else if (depth == 2 && !strcmp(k1, "params") && !strcmp(k, "chunk") &&
             tok == LS__JT_STRING) {
    if (!is_chunk(m) || !c->chunk_fn) return LS_OK; /* not ours: ignored */
    c->chunk_bytes += v->len;
    return c->chunk_fn(c->chunk_ctx, v->str, (size_t)v->len, c->cb_err);
  } else if (m->has_id && m->id == c->want_id && (tok == LS__JT_STRING || tok == LS__JT_NUMBER)) {
    if (depth == 2 && !strcmp(k1, "error") && !strcmp(k, "message"))
      snprintf(c->error, sizeof c->error, "%.*s", (int)(v->len < 299 ? v->len : 299), v->str);
    else if (depth == 3 && !strcmp(k1, "result") && !strcmp(m->keys[1], "result") &&
             !strcmp(k, "value"))
      snprintf(c->value, sizeof c->value, "%.*s", (int)(v->len < 255 ? v->len : 255), v->str);
    else if (depth == 3 && !strcmp(k1, "result") && !strcmp(m->keys[1], "exceptionDetails") &&
             !strcmp(k, "text") && !c->error[0])
      snprintf(c->error, sizeof c->error, "%.*s", (int)(v->len < 299 ? v->len : 299), v->str);
    else if (depth == 4 && !strcmp(k1, "result") && !strcmp(m->keys[1], "exceptionDetails") &&
             !strcmp(m->keys[2], "exception") && !strcmp(k, "description"))
      snprintf(c->error, sizeof c->error, "%.*s", (int)(v->len < 299 ? v->len : 299), v->str);
  }
  return LS_OK;
}

static void ws_message(wslay_event_context_ptr ws, const struct wslay_event_on_msg_recv_arg *a,
                       void *user) {
  (void)ws;
  ls__insp *c = user;
  if (c->cb_status != LS_OK || a->opcode != WSLAY_TEXT_FRAME) return;
  envelope m;
  memset(&m, 0, sizeof m);
  m.c = c;
  static const ls__json_handler h = {msg_event, NULL, NULL};
  ls_error jerr;
  memset(&jerr, 0, sizeof jerr);
  ls__json *j = ls__json_new(&h, &m, &jerr);
  if (!j) {
    c->cb_status = fail(c->cb_err, LS_ERR_NOMEM, "out of memory");
    return;
  }
  ls_status st = ls__json_feed(j, a->msg, a->msg_length);
  if (st == LS_OK) st = ls__json_finish(j);
  ls__json_free(j);
  if (st != LS_OK) {
    /* a failure of the chunk's consumer is already in cb_err */
    if (jerr.code != LS_OK)
      fail(c->cb_err, LS_ERR_IO, "%s: a protocol message is not JSON (byte %llu: %s)",
           c->where, (unsigned long long)jerr.offset, jerr.message);
    c->cb_status = st == LS_ERR_PARSE ? LS_ERR_IO : st;
    return;
  }
  if (m.has_id && m.id == c->want_id) c->got_answer = 1;
}

/* Send a command and pump until its answer (or a failure). `idle`: the
 * longest wait without a byte; `total`: the longest in all (0: none). */
static ls_status call(ls__insp *c, const char *method, const char *params, double idle,
                      double total, const volatile int *stop, ls_error *err) {
  char *msg = NULL;
  size_t ml = strlen(params) + strlen(method) + 64;
  if (!(msg = malloc(ml))) return fail(err, LS_ERR_NOMEM, "out of memory");
  c->want_id = ++c->next_id;
  c->got_answer = c->has_error = c->has_exception = 0;
  c->value[0] = c->error[0] = 0;
  c->cb_status = LS_OK;
  c->cb_err = err;
  int n = snprintf(msg, ml, "{\"id\":%llu,\"method\":\"%s\",\"params\":%s}",
                   (unsigned long long)c->want_id, method, params);
  struct wslay_event_msg wm = {WSLAY_TEXT_FRAME, (const uint8_t *)msg, (size_t)n};
  int q = wslay_event_queue_msg(c->ws, &wm);
  free(msg);
  if (q) return fail(err, q == WSLAY_ERR_NOMEM ? LS_ERR_NOMEM : LS_ERR_IO,
                     "%s: cannot send %s (the connection is closing)", c->where, method);
  const double start = ls__now();
  c->last_byte = start;
  while (!c->got_answer) {
    if (stop && *stop)
      return fail(err, LS_ERR_PROGRAM, "stopped while waiting for %s", method);
    struct pollfd p = {c->fd, POLLIN, 0};
    if (wslay_event_want_write(c->ws)) p.events |= POLLOUT;
    int r = poll(&p, 1, POLL_MS);
    if (r < 0 && errno != EINTR) return fail(err, LS_ERR_SYSTEM, "poll: %s", strerror(errno));
    if (r > 0 && (p.revents & POLLOUT) && wslay_event_send(c->ws) && !c->eof && c->io_errno)
      return fail(err, LS_ERR_PROGRAM, "%s: the connection failed (%s) during %s", c->where,
                  strerror(c->io_errno), method);
    if (r > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
      int rr = wslay_event_recv(c->ws);
      if (c->cb_status != LS_OK) return c->cb_status;
      if (c->got_answer) break;
      if (c->eof || c->io_errno)
        return fail(err, LS_ERR_PROGRAM, "%s: the connection closed during %s (%s)",
                    c->where, method, c->eof ? "the process ended or closed its inspector"
                                             : strerror(c->io_errno));
      if (rr)
        return fail(err, LS_ERR_IO, "%s: a WebSocket protocol error during %s (wslay %d)",
                    c->where, method, rr);
      if (!wslay_event_want_read(c->ws))
        return fail(err, LS_ERR_PROGRAM, "%s: the inspector closed the connection during %s",
                    c->where, method);
    }
    const double t = ls__now();
    if (t - c->last_byte > idle)
      return fail(err, LS_ERR_IO, "%s: no answer to %s within %.0f s (is the program's "
                  "main thread stuck outside JavaScript?)", c->where, method, idle);
    if (total > 0 && t - start > total)
      return fail(err, LS_ERR_IO, "%s: no answer to %s within %.0f s", c->where, method,
                  total);
  }
  if (c->has_error)
    return fail(err, LS_ERR_IO, "%s: %s failed: %s", c->where, method,
                c->error[0] ? c->error : "(no message)");
  return LS_OK;
}

/* ---- connecting -------------------------------------------------------- */

/* ws://HOST:PORT/PATH: the path, when the host is the one we asked. */
static int ws_path(const char *url, char *path, size_t len) {
  if (strncmp(url, "ws://", 5)) return -1;
  const char *p = strchr(url + 5, '/');
  if (!p || strlen(p) >= len) return -1;
  strcpy(path, p);
  return 0;
}

ls_status ls__insp_open(const char *host, int port, double timeout, ls__insp **out,
                        ls_error *err) {
  *out = NULL;
  if (!ls__insp_loopback(host))
    return fail(err, LS_ERR_INVALID_ARG, "%s: not a loopback address (attach connects to "
                "127.0.0.1, ::1 or localhost only)", host);
  char where[80];
  hostport(host, port, where, sizeof where);
  char *body = NULL;
  ls_status st = http_get(host, port, "/json/list", timeout, &body, err);
  if (st != LS_OK) return st;
  char url[512], path[512];
  int ok = json_string(body, "webSocketDebuggerUrl", url, sizeof url) == 0 &&
           ws_path(url, path, sizeof path) == 0;
  free(body);
  if (!ok)
    return fail(err, LS_ERR_IO, "%s/json/list names no debugging target (expected a "
                "webSocketDebuggerUrl: is a debugger already attached to every target?)",
                where);
  ls__insp *c = calloc(1, sizeof *c);
  if (!c) return fail(err, LS_ERR_NOMEM, "out of memory");
  snprintf(c->where, sizeof c->where, "%s", where);
  double deadline = ls__now() + timeout;
  if ((c->fd = dial(host, port, timeout)) < 0) {
    st = fail(err, LS_ERR_IO, "cannot connect to %s: %s", c->where, strerror(errno));
    free(c);
    return st;
  }
  uint8_t nonce[16];
  char key[32], accept[29], req[1024];
  if (getrandom(nonce, sizeof nonce, 0) != (ssize_t)sizeof nonce) {
    st = fail(err, LS_ERR_SYSTEM, "getrandom: %s", strerror(errno));
    goto bad;
  }
  base64(nonce, sizeof nonce, key);
  ls__ws_accept(key, accept);
  int rl = snprintf(req, sizeof req,
                    "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: "
                    "Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
                    path, c->where, key);
  size_t len = 0, head = 0;
  char ans[4096];
  if (send_all(c->fd, req, (size_t)rl, deadline) ||
      read_http(c->fd, ans, sizeof ans, &len, &head, 0, deadline)) {
    st = fail(err, LS_ERR_IO, "%s: the WebSocket handshake failed: %s", c->where,
              strerror(errno));
    goto bad;
  }
  int code = 0;
  const char *acc = strcasestr(ans, "\r\nSec-WebSocket-Accept:");
  if (acc) acc += 23;
  while (acc && *acc == ' ') acc++;
  if (sscanf(ans, "HTTP/1.1 %d", &code) != 1 || code != 101 || !acc ||
      strncmp(acc, accept, 28)) {
    ans[strcspn(ans, "\r\n")] = 0;
    st = fail(err, LS_ERR_IO, "%s: the WebSocket handshake was refused ('%.80s'%s)", c->where,
              ans, code == 101 ? ", with a wrong Sec-WebSocket-Accept" : "");
    goto bad;
  }
  memcpy(c->pre, ans + head, len - head); /* read_http stops at the head */
  c->pre_len = len - head;
  struct wslay_event_callbacks cb = {ws_recv, ws_send, ws_mask, NULL, NULL, NULL, ws_message};
  if (wslay_event_context_client_init(&c->ws, &cb, c)) {
    st = fail(err, LS_ERR_NOMEM, "out of memory");
    goto bad;
  }
  wslay_event_config_set_max_recv_msg_length(c->ws, MSG_MAX);
  *out = c;
  return LS_OK;
bad:
  close(c->fd);
  free(c);
  return st;
}

ls_status ls__insp_evaluate(ls__insp *c, const char *expr, int command_line_api,
                            double timeout, char *value, size_t len, ls_error *err) {
  /* the expression as a JSON string */
  size_t el = strlen(expr);
  char *params = malloc(el * 6 + 128);
  if (!params) return fail(err, LS_ERR_NOMEM, "out of memory");
  size_t o = (size_t)sprintf(params, "{\"expression\":\"");
  for (const char *p = expr; *p; p++) {
    unsigned char ch = (unsigned char)*p;
    if (ch == '"' || ch == '\\') params[o++] = '\\', params[o++] = (char)ch;
    else if (ch < 0x20) o += (size_t)sprintf(params + o, "\\u%04x", ch);
    else params[o++] = (char)ch;
  }
  sprintf(params + o, "\",\"returnByValue\":true,\"includeCommandLineAPI\":%s}",
          command_line_api ? "true" : "false");
  ls_status st = call(c, "Runtime.evaluate", params, timeout, timeout, NULL, err);
  free(params);
  if (st != LS_OK) return st;
  if (c->has_exception)
    return fail(err, LS_ERR_PROGRAM, "%s: the expression threw: %s", c->where,
                c->error[0] ? c->error : "(no text)");
  if (value) snprintf(value, len, "%s", c->value);
  return LS_OK;
}

ls_status ls__insp_command(ls__insp *c, const char *method, const char *params,
                           double timeout, ls_error *err) {
  return call(c, method, params, timeout, timeout, NULL, err);
}

ls_status ls__insp_snapshot(ls__insp *c, ls__insp_chunk_fn fn, void *ctx, double idle,
                            const volatile int *stop, uint64_t *bytes, ls_error *err) {
  c->chunk_fn = fn;
  c->chunk_ctx = ctx;
  c->chunk_bytes = 0;
  /* reportProgress: V8 says how far it is while it builds the snapshot,
   * before the first chunk, which keeps the idle timer from firing */
  ls_status st = call(c, "HeapProfiler.takeHeapSnapshot",
                      "{\"reportProgress\":true,\"captureNumericValue\":false}", idle, 0,
                      stop, err);
  c->chunk_fn = NULL;
  if (bytes) *bytes = c->chunk_bytes;
  return st;
}

void ls__insp_close(ls__insp *c) {
  if (!c) return;
  if (c->ws) {
    /* a polite close frame; the peer's answer is not waited for long */
    if (!c->eof && !c->io_errno && wslay_event_queue_close(c->ws, 1000, NULL, 0) == 0) {
      double until = ls__now() + 1.0;
      while (wslay_event_want_write(c->ws) && ls__now() < until) {
        struct pollfd p = {c->fd, POLLOUT, 0};
        if (poll(&p, 1, 100) > 0 && wslay_event_send(c->ws)) break;
      }
    }
    wslay_event_context_free(c->ws);
  }
  if (c->fd >= 0) close(c->fd);
  free(c);
}
