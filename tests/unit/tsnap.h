/*
 * Test helper: describe a small heap graph in C, get it back as an
 * ls_snapshot read by the real reader from the JSON V8 would write.
 * Header-only so each unit test stays one file.
 */
#ifndef LS_TESTS_TSNAP_H
#define LS_TESTS_TSNAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leakscope.h"
#include "reader/snapshot.h"

static const char *const tsnap_node_types[] = {
    "hidden",  "array",   "string", "object",     "code",
    "closure", "regexp",  "number", "native",     "synthetic",
    "concatenated string", "sliced string", "symbol", "bigint",
    "object shape", "wasm object"};
static const char *const tsnap_edge_types[] = {
    "context", "element", "property", "internal", "hidden", "shortcut",
    "weak"};

typedef struct {
  int type, name; /* type index, string index */
  unsigned long long id, size;
  int detachedness;
} tsnap_node_t;
typedef struct {
  int from, type, to;
  long name; /* string index, or the number for element/hidden edges */
} tsnap_edge_t;

typedef struct {
  tsnap_node_t nodes[16384];
  int nn;
  tsnap_edge_t edges[65536];
  int ne;
  char *strings[16384];
  int ns;
  unsigned locs[256][4];
  int nl;
} tsnap;

static inline int tsnap_index(const char *list[], int n, const char *name) {
  for (int i = 0; i < n; i++)
    if (!strcmp(list[i], name)) return i;
  fprintf(stderr, "tsnap: unknown type %s\n", name);
  abort();
}

static inline int tsnap_str(tsnap *t, const char *s) {
  for (int i = 0; i < t->ns; i++)
    if (!strcmp(t->strings[i], s)) return i;
  t->strings[t->ns] = strdup(s);
  return t->ns++;
}

static inline tsnap *tsnap_new(void) {
  tsnap *t = calloc(1, sizeof *t);
  tsnap_str(t, "");
  return t;
}

/* Adds a node; the first one added is the root. Returns its ordinal. */
static inline int tsnap_node(tsnap *t, const char *type, const char *name,
                      unsigned long long size) {
  tsnap_node_t *n = &t->nodes[t->nn];
  n->type = tsnap_index((const char **)tsnap_node_types, 16, type);
  n->name = tsnap_str(t, name);
  n->id = 1 + 2ull * (unsigned)t->nn;
  n->size = size;
  return t->nn++;
}

static inline void tsnap_edge(tsnap *t, int from, const char *type, const char *name,
                       int to) {
  tsnap_edge_t *e = &t->edges[t->ne++];
  e->from = from;
  e->type = tsnap_index((const char **)tsnap_edge_types, 7, type);
  e->to = to;
  e->name = (e->type == 1 || e->type == 4) ? atol(name) : tsnap_str(t, name);
}

static inline void tsnap_loc(tsnap *t, int node, unsigned script, unsigned line,
                      unsigned col) {
  unsigned *l = t->locs[t->nl++];
  l[0] = (unsigned)node, l[1] = script, l[2] = line, l[3] = col;
}

static inline void tsnap_json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

/* The snapshot as V8's JSON; caller frees. */
static inline char *tsnap_json(const tsnap *t) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  fprintf(f, "{\"snapshot\":{\"meta\":{\"node_fields\":[\"type\",\"name\","
             "\"id\",\"self_size\",\"edge_count\",\"detachedness\"],"
             "\"node_types\":[[");
  for (int i = 0; i < 16; i++)
    fprintf(f, "%s\"%s\"", i ? "," : "", tsnap_node_types[i]);
  fprintf(f, "],\"string\",\"number\",\"number\",\"number\",\"number\"],"
             "\"edge_fields\":[\"type\",\"name_or_index\",\"to_node\"],"
             "\"edge_types\":[[");
  for (int i = 0; i < 7; i++)
    fprintf(f, "%s\"%s\"", i ? "," : "", tsnap_edge_types[i]);
  fprintf(f, "],\"string_or_number\",\"node\"],\"location_fields\":["
             "\"object_index\",\"script_id\",\"line\",\"column\"]},"
             "\"node_count\":%d,\"edge_count\":%d},\n\"nodes\":[",
          t->nn, t->ne);
  for (int i = 0; i < t->nn; i++) {
    int ec = 0;
    for (int e = 0; e < t->ne; e++) ec += t->edges[e].from == i;
    const tsnap_node_t *n = &t->nodes[i];
    fprintf(f, "%s%d,%d,%llu,%llu,%d,%d", i ? ",\n" : "", n->type, n->name,
            n->id, n->size, ec, n->detachedness);
  }
  fprintf(f, "],\n\"edges\":[");
  int first = 1;
  for (int i = 0; i < t->nn; i++)
    for (int e = 0; e < t->ne; e++) {
      const tsnap_edge_t *x = &t->edges[e];
      if (x->from != i) continue;
      fprintf(f, "%s%d,%ld,%d", first ? "" : ",\n", x->type, x->name,
              x->to * 6);
      first = 0;
    }
  fprintf(f, "],\n\"locations\":[");
  for (int i = 0; i < t->nl; i++)
    fprintf(f, "%s%u,%u,%u,%u", i ? "," : "", t->locs[i][0] * 6,
            t->locs[i][1], t->locs[i][2], t->locs[i][3]);
  fprintf(f, "],\n\"strings\":[");
  for (int i = 0; i < t->ns; i++) {
    if (i) fputc(',', f);
    tsnap_json_string(f, t->strings[i]);
  }
  fprintf(f, "]}\n");
  fclose(f);
  return buf;
}

/* Reads the snapshot back through the public reader; aborts the test on an
 * error. Caller frees the tsnap (tsnap_free) and the snapshot. */
static inline ls_snapshot *tsnap_read(const tsnap *t) {
  char *json = tsnap_json(t);
  ls_error err;
  ls_snapshot *s = NULL;
  ls_reader *r = ls_reader_new(&err);
  ls_status st = r ? ls_reader_feed(r, json, strlen(json), &err) : LS_ERR_NOMEM;
  if (st == LS_OK) st = ls_reader_finish(r, &s, &err);
  ls_reader_free(r);
  if (st != LS_OK) {
    fprintf(stderr, "tsnap_read: %s\n%s\n", err.message, json);
    abort();
  }
  free(json);
  return s;
}

static inline void tsnap_free(tsnap *t) {
  for (int i = 0; i < t->ns; i++) free(t->strings[i]);
  free(t);
}

#endif
