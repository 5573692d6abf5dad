/* The objects with the largest retained sizes. */
#include <stdlib.h>

#include "../algorithms/distances.h"
#include "heap.h"

/* Order of the result: larger retained first, then smaller id (stable across
 * runs so outputs can be compared). */
static int before(const ls_heap *h, uint32_t a, uint32_t b) {
  if (ls__retained(h, a) != ls__retained(h, b)) return ls__retained(h, a) > ls__retained(h, b);
  return ls__node_id(h->s, a) < ls__node_id(h->s, b);
}

/* Min-heap on `before`: the root is the weakest of the kept candidates. */
static void sift_down(const ls_heap *h, uint32_t *a, size_t n, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < n && before(h, a[m], a[l])) m = l;
    if (r < n && before(h, a[m], a[r])) m = r;
    if (m == i) return;
    uint32_t t = a[i];
    a[i] = a[m];
    a[m] = t;
    i = m;
  }
}

ls_status ls_top_build(const ls_heap *h, size_t n, ls_top **out,
                       ls_error *err) {
  if (!h || !out)
    return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls_top_build: NULL argument");
  *out = NULL;
  const ls_snapshot *s = h->s;
  if (n > s->node_count) n = (size_t)s->node_count;
  ls_top *t = calloc(1, sizeof *t);
  uint32_t *cand = malloc((n ? n : 1) * sizeof *cand);
  ls_object_row *rows = malloc((n ? n : 1) * sizeof *rows);
  if (!t || !cand || !rows) {
    free(t);
    free(cand);
    free(rows);
    return ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                         "out of memory building the top list");
  }
  size_t k = 0;
  for (uint64_t v = 0; v < s->node_count && n; v++) {
    if (v == s->root_ordinal) continue;
    if (s->nt.synthetic != LS__NO_TYPE && s->node_type[v] == s->nt.synthetic)
      continue;
    if (k < n) {
      cand[k++] = (uint32_t)v;
      if (k == n)
        for (size_t i = n / 2 + 1; i-- > 0;) sift_down(h, cand, n, i);
    } else if (before(h, (uint32_t)v, cand[0])) {
      cand[0] = (uint32_t)v;
      sift_down(h, cand, n, 0);
    }
  }
  if (k < n) /* fewer candidates than asked: heapify what we have */
    for (size_t i = k / 2 + 1; i-- > 0;) sift_down(h, cand, k, i);
  /* pop weakest first, filling the result from the back */
  for (size_t m = k; m > 0; m--) {
    uint32_t v = cand[0];
    cand[0] = cand[m - 1];
    sift_down(h, cand, m - 1, 0);
    ls_object_row *r = &rows[m - 1];
    r->id = ls__node_id(s, v);
    r->class_name = h->classes.items[h->classes.node_class[v]].name;
    r->type = s->node_type_names[s->node_type[v]];
    r->self_size = ls__self(h, v);
    r->retained_size = ls__retained(h, v);
    r->distance = h->distance ? h->distance[v] : UINT32_MAX;
  }
  free(cand);
  t->row_count = k;
  t->rows = rows;
  *out = t;
  return LS_OK;
}

void ls_top_free(ls_top *t) {
  if (!t) return;
  free(t->rows);
  free(t);
}
