/* Retainer paths to an object (@ID) or to the instances of a class. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "heap.h"
#include "../algorithms/paths.h"

static const char *type_name(const ls_snapshot *s, uint32_t v) {
  return s->node_type_names[s->node_type[v]];
}

static const char *class_of(const ls_heap *h, uint32_t v) {
  return h->classes.items[h->classes.node_class[v]].name;
}

/* The name a retainer view shows: V8's own name for internal nodes (their
 * class would be a bare "(system)" or "(array)"), functions and native
 * nodes; the class for objects, and for strings, numbers, symbols and the
 * like, whose V8 name is their value (never shown). */
static const char *display_name(const ls_heap *h, uint32_t v) {
  const ls_snapshot *s = h->s;
  const int t = s->node_type[v];
  if (t == s->nt.hidden || t == s->nt.array || t == s->nt.synthetic ||
      t == s->nt.closure || t == s->nt.native || t == s->nt.code ||
      t == s->nt.object_shape) {
    if (ls__strlen(s, s->node_name[v]) > 0 &&
        !(h->s->node_detachedness && s->node_detachedness[v] == 2))
      return ls__str(s, s->node_name[v]);
  }
  return class_of(h, v);
}

void ls__path_steps_free(ls_path_step *steps, size_t n, int own_names) {
  if (!steps) return;
  for (size_t i = 0; i < n; i++) {
    free(steps[i].edge);
    if (own_names) {
      free((char *)steps[i].class_name);
      free((char *)steps[i].type);
      free((char *)steps[i].edge_type);
    }
  }
  free(steps);
}

static char *dup_or_null(const char *s, int *fail) {
  if (!s) return NULL;
  char *d = strdup(s);
  if (!d) *fail = 1;
  return d;
}

int ls__path_step_copy(ls_path_step *dst, const ls_path_step *src) {
  int fail = 0;
  dst->id = src->id;
  dst->class_name = dup_or_null(src->class_name, &fail);
  dst->type = dup_or_null(src->type, &fail);
  dst->edge_type = dup_or_null(src->edge_type, &fail);
  dst->edge = dup_or_null(src->edge, &fail);
  return fail ? -1 : 0;
}

ls_status ls__path_steps(const ls_heap *h, const uint32_t *parent, uint32_t v,
                         int own_names, ls_path_step **out, size_t *count,
                         ls_error *err) {
  const ls_snapshot *s = h->s;
  const uint32_t root = s->root_ordinal;
  *out = NULL;
  *count = 0;
  if (parent[v] == LS__NO_PARENT) return LS_OK; /* unreachable */
  size_t n = 0;
  for (uint32_t x = v; x != root; x = parent[x]) n++;
  const int is_root = n == 0; /* a path of one step: the root itself */
  if (is_root) n = 1;
  ls_path_step *steps = calloc(n, sizeof *steps);
  if (!steps) goto oom;
  size_t i = n;
  for (uint32_t x = v; is_root ? i > 0 : x != root; x = parent[x]) {
    ls_path_step *st = &steps[--i];
    st->id = s->node_id[x];
    const char *cn = display_name(h, x), *ty = type_name(s, x), *et = NULL;
    uint64_t e = UINT64_MAX;
    if (parent[x] != root && x != root) {
      e = ls__path_edge(s, parent, x);
      et = s->edge_type_names[s->edge_type[e]];
      if (!(st->edge = ls__edge_label(s, e))) goto oom_steps;
    }
    if (own_names) { /* fields stay NULL until owned: safe to free */
      if (!(st->class_name = strdup(cn)) || !(st->type = strdup(ty)) ||
          (et && !(st->edge_type = strdup(et))))
        goto oom_steps;
    } else {
      st->class_name = cn;
      st->type = ty;
      st->edge_type = et;
    }
  }
  *out = steps;
  *count = n;
  return LS_OK;
oom_steps:
  ls__path_steps_free(steps, n, own_names);
oom:
  return ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                       "out of memory building a retainer path");
}

/* "@123" -> 123; 0 when the text is not an id. */
static int parse_id(const char *q, uint64_t *id) {
  if (q[0] != '@' || !q[1]) return 0;
  uint64_t x = 0;
  for (const char *p = q + 1; *p; p++) {
    if (*p < '0' || *p > '9' || x > (UINT64_MAX - 9) / 10) return 0;
    x = x * 10 + (uint64_t)(*p - '0');
  }
  *id = x;
  return 1;
}

ls_status ls_paths_build(const ls_heap *h, const char *query, size_t n,
                         ls_paths **out, ls_error *err) {
  if (!h || !query || !out)
    return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls_paths_build: NULL argument");
  *out = NULL;
  const ls_snapshot *s = h->s;
  const uint64_t nodes = s->node_count;
  if (n == 0) n = 1;
  uint32_t *pick = malloc(n * sizeof *pick);
  ls_paths *p = calloc(1, sizeof *p);
  uint32_t *parent = NULL;
  ls_status st = LS_OK;
  if (!pick || !p) goto oom;
  size_t picked = 0;
  uint64_t id;
  if (parse_id(query, &id)) {
    for (uint64_t v = 0; v < nodes; v++)
      if (s->node_id[v] == id) {
        pick[picked++] = (uint32_t)v;
        break;
      }
    if (!picked) {
      st = ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "no object with id %s in the snapshot (expected "
                         "an id shown by 'top' or 'summary --json')",
                         query);
      goto fail;
    }
    p->match_count = 1;
  } else {
    /* the instances of the class with the largest retained sizes: a
     * small selection sort into `pick`, since n is small */
    size_t qlen = strlen(query);
    for (uint64_t v = 0; v < nodes; v++) {
      const ls__class *c = &h->classes.items[h->classes.node_class[v]];
      if (c->name_len != qlen || memcmp(c->name, query, qlen) != 0) continue;
      p->match_count++;
      size_t at = picked < n ? picked++ : n;
      if (at == n) {
        if (h->retained[v] <= h->retained[pick[n - 1]]) continue;
        at = n - 1;
      }
      while (at > 0 && h->retained[pick[at - 1]] < h->retained[v]) {
        pick[at] = pick[at - 1];
        at--;
      }
      pick[at] = (uint32_t)v;
    }
    if (!picked) {
      st = ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "no class named '%s' in the snapshot (expected a "
                         "class name as 'summary' shows it, or @ID)",
                         query);
      goto fail;
    }
  }
  parent = malloc(nodes * sizeof *parent);
  p->paths = calloc(picked, sizeof *p->paths);
  if (!parent || !p->paths) goto oom;
  if ((st = ls__path_parents(s, parent, err)) != LS_OK) goto fail;
  for (size_t i = 0; i < picked; i++) {
    ls_path *path = &p->paths[i];
    path->target_id = s->node_id[pick[i]];
    p->path_count = i + 1;
    st = ls__path_steps(h, parent, pick[i], 0, &path->steps,
                        &path->step_count, err);
    if (st != LS_OK) goto fail;
  }
  free(parent);
  free(pick);
  *out = p;
  return LS_OK;
oom:
  st = ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                     "out of memory finding retainer paths");
fail:
  free(parent);
  free(pick);
  ls_paths_free(p);
  return st;
}

void ls_paths_free(ls_paths *p) {
  if (!p) return;
  for (size_t i = 0; i < p->path_count; i++)
    ls__path_steps_free(p->paths[i].steps, p->paths[i].step_count, 0);
  free(p->paths);
  free(p);
}
