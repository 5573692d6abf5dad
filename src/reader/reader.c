/* ls_reader: push bytes (plain or gzip, told apart by the first two bytes)
 * through the tokenizer into the snapshot builder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "builder.h"
#include "error.h"
#include "json.h"

#define INFLATE_CHUNK (1u << 20)

enum { MODE_UNKNOWN, MODE_PLAIN, MODE_GZIP };

struct ls_reader {
  ls_error err; /* sticky: the first error, reported again */
  ls_status status;
  int mode;
  uint8_t head[2];
  size_t head_n;
  ls__builder *b;
  ls__json *j;
  z_stream z;
  int z_ready;
  int z_end; /* the current gzip member ended */
  uint64_t z_in;
  uint8_t *out;
};

static ls_status sticky(ls_reader *r, ls_error *err) {
  if (err) *err = r->err;
  return r->status;
}

ls_reader *ls_reader_new(ls_error *err) {
  ls_reader *r = calloc(1, sizeof *r);
  if (r) r->b = ls__builder_new(&r->err);
  if (r && r->b) r->j = ls__json_new(&ls__builder_handler, r->b, &r->err);
  if (!r || !r->b || !r->j) {
    ls_reader_free(r);
    ls__set_error(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                  "out of memory creating a reader");
    return NULL;
  }
  ls__builder_attach(r->b, r->j);
  return r;
}

void ls_reader_free(ls_reader *r) {
  if (!r) return;
  if (r->z_ready) inflateEnd(&r->z);
  free(r->out);
  ls__json_free(r->j);
  ls__builder_free(r->b);
  free(r);
}

static ls_status gzip_fail(ls_reader *r, const char *what) {
  r->status = ls__set_error(&r->err, LS_ERR_PARSE, LS_NO_OFFSET,
                            "gzip: %s after %llu compressed bytes (expected "
                            "a complete gzip stream)",
                            what, (unsigned long long)r->z_in);
  return r->status;
}

static ls_status json_feed(ls_reader *r, const uint8_t *p, size_t n) {
  ls_status st = ls__json_feed(r->j, p, n);
  if (st != LS_OK) r->status = st;
  return st;
}

static ls_status gzip_feed(ls_reader *r, const uint8_t *p, size_t n) {
  if (!r->z_ready) {
    memset(&r->z, 0, sizeof r->z);
    if (inflateInit2(&r->z, 16 + MAX_WBITS) != Z_OK)
      return r->status = ls__set_error(&r->err, LS_ERR_NOMEM, LS_NO_OFFSET,
                                       "gzip: cannot initialise zlib");
    r->out = malloc(INFLATE_CHUNK);
    if (!r->out)
      return r->status = ls__set_error(&r->err, LS_ERR_NOMEM, LS_NO_OFFSET,
                                       "out of memory for gzip");
    r->z_ready = 1;
  }
  r->z.next_in = (Bytef *)p;
  r->z.avail_in = (uInt)n;
  for (;;) {
    if (r->z_end) {
      if (r->z.avail_in == 0) break;
      /* concatenated gzip members form one stream (like gzip -d) */
      if (inflateReset(&r->z) != Z_OK) return gzip_fail(r, "cannot restart");
      r->z_end = 0;
    }
    uInt before = r->z.avail_in;
    r->z.next_out = r->out;
    r->z.avail_out = INFLATE_CHUNK;
    int rc = inflate(&r->z, Z_NO_FLUSH);
    r->z_in += before - r->z.avail_in;
    size_t got = INFLATE_CHUNK - r->z.avail_out;
    if (got && json_feed(r, r->out, got) != LS_OK) return r->status;
    if (rc == Z_STREAM_END) {
      r->z_end = 1;
      continue;
    }
    if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_STREAM_ERROR) {
      char what[200];
      snprintf(what, sizeof what, "corrupt compressed data (zlib: %s)",
               r->z.msg ? r->z.msg : "data error");
      return gzip_fail(r, what);
    }
    if (rc == Z_MEM_ERROR)
      return r->status = ls__set_error(&r->err, LS_ERR_NOMEM, LS_NO_OFFSET,
                                       "out of memory in zlib");
    /* output full: zlib may hold more; otherwise stop when input is used */
    if (got == INFLATE_CHUNK) continue;
    if (r->z.avail_in == 0 || (before == r->z.avail_in && got == 0)) break;
  }
  return LS_OK;
}

static ls_status dispatch(ls_reader *r, const uint8_t *p, size_t n) {
  return r->mode == MODE_GZIP ? gzip_feed(r, p, n) : json_feed(r, p, n);
}

ls_status ls_reader_feed(ls_reader *r, const void *buf, size_t len,
                         ls_error *err) {
  if (!r || (!buf && len))
    return ls__set_error(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls_reader_feed: NULL argument");
  if (r->status != LS_OK) return sticky(r, err);
  const uint8_t *p = buf;
  if (r->mode == MODE_UNKNOWN) {
    /* the gzip magic may arrive split over two feeds */
    while (len && r->head_n < 2) {
      r->head[r->head_n++] = *p++;
      len--;
    }
    if (r->head_n < 2) return LS_OK;
    r->mode = r->head[0] == 0x1f && r->head[1] == 0x8b ? MODE_GZIP
                                                       : MODE_PLAIN;
    if (dispatch(r, r->head, 2) != LS_OK) return sticky(r, err);
  }
  if (len && dispatch(r, p, len) != LS_OK) return sticky(r, err);
  return LS_OK;
}

ls_status ls_reader_finish(ls_reader *r, ls_snapshot **out, ls_error *err) {
  if (!r || !out)
    return ls__set_error(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls_reader_finish: NULL argument");
  *out = NULL;
  if (r->status != LS_OK) return sticky(r, err);
  if (r->mode == MODE_UNKNOWN && r->head_n &&
      json_feed(r, r->head, r->head_n) != LS_OK)
    return sticky(r, err);
  if (r->mode == MODE_GZIP && !r->z_end) {
    gzip_fail(r, "the compressed stream is truncated");
    return sticky(r, err);
  }
  if (ls__json_finish(r->j) != LS_OK) {
    r->status = r->err.code;
    return sticky(r, err);
  }
  ls_status st = ls__builder_finish(r->b, ls__json_offset(r->j), out);
  if (st != LS_OK) {
    r->status = st;
    return sticky(r, err);
  }
  return LS_OK;
}
