/* Text tables for people: aligned columns, human sizes, safe names. */
#include <inttypes.h>
#include <string.h>

#include "render.h"

const char *ls__human_size(uint64_t b, char *buf, size_t len) {
  static const char *unit[] = {"kB", "MB", "GB", "TB", "PB"};
  if (b < 1000) {
    snprintf(buf, len, "%" PRIu64 " B", b);
    return buf;
  }
  double v = (double)b / 1000.0;
  int u = 0;
  while (v >= 999.95 && u < 4) {
    v /= 1000.0;
    u++;
  }
  snprintf(buf, len, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v,
           unit[u]);
  return buf;
}

/* Digits with thousands separators. */
const char *ls__text_group(uint64_t x, char *buf, size_t len) {
  char tmp[32];
  int n = snprintf(tmp, sizeof tmp, "%" PRIu64, x);
  size_t o = 0;
  for (int i = 0; i < n && o + 2 < len; i++) {
    if (i && (n - i) % 3 == 0) buf[o++] = ',';
    buf[o++] = tmp[i];
  }
  buf[o] = 0;
  return buf;
}

/* Print `s` in exactly `width` terminal columns: control characters become
 * '?', too long names end with an ellipsis, UTF-8 sequences are kept whole
 * (one column per code point, which is right for nearly every name). */
void ls__text_cell(FILE *f, const char *s, int width) {
  size_t len = strlen(s);
  int cols = 0;
  for (size_t i = 0; i < len; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) cols++;
  int cut = cols > width;
  int limit = cut ? width - 1 : width, shown = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c & 0xC0) != 0x80) {
      if (shown == limit) break;
      shown++;
    }
    putc(c < 0x20 || c == 0x7f ? '?' : c, f);
  }
  if (cut) fputs("\xe2\x80\xa6", f), shown++;
  for (; shown < width; shown++) putc(' ', f);
}

void ls__text_header(FILE *f, const char *path, const ls_heap_totals *t) {
  char a[32], b[32], c[16];
  fputs("Snapshot ", f);
  ls__text_cell(f, path, (int)strlen(path));
  fprintf(f, "\n  %s nodes, %s edges, total size %s",
          ls__text_group(t->node_count, a, sizeof a), ls__text_group(t->edge_count, b, sizeof b),
          ls__human_size(t->total_size, c, sizeof c));
  if (t->node_version[0]) fprintf(f, ", Node.js %s", t->node_version);
  fputs("\n\n", f);
}

static int pct(uint64_t part, uint64_t whole) {
  return whole ? (int)((part * 100.0) / (double)whole + 0.5) : 0;
}

int ls__render_summary_text(FILE *f, const char *path, const ls_summary *s) {
  ls__text_header(f, path, &s->totals);
  const int W = 44;
  fprintf(f, "%4s  ", "#");
  ls__text_cell(f, "Class", W);
  fprintf(f, " %12s %11s %14s %5s\n", "Count", "Self size", "Retained size",
          "%");
  for (size_t i = 0; i < s->row_count; i++) {
    const ls_class_row *r = &s->rows[i];
    char cnt[32], self[16], ret[16];
    fprintf(f, "%4zu  ", i + 1);
    ls__text_cell(f, r->name, W);
    fprintf(f, " %12s %11s %14s %4d%%\n", ls__text_group(r->count, cnt, sizeof cnt),
            ls__human_size(r->self_size, self, sizeof self),
            ls__human_size(r->retained_size, ret, sizeof ret),
            pct(r->retained_size, s->totals.total_size));
  }
  if (s->row_count < s->class_count)
    fprintf(f, "  … %zu more classes (use --top N, or --json for all)\n",
            s->class_count - s->row_count);
  return ferror(f) ? -1 : 0;
}

int ls__render_top_text(FILE *f, const char *path, const ls_heap_totals *t,
                        const ls_top *top) {
  ls__text_header(f, path, t);
  const int W = 40;
  fprintf(f, "%4s  %-14s ", "#", "Id");
  ls__text_cell(f, "Class", W);
  fprintf(f, " %-12s %11s %14s %5s\n", "Type", "Self size", "Retained size",
          "%");
  for (size_t i = 0; i < top->row_count; i++) {
    const ls_object_row *r = &top->rows[i];
    char id[32], self[16], ret[16];
    snprintf(id, sizeof id, "@%" PRIu64, r->id);
    fprintf(f, "%4zu  %-14s ", i + 1, id);
    ls__text_cell(f, r->class_name, W);
    putc(' ', f);
    ls__text_cell(f, r->type, 12);
    fprintf(f, " %11s %14s %4d%%\n",
            ls__human_size(r->self_size, self, sizeof self),
            ls__human_size(r->retained_size, ret, sizeof ret),
            pct(r->retained_size, t->total_size));
  }
  return ferror(f) ? -1 : 0;
}
