/*
 * Digest of one heap: the compact record a diff needs once the heap itself
 * is freed — per counted object its id (sorted), its class name (an index
 * into a table holding each name once) and its DevTools self size. 20 bytes
 * an object, against well over 100 for the heap.
 *
 * Which objects are kept follows DevTools' Comparison view
 * (heap-snapshot-toolkit/thirdparty/devtools-frontend/index.js:
 * aggregatesForDiff -> getAggregatesByClassKey('allObjects') ->
 * buildAggregates with no filter): every node whose self size, as DevTools
 * shows it (after moving owned hidden/array sizes onto their owner), is not
 * zero, of any node type; nothing else.
 */
#include <stdlib.h>
#include <string.h>

#include "digest.h"

/* ---- class names, each stored once ------------------------------------ */

ls_status ls__class_name_map(const ls_heap *h, ls__intern *t, uint32_t **map,
                             ls_error *err) {
  uint32_t nc = h->classes.count;
  uint32_t *m = malloc((nc ? nc : 1) * sizeof *m);
  if (!m) goto oom;
  for (uint32_t c = 0; c < nc; c++) {
    const ls__class *cl = &h->classes.items[c];
    if (ls__intern_add(t, cl->name, cl->name_len, &m[c]) < 0) goto oom;
  }
  *map = m;
  return LS_OK;
oom:
  free(m);
  return ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                       "out of memory collecting class names");
}

/* ---- objects sorted by id ---------------------------------------------- */

/* LSD radix sort, stable. Two forms:
 * - packed: ids below 2^32 (the usual case: V8 hands ids out two by two,
 *   from 1) travel as one word, id << 32 | ordinal, and only the id's
 *   significant bits are sorted, in as few passes of at most RADIX_MAX
 *   bits as cover them (13M objects: 2 or 3 passes);
 * - pairs: any 64-bit id, (id, ordinal) in two arrays, 11-bit digits, the
 *   digits where every id has the same value skipped.
 * Both return -1 when out of memory (the input is then left as it was). */
#define RADIX_MAX 11

static int bit_length(uint64_t x) {
  int b = 0;
  while (x) b++, x >>= 1;
  return b;
}

static int sort_packed(uint64_t **words, uint64_t n, uint64_t max_key) {
  int bits = bit_length(max_key);
  if (!bits || n < 2) return 0;
  int passes = (bits + RADIX_MAX - 1) / RADIX_MAX;
  int w = (bits + passes - 1) / passes;
  size_t size = (size_t)1 << w;
  uint64_t mask = size - 1;
  uint64_t *hist = calloc((size_t)passes * size, sizeof *hist);
  uint64_t *b = malloc((size_t)n * sizeof *b);
  if (!hist || !b) {
    free(hist);
    free(b);
    return -1;
  }
  uint64_t *a = *words;
  for (uint64_t i = 0; i < n; i++) {
    uint64_t k = a[i] >> 32;
    for (int d = 0; d < passes; d++) hist[(size_t)d * size + ((k >> (d * w)) & mask)]++;
  }
  for (int d = 0; d < passes; d++) {
    uint64_t *c = hist + (size_t)d * size, sum = 0;
    for (size_t x = 0; x < size; x++) {
      uint64_t t = c[x];
      c[x] = sum;
      sum += t;
    }
    unsigned shift = 32 + (unsigned)(d * w);
    for (uint64_t i = 0; i < n; i++) {
      uint64_t x = a[i];
      b[c[(x >> shift) & mask]++] = x;
    }
    uint64_t *t = a;
    a = b;
    b = t;
  }
  *words = a;
  free(b);
  free(hist);
  return 0;
}

#define PAIR_BITS 11
#define PAIR_SIZE (1u << PAIR_BITS)
#define PAIR_DIGITS 6
static int sort_pairs(uint64_t **keys, uint32_t **vals, uint64_t n) {
  uint64_t *hist = calloc((size_t)PAIR_DIGITS * PAIR_SIZE, sizeof *hist);
  uint64_t *kb = malloc((size_t)n * sizeof *kb);
  uint32_t *vb = malloc((size_t)n * sizeof *vb);
  if (!hist || !kb || !vb) {
    free(hist);
    free(kb);
    free(vb);
    return -1;
  }
  uint64_t *ka = *keys;
  uint32_t *va = *vals;
  for (uint64_t i = 0; i < n; i++)
    for (int d = 0; d < PAIR_DIGITS; d++)
      hist[(size_t)d * PAIR_SIZE + ((ka[i] >> (d * PAIR_BITS)) & (PAIR_SIZE - 1))]++;
  for (int d = 0; d < PAIR_DIGITS; d++) {
    uint64_t *c = hist + (size_t)d * PAIR_SIZE;
    unsigned shift = (unsigned)d * PAIR_BITS;
    if (c[(ka[0] >> shift) & (PAIR_SIZE - 1)] == n) continue;
    uint64_t sum = 0;
    for (uint32_t x = 0; x < PAIR_SIZE; x++) {
      uint64_t t = c[x];
      c[x] = sum;
      sum += t;
    }
    for (uint64_t i = 0; i < n; i++) {
      uint64_t k = ka[i];
      uint64_t p = c[(k >> shift) & (PAIR_SIZE - 1)]++;
      kb[p] = k;
      vb[p] = va[i];
    }
    uint64_t *tk = ka;
    ka = kb;
    kb = tk;
    uint32_t *tv = va;
    va = vb;
    vb = tv;
  }
  *keys = ka;
  *vals = va;
  free(kb);
  free(vb);
  free(hist);
  return 0;
}

ls_status ls__objects_by_id(const ls_heap *h, uint64_t **ids_out,
                            uint32_t **ord_out, uint64_t *n_out,
                            uint64_t *max_id, int all, ls_error *err) {
  const ls_snapshot *s = h->s;
  uint64_t nodes = s->node_count, n = 0, mx = 0, mx_any = 0, mx_kept = 0;
  int sorted = 1;
  for (uint64_t v = 0; v < nodes; v++) {
    uint64_t id = ls__node_id(s, v);
    if ((id & 1) && id > mx) mx = id;
    if (id > mx_any) mx_any = id;
    if (!all && !ls__self(h, v)) continue;
    n++;
    if (id < mx_kept) sorted = 0;
    else mx_kept = id;
  }
  if (!mx) mx = mx_any;
  uint64_t *ids = malloc((n ? n : 1) * sizeof *ids);
  uint32_t *ord = malloc((n ? n : 1) * sizeof *ord);
  if (!ids || !ord) goto oom;
  uint64_t k = 0;
  if (sorted || mx_kept > UINT32_MAX) {
    for (uint64_t v = 0; v < nodes; v++)
      if (all || ls__self(h, v)) ids[k] = ls__node_id(s, v), ord[k++] = (uint32_t)v;
    if (!sorted && sort_pairs(&ids, &ord, n)) goto oom;
  } else {
    for (uint64_t v = 0; v < nodes; v++)
      if (all || ls__self(h, v)) ids[k++] = ls__node_id(s, v) << 32 | v;
    if (sort_packed(&ids, n, mx_kept)) goto oom;
    for (uint64_t i = 0; i < n; i++) {
      ord[i] = (uint32_t)ids[i];
      ids[i] >>= 32;
    }
  }
  *ids_out = ids;
  *ord_out = ord;
  *n_out = n;
  *max_id = mx;
  return LS_OK;
oom:
  free(ids);
  free(ord);
  return ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                       "out of memory sorting %llu object ids",
                       (unsigned long long)n);
}

/* ---- the digest -------------------------------------------------------- */

ls_status ls_digest_build(const ls_heap *h, ls_digest **out, ls_error *err) {
  if (!h || !out)
    return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls_digest_build: NULL argument");
  *out = NULL;
  ls_digest *d = calloc(1, sizeof *d);
  uint32_t *ord = NULL, *map = NULL;
  ls_status st;
  if (!d) {
    st = ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                       "out of memory building the digest");
    goto fail;
  }
  st = ls__objects_by_id(h, &d->id, &ord, &d->count, &d->max_id, 0, err);
  if (st != LS_OK) goto fail;
  st = ls__class_name_map(h, &d->names, &map, err);
  if (st != LS_OK) goto fail;
  uint64_t n = d->count;
  d->cls = malloc((n ? n : 1) * sizeof *d->cls);
  d->size = malloc((n ? n : 1) * sizeof *d->size);
  if (!d->cls || !d->size) {
    st = ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                       "out of memory building the digest");
    goto fail;
  }
  for (uint64_t i = 0; i < n; i++) {
    uint32_t v = ord[i];
    d->cls[i] = map[h->classes.node_class[v]];
    d->size[i] = ls__self(h, v);
  }
  free(ord);
  free(map);
  ls_heap_totals_get(h, &d->totals);
  *out = d;
  return LS_OK;
fail:
  free(ord);
  free(map);
  ls_digest_free(d);
  return st;
}

void ls_digest_free(ls_digest *d) {
  if (!d) return;
  free(d->id);
  free(d->cls);
  free(d->size);
  ls__intern_free(&d->names);
  free(d);
}
