/* Heap totals as DevTools shows them in its status line. */
#include "heap.h"

void ls_heap_totals_get(const ls_heap *h, ls_heap_totals *out) {
  out->node_count = h->s->node_count;
  out->edge_count = h->s->edge_count;
  out->total_size = h->retained[h->s->root_ordinal] + h->s->extra_native_bytes;
}
