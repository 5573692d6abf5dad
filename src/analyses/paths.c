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

static void step_free(ls_path_step *st, int own_names) {
  free(st->edge);
  if (own_names) {
    free((char *)st->class_name);
    free((char *)st->type);
    free((char *)st->edge_type);
  }
}

void ls__path_steps_free(ls_path_step *steps, size_t n, int own_names) {
  if (!steps) return;
  for (size_t i = 0; i < n; i++) step_free(&steps[i], own_names);
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
  dst->repeat = src->repeat;
  dst->unit = src->unit;
  dst->class_name = dup_or_null(src->class_name, &fail);
  dst->type = dup_or_null(src->type, &fail);
  dst->edge_type = dup_or_null(src->edge_type, &fail);
  dst->edge = dup_or_null(src->edge, &fail);
  return fail ? -1 : 0;
}

/* ---- Folding repeated steps (see ls_path_step in leakscope.h) ----------
 * One greedy scan, left to right. At step i, for each unit length p, L_p
 * is how far step j keeps matching step j + p from i on: the unit repeats
 * k = 1 + L_p / p times. The longest fold wins (the smallest p on a tie);
 * its first and last repetitions stay and a marker replaces the rest. A
 * look-ahead of 3p steps or more means k >= 4: a fold of nearly all that
 * was looked at, after which the scan resumes, so the time is
 * O(n * FOLD_UNIT_MAX), never quadratic. The root (first step) and the
 * target (last) can only be in a first or last repetition, never in a
 * marker. */
#define FOLD_UNIT_MAX 4
#define FOLD_MIN_REPS 4

/* Do steps a < b show the same thing (a repetition)? */
typedef int (*fold_same_fn)(const void *ctx, size_t a, size_t b);
/* Steps first..last of the true path become one step of the folded path:
 * repeat 0 is step `first` itself (first == last), else a marker standing
 * for them all and described by `last`. Called in path order, every step
 * exactly once, so callers may compact their array in place: a call never
 * writes past `first` and the scan only reads what is not emitted yet. */
typedef void (*fold_emit_fn)(void *ctx, size_t first, size_t last,
                             uint64_t repeat, uint32_t unit);

static void fold_scan(size_t n, fold_same_fn same, const void *sctx,
                      fold_emit_fn emit, void *ectx) {
  size_t i = 0;
  while (i < n) {
    size_t best = 0, best_k = 0, best_p = 0;
    for (size_t p = 1; p <= FOLD_UNIT_MAX && i + FOLD_MIN_REPS * p <= n; p++) {
      size_t run = 0;
      while (i + run + p < n && same(sctx, i + run, i + run + p)) run++;
      const size_t k = 1 + run / p;
      if (k >= FOLD_MIN_REPS && (k - 2) * p > best)
        best = (k - 2) * p, best_k = k, best_p = p;
    }
    if (!best) {
      emit(ectx, i, i, 0, 0);
      i++;
      continue;
    }
    const size_t last = i + (best_k - 1) * best_p; /* the last repetition */
    for (size_t j = 0; j < best_p; j++) emit(ectx, i + j, i + j, 0, 0);
    emit(ectx, i + best_p, last - 1, best, (uint32_t)best_p);
    for (size_t j = 0; j < best_p; j++) emit(ectx, last + j, last + j, 0, 0);
    i = last + best_p;
  }
}

static int same_text(const char *a, const char *b) {
  return a && b && (a == b || !strcmp(a, b));
}

static int index_edge(const char *edge_type) {
  return !strcmp(edge_type, "element") || !strcmp(edge_type, "hidden");
}

static int same_step(const void *ctx, size_t a, size_t b) {
  const ls_path_step *x = (const ls_path_step *)ctx + a,
                     *y = (const ls_path_step *)ctx + b;
  if (x->repeat || y->repeat || !same_text(x->edge_type, y->edge_type) ||
      !same_text(x->class_name, y->class_name) || !same_text(x->type, y->type))
    return 0;
  return index_edge(x->edge_type) || same_text(x->edge, y->edge);
}

typedef struct {
  ls_path_step *steps;
  size_t out;
  int own_names;
} step_fold;

static void emit_step(void *ctx, size_t first, size_t last, uint64_t repeat,
                      uint32_t unit) {
  step_fold *f = ctx;
  for (size_t j = first; j < last; j++) step_free(&f->steps[j], f->own_names);
  ls_path_step *o = &f->steps[f->out++];
  *o = f->steps[last];
  o->repeat = repeat;
  o->unit = unit;
}

size_t ls__path_fold(ls_path_step *steps, size_t n, int own_names) {
  if (!steps) return 0;
  step_fold f = {steps, 0, own_names};
  fold_scan(n, same_step, steps, emit_step, &f);
  return f.out;
}

/* A step of the true path while it is folded: the node, the edge reaching
 * it (UINT64_MAX for the first step) and, once folded, the marker's fields. */
typedef struct {
  uint32_t node, unit;
  uint64_t edge, repeat;
} chain_step;

typedef struct {
  const ls_heap *h;
  chain_step *c;
  size_t out;
} chain_fold;

static int same_string(const ls_snapshot *s, uint32_t a, uint32_t b) {
  if (a == b) return 1;
  if (a >= s->string_count || b >= s->string_count) return 0;
  const uint64_t len = ls__strlen(s, a);
  return len == ls__strlen(s, b) && !memcmp(ls__str(s, a), ls__str(s, b), len);
}

static int same_chain_step(const void *ctx, size_t a, size_t b) {
  const chain_fold *f = ctx;
  const ls_snapshot *s = f->h->s;
  const chain_step *x = &f->c[a], *y = &f->c[b];
  if (x->edge == UINT64_MAX || y->edge == UINT64_MAX) return 0;
  const int t = ls__edge_type(s, x->edge);
  if (t != ls__edge_type(s, y->edge) || s->node_type[x->node] != s->node_type[y->node])
    return 0;
  if (t != s->et.element && t != s->et.hidden &&
      !same_string(s, ls__edge_name(s, x->edge), ls__edge_name(s, y->edge)))
    return 0;
  return same_text(display_name(f->h, x->node), display_name(f->h, y->node));
}

static void emit_chain(void *ctx, size_t first, size_t last, uint64_t repeat,
                       uint32_t unit) {
  chain_fold *f = ctx;
  chain_step *o = &f->c[f->out++];
  *o = f->c[last];
  o->repeat = repeat;
  o->unit = unit;
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
  /* fold the bare chain first (24 bytes a step, freed here), so a path
   * through a long list never holds a string per node */
  ls_path_step *steps = NULL;
  chain_step *c = malloc(n * sizeof *c);
  if (!c) goto oom;
  size_t i = n;
  for (uint32_t x = v; is_root ? i > 0 : x != root; x = parent[x]) {
    chain_step *cs = &c[--i];
    cs->node = x;
    cs->edge = parent[x] != root && x != root ? ls__path_edge(s, parent, x)
                                              : UINT64_MAX;
    cs->repeat = 0;
    cs->unit = 0;
  }
  chain_fold f = {h, c, 0};
  fold_scan(n, same_chain_step, &f, emit_chain, &f);
  n = f.out;
  if (!(steps = calloc(n, sizeof *steps))) goto oom;
  for (i = 0; i < n; i++) {
    ls_path_step *st = &steps[i];
    const uint32_t x = c[i].node;
    const uint64_t e = c[i].edge;
    st->id = ls__node_id(s, x);
    st->repeat = c[i].repeat;
    st->unit = c[i].unit;
    const char *cn = display_name(h, x), *ty = type_name(s, x), *et = NULL;
    if (e != UINT64_MAX) {
      et = s->edge_type_names[ls__edge_type(s, e)];
      if (!(st->edge = ls__edge_label(s, e))) goto oom;
    }
    if (own_names) { /* fields stay NULL until owned: safe to free */
      if (!(st->class_name = strdup(cn)) || !(st->type = strdup(ty)) ||
          (et && !(st->edge_type = strdup(et))))
        goto oom;
    } else {
      st->class_name = cn;
      st->type = ty;
      st->edge_type = et;
    }
  }
  free(c);
  *out = steps;
  *count = n;
  return LS_OK;
oom:
  free(c);
  ls__path_steps_free(steps, n, own_names);
  return ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                       "out of memory building a retainer path");
}

int ls__path_step_nodes(const ls_heap *h, const uint32_t *parent, uint32_t v,
                        const ls_path_step *steps, size_t n, uint32_t *nodes) {
  const ls_snapshot *s = h->s;
  int bad = 0;
  uint32_t x = v;
  for (size_t i = n; i-- > 0;) {
    const int known = x != LS__NO_PARENT && ls__node_id(s, x) == steps[i].id;
    nodes[i] = known ? x : LS__NO_PARENT;
    bad |= !known;
    /* a marker stands for `repeat` nodes, itself the deepest of them */
    for (uint64_t up = steps[i].repeat ? steps[i].repeat : 1;
         up > 0 && x != LS__NO_PARENT && x != s->root_ordinal; up--)
      x = parent[x];
  }
  return bad ? -1 : 0;
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
      if (ls__node_id(s, v) == id) {
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
        if (ls__retained(h, v) <= ls__retained(h, pick[n - 1])) continue;
        at = n - 1;
      }
      while (at > 0 && ls__retained(h, pick[at - 1]) < ls__retained(h, v)) {
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
    path->target_id = ls__node_id(s, pick[i]);
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
