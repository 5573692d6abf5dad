/*
 * Class names as DevTools' Summary view shows them, and the class key that
 * separates same-named classes by constructor location.
 */
#ifndef LS_GRAPH_CLASSES_H
#define LS_GRAPH_CLASSES_H

#include "graph.h"

/* Where a class name comes from. DevTools keys classes by string index, so a
 * name it made up ("(system)", "<div>", an inferred "{a, b}") stays apart
 * from a snapshot string with the same text; the family keeps that. */
enum {
  LS__CF_RAW = 0,      /* the node's own name (value = string index) */
  LS__CF_MADE = 1,     /* "(system)", "Function", "<div>", "(string)" ... */
  LS__CF_DETACHED = 2, /* "Detached " + name (value = string index) */
  LS__CF_IFACE = 3,    /* inferred interface of plain objects, "{a, b}" */
  LS__CF_LOCATED = 4   /* object with a constructor location: name + place */
};

typedef struct ls__class {
  char *name;        /* owned, NUL-terminated UTF-8 */
  uint32_t name_len; /* bytes, without the NUL (names may hold NULs) */
  uint8_t family;    /* LS__CF_* */
  uint32_t value;    /* string index for RAW and DETACHED */
  int has_location;  /* objects with a location are keyed by it too */
  uint32_t script_id, line, column;
} ls__class;

typedef struct ls__classes {
  uint32_t count;
  ls__class *items;
  uint32_t *node_class; /* node_count entries: index into items */
} ls__classes;

/* Name every node. Caller frees with ls__classes_free, which is also safe on
 * a zeroed struct and after a failed build. */
ls_status ls__classes_build(const ls__graph *g, ls__classes *out,
                            ls_error *err);
void ls__classes_free(ls__classes *c);

#endif
