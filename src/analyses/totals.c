/* Heap totals as DevTools shows them in its status line. */
#include <string.h>

#include "heap.h"

/* The Node.js version the heap's `process.version` holds ("22.14.0"),
 * or "" when it is not there (a browser, or a heap without Node). */
static void node_version(const ls_snapshot *s, char *out, size_t len) {
  out[0] = 0;
  uint32_t proc = UINT32_MAX, ver = UINT32_MAX;
  for (uint32_t i = 0; i < s->string_count && (proc == UINT32_MAX || ver == UINT32_MAX); i++) {
    uint64_t l = ls__strlen(s, i);
    if (l == 7 && !memcmp(ls__str(s, i), "process", 7)) proc = i;
    else if (l == 7 && !memcmp(ls__str(s, i), "version", 7)) ver = i;
  }
  if (proc == UINT32_MAX || ver == UINT32_MAX) return;
  for (uint64_t v = 0; v < s->node_count; v++) {
    if (s->node_name[v] != proc || s->node_type[v] != s->nt.object) continue;
    for (uint64_t e = s->first_edge[v]; e < s->first_edge[v + 1]; e++) {
      if (ls__edge_type(s, e) != s->et.property || ls__edge_name(s, e) != ver) continue;
      uint32_t to = ls__edge_to(s, e);
      if (s->node_type[to] != s->nt.string) continue;
      const char *str = ls__str(s, s->node_name[to]);
      uint64_t l = ls__strlen(s, s->node_name[to]);
      /* "v22.14.0": digits and two dots */
      int dots = 0, ok = l >= 6 && l < len && str[0] == 'v';
      for (uint64_t i = 1; ok && i < l; i++) {
        if (str[i] == '.') dots++;
        else ok = str[i] >= '0' && str[i] <= '9';
      }
      if (ok && dots == 2) {
        memcpy(out, str + 1, l - 1);
        out[l - 1] = 0;
        return;
      }
    }
  }
}


void ls_heap_totals_get(const ls_heap *h, ls_heap_totals *out) {
  out->node_count = h->s->node_count;
  out->edge_count = h->s->edge_count;
  out->total_size = ls__retained(h, h->s->root_ordinal) + h->s->extra_native_bytes;
  node_version(h->s, out->node_version, sizeof out->node_version);
}
