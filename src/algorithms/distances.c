/*
 * Distances from the roots, as DevTools computes them
 * (HeapSnapshot.calculateDistances + bfs, with JSHeapSnapshot's edge filter):
 * a BFS from the user roots at distance 1, then one from the root for what
 * is left (starting at LS__BASE_SYSTEM_DISTANCE when there are user roots).
 * Weak edges are never followed; the filter is asked only about edges to
 * nodes that have no distance yet, which matters for its WeakMap rule.
 */
#include "distances.h"

#include "../graph/hashmap.h"
#include "../reader/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Set of ephemeron-edge names (their part after the leading index) seen once
 * and waiting for their twin. Names are never removed: `live` toggles. */
typedef struct {
  const ls_snapshot *s;
  ls__intern parts;
  uint8_t *live; /* per part */
  size_t cap;    /* of live */
} pending_set;

/* DevTools: `if (!pending.delete(part)) { pending.add(part); skip }`.
 * Returns 1 when the edge is to be skipped, 0 when followed, -1 on OOM. */
static int pending_toggle(pending_set *ps, uint32_t str, uint32_t off) {
  const ls_snapshot *s = ps->s;
  uint32_t i;
  int r = ls__intern_add(&ps->parts, ls__str(s, str) + off,
                         ls__strlen(s, str) - off, &i);
  if (r < 0) return -1;
  if (r == 0) {
    ps->live[i] = !ps->live[i];
    return ps->live[i]; /* was there: deleted, follow; else added, skip */
  }
  if (i >= ps->cap) {
    size_t cap = ps->cap ? ps->cap * 2 : 64;
    while (cap <= i) cap *= 2;
    uint8_t *live = realloc(ps->live, cap);
    if (!live) return -1;
    ps->live = live;
    ps->cap = cap;
  }
  ps->live[i] = 1;
  return 1;
}

/* JavaScript's parseInt(name, 10) % 3 and `< 2` test, as DevTools uses it
 * for "(map descriptors)" edges: returns 1 when the edge is followed
 * (`index < 2 || index % 3 !== 1`, NaN included). */
static int descriptor_edge_followed(const char *p, uint64_t len) {
  uint64_t i = 0;
  for (;;) { /* StrWhiteSpaceChar, the common ones */
    if (i < len && (p[i] == ' ' || (p[i] >= '\t' && p[i] <= '\r'))) {
      i++;
    } else if (i + 1 < len && (unsigned char)p[i] == 0xC2 &&
               (unsigned char)p[i + 1] == 0xA0) {
      i += 2; /* U+00A0 */
    } else if (i + 2 < len && (unsigned char)p[i] == 0xEF &&
               (unsigned char)p[i + 1] == 0xBB &&
               (unsigned char)p[i + 2] == 0xBF) {
      i += 3; /* U+FEFF */
    } else if (i + 2 < len && (unsigned char)p[i] == 0xE2 &&
               (((unsigned char)p[i + 1] == 0x80 &&
                 ((unsigned char)p[i + 2] <= 0x8A ||
                  (unsigned char)p[i + 2] == 0xA8 ||
                  (unsigned char)p[i + 2] == 0xA9 ||
                  (unsigned char)p[i + 2] == 0xAF)) ||
                ((unsigned char)p[i + 1] == 0x81 &&
                 (unsigned char)p[i + 2] == 0x9F))) {
      i += 3; /* U+2000..200A, U+2028, U+2029, U+202F, U+205F */
    } else if (i + 2 < len && (unsigned char)p[i] == 0xE3 &&
               (unsigned char)p[i + 1] == 0x80 &&
               (unsigned char)p[i + 2] == 0x80) {
      i += 3; /* U+3000 */
    } else if (i + 2 < len && (unsigned char)p[i] == 0xE1 &&
               (unsigned char)p[i + 1] == 0x9A &&
               (unsigned char)p[i + 2] == 0x80) {
      i += 3; /* U+1680 */
    } else {
      break;
    }
  }
  int neg = 0;
  if (i < len && (p[i] == '+' || p[i] == '-')) neg = p[i++] == '-';
  uint64_t d0 = i;
  while (i < len && p[i] >= '0' && p[i] <= '9') i++;
  uint64_t nd = i - d0;
  if (nd == 0) return 1; /* NaN */
  if (neg) return 1;     /* negative (or -0) < 2 */
  if (nd <= 18) {
    uint64_t x = 0;
    for (uint64_t k = d0; k < i; k++) x = x * 10 + (uint64_t)(p[k] - '0');
    return x < 2 || x % 3 != 1;
  }
  /* beyond 2^53 JavaScript works on the rounded double */
  char buf[400];
  if (nd >= sizeof buf) return 1; /* parses to Infinity: % 3 is NaN */
  memcpy(buf, p + d0, nd);
  buf[nd] = 0;
  double x = strtod(buf, NULL);
  if (isinf(x)) return 1;
  return fmod(x, 3.0) != 1.0;
}

typedef struct {
  const ls__graph *g;
  uint32_t *dist;
  uint32_t *queue;
  pending_set pending;
  int et_weak, et_internal, et_element, et_hidden;
  int nt_hidden, nt_array;
} bfs_ctx;

/* JSHeapSnapshot.calculateDistances' filter. 1 = follow, 0 = skip, -1 OOM */
static int follow(bfs_ctx *c, uint64_t e, int v_kind) {
  const ls_snapshot *s = c->g->s;
  const uint8_t t = ls__edge_type(s, e);
  const int named = (int)t != c->et_element && (int)t != c->et_hidden;
  const uint32_t name = ls__edge_name(s, e);
  if (v_kind == 1 && named && LS__STR_IS(s, name, "sloppy_function_map"))
    return 0; /* hidden "system / NativeContext" */
  if (v_kind == 2) { /* array "(map descriptors)": skip descriptor links */
    if (!named) return name < 2 || name % 3 != 1;
    return descriptor_edge_followed(ls__str(s, name), ls__strlen(s, name));
  }
  if ((int)t == c->et_internal) {
    uint64_t table, off;
    if (ls__weakmap_edge_name(s, name, &table, &off)) {
      int r = pending_toggle(&c->pending, name, (uint32_t)off);
      return r < 0 ? -1 : !r;
    }
  }
  return 1;
}

static int bfs(bfs_ctx *c, uint64_t len) {
  const ls_snapshot *s = c->g->s;
  uint32_t *dist = c->dist, *q = c->queue;
  uint64_t head = 0;
  while (head < len) {
    const uint32_t v = q[head++];
    const uint32_t d = dist[v] + 1;
    const int nt = s->node_type[v];
    int kind = 0; /* nodes whose edges DevTools' filter looks at */
    if (nt == c->nt_hidden &&
        LS__STR_IS(s, s->node_name[v], "system / NativeContext"))
      kind = 1;
    else if (nt == c->nt_array &&
             LS__STR_IS(s, s->node_name[v], "(map descriptors)"))
      kind = 2;
    const uint64_t end = s->first_edge[v + 1];
    for (uint64_t e = s->first_edge[v]; e < end; e++) {
      const uint8_t t = ls__edge_type(s, e);
      if ((int)t == c->et_weak) continue;
      const uint32_t to = ls__edge_to(s, e);
      if (dist[to] != LS__NO_DISTANCE) continue;
      if (kind || (int)t == c->et_internal) {
        int f = follow(c, e, kind);
        if (f < 0) return -1;
        if (!f) continue;
      }
      dist[to] = d;
      q[len++] = to;
    }
  }
  return 0;
}

ls_status ls__distances(const ls__graph *g, uint32_t *out, uint32_t *scratch,
                        ls_error *err) {
  if (!g || !g->s || !out)
    return ls__set_error(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET, "ls__distances: NULL argument");
  const ls_snapshot *s = g->s;
  const uint64_t n = s->node_count;
  const uint32_t root = s->root_ordinal;
  bfs_ctx c;
  memset(&c, 0, sizeof c);
  c.g = g;
  c.dist = out;
  c.pending.s = s;
  c.et_weak = s->et.weak;
  c.et_internal = s->et.internal;
  c.et_element = s->et.element;
  c.et_hidden = s->et.hidden;
  c.nt_hidden = s->nt.hidden;
  c.nt_array = s->nt.array;
  c.queue = scratch ? scratch : malloc((n ? n : 1) * sizeof *c.queue);
  if (!c.queue)
    return ls__set_error(err, LS_ERR_NOMEM, LS_NO_OFFSET, "out of memory computing distances");
  for (uint64_t v = 0; v < n; v++) out[v] = LS__NO_DISTANCE;

  /* user roots first, all at distance 1 */
  uint64_t len = 0;
  for (uint64_t e = s->first_edge[root]; e < s->first_edge[root + 1]; e++) {
    uint32_t t = ls__edge_to(s, e);
    if (!(g->flags[t] & LS__NF_USER_ROOT) || out[t] == 1) continue;
    out[t] = 1;
    c.queue[len++] = t;
  }
  int rc = bfs(&c, len);
  if (rc == 0) {
    /* then whatever is left, from the root */
    out[root] = len > 0 ? LS__BASE_SYSTEM_DISTANCE : 0;
    c.queue[0] = root;
    rc = bfs(&c, 1);
  }
  if (!scratch) free(c.queue);
  ls__intern_free(&c.pending.parts);
  free(c.pending.live);
  if (rc < 0) return ls__set_error(err, LS_ERR_NOMEM, LS_NO_OFFSET, "out of memory computing distances");
  return LS_OK;
}
