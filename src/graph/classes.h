/*
 * Class names as DevTools' Summary view shows them, and the class key that
 * separates same-named classes by constructor location.
 */
#ifndef LS_GRAPH_CLASSES_H
#define LS_GRAPH_CLASSES_H

#include "graph.h"

typedef struct ls__class {
  char *name;        /* owned, NUL-terminated UTF-8 */
  int has_location;  /* objects with a location are keyed by it too */
  uint32_t script_id, line, column;
} ls__class;

typedef struct ls__classes {
  uint32_t count;
  ls__class *items;
  uint32_t *node_class; /* node_count entries: index into items */
} ls__classes;

ls_status ls__classes_build(const ls__graph *g, ls__classes *out,
                            ls_error *err);
void ls__classes_free(ls__classes *c);

#endif
