/* Snapshot lifetime and accessors. */
#include <stdlib.h>

#include "snapshot.h"

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
  free(s->node_id);
  free(s->node_self_size);
  free(s->node_detachedness);
  free(s->first_edge);
  free(s->edge_type);
  free(s->edge_name);
  free(s->edge_to);
  free(s->string_off);
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
