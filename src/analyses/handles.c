/*
 * Handle-scope audit: what the synthetic handle roots of V8 hold.
 *
 * V8 writes every GC root category as a synthetic node under
 * root -> "(GC roots)" -> "(Handle scope)", "(Global handles)", ... with one
 * edge per root slot. For "(Handle scope)" a slot is one live local handle,
 * so the edge count is the number of local handles alive when the snapshot
 * was taken: a few dozen in a JS-only process (the scoped loop of the test
 * holds 25), but about 3 per call when native code calls a JS function in a
 * loop without a handle scope per iteration (function, receiver, result).
 */
#include <stdlib.h>
#include <string.h>

#include "heap.h"

/* Local handles above which the audit reports a leak. JS code never holds
 * more than a few dozen local handles at once: V8 and Node open a scope per
 * operation, and the handles a snapshot sees are those of the frames on the
 * stack (25 in the scoped test loop, under 100 in ordinary programs). An
 * unscoped native loop makes about 3 per call, so 10,000 is reached after
 * ~3,300 calls — far above any legitimate nesting, far below the millions
 * the loops this audit exists for reach. A native function that makes
 * thousands of handles without an inner scope (e.g. filling a large array)
 * is also worth the warning: V8 itself advises a scope per iteration there. */
#define LS__HANDLES_THRESHOLD 10000

static const char handle_scope_name[] = "(Handle scope)";

/* Case-insensitive "handle" anywhere in string i. */
static int names_handles(const ls_snapshot *s, uint32_t i) {
  static const char w[] = "handle";
  const size_t wl = sizeof w - 1;
  const char *p = ls__str(s, i);
  uint64_t len = ls__strlen(s, i);
  for (uint64_t k = 0; k + wl <= len; k++) {
    size_t j = 0;
    while (j < wl) {
      char c = p[k + j];
      if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
      if (c != w[j]) break;
      j++;
    }
    if (j == wl) return 1;
  }
  return 0;
}

static int is_synthetic(const ls_snapshot *s, uint64_t v) {
  return s->nt.synthetic != LS__NO_TYPE && s->node_type[v] == s->nt.synthetic;
}

/* A class met under a root, sorted by name to merge same-named classes
 * (same name, different constructor location or origin): the report is
 * per name. */
typedef struct {
  const char *name;
  uint32_t len;
  uint32_t cls;
} seen_class;

static int cmp_name(const char *a, uint32_t al, const char *b, uint32_t bl) {
  int c = memcmp(a, b, al < bl ? al : bl);
  if (c) return c;
  return (al > bl) - (al < bl);
}

static int by_class_name(const void *x, const void *y) {
  const seen_class *a = x, *b = y;
  return cmp_name(a->name, a->len, b->name, b->len);
}

/* Most handles first, then by name. */
static int by_count(const void *x, const void *y) {
  const ls_handle_class *a = x, *b = y;
  if (a->count != b->count) return a->count < b->count ? 1 : -1;
  return strcmp(a->name, b->name);
}

/* Fill `r` for the synthetic node v. `count` (classes.count entries, all
 * zero) and `used` (same size) are scratch; `count` is zero again on return. */
static ls_status audit_root(const ls_heap *h, uint64_t v, uint64_t *count,
                            seen_class *used, ls_handle_root *r,
                            ls_error *err) {
  const ls_snapshot *s = h->s;
  const uint32_t *cls = h->classes.node_class;
  const ls__class *it = h->classes.items;
  r->name = ls__str(s, s->node_name[v]);
  r->handles = s->first_edge[v + 1] - s->first_edge[v];
  r->class_count = 0;
  r->by_class = NULL;
  size_t n_used = 0;
  for (uint64_t e = s->first_edge[v]; e < s->first_edge[v + 1]; e++) {
    uint32_t c = cls[ls__edge_to(s, e)];
    if (!count[c]++) {
      used[n_used].name = it[c].name;
      used[n_used].len = it[c].name_len;
      used[n_used].cls = c;
      n_used++;
    }
  }
  if (!n_used) return LS_OK;
  qsort(used, n_used, sizeof *used, by_class_name);
  ls_handle_class *rows = malloc(n_used * sizeof *rows);
  if (!rows) {
    for (size_t i = 0; i < n_used; i++) count[used[i].cls] = 0;
    return ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                         "out of memory auditing the handle roots");
  }
  size_t k = 0;
  for (size_t i = 0; i < n_used; i++) {
    const seen_class *c = &used[i];
    if (k && !by_class_name(c, &used[i - 1])) {
      rows[k - 1].count += count[c->cls];
    } else {
      rows[k].name = c->name;
      rows[k].count = count[c->cls];
      k++;
    }
    count[c->cls] = 0;
  }
  qsort(rows, k, sizeof *rows, by_count);
  r->class_count = k;
  r->by_class = rows;
  return LS_OK;
}

ls_status ls_handles_build(const ls_heap *h, ls_handles **out,
                           ls_error *err) {
  if (!h || !out)
    return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls_handles_build: NULL argument");
  *out = NULL;
  const ls_snapshot *s = h->s;
  ls_handles *hs = calloc(1, sizeof *hs);
  if (!hs) goto oom;
  hs->threshold = LS__HANDLES_THRESHOLD;
  if (!s->node_count) {
    *out = hs;
    return LS_OK;
  }

  /* The subroots: synthetic targets of the synthetic "(GC roots)" children
   * of the root, each once, "(Handle scope)" first, then snapshot order. */
  size_t cap = 0, n = 0;
  uint32_t *sub = NULL;
  uint64_t r0 = s->root_ordinal;
  for (uint64_t e = s->first_edge[r0]; e < s->first_edge[r0 + 1]; e++) {
    uint32_t g = ls__edge_to(s, e);
    if (!is_synthetic(s, g) || !LS__STR_IS(s, s->node_name[g], "(GC roots)"))
      continue;
    for (uint64_t f = s->first_edge[g]; f < s->first_edge[g + 1]; f++) {
      uint32_t v = ls__edge_to(s, f);
      if (!is_synthetic(s, v) || !names_handles(s, s->node_name[v])) continue;
      int seen = 0;
      for (size_t i = 0; i < n && !seen; i++) seen = sub[i] == v;
      if (seen) continue;
      if (n == cap) {
        size_t nc = cap ? cap * 2 : 8;
        uint32_t *ns = realloc(sub, nc * sizeof *ns);
        if (!ns) {
          free(sub);
          goto oom;
        }
        sub = ns;
        cap = nc;
      }
      sub[n++] = v;
    }
  }
  /* stable partition: "(Handle scope)" roots first */
  for (size_t i = 0, k = 0; i < n; i++)
    if (LS__STR_IS(s, s->node_name[sub[i]], "(Handle scope)")) {
      uint32_t v = sub[i];
      memmove(sub + k + 1, sub + k, (i - k) * sizeof *sub);
      sub[k++] = v;
    }

  if (n) {
    size_t nc = h->classes.count ? h->classes.count : 1;
    uint64_t *count = calloc(nc, sizeof *count);
    seen_class *used = malloc(nc * sizeof *used);
    hs->roots = calloc(n, sizeof *hs->roots);
    if (!count || !used || !hs->roots) {
      free(count);
      free(used);
      free(sub);
      goto oom;
    }
    ls_status st = LS_OK;
    uint64_t local = 0;
    for (size_t i = 0; i < n && st == LS_OK; i++) {
      st = audit_root(h, sub[i], count, used, &hs->roots[i], err);
      if (st == LS_OK) {
        hs->root_count = i + 1;
        if (!strcmp(hs->roots[i].name, handle_scope_name))
          local += hs->roots[i].handles;
      }
    }
    free(count);
    free(used);
    free(sub);
    if (st != LS_OK) {
      ls_handles_free(hs);
      return st;
    }
    hs->leak = local > hs->threshold;
  }
  *out = hs;
  return LS_OK;
oom:
  ls_handles_free(hs);
  return ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                       "out of memory auditing the handle roots");
}

void ls_handles_free(ls_handles *hs) {
  if (!hs) return;
  for (size_t i = 0; i < hs->root_count; i++) free(hs->roots[i].by_class);
  free(hs->roots);
  free(hs);
}
