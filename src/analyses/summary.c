/* Class summary: DevTools' Summary view as plain rows. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heap.h"

#define MARK UINT32_MAX /* stack entry: the next entry is a node leaving */

typedef struct {
  uint32_t *v;
  size_t len, cap;
} u32stack;

static int push(u32stack *st, uint32_t x) {
  if (st->len == st->cap) {
    size_t cap = st->cap ? st->cap * 2 : 4096;
    uint32_t *v = realloc(st->v, cap * sizeof *v);
    if (!v) return -1;
    st->v = v;
    st->cap = cap;
  }
  st->v[st->len++] = x;
  return 0;
}

/* A class's retained size sums its instances that no other instance of the
 * class dominates: walk the dominator tree keeping, per class, how many
 * instances are on the current root-to-node path. */
static ls_status class_retained(const ls_heap *h, uint64_t *ret,
                                ls_error *err) {
  const uint32_t *cls = h->classes.node_class;
  uint32_t *active = calloc(h->classes.count ? h->classes.count : 1,
                            sizeof *active);
  u32stack st = {0};
  ls_status rc = LS_OK;
  if (!active || push(&st, h->s->root_ordinal)) goto oom;
  while (st.len) {
    uint32_t v = st.v[--st.len];
    if (v == MARK) {
      active[cls[st.v[--st.len]]]--;
      continue;
    }
    if (ls__self(h, v)) {
      uint32_t c = cls[v];
      if (!active[c]) ret[c] += ls__retained(h, v);
      if (h->dom_first[v] != h->dom_first[v + 1]) {
        active[c]++;
        if (push(&st, v) || push(&st, MARK)) goto oom;
      }
    }
    for (uint64_t i = h->dom_first[v]; i < h->dom_first[v + 1]; i++)
      if (push(&st, h->dom_child[i])) goto oom;
  }
  goto done;
oom:
  rc = ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                     "out of memory computing class retained sizes");
done:
  free(st.v);
  free(active);
  return rc;
}

static int row_cmp(const void *a, const void *b) {
  const ls_class_row *x = a, *y = b;
  if (x->retained_size != y->retained_size)
    return x->retained_size > y->retained_size ? -1 : 1;
  if (x->self_size != y->self_size) return x->self_size > y->self_size ? -1 : 1;
  int c = strcmp(x->name, y->name);
  if (c) return c;
  if (!x->location || !y->location) return !x->location ? -1 : !y->location;
  return strcmp(x->location, y->location);
}

/* Per-row storage: the rows plus their location strings in one block. */
struct summary_block {
  ls_summary pub;
  char *locations; /* class_count * LOC_LEN */
};
#define LOC_LEN 40

ls_status ls_summary_build(const ls_heap *h, size_t limit, ls_summary **out,
                           ls_error *err) {
  if (!h || !out)
    return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls_summary_build: NULL argument");
  *out = NULL;
  uint32_t nc = h->classes.count;
  uint64_t n = h->s->node_count;
  uint64_t *count = calloc(nc ? nc : 1, sizeof *count);
  uint64_t *self = calloc(nc ? nc : 1, sizeof *self);
  uint64_t *ret = calloc(nc ? nc : 1, sizeof *ret);
  struct summary_block *b = calloc(1, sizeof *b);
  ls_class_row *rows = malloc((nc ? nc : 1) * sizeof *rows);
  char *locs = malloc((size_t)(nc ? nc : 1) * LOC_LEN);
  ls_status rc = LS_OK;
  if (!count || !self || !ret || !b || !rows || !locs) {
    rc = ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                       "out of memory building the summary");
    goto fail;
  }
  for (uint64_t v = 0; v < n; v++) {
    uint64_t sz = ls__self(h, v);
    if (!sz) continue; /* DevTools lists only objects with a size */
    uint32_t c = h->classes.node_class[v];
    count[c]++;
    self[c] += sz;
  }
  rc = class_retained(h, ret, err);
  if (rc != LS_OK) goto fail;
  size_t k = 0;
  for (uint32_t c = 0; c < nc; c++) {
    if (!count[c]) continue;
    const ls__class *cl = &h->classes.items[c];
    ls_class_row *r = &rows[k];
    r->name = cl->name;
    r->location = NULL;
    if (cl->has_location) {
      char *l = locs + (size_t)c * LOC_LEN;
      snprintf(l, LOC_LEN, "%" PRIu32 ",%" PRIu32 ",%" PRIu32, cl->script_id,
               cl->line, cl->column);
      r->location = l;
    }
    r->count = count[c];
    r->self_size = self[c];
    r->retained_size = ret[c];
    k++;
  }
  qsort(rows, k, sizeof *rows, row_cmp);
  ls_heap_totals_get(h, &b->pub.totals);
  b->pub.class_count = k;
  b->pub.row_count = (limit && limit < k) ? limit : k;
  b->pub.rows = rows;
  b->locations = locs;
  free(count);
  free(self);
  free(ret);
  *out = &b->pub;
  return LS_OK;
fail:
  free(count);
  free(self);
  free(ret);
  free(b);
  free(rows);
  free(locs);
  return rc;
}

void ls_summary_free(ls_summary *s) {
  if (!s) return;
  struct summary_block *b = (struct summary_block *)s;
  free(b->pub.rows);
  free(b->locations);
  free(b);
}
