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
    if (st->repeat)
      fprintf(f, ",\"repeat\":%" PRIu64 ",\"unit\":%" PRIu32, st->repeat,
              st->unit);
    putc('}', f);
  }
  putc(']', f);
}

static void cell60(FILE *f, const char *s) {
  size_t len = strlen(s);
  ls__text_cell(f, s, len > 60 ? 60 : (int)len);
}

/* How the holder reaches the next step: ".name" for properties, "[i]" for
 * elements, the variable for a closure context, the type otherwise. In a
 * repeated unit the indices differ from one repetition to the next:
 * `any_index` shows them as "[…]". */
const char *ls__edge_prefix(const ls_path_step *st, int *index) {
  const char *t = st->edge_type ? st->edge_type : "";
  *index = !strcmp(t, "element") || !strcmp(t, "hidden");
  if (!strcmp(t, "property")) return ".";
  if (!strcmp(t, "context")) return "variable ";
  if (!strcmp(t, "element")) return "";
  return NULL; /* the edge type, then a space */
}

size_t ls__fold_unit(const ls_path_step *steps, size_t i,
                     const ls_path_step **unit, uint64_t *reps) {
  const ls_path_step *st = &steps[i];
  size_t p = st->unit;
  *unit = st;
  if (p >= 1 && p < i) *unit = &steps[i - p];
  else p = 1;
  *reps = p > 1 ? st->repeat / p : st->repeat;
  return p;
}

static void edge_text(FILE *f, const ls_path_step *st, int any_index) {
  int index;
  const char *pre = ls__edge_prefix(st, &index);
  const char *e = st->edge ? st->edge : "";
  if (pre) fputs(pre, f);
  else fprintf(f, "%s ", st->edge_type ? st->edge_type : "");
  if (index && any_index) fputs("[…]", f);
  else if (pre && !*pre) fputs(e, f); /* an element: "[3]" as it is */
  else cell60(f, e);
}

/* A marker: "… 84,880 × .next → Listener", or for a unit of p > 1 steps
 * "… 1,000 × (.value → Wrapper, .next → Node)" (R / p repetitions). The
 * unit is the p steps before the marker; the marker itself describes it
 * when they are missing (a hand-made path). */
static void fold_text(FILE *f, const ls_path_step *steps, size_t i) {
  const ls_path_step *u;
  uint64_t reps;
  size_t p = ls__fold_unit(steps, i, &u, &reps);
  char b[32];
  fprintf(f, "… %s × ", ls__text_group(reps, b, sizeof b));
  if (p > 1) putc('(', f);
  for (size_t j = 0; j < p; j++) {
    if (j) fputs(", ", f);
    edge_text(f, &u[j], 1);
    fputs(" → ", f);
    cell60(f, u[j].class_name);
  }
  if (p > 1) putc(')', f);
  putc('\n', f);
}

void ls__text_path(FILE *f, const ls_path_step *steps, size_t n,
                   const char *indent) {
  for (size_t i = 0; i < n; i++) {
    const ls_path_step *st = &steps[i];
    fputs(indent, f);
    if (i) fprintf(f, "%*s", (int)(i < 12 ? i - 1 : 11), "");
    if (i && st->repeat) {
      fold_text(f, steps, i);
      continue;
    }
    if (i) {
      fputs("└ ", f);
      edge_text(f, st, 0);
      fputs("  →  ", f);
    }
    cell60(f, st->class_name);
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
