/* Allocation sites; see alloc.h. */
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

#include "../graph/graph.h"
#include "../reader/error.h"

#define NONE LS__MAP_NONE

/* leakscope's own preload (run's, in its private folder) */
static int fn_ours(const ls_snapshot *s, uint32_t f) {
  return strstr(ls__str(s, s->tf_script[f]), "/leakscope-preload-") != NULL;
}

/* Node's own code: "node:internal/...", "node:events", the older
 * "internal/..." names, and V8's builtins (Map.prototype.set: no script,
 * no line; code the program evals has a line). */
static int fn_internal(const ls_snapshot *s, uint32_t f) {
  const char *sc = ls__str(s, s->tf_script[f]);
  return !strncmp(sc, "node:", 5) || !strncmp(sc, "internal/", 9) ||
         (!sc[0] && !s->tf_line[f]) || fn_ours(s, f);
}

ls_status ls__alloc_init(const ls_snapshot *s, ls__alloc *a, ls_error *err) {
  memset(a, 0, sizeof *a);
  a->s = s;
  if (!s->node_trace || !s->trace_count) return LS_OK;
  uint32_t max = 0;
  for (uint32_t i = 0; i < s->trace_count; i++)
    if (s->tn_id[i] > max) max = s->tn_id[i];
  /* V8 numbers trace nodes 1, 2, 3...: an array, unless a file says
   * otherwise (then ids far apart would waste memory: leave them out) */
  if ((uint64_t)max > 4ull * s->trace_count + 1024) max = 4 * s->trace_count + 1024;
  a->nid = max + 1;
  a->tn_of_id = malloc((size_t)a->nid * sizeof *a->tn_of_id);
  a->site = malloc((size_t)s->trace_count * sizeof *a->site);
  a->ours = malloc((size_t)s->trace_count);
  if (!a->tn_of_id || !a->site || !a->ours) {
    ls__alloc_free(a);
    return ls__set_error(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                         "out of memory indexing the allocation stacks");
  }
  memset(a->tn_of_id, 0xff, (size_t)a->nid * sizeof *a->tn_of_id);
  for (uint32_t i = 0; i < s->trace_count; i++) {
    if (s->tn_id[i] < a->nid && a->tn_of_id[s->tn_id[i]] == NONE)
      a->tn_of_id[s->tn_id[i]] = i;
    /* parents come first: a node's site is its own function unless that
     * is Node's, then its caller's site (when the caller has one of the
     * program's; else it stays the innermost frame) */
    uint32_t p = s->tn_parent[i];
    a->ours[i] = fn_ours(s, s->tn_fn[i]) || (p != NONE && p < i && a->ours[p]);
    if (!fn_internal(s, s->tn_fn[i]) || p == NONE || p >= i) a->site[i] = i;
    else {
      uint32_t ps = a->site[p];
      a->site[i] = s->tn_parent[ps] != NONE && !fn_internal(s, s->tn_fn[ps]) ? ps : i;
    }
  }
  return LS_OK;
}

void ls__alloc_free(ls__alloc *a) {
  free(a->tn_of_id);
  free(a->site);
  free(a->ours);
  memset(a, 0, sizeof *a);
}

/* ---- accumulating ------------------------------------------------------ */

int ls__alloc_acc_init(ls__alloc_acc *x, uint32_t ngroups) {
  memset(x, 0, sizeof *x);
  x->head = malloc(((size_t)ngroups + 1) * sizeof *x->head);
  if (!x->head) return -1;
  memset(x->head, 0xff, ((size_t)ngroups + 1) * sizeof *x->head);
  x->ngroups = ngroups;
  return 0;
}

int ls__alloc_acc_add(ls__alloc_acc *x, uint32_t group, uint32_t tn,
                      uint64_t count, uint64_t size) {
  if (group >= x->ngroups) return -1;
  int added;
  uint32_t e = ls__map_add(&x->m, (uint64_t)group << 32 | tn, &added);
  if (e == NONE) return -1;
  if (added) {
    if (e >= x->cap) {
      uint32_t cap = x->cap ? x->cap * 2 : 256;
      struct ls__alloc_cell *c = realloc(x->cell, (size_t)cap * sizeof *c);
      uint32_t *nx = c ? realloc(x->next, (size_t)cap * sizeof *nx) : NULL;
      if (c) x->cell = c;
      if (!c || !nx) return -1;
      x->next = nx;
      x->cap = cap;
    }
    x->cell[e].count = x->cell[e].size = 0;
    x->next[e] = x->head[group];
    x->head[group] = e;
  }
  x->cell[e].count += count;
  x->cell[e].size += size;
  return 0;
}

int ls__alloc_acc_merge(ls__alloc_acc *x, uint32_t from, uint32_t to) {
  if (from >= x->ngroups || from == to) return from == to ? 0 : -1;
  /* cells added meanwhile are `to`'s, linked ahead of `to`'s list: the
   * walk over `from`'s list never meets them */
  for (uint32_t e = x->head[from]; e != NONE; e = x->next[e])
    if (ls__alloc_acc_add(x, to, (uint32_t)x->m.e[e].key, x->cell[e].count, x->cell[e].size))
      return -1;
  return 0;
}

void ls__alloc_acc_free(ls__alloc_acc *x) {
  ls__map_free(&x->m);
  free(x->cell);
  free(x->next);
  free(x->head);
  memset(x, 0, sizeof *x);
}

/* ---- frames and sites --------------------------------------------------- */

void ls__frame_free(ls_frame *f) {
  free(f->function);
  free(f->script);
  memset(f, 0, sizeof *f);
}

int ls__frame_copy(ls_frame *dst, const ls_frame *src) {
  *dst = *src;
  dst->function = strdup(src->function ? src->function : "");
  dst->script = strdup(src->script ? src->script : "");
  if (!dst->function || !dst->script) {
    ls__frame_free(dst);
    return -1;
  }
  return 0;
}

static int frame_of(const ls_snapshot *s, uint32_t tn, ls_frame *f) {
  uint32_t fi = s->tn_fn[tn];
  ls_frame src = {(char *)ls__str(s, s->tf_name[fi]), (char *)ls__str(s, s->tf_script[fi]),
                  s->tf_line[fi], s->tf_column[fi]};
  return ls__frame_copy(f, &src);
}

void ls__alloc_sites_free(ls_alloc_site *sites, size_t n) {
  for (size_t i = 0; sites && i < n; i++) {
    ls__frame_free(&sites[i].at);
    for (size_t k = 0; k < sites[i].stack_len; k++) ls__frame_free(&sites[i].stack[k]);
    for (size_t k = 0; k < sites[i].internal_len; k++)
      ls__frame_free(&sites[i].internal[k]);
    free(sites[i].stack);
    free(sites[i].internal);
  }
  free(sites);
}

ls_alloc_site *ls__alloc_sites_copy(const ls_alloc_site *src, size_t n, int *fail) {
  if (!n || *fail) return NULL;
  ls_alloc_site *d = calloc(n, sizeof *d);
  if (!d) goto oom;
  for (size_t i = 0; i < n; i++) {
    d[i].count = src[i].count;
    d[i].size = src[i].size;
    if (ls__frame_copy(&d[i].at, &src[i].at)) goto oom_d;
    d[i].stack = calloc(src[i].stack_len + 1, sizeof *d[i].stack);
    d[i].internal = calloc(src[i].internal_len + 1, sizeof *d[i].internal);
    if (!d[i].stack || !d[i].internal) goto oom_d;
    for (; d[i].stack_len < src[i].stack_len; d[i].stack_len++)
      if (ls__frame_copy(&d[i].stack[d[i].stack_len], &src[i].stack[d[i].stack_len]))
        goto oom_d;
    for (; d[i].internal_len < src[i].internal_len; d[i].internal_len++)
      if (ls__frame_copy(&d[i].internal[d[i].internal_len],
                         &src[i].internal[d[i].internal_len]))
        goto oom_d;
  }
  return d;
oom_d:
  ls__alloc_sites_free(d, n);
oom:
  *fail = 1;
  return NULL;
}

int ls__allocations_copy(ls_allocations *dst, const ls_allocations *src) {
  int fail = 0;
  *dst = *src;
  dst->sites = ls__alloc_sites_copy(src->sites, src->site_count, &fail);
  dst->has_location = 0;
  memset(&dst->location, 0, sizeof dst->location);
  if (!fail && src->has_location) {
    fail = ls__frame_copy(&dst->location, &src->location) != 0;
    dst->has_location = !fail;
  }
  if (fail) {
    ls__alloc_sites_free(dst->sites, dst->site_count);
    memset(dst, 0, sizeof *dst);
    return -1;
  }
  return 0;
}

void ls__allocations_free(ls_allocations *a) {
  ls__alloc_sites_free(a->sites, a->site_count);
  ls__frame_free(&a->location);
  memset(a, 0, sizeof *a);
}

/* One site of a group while it is merged: its function, totals, and the
 * stack that gave it the most bytes. */
typedef struct {
  uint32_t fn, best_tn;
  uint64_t count, size, best_size;
  uint32_t first; /* first entry seen: a stable order for ties */
} site_acc;

static int site_cmp(const void *x, const void *y) {
  const site_acc *a = x, *b = y;
  if (a->size != b->size) return a->size > b->size ? -1 : 1;
  if (a->count != b->count) return a->count > b->count ? -1 : 1;
  return a->first < b->first ? -1 : a->first > b->first;
}

static int entry_cmp(const void *x, const void *y) {
  uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
  return a < b ? -1 : a > b;
}

/* Fill one site from its best stack: the folded frames under the site,
 * then the site and its callers (the tree's root is no frame). */
static int make_site(const ls__alloc *a, const site_acc *sa, ls_alloc_site *out) {
  const ls_snapshot *s = a->s;
  memset(out, 0, sizeof *out);
  out->count = sa->count;
  out->size = sa->size;
  uint32_t site = a->site[sa->best_tn];
  size_t ni = 0, ns = 0;
  for (uint32_t t = sa->best_tn; t != site; t = s->tn_parent[t]) ni++;
  for (uint32_t t = site; t != NONE && s->tn_parent[t] != NONE && ns < LS_ALLOC_STACK;
       t = s->tn_parent[t])
    ns++;
  out->internal = calloc(ni + 1, sizeof *out->internal);
  out->stack = calloc(ns + 1, sizeof *out->stack);
  if (!out->internal || !out->stack) return -1;
  for (uint32_t t = sa->best_tn; t != site; t = s->tn_parent[t])
    if (frame_of(s, t, &out->internal[out->internal_len++])) return -1;
  for (uint32_t t = site; out->stack_len < ns; t = s->tn_parent[t])
    if (frame_of(s, t, &out->stack[out->stack_len++])) return -1;
  return frame_of(s, site, &out->at);
}

ls_status ls__alloc_sites(const ls__alloc *a, const ls__alloc_acc *x,
                          ls__alloc_put_fn put, void *ctx, ls_error *err) {
  const ls_snapshot *s = a->s;
  uint32_t n = x->m.count;
  if (!n || !a->site) return LS_OK;
  /* (key, entry) pairs sorted by key: each group's stacks together */
  uint64_t *ord = malloc((size_t)n * 2 * sizeof *ord);
  site_acc *sa = malloc((size_t)n * sizeof *sa);
  ls__map fns = {0};
  ls_status st = LS_OK;
  if (!ord || !sa) goto oom;
  for (uint32_t e = 0; e < n; e++) ord[2 * e] = x->m.e[e].key, ord[2 * e + 1] = e;
  /* qsort of pairs: keys are distinct, so order is total */
  qsort(ord, n, 2 * sizeof *ord, entry_cmp);
  for (uint32_t i = 0; i < n;) {
    uint32_t g = (uint32_t)(ord[2 * i] >> 32), j = i, ns = 0;
    ls__map_free(&fns);
    for (; j < n && (uint32_t)(ord[2 * j] >> 32) == g; j++) {
      uint32_t tn = (uint32_t)ord[2 * j], e = (uint32_t)ord[2 * j + 1];
      uint32_t fn = s->tn_fn[a->site[tn]];
      int added;
      uint32_t k = ls__map_add(&fns, fn, &added);
      if (k == NONE) goto oom;
      if (added) {
        sa[ns] = (site_acc){fn, tn, 0, 0, 0, j};
        fns.e[k].val = ns++;
      }
      site_acc *c = &sa[fns.e[k].val];
      c->count += x->cell[e].count;
      c->size += x->cell[e].size;
      if (x->cell[e].size > c->best_size) c->best_size = x->cell[e].size, c->best_tn = tn;
    }
    i = j;
    qsort(sa, ns, sizeof *sa, site_cmp);
    size_t keep = ns < LS_ALLOC_SITES ? ns : LS_ALLOC_SITES;
    ls_alloc_site *out = calloc(keep ? keep : 1, sizeof *out);
    if (!out) goto oom;
    for (size_t k = 0; k < keep; k++)
      if (make_site(a, &sa[k], &out[k])) {
        ls__alloc_sites_free(out, k + 1);
        goto oom;
      }
    if (put(ctx, g, out, keep)) goto oom;
  }
  goto done;
oom:
  st = ls__set_error(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                     "out of memory gathering allocation sites");
done:
  free(ord);
  free(sa);
  ls__map_free(&fns);
  return st;
}

/* ---- scripts ------------------------------------------------------------ */

/* The first edge of v named `name`, its target; NONE without one. */
static uint32_t named_edge(const ls_snapshot *s, uint32_t v, const char *name) {
  size_t len = strlen(name);
  for (uint64_t e = s->first_edge[v]; e < s->first_edge[v + 1]; e++) {
    int t = ls__edge_type(s, e);
    if (t == s->et.element || t == s->et.hidden) continue;
    if (ls__str_is(s, ls__edge_name(s, e), name, len)) return ls__edge_to(s, e);
  }
  return NONE;
}

int ls__script_names(const ls_snapshot *s, const uint32_t *ids, size_t n,
                     uint32_t *names) {
  for (size_t i = 0; i < n; i++) names[i] = NONE;
  if (!n) return 0;
  ls__map want = {0};
  size_t left = 0;
  for (size_t i = 0; i < n; i++) {
    int added;
    uint32_t k = ls__map_add(&want, ids[i], &added);
    if (k == NONE) {
      ls__map_free(&want);
      return -1;
    }
    if (added) want.e[k].val = NONE, left++;
  }
  for (uint32_t f = 0; f < s->trace_fn_count && left; f++) {
    uint32_t k = ls__map_find(&want, s->tf_script_id[f]);
    if (k != NONE && want.e[k].val == NONE && ls__strlen(s, s->tf_script[f]))
      want.e[k].val = s->tf_script[f], left--;
  }
  /* a located function: closure -> shared -> script (V8 >= 9 calls the
   * edge script_or_debug_info; a DebugInfo has the script under "script") */
  for (uint64_t l = 0; l < s->location_count && left; l++) {
    uint32_t v = s->loc_node[l];
    if (s->node_type[v] != s->nt.closure) continue;
    uint32_t k = ls__map_find(&want, s->loc_script[l]);
    if (k == NONE || want.e[k].val != NONE) continue;
    uint32_t sh = named_edge(s, v, "shared");
    if (sh == NONE) continue;
    uint32_t sc = named_edge(s, sh, "script_or_debug_info");
    if (sc == NONE) sc = named_edge(s, sh, "script");
    if (sc != NONE && named_edge(s, sc, "source") == NONE) sc = named_edge(s, sc, "script");
    if (sc == NONE || named_edge(s, sc, "source") == NONE) continue;
    uint32_t nm = named_edge(s, sc, "name");
    if (nm == NONE || s->node_type[nm] != s->nt.string || !ls__strlen(s, s->node_name[nm]))
      continue;
    want.e[k].val = s->node_name[nm];
    left--;
  }
  for (size_t i = 0; i < n; i++)
    names[i] = (uint32_t)want.e[ls__map_find(&want, ids[i])].val;
  ls__map_free(&want);
  return 0;
}
