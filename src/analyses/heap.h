/*
 * ls_heap: a snapshot with everything the analyses read — DevTools self
 * sizes, dominator tree, retained sizes, classes, distances.
 */
#ifndef LS_ANALYSES_HEAP_H
#define LS_ANALYSES_HEAP_H

#include "../reader/error.h"
#include "../reader/snapshot.h"
#include "../graph/graph.h"
#include "../graph/classes.h"

struct ls_heap {
  ls_snapshot *s;        /* owned */
  ls__classes classes;   /* node -> class */
  ls__ucol *self;        /* self size per node (DevTools' view unless raw):
                          * the snapshot's node_self_size column, not owned;
                          * read with ls__self */
  uint32_t *idom;        /* immediate dominator ordinal per node */
  ls__ucol retained;     /* retained size per node, in 32 bits when the
                          * root's (the largest) fits: read with
                          * ls__retained */
  uint32_t *distance;    /* LS__NO_DISTANCE when unreachable */
  /* dominator tree as CSR: children of v are dom_child[dom_first[v] ..
   * dom_first[v+1]) */
  uint32_t *dom_first; /* node_count + 1: n-1 children at most */
  uint32_t *dom_child;
  int raw_sizes;
};

static inline uint64_t ls__self(const ls_heap *h, uint64_t v) {
  return ls__ucol_get(h->self, v);
}
static inline uint64_t ls__retained(const ls_heap *h, uint64_t v) {
  return ls__ucol_get(&h->retained, v);
}

/* Fill `e` (may be NULL) and return `code`: the one error filler of every
 * layer (src/reader/error.c), under the analyses' old name. */
#define ls__heap_fail ls__set_error

/* Steps of the retainer path to node v from a BFS tree (ls__path_parents),
 * repeated steps folded (markers: ls_path_step.repeat, .unit), so *count
 * may be far below the path's true length. With own_names the class names
 * are copies (for results that outlive the heap). Free with
 * ls__path_steps_free. */
ls_status ls__path_steps(const ls_heap *h, const uint32_t *parent, uint32_t v,
                         int own_names, ls_path_step **out, size_t *count,
                         ls_error *err);
void ls__path_steps_free(ls_path_step *steps, size_t n, int own_names);
/* Deep copy of a step (every string owned by dst); -1 when out of memory
 * (dst is then still safe to free as an owned step). */
int ls__path_step_copy(ls_path_step *dst, const ls_path_step *src);

/* Fold the repeated steps of `steps` in place, as ls__path_steps does;
 * returns the new count. The steps folded away are freed (own_names as in
 * ls__path_steps_free); the array keeps its allocation. Markers already in
 * `steps` are never folded again. */
size_t ls__path_fold(ls_path_step *steps, size_t n, int own_names);

/* The node ordinal of each step of the (folded) path to v that
 * ls__path_steps built from the same `parent`: nodes[i] for steps[i] (a
 * marker: the deepest node it stands for, the one its fields describe).
 * `nodes` is the caller's, n entries. O(true path length). Returns 0, or
 * -1 when a step's id is not the node found there: that entry is
 * UINT32_MAX (LS__NO_PARENT). */
int ls__path_step_nodes(const ls_heap *h, const uint32_t *parent, uint32_t v,
                        const ls_path_step *steps, size_t n, uint32_t *nodes);

#endif
