/* Retainer paths as text a person follows top to bottom, and as JSON. */
#include <inttypes.h>
#include <string.h>

#include "render.h"

void ls__json_path(FILE *f, const ls_path_step *steps, size_t n) {
  putc('[', f);
  for (size_t i = 0; i < n; i++) {
    const ls_path_step *st = &steps[i];
    fputs(i ? ",{\"name\":" : "{\"name\":", f);
    ls__json_string(f, st->class_name, strlen(st->class_name));
    fputs(",\"type\":", f);
    ls__json_string(f, st->type, strlen(st->type));
    fprintf(f, ",\"id\":%" PRIu64 ",\"edge\":", st->id);
    if (st->edge) ls__json_string(f, st->edge, strlen(st->edge));
    else fputs("null", f);
    fputs(",\"edge_type\":", f);
    if (st->edge_type) ls__json_string(f, st->edge_type, strlen(st->edge_type));
    else fputs("null", f);
    putc('}', f);
  }
  putc(']', f);
}

/* How the holder reaches the next step: ".name" for properties, "[i]" for
 * elements, the variable for a closure context, the type otherwise. */
static void edge_text(FILE *f, const ls_path_step *st) {
  const char *t = st->edge_type ? st->edge_type : "";
  const char *e = st->edge ? st->edge : "";
  if (!strcmp(t, "property")) {
    putc('.', f);
    ls__text_cell(f, e, (int)strlen(e) > 60 ? 60 : (int)strlen(e));
  } else if (!strcmp(t, "element")) {
    fputs(e, f);
  } else if (!strcmp(t, "context")) {
    fputs("variable ", f);
    ls__text_cell(f, e, (int)strlen(e) > 60 ? 60 : (int)strlen(e));
  } else {
    fprintf(f, "%s ", t);
    ls__text_cell(f, e, (int)strlen(e) > 60 ? 60 : (int)strlen(e));
  }
}

void ls__text_path(FILE *f, const ls_path_step *steps, size_t n,
                   const char *indent) {
  for (size_t i = 0; i < n; i++) {
    const ls_path_step *st = &steps[i];
    fputs(indent, f);
    if (i) {
      fprintf(f, "%*s└ ", (int)(i < 12 ? i - 1 : 11), "");
      edge_text(f, st);
      fputs("  →  ", f);
    }
    size_t len = strlen(st->class_name);
    ls__text_cell(f, st->class_name, len > 60 ? 60 : (int)len);
    fprintf(f, " @%" PRIu64 "\n", st->id);
  }
}

int ls__render_paths_json(FILE *f, const char *path, const ls_heap_totals *t,
                          const char *query, const ls_paths *p) {
  ls__json_snapshot(f, path, t);
  fputs(",\"query\":", f);
  ls__json_string(f, query, strlen(query));
  fprintf(f, ",\"match_count\":%zu,\"paths\":[", p->match_count);
  for (size_t i = 0; i < p->path_count; i++) {
    const ls_path *x = &p->paths[i];
    fprintf(f, "%s{\"id\":%" PRIu64 ",\"reachable\":%s,\"path\":",
            i ? ",\n" : "\n", x->target_id, x->step_count ? "true" : "false");
    ls__json_path(f, x->steps, x->step_count);
    putc('}', f);
  }
  fputs("]}\n", f);
  return ferror(f) ? -1 : 0;
}

int ls__render_paths_text(FILE *f, const char *path, const ls_heap_totals *t,
                          const char *query, const ls_paths *p) {
  ls__text_header(f, path, t);
  fprintf(f, "%zu object%s match %s", p->match_count,
          p->match_count == 1 ? "" : "s", "");
  ls__text_cell(f, query, (int)(strlen(query) > 80 ? 80 : strlen(query)));
  if (p->path_count < p->match_count)
    fprintf(f, "; paths to the %zu with the largest retained size", p->path_count);
  fputs(".\nShortest retainer paths (weak edges skipped), root first:\n", f);
  for (size_t i = 0; i < p->path_count; i++) {
    const ls_path *x = &p->paths[i];
    fprintf(f, "\n@%" PRIu64 ":\n", x->target_id);
    if (!x->step_count)
      fputs("  unreachable from the roots (only weak edges or nothing hold "
            "it; the next GC frees it)\n", f);
    else
      ls__text_path(f, x->steps, x->step_count, "  ");
  }
  return ferror(f) ? -1 : 0;
}
