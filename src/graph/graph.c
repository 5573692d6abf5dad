/*
 * Graph layer: node flags (user roots, page-owned, detached) and the reverse
 * CSR over the edges that count for dominators, with DevTools' rules
 * (JSHeapSnapshot.markPageOwnedNodes, propagateDOMState,
 * HeapSnapshot.computeIsEssentialEdge).
 */
#include "graph.h"

#include "../reader/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Does `p[0..len)` end with " @<digits>)"? Returns the length left before
 * " @", or -1. The digit run is the maximal one before ')', so it must be
 * preceded by '@' directly. */
static int64_t strip_at_id(const char *p, uint64_t len) {
  if (len < 4 || p[len - 1] != ')') return -1;
  uint64_t i = len - 1;
  while (i > 0 && is_digit(p[i - 1])) i--;
  if (i == len - 1 || i < 2 || p[i - 1] != '@' || p[i - 2] != ' ') return -1;
  return (int64_t)(i - 2);
}

#define LIT(x) x, (sizeof(x) - 1)
static int has_at(const char *p, uint64_t len, uint64_t at, const char *lit,
                  size_t n) {
  return at <= len && len - at >= n && memcmp(p + at, lit, n) == 0;
}

/* DevTools matches /^\d+( \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\)
 * pair in WeakMap \(table @(\d+)\))$/ where '.' excludes line terminators.
 * The anchors fix the table id; the two free parts only need one split. */
int ls__weakmap_edge_name(const ls_snapshot *s, uint32_t str,
                          uint64_t *table_id, uint64_t *dup_off) {
  const char *p = ls__str(s, str);
  uint64_t len = ls__strlen(s, str);
  static const char tail[] = " pair in WeakMap (table @";
  static const char mid[] = ") -> value (";
  static const char head[] = " / part of key (";
  /* cheap rejection first: most internal edge names are short words */
  if (len < 60 || !is_digit(p[0]) || p[len - 1] != ')') return 0;
  uint64_t i = 0;
  while (i < len && is_digit(p[i])) i++;
  uint64_t start = i;
  if (!has_at(p, len, i, LIT(head))) return 0;
  i += sizeof head - 1;
  for (uint64_t k = start; k < len; k++) {
    unsigned char c = (unsigned char)p[k];
    if (c == '\n' || c == '\r') return 0;
    if (c == 0xE2 && k + 2 < len && (unsigned char)p[k + 1] == 0x80 &&
        ((unsigned char)p[k + 2] == 0xA8 || (unsigned char)p[k + 2] == 0xA9))
      return 0; /* U+2028, U+2029 */
  }
  /* "... pair in WeakMap (table @<digits>)" at the end */
  uint64_t j = len - 1;
  while (j > 0 && is_digit(p[j - 1])) j--;
  if (j == len - 1 || j < i + sizeof tail - 1) return 0;
  uint64_t tpos = j - (sizeof tail - 1);
  if (memcmp(p + tpos, tail, sizeof tail - 1) != 0) return 0;
  uint64_t id = 0;
  for (uint64_t k = j; k < len - 1; k++) {
    unsigned d = (unsigned)(p[k] - '0');
    if (id > (UINT64_MAX - 1 - d) / 10) {
      id = UINT64_MAX;
      break;
    }
    id = id * 10 + d;
  }
  /* middle: "<a> @<d>) -> value (<b> @<d>)" */
  const char *m = p + i;
  int64_t ml = strip_at_id(m, tpos - i);
  if (ml < 0) return 0;
  for (uint64_t k = 0; k + (sizeof mid - 1) <= (uint64_t)ml; k++) {
    if (m[k] != ')' || memcmp(m + k, mid, sizeof mid - 1) != 0) continue;
    /* the part before this ") -> value (" must end with " @<digits>" */
    if (strip_at_id(m, k + 1) >= 0) {
      *table_id = id;
      *dup_off = start;
      return 1;
    }
  }
  return 0;
}

static int is_type(int t, uint8_t v) { return t == (int)v; }

/* DevTools' propagateDOMState, reduced to what leakscope needs: which native
 * nodes end up detached (and so renamed "Detached ..."). Attached state
 * spreads first, then detached, both through native nodes only, over edges
 * that are not hidden or weak. Each node is handled once, so the attached
 * stack (from the front) and the detached stack (from the back) share one
 * array of node_count entries. */
static ls_status mark_detached(const ls_snapshot *s, uint8_t *flags,
                               ls_error *err) {
  const uint8_t *st = s->node_detachedness;
  uint64_t n = s->node_count;
  if (!st) return LS_OK;
  uint64_t v;
  for (v = 0; v < n && !st[v]; v++) {
  }
  if (v == n) return LS_OK; /* nothing known: nothing to propagate */
  enum { SEEN = 0x80 };     /* temporary flag bit, cleared below */
  uint32_t *stack = malloc(n * sizeof *stack);
  if (!stack)
    return ls__set_error(err, LS_ERR_NOMEM, LS_NO_OFFSET, "out of memory propagating DOM state");
  uint64_t att = 0, det = n; /* att grows up, det grows down */
  const int native = s->nt.native;
#define VISIT(node, state)                                                   \
  do {                                                                       \
    uint32_t x_ = (node);                                                    \
    if (flags[x_] & SEEN) break;                                             \
    flags[x_] |= SEEN;                                                       \
    if (!is_type(native, s->node_type[x_])) break;                           \
    if ((state) == 1)                                                        \
      stack[att++] = x_;                                                     \
    else if ((state) == 2) {                                                 \
      flags[x_] |= LS__NF_DETACHED;                                          \
      stack[--det] = x_;                                                     \
    }                                                                        \
  } while (0)
  for (v = 0; v < n; v++)
    if (st[v]) VISIT((uint32_t)v, st[v]);
  const int hid = s->et.hidden, weak = s->et.weak;
  while (att > 0) {
    uint32_t x = stack[--att];
    for (uint64_t e = s->first_edge[x]; e < s->first_edge[x + 1]; e++) {
      uint8_t t = ls__edge_type(s, e);
      if (is_type(hid, t) || is_type(weak, t)) continue;
      VISIT(ls__edge_to(s, e), 1);
    }
  }
  while (det < n) {
    uint32_t x = stack[det++];
    for (uint64_t e = s->first_edge[x]; e < s->first_edge[x + 1]; e++) {
      uint8_t t = ls__edge_type(s, e);
      if (is_type(hid, t) || is_type(weak, t)) continue;
      VISIT(ls__edge_to(s, e), 2);
    }
  }
#undef VISIT
  for (v = 0; v < n; v++) flags[v] &= (uint8_t)~SEEN;
  free(stack);
  return LS_OK;
}

/* User roots (DevTools' JSHeapSnapshot.isUserRoot on the root's edges) and
 * page-owned nodes (markPageOwnedNodes: entry points are the targets of the
 * root's shortcut edges and "(Document DOM trees)" reached by an element
 * edge; everything reachable from them over non-weak edges). */
static ls_status mark_roots(const ls_snapshot *s, ls__graph *g,
                            ls_error *err) {
  uint8_t *flags = g->flags;
  uint32_t root = s->root_ordinal;
  const int syn = s->nt.synthetic;
  const int shortcut = s->et.shortcut, element = s->et.element,
            weak = s->et.weak;
  uint32_t *stack = NULL;
  uint64_t len = 0;
  for (uint64_t e = s->first_edge[root]; e < s->first_edge[root + 1]; e++) {
    uint32_t t = ls__edge_to(s, e);
    int dom_trees = is_type(syn, s->node_type[t]) &&
                    LS__STR_IS(s, s->node_name[t], "(Document DOM trees)");
    if (!is_type(syn, s->node_type[t]) || dom_trees) {
      flags[t] |= LS__NF_USER_ROOT;
      g->has_user_roots = 1;
    }
    uint8_t et = ls__edge_type(s, e);
    if (is_type(shortcut, et) || (is_type(element, et) && dom_trees)) {
      if (flags[t] & LS__NF_PAGE_OBJECT) continue;
      if (!stack && !(stack = malloc(s->node_count * sizeof *stack)))
        return ls__set_error(err, LS_ERR_NOMEM, LS_NO_OFFSET, "out of memory marking page objects");
      flags[t] |= LS__NF_PAGE_OBJECT;
      stack[len++] = t;
    }
  }
  while (len > 0) {
    uint32_t x = stack[--len];
    for (uint64_t e = s->first_edge[x]; e < s->first_edge[x + 1]; e++) {
      uint32_t t = ls__edge_to(s, e);
      if ((flags[t] & LS__NF_PAGE_OBJECT) || is_type(weak, ls__edge_type(s, e)))
        continue;
      flags[t] |= LS__NF_PAGE_OBJECT;
      stack[len++] = t;
    }
  }
  free(stack);
  return LS_OK;
}

/* Essential-edge bits (computeIsEssentialEdge) and, in the same pass, the
 * held bit of each edge's target. */
static ls_status mark_essential(const ls_snapshot *s, ls__graph *g,
                                ls_error *err) {
  const uint64_t n = s->node_count;
  const uint32_t root = s->root_ordinal;
  const int weak = s->et.weak, shortcut = s->et.shortcut,
            internal = s->et.internal;
  const uint8_t *flags = g->flags;
  uint64_t *bits = g->essential, *held = g->held;
  for (uint64_t v = 0; v < n; v++) {
    const int from_page = flags[v] & LS__NF_PAGE_OBJECT;
    const uint64_t end = s->first_edge[v + 1];
    for (uint64_t e = s->first_edge[v]; e < end; e++) {
      uint8_t t = ls__edge_type(s, e);
      uint32_t to = ls__edge_to(s, e);
      if (is_type(weak, t) || to == v) continue;
      if (v != root) {
        /* shortcuts only mean "user global" at the root; an edge into the
         * page's objects from outside them (e.g. the debugger) would hide
         * the page's own dominators */
        if (is_type(shortcut, t)) continue;
        if ((flags[to] & LS__NF_PAGE_OBJECT) && !from_page) continue;
      }
      if (is_type(internal, t)) {
        /* the table's copy of a WeakMap key->value edge: the key's copy is
         * the one that counts */
        uint64_t table, off;
        uint32_t name = ls__edge_name(s, e);
        if (name >= s->string_count)
          return ls__set_error(err, LS_ERR_PARSE, LS_NO_OFFSET,
                      "edge %llu: name %u is not a string index",
                      (unsigned long long)e, name);
        if (ls__weakmap_edge_name(s, name, &table, &off) &&
            table == ls__node_id(s, v))
          continue;
      }
      bits[e >> 6] |= (uint64_t)1 << (e & 63);
      held[to >> 6] |= (uint64_t)1 << (to & 63);
    }
  }
  return LS_OK;
}

ls_status ls__graph_flags(const ls_snapshot *s, ls__graph *g, ls_error *err) {
  if (!g)
    return ls__set_error(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls__graph_flags: NULL graph");
  memset(g, 0, sizeof *g);
  if (!s)
    return ls__set_error(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls__graph_flags: NULL snapshot");
  g->s = s;
  const uint64_t n = s->node_count;
  if (n == 0 || s->root_ordinal >= n)
    return ls__set_error(err, LS_ERR_PARSE, LS_NO_OFFSET,
                         "the snapshot has no root node");
  if (n > (uint64_t)UINT32_MAX - 1)
    return ls__set_error(err, LS_ERR_LIMIT, LS_NO_OFFSET,
                         "too many nodes (%llu)", (unsigned long long)n);
  ls_status st;
  g->flags = calloc(n, 1);
  if (!g->flags)
    st = ls__set_error(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                       "out of memory for the flags of %llu nodes",
                       (unsigned long long)n);
  else if ((st = mark_roots(s, g, err)) == LS_OK)
    st = mark_detached(s, g->flags, err);
  if (st != LS_OK) ls__graph_free(g);
  return st;
}

ls_status ls__graph_essential(ls__graph *g, ls_error *err) {
  const ls_snapshot *s = g->s;
  const uint64_t n = s->node_count, m = s->edge_count;
  ls_status st;
  g->essential = calloc(m / 64 + 1, sizeof *g->essential);
  g->held = calloc(n / 64 + 1, sizeof *g->held);
  if (!g->essential || !g->held)
    st = ls__set_error(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                       "out of memory marking the essential edges of %llu "
                       "nodes and %llu edges",
                       (unsigned long long)n, (unsigned long long)m);
  else
    st = mark_essential(s, g, err);
  if (st != LS_OK) {
    free(g->essential);
    free(g->held);
    g->essential = g->held = NULL;
  }
  return st;
}

ls_status ls__graph_build(const ls_snapshot *s, ls__graph *g, ls_error *err) {
  ls_status st = ls__graph_flags(s, g, err);
  if (st == LS_OK && (st = ls__graph_essential(g, err)) != LS_OK)
    ls__graph_free(g);
  return st;
}

void ls__graph_free(ls__graph *g) {
  if (!g) return;
  free(g->flags);
  free(g->essential);
  free(g->held);
  g->flags = NULL;
  g->essential = NULL;
  g->held = NULL;
}
