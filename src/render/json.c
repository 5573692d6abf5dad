/* JSON output: strings escaped per RFC 8259, numbers as integers. */
#include <inttypes.h>
#include <string.h>

#include "render.h"

void ls__json_string(FILE *f, const char *s, size_t len) {
  static const char hex[] = "0123456789abcdef";
  putc('"', f);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
      case '"': fputs("\\\"", f); break;
      case '\\': fputs("\\\\", f); break;
      case '\n': fputs("\\n", f); break;
      case '\r': fputs("\\r", f); break;
      case '\t': fputs("\\t", f); break;
      case '\b': fputs("\\b", f); break;
      case '\f': fputs("\\f", f); break;
      default:
        if (c < 0x20) {
          fputs("\\u00", f);
          putc(hex[c >> 4], f);
          putc(hex[c & 15], f);
        } else {
          putc(c, f);
        }
    }
  }
  putc('"', f);
}

void ls__json_snapshot(FILE *f, const char *path, const ls_heap_totals *t) {
  fputs("{\"snapshot\":", f);
  ls__json_totals(f, path, t);
}

void ls__json_totals(FILE *f, const char *path, const ls_heap_totals *t) {
  fputs("{\"path\":", f);
  ls__json_string(f, path, strlen(path));
  fprintf(f,
          ",\"node_count\":%" PRIu64 ",\"edge_count\":%" PRIu64
          ",\"total_size\":%" PRIu64,
          t->node_count, t->edge_count, t->total_size);
  if (t->node_version[0]) {
    fputs(",\"node_version\":", f);
    ls__json_string(f, t->node_version, strlen(t->node_version));
  }
  putc('}', f);
}

int ls__render_summary_json(FILE *f, const char *path, const ls_summary *s) {
  ls__json_snapshot(f, path, &s->totals);
  fprintf(f, ",\"class_count\":%zu,\"classes\":[", s->class_count);
  for (size_t i = 0; i < s->row_count; i++) {
    const ls_class_row *r = &s->rows[i];
    fputs(i ? ",\n{\"name\":" : "\n{\"name\":", f);
    ls__json_string(f, r->name, strlen(r->name));
    if (r->location) {
      fputs(",\"location\":", f);
      ls__json_string(f, r->location, strlen(r->location));
    }
    fprintf(f,
            ",\"count\":%" PRIu64 ",\"self_size\":%" PRIu64
            ",\"retained_size\":%" PRIu64 "}",
            r->count, r->self_size, r->retained_size);
  }
  fputs("]}\n", f);
  return ferror(f) ? -1 : 0;
}

int ls__render_top_json(FILE *f, const char *path, const ls_heap_totals *t,
                        const ls_top *top) {
  ls__json_snapshot(f, path, t);
  fputs(",\"objects\":[", f);
  for (size_t i = 0; i < top->row_count; i++) {
    const ls_object_row *r = &top->rows[i];
    fprintf(f, "%s{\"id\":%" PRIu64 ",\"class\":", i ? ",\n" : "\n", r->id);
    ls__json_string(f, r->class_name, strlen(r->class_name));
    fputs(",\"type\":", f);
    ls__json_string(f, r->type, strlen(r->type));
    fprintf(f, ",\"self_size\":%" PRIu64 ",\"retained_size\":%" PRIu64,
            r->self_size, r->retained_size);
    if (r->distance == UINT32_MAX)
      fputs(",\"distance\":null}", f);
    else
      fprintf(f, ",\"distance\":%" PRIu32 "}", r->distance);
  }
  fputs("]}\n", f);
  return ferror(f) ? -1 : 0;
}

static void json_key_str(FILE *f, const char *key, const char *v) {
  fprintf(f, ",\"%s\":", key);
  ls__json_string(f, v, strlen(v));
}

void ls__json_known(FILE *f, const char *key, const ls_known_leak *k,
                    const char *version, int details) {
  fprintf(f, ",\"%s\":{\"id\":", key);
  ls__json_string(f, k->id, strlen(k->id));
  json_key_str(f, "title", k->title);
  json_key_str(f, "reference", k->reference);
  if (details) {
    json_key_str(f, "fixed_in", k->fixed_in);
    json_key_str(f, "advice", k->advice);
    json_key_str(f, "affected", k->affected);
    const char *fix = ls_known_fixed_for(k, version);
    fputs(",\"fixed_for_version\":", f);
    if (fix) ls__json_string(f, fix, strlen(fix));
    else fputs("null", f);
  }
  putc('}', f);
}
