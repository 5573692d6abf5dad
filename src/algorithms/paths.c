/* Shortest retainer paths: a BFS tree over non-weak edges, user roots
 * first (see paths.h). One u32 per node, plus the BFS queue while it runs. */
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reader/error.h"

static int is_user_root(const ls_snapshot *s, uint32_t t) {
  if (s->nt.synthetic == LS__NO_TYPE || s->node_type[t] != s->nt.synthetic)
    return 1;
  const char *n = ls__str(s, s->node_name[t]);
  return ls__strlen(s, s->node_name[t]) == 20 &&
         memcmp(n, "(Document DOM trees)", 20) == 0;
}

/* Edges out of compiled code (embedded objects) and the stack's
 * "deoptimization literal" edges (constants of optimised frames) are real
 * but name nothing a user wrote: they are followed only for what no other
 * path reaches. */
static int code_edge(const ls_snapshot *s, uint64_t e) {
  static const char tail[] = "deoptimization literal";
  if (ls__edge_type(s, e) != s->et.internal) return 0;
  uint32_t name = ls__edge_name(s, e);
  if (name >= s->string_count) return 0;
  uint64_t len = ls__strlen(s, name);
  return len >= sizeof tail - 1 &&
         memcmp(ls__str(s, name) + len - (sizeof tail - 1), tail,
                sizeof tail - 1) == 0;
}

static uint64_t bfs(const ls_snapshot *s, uint32_t *parent, uint32_t *queue,
                    uint64_t head, uint64_t len, uint32_t *later,
                    uint64_t *nlater) {
  const int weak = s->et.weak, code = s->nt.code;
  while (head < len) {
    const uint32_t v = queue[head++];
    if (later && s->node_type[v] == code) { /* its edges: in the last pass */
      later[(*nlater)++] = v;
      continue;
    }
    int deferred = 0;
    const uint64_t end = s->first_edge[v + 1];
    for (uint64_t e = s->first_edge[v]; e < end; e++) {
      if ((int)ls__edge_type(s, e) == weak) continue;
      const uint32_t t = ls__edge_to(s, e);
      if (parent[t] != LS__NO_PARENT) continue;
      if (later && code_edge(s, e)) {
        if (!deferred) later[(*nlater)++] = v, deferred = 1;
        continue;
      }
      parent[t] = v;
      queue[len++] = t;
    }
  }
  return len;
}

ls_status ls__path_parents(const ls_snapshot *s, uint32_t *parent,
                           ls_error *err) {
  const uint64_t n = s->node_count;
  const uint32_t root = s->root_ordinal;
  if (n == 0 || root >= n)
    return ls__set_error(err, LS_ERR_PARSE, LS_NO_OFFSET,
                         "the snapshot has no root node");
  /* `later` holds the nodes whose code edges were put off; each node is
   * visited once, so it needs at most n entries */
  uint32_t *queue = malloc(n * sizeof *queue);
  uint32_t *later = malloc(n * sizeof *later);
  if (!queue || !later) {
    free(queue);
    free(later);
    return ls__set_error(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                         "out of memory finding retainer paths");
  }
  memset(parent, 0xff, n * sizeof *parent);
  parent[root] = root;
  uint64_t len = 0, nlater = 0;
  const int weak = s->et.weak;
  for (uint64_t e = s->first_edge[root]; e < s->first_edge[root + 1]; e++) {
    const uint32_t t = ls__edge_to(s, e);
    if ((int)ls__edge_type(s, e) == weak || parent[t] != LS__NO_PARENT ||
        !is_user_root(s, t))
      continue;
    parent[t] = root;
    queue[len++] = t;
  }
  len = bfs(s, parent, queue, 0, len, later, &nlater);
  /* then everything else, from the root */
  uint64_t head = len;
  queue[len++] = root;
  len = bfs(s, parent, queue, head, len, later, &nlater);
  /* last, what only compiled code or deoptimization literals reach: from
   * the nodes whose such edges were put off, now following them */
  memcpy(queue, later, nlater * sizeof *queue);
  bfs(s, parent, queue, 0, nlater, NULL, NULL);
  free(queue);
  free(later);
  return LS_OK;
}

uint64_t ls__path_edge(const ls_snapshot *s, const uint32_t *parent,
                       uint32_t v) {
  const uint32_t p = parent[v];
  uint64_t any = UINT64_MAX;
  for (uint64_t e = s->first_edge[p]; e < s->first_edge[p + 1]; e++)
    if (ls__edge_to(s, e) == v && (int)ls__edge_type(s, e) != s->et.weak) {
      if (!code_edge(s, e)) return e;
      if (any == UINT64_MAX) any = e;
    }
  return any;
}

char *ls__edge_label(const ls_snapshot *s, uint64_t e) {
  const int t = ls__edge_type(s, e);
  const uint32_t name = ls__edge_name(s, e);
  char *out;
  if (t == s->et.element || t == s->et.hidden) {
    out = malloc(16);
    if (out) snprintf(out, 16, "[%u]", name);
    return out;
  }
  if (name >= s->string_count) { /* the reader checks; stay safe anyway */
    out = malloc(16);
    if (out) snprintf(out, 16, "#%u", name);
    return out;
  }
  uint64_t len = ls__strlen(s, name);
  out = malloc(len + 1);
  if (out) memcpy(out, ls__str(s, name), len + 1);
  return out;
}
