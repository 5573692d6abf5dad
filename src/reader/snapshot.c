/* Snapshot lifetime and accessors. */
#include <stdint.h>
#include <stdlib.h>

#include "snapshot.h"

int ls__ucol_grow(ls__ucol *c, uint64_t cap) {
  if (!cap) cap = 1;
  if (c->w64) {
    if (cap > SIZE_MAX / 8) return -1;
    uint64_t *q = realloc(c->w64, (size_t)cap * 8);
    if (!q) return -1;
    c->w64 = q;
  } else {
    if (cap > SIZE_MAX / 4) return -1;
    uint32_t *q = realloc(c->w32, (size_t)cap * 4);
    if (!q) return -1;
    c->w32 = q;
  }
  return 0;
}

int ls__ucol_widen(ls__ucol *c, uint64_t n, uint64_t cap) {
  if (c->w64) return 0;
  if (cap < n) cap = n;
  if (!cap) cap = 1;
  if (cap > SIZE_MAX / 8) return -1;
  uint64_t *w = malloc((size_t)cap * 8);
  if (!w) return -1;
  for (uint64_t i = 0; i < n; i++) w[i] = c->w32[i];
  free(c->w32);
  c->w32 = NULL;
  c->w64 = w;
  return 0;
}

void ls__ucol_free(ls__ucol *c) {
  free(c->w32);
  free(c->w64);
  c->w32 = NULL;
  c->w64 = NULL;
}

void ls_snapshot_free(ls_snapshot *s) {
  if (!s) return;
  for (uint32_t i = 0; s->node_type_names && i < s->node_type_count; i++)
    free(s->node_type_names[i]);
  for (uint32_t i = 0; s->edge_type_names && i < s->edge_type_count; i++)
    free(s->edge_type_names[i]);
  free(s->node_type_names);
  free(s->edge_type_names);
  free(s->node_type);
  free(s->node_name);
  ls__ucol_free(&s->node_id);
  ls__ucol_free(&s->node_self_size);
  free(s->node_detachedness);
  free(s->first_edge);
  free(s->edge_type);
  free(s->edge_name);
  free(s->edge_name24);
  free(s->edge_to);
  ls__ucol_free(&s->string_off);
  free(s->string_data);
  free(s->loc_node);
  free(s->loc_script);
  free(s->loc_line);
  free(s->loc_column);
  free(s->node_trace);
  free(s->tf_name);
  free(s->tf_script);
  free(s->tf_script_id);
  free(s->tf_line);
  free(s->tf_column);
  free(s->tn_id);
  free(s->tn_fn);
  free(s->tn_parent);
  free(s);
}

uint64_t ls_snapshot_node_count(const ls_snapshot *s) {
  return s ? s->node_count : 0;
}

uint64_t ls_snapshot_edge_count(const ls_snapshot *s) {
  return s ? s->edge_count : 0;
}
