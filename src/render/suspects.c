/* Leak suspects of one snapshot: text and JSON (the HTML page is in
 * html_suspects.c). Names only: never a string value of the heap. */
#include <inttypes.h>
#include <string.h>

#include "render.h"

static void jstr(FILE *f, const char *s) { ls__json_string(f, s, strlen(s)); }

int ls__render_suspects_json(FILE *f, const char *path,
                             const ls_suspects *r) {
  ls__json_snapshot(f, path, &r->totals);
  fprintf(f, ",\"threshold\":%.6g,\"heap_size\":%" PRIu64 ",\"suspects\":[",
          r->threshold, r->heap_size);
  for (size_t i = 0; i < r->count; i++) {
    const ls_leak_suspect *x = &r->suspects[i];
    fprintf(f, "%s{\"kind\":\"%s\",\"name\":", i ? ",\n" : "\n",
            x->kind == LS_SUSPECT_OBJECT ? "object" : "class");
    jstr(f, x->name);
    if (x->kind == LS_SUSPECT_OBJECT) fprintf(f, ",\"id\":%" PRIu64, x->id);
    fprintf(f, ",\"count\":%" PRIu64 ",\"retained_size\":%" PRIu64
               ",\"share\":%.6f,\"accumulation_point\":{\"id\":%" PRIu64
               ",\"name\":",
            x->count, x->retained_size, x->share, x->point_id);
    jstr(f, x->point_name);
    fprintf(f, ",\"retained_size\":%" PRIu64 ",\"path\":", x->point_retained);
    ls__json_path(f, x->path, x->path_len);
    fputs("},\"accumulated\":[", f);
    for (size_t j = 0; j < x->accumulated_count; j++) {
      const ls_accumulated *a = &x->accumulated[j];
      fputs(j ? ",{\"class\":" : "{\"class\":", f);
      jstr(f, a->class_name);
      fprintf(f, ",\"count\":%" PRIu64 ",\"self_size\":%" PRIu64
                 ",\"retained_size\":%" PRIu64 "}",
              a->count, a->self_size, a->retained_size);
    }
    fputs("],\"related\":[", f);
    for (size_t j = 0; j < x->related_count; j++)
      fprintf(f, "%s%zu", j ? "," : "", x->related[j]);
    putc(']', f);
    ls__json_allocs(f, &x->alloc);
    if (x->known) ls__json_known(f, "known", x->known, r->totals.node_version, 1);
    if (x->resembles)
      ls__json_known(f, "resembles", x->resembles, r->totals.node_version, 0);
    putc('}', f);
  }
  fputs("]}\n", f);
  return ferror(f) ? -1 : 0;
}

/* "12.3%" of a share. */
static const char *pct(double share, char *buf, size_t len) {
  snprintf(buf, len, "%.1f%%", share * 100.0);
  return buf;
}

void ls__suspect_headline(const ls_leak_suspect *x, char *buf, size_t len) {
  char ret[16], p[16], cnt[32];
  if (x->kind == LS_SUSPECT_OBJECT)
    snprintf(buf, len, "One %s @%" PRIu64 " retains %s (%s of the heap)",
             x->name, x->id, ls__human_size(x->retained_size, ret, sizeof ret),
             pct(x->share, p, sizeof p));
  else
    snprintf(buf, len, "%s instances of %s retain %s together (%s of the heap)",
             ls__text_group(x->count, cnt, sizeof cnt), x->name,
             ls__human_size(x->retained_size, ret, sizeof ret),
             pct(x->share, p, sizeof p));
}

int ls__render_suspects_text(FILE *f, const char *path,
                             const ls_suspects *r) {
  ls__text_header(f, path, &r->totals);
  char a[16], b[16];
  if (!r->count) {
    fprintf(f, "No leak suspect: no object or class of top-level dominators "
               "retains %s of the heap (%s) or more.\n",
            pct(r->threshold, a, sizeof a),
            ls__human_size(r->heap_size, b, sizeof b));
    return ferror(f) ? -1 : 0;
  }
  fprintf(f, "%zu leak suspect%s retaining %s or more of the heap (%s):\n",
          r->count, r->count == 1 ? "," : "s, each", pct(r->threshold, a, sizeof a),
          ls__human_size(r->heap_size, b, sizeof b));
  for (size_t i = 0; i < r->count; i++) {
    const ls_leak_suspect *x = &r->suspects[i];
    char head[512], ret[16];
    ls__suspect_headline(x, head, sizeof head);
    fprintf(f, "\n%2zu. ", i + 1);
    ls__text_cell(f, head, (int)strlen(head));
    fputs("\n    accumulation point: ", f);
    ls__text_cell(f, x->point_name, (int)strlen(x->point_name));
    fprintf(f, " @%" PRIu64 " (retains %s)\n", x->point_id,
            ls__human_size(x->point_retained, ret, sizeof ret));
    if (x->known) {
      fprintf(f, "    KNOWN RUNTIME LEAK: %s (%s)\n      %s\n      see %s\n",
              x->known->title, x->known->id, x->known->advice,
              x->known->reference);
    }
    if (x->resembles)
      fprintf(f, "    it resembles the known runtime leak %s (%s), but Node.js %s has "
                 "its fix: what it holds is the program's own\n",
              x->resembles->id, x->resembles->reference,
              r->totals.node_version[0] ? r->totals.node_version : "(unknown)");
    ls__text_allocs(f, &x->alloc, "held", "    ");
    if (x->path_len) {
      fputs("    held by (shortest path from a root):\n", f);
      ls__text_path(f, x->path, x->path_len, "      ");
    } else {
      fputs("    no path from a root (held only weakly)\n", f);
    }
    if (x->accumulated_count) {
      fprintf(f, "    accumulated objects (%s):\n      %12s %11s %14s  %s\n",
              x->kind == LS_SUSPECT_OBJECT ? "what the point holds, by class"
                                           : "the instances",
              "Count", "Self size", "Retained size", "Class");
      for (size_t j = 0; j < x->accumulated_count; j++) {
        const ls_accumulated *c = &x->accumulated[j];
        char cnt[32], self[16], rs[16];
        fprintf(f, "      %12s %11s %14s  ", ls__text_group(c->count, cnt, sizeof cnt),
                ls__human_size(c->self_size, self, sizeof self),
                ls__human_size(c->retained_size, rs, sizeof rs));
        ls__text_cell(f, c->class_name, (int)strlen(c->class_name));
        putc('\n', f);
      }
    }
    if (x->related_count) {
      fputs("    related (paths share an object): suspect", f);
      if (x->related_count > 1) putc('s', f);
      for (size_t j = 0; j < x->related_count; j++)
        fprintf(f, "%s%zu", j ? ", " : " ", x->related[j] + 1);
      putc('\n', f);
    }
  }
  return ferror(f) ? -1 : 0;
}
