/* The diff of two snapshots: a text table like DevTools' Comparison view,
 * and JSON. */
#include <inttypes.h>
#include <string.h>

#include "render.h"

#define DIFF_TEXT_ROWS 50 /* rows shown in text; --json lists all */

static void json_side(FILE *f, const char *key, const char *path,
                      const ls_heap_totals *t) {
  fprintf(f, "\"%s\":", key);
  ls__json_totals(f, path, t);
}

int ls__render_diff_json(FILE *f, const char *old_path, const char *new_path,
                         const ls_diff *d) {
  putc('{', f);
  json_side(f, "old", old_path, &d->old_totals);
  putc(',', f);
  json_side(f, "new", new_path, &d->new_totals);
  fputs(",\"warnings\":[", f);
  const char *sep = "";
  if (d->warnings & LS_DIFF_SWAPPED) fputs("\"swapped\"", f), sep = ",";
  if (d->warnings & LS_DIFF_FEW_SHARED)
    fprintf(f, "%s\"few_shared_ids\"", sep), sep = ",";
  if (d->warnings & LS_DIFF_RECLASSED)
    fprintf(f, "%s\"changed_classes\"", sep);
  fputs("],\"classes\":[", f);
  for (size_t i = 0; i < d->row_count; i++) {
    const ls_diff_row *r = &d->rows[i];
    fputs(i ? ",\n{\"name\":" : "\n{\"name\":", f);
    ls__json_string(f, r->name, strlen(r->name));
    fprintf(f,
            ",\"added\":%" PRIu64 ",\"removed\":%" PRIu64
            ",\"count_delta\":%" PRId64 ",\"added_size\":%" PRIu64
            ",\"removed_size\":%" PRIu64 ",\"size_delta\":%" PRId64 "}",
            r->added, r->removed, r->count_delta, r->added_size,
            r->removed_size, r->size_delta);
  }
  fputs("]}\n", f);
  return ferror(f) ? -1 : 0;
}

/* "+1,234", "-5", "0" */
static const char *signed_count(int64_t x, char *buf, size_t len) {
  char g[32];
  uint64_t m = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
  snprintf(buf, len, "%s%s", x > 0 ? "+" : x < 0 ? "-" : "",
           ls__text_group(m, g, sizeof g));
  return buf;
}

/* "+1.20 kB", "-812 B", "0 B" */
static const char *signed_size(int64_t x, char *buf, size_t len) {
  char h[16];
  uint64_t m = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
  snprintf(buf, len, "%s%s", x > 0 ? "+" : x < 0 ? "-" : "",
           ls__human_size(m, h, sizeof h));
  return buf;
}

static void text_side(FILE *f, const char *label, const char *path,
                      const ls_heap_totals *t) {
  char a[32], b[32], c[16];
  fprintf(f, "%s ", label);
  ls__text_cell(f, path, (int)strlen(path));
  fprintf(f, "\n  %s nodes, %s edges, total size %s\n", 
          ls__text_group(t->node_count, a, sizeof a),
          ls__text_group(t->edge_count, b, sizeof b),
          ls__human_size(t->total_size, c, sizeof c));
}

int ls__render_diff_text(FILE *f, const char *old_path, const char *new_path,
                         const ls_diff *d) {
  text_side(f, "Old", old_path, &d->old_totals);
  text_side(f, "New", new_path, &d->new_totals);
  char s[40];
  int64_t total = (int64_t)(d->new_totals.total_size - d->old_totals.total_size);
  fprintf(f, "  total size change %s\n\n", signed_size(total, s, sizeof s));
  if (!d->row_count) {
    fputs("No objects were added or removed.\n", f);
    return ferror(f) ? -1 : 0;
  }
  const int W = 40;
  fprintf(f, "%4s  ", "#");
  ls__text_cell(f, "Class", W);
  fprintf(f, " %10s %10s %10s %11s %11s %11s\n", "New", "Deleted", "Delta",
          "Alloc. size", "Freed size", "Size delta");
  size_t shown = d->row_count < DIFF_TEXT_ROWS ? d->row_count : DIFF_TEXT_ROWS;
  for (size_t i = 0; i < shown; i++) {
    const ls_diff_row *r = &d->rows[i];
    char a[32], rm[32], cd[40], as[16], rs[16], sd[40];
    fprintf(f, "%4zu  ", i + 1);
    ls__text_cell(f, r->name, W);
    fprintf(f, " %10s %10s %10s %11s %11s %11s\n",
            ls__text_group(r->added, a, sizeof a),
            ls__text_group(r->removed, rm, sizeof rm),
            signed_count(r->count_delta, cd, sizeof cd),
            ls__human_size(r->added_size, as, sizeof as),
            ls__human_size(r->removed_size, rs, sizeof rs),
            signed_size(r->size_delta, sd, sizeof sd));
  }
  if (shown < d->row_count)
    fprintf(f, "  … %zu more classes (use --json for all)\n",
            d->row_count - shown);
  return ferror(f) ? -1 : 0;
}
