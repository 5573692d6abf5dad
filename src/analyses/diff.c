/*
 * Diff of two snapshots of one process: DevTools' Comparison view, by class
 * name.
 *
 * What is followed (heap-snapshot-toolkit/thirdparty/devtools-frontend/
 * index.js, the code DevTools runs):
 * - Objects counted: aggregatesForDiff / getAggregatesByClassKey(
 *   'allObjects') -> buildAggregates with no filter: every node with a
 *   non-zero (DevTools) self size, any node type; the same rule in the old
 *   snapshot (digest.c) and the new one.
 * - Matching (calculateSnapshotDiff -> calculateDiffForClass): per class,
 *   a merge of the class's ids sorted ascending in both snapshots; an id
 *   only in the old list is removed (its old self size counts in
 *   removed_size), an id only in the new list is added (its new self size
 *   in added_size); an id in both is unchanged, even when its self size
 *   changed (the trend command follows sizes). Since matching is per class,
 *   an object whose class changed between the snapshots (a plain object
 *   whose inferred "{a, b}" interface changed, say) is removed from its old
 *   class and added to its new one. count_delta = added - removed,
 *   size_delta = added_size - removed_size; a class is listed when anything
 *   was added or removed (so a row may have both deltas 0).
 * - Class names: each snapshot's own names, as heap-snapshot-toolkit's
 *   diff() does (it gives the old snapshot its own interface definitions;
 *   the DevTools UI applies the new snapshot's, which can only rename
 *   inferred "{a, b}" classes of the old one).
 *
 * Deliberate difference: DevTools keys a class by name and, for objects
 * with a constructor location, by that location too; here classes are
 * merged by name (one row per name), and an object is unchanged when it
 * keeps its id and its class name. Ids are matched with one merge of the
 * two id-sorted lists instead of one merge per class: same result.
 */
#include <stdlib.h>
#include <string.h>

#include "digest.h"

typedef struct {
  uint64_t added, removed, added_size, removed_size;
} class_stat;

typedef struct {
  ls_diff_row row;
  uint32_t len;  /* name bytes (names may hold a NUL) */
  uint64_t mag;  /* |size_delta| */
} sort_row;

static int row_cmp(const void *a, const void *b) {
  const sort_row *x = a, *y = b;
  if (x->mag != y->mag) return x->mag > y->mag ? -1 : 1;
  uint32_t l = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->row.name, y->row.name, l);
  if (c) return c;
  return x->len < y->len ? -1 : x->len > y->len;
}

/* The diff and the storage its rows point into, freed together. */
struct diff_block {
  ls_diff pub;
  char *names;
};

/* Sanity checks of a diff's inputs. Two processes: their ids mean nothing
 * to each other. Either few ids are shared, or (Node's start-up is
 * deterministic, so two processes share the ids of the start-up heap) the
 * shared ids often name objects of another class. Within one process V8
 * gives an id to another object only when a dead object's address is
 * reused before the next snapshot: about 1% of the shared ids under heavy
 * churn (measured), against about half between two different programs.
 * Two runs of the same program cannot be told apart this way. */
#define FEW_OBJECTS 1000
static unsigned judge(const ls_diff *d) {
  unsigned w = 0;
  if (d->new_max_id < d->old_max_id) w |= LS_DIFF_SWAPPED;
  if (d->old_objects >= FEW_OBJECTS && d->new_objects >= FEW_OBJECTS &&
      d->common_objects * 100 < d->old_objects)
    w |= LS_DIFF_FEW_SHARED;
  else if (d->common_objects >= FEW_OBJECTS &&
           d->reclassed_objects * 10 > d->common_objects)
    w |= LS_DIFF_RECLASSED;
  return w;
}

ls_status ls_diff_build(const ls_digest *od, const ls_heap *h, ls_diff **out,
                        ls_error *err) {
  if (!od || !h || !out)
    return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls_diff_build: NULL argument");
  *out = NULL;
  ls_status st = LS_OK;
  ls__intern names;
  memset(&names, 0, sizeof names);
  uint32_t *map = NULL, *nord = NULL;
  uint64_t *nids = NULL, nn = 0, new_max = 0;
  class_stat *cs = NULL;
  sort_row *sr = NULL;
  struct diff_block *b = NULL;

  /* One table of names: the old snapshot's first (same indexes as in the
   * digest, its names being distinct), then the new snapshot's. */
  for (uint32_t i = 0; i < od->names.count; i++) {
    uint32_t idx;
    if (ls__intern_add(&names, ls__intern_str(&od->names, i),
                       ls__intern_len(&od->names, i), &idx) < 0)
      goto oom;
  }
  st = ls__class_name_map(h, &names, &map, err);
  if (st != LS_OK) goto fail;
  st = ls__objects_by_id(h, &nids, &nord, &nn, &new_max, 0, err);
  if (st != LS_OK) goto fail;
  cs = calloc(names.count ? names.count : 1, sizeof *cs);
  if (!cs) goto oom;

  const uint32_t *ncls = h->classes.node_class;
  uint64_t i = 0, j = 0, on = od->count, common = 0, reclassed = 0;
  while (i < on && j < nn) {
    uint64_t a = od->id[i], c = nids[j];
    if (a < c) {
      cs[od->cls[i]].removed++;
      cs[od->cls[i]].removed_size += od->size[i];
      i++;
    } else if (a > c) {
      uint32_t v = nord[j++];
      class_stat *x = &cs[map[ncls[v]]];
      x->added++;
      x->added_size += ls__self(h, v);
    } else {
      uint32_t v = nord[j++];
      uint32_t oc = od->cls[i], nc = map[ncls[v]];
      if (oc != nc) { /* same object, another class: DevTools' per-class
                         matching sees it leave one class, join another */
        cs[oc].removed++;
        cs[oc].removed_size += od->size[i];
        cs[nc].added++;
        cs[nc].added_size += ls__self(h, v);
        reclassed++;
      }
      common++;
      i++;
    }
  }
  for (; i < on; i++) {
    cs[od->cls[i]].removed++;
    cs[od->cls[i]].removed_size += od->size[i];
  }
  for (; j < nn; j++) {
    uint32_t v = nord[j];
    class_stat *x = &cs[map[ncls[v]]];
    x->added++;
    x->added_size += ls__self(h, v);
  }
  free(nids);
  nids = NULL;
  free(nord);
  nord = NULL;

  /* rows: classes where something was added or removed */
  size_t k = 0;
  uint64_t name_bytes = 0;
  for (uint32_t c = 0; c < names.count; c++)
    if (cs[c].added || cs[c].removed) {
      k++;
      name_bytes += (uint64_t)ls__intern_len(&names, c) + 1;
    }
  b = calloc(1, sizeof *b);
  sr = malloc((k ? k : 1) * sizeof *sr);
  ls_diff_row *rows = malloc((k ? k : 1) * sizeof *rows);
  if (b) b->pub.rows = rows;
  if (b) b->names = malloc(name_bytes ? name_bytes : 1);
  if (!b || !sr || !rows || !b->names) {
    if (!b) free(rows);
    goto oom;
  }
  char *p = b->names;
  k = 0;
  for (uint32_t c = 0; c < names.count; c++) {
    const class_stat *x = &cs[c];
    if (!x->added && !x->removed) continue;
    sort_row *r = &sr[k++];
    memcpy(p, ls__intern_str(&names, c), (size_t)ls__intern_len(&names, c) + 1);
    r->row.name = p;
    p += ls__intern_len(&names, c) + 1;
    r->len = ls__intern_len(&names, c);
    r->row.added = x->added;
    r->row.removed = x->removed;
    r->row.count_delta = (int64_t)(x->added - x->removed);
    r->row.added_size = x->added_size;
    r->row.removed_size = x->removed_size;
    r->row.size_delta = (int64_t)(x->added_size - x->removed_size);
    r->mag = x->added_size >= x->removed_size
                 ? x->added_size - x->removed_size
                 : x->removed_size - x->added_size;
  }
  qsort(sr, k, sizeof *sr, row_cmp);
  for (size_t r = 0; r < k; r++) rows[r] = sr[r].row;
  free(sr);
  free(cs);
  free(map);
  ls__intern_free(&names);

  b->pub.old_totals = od->totals;
  ls_heap_totals_get(h, &b->pub.new_totals);
  b->pub.row_count = k;
  b->pub.old_max_id = od->max_id;
  b->pub.new_max_id = new_max;
  b->pub.old_objects = od->count;
  b->pub.new_objects = nn;
  b->pub.common_objects = common;
  b->pub.reclassed_objects = reclassed;
  b->pub.warnings = judge(&b->pub);
  *out = &b->pub;
  return LS_OK;

oom:
  st = ls__heap_fail(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                     "out of memory comparing the snapshots");
fail:
  free(nids);
  free(nord);
  free(cs);
  free(sr);
  free(map);
  ls__intern_free(&names);
  if (b) ls_diff_free(&b->pub);
  return st;
}

void ls_diff_free(ls_diff *d) {
  if (!d) return;
  struct diff_block *b = (struct diff_block *)d;
  free(b->pub.rows);
  free(b->names);
  free(b);
}
