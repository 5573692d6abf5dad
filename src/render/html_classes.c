/* The class section shared by the trend and summary reports: a bar chart
 * of the largest classes and a table sortable by CSS alone. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define MAX_ROWS 2000 /* class table rows: the page stays light */
#define BAR_ROWS 20   /* classes in the bar chart */

/* A row to sort, carrying itself (no file-scope context: reports are
 * rendered on several threads at once). */
typedef struct {
  const ls_class_row *row;
  size_t i;
} sort_row;

static int by_name(const void *a, const void *b) {
  const sort_row *x = a, *y = b;
  int c = strcmp(x->row->name, y->row->name);
  return c ? c : (x->i > y->i) - (x->i < y->i);
}
static int by_count(const void *a, const void *b) {
  const sort_row *x = a, *y = b;
  uint64_t p = x->row->count, q = y->row->count;
  return p != q ? (p < q) - (p > q) : (x->i > y->i) - (x->i < y->i);
}
static int by_self(const void *a, const void *b) {
  const sort_row *x = a, *y = b;
  uint64_t p = x->row->self_size, q = y->row->self_size;
  return p != q ? (p < q) - (p > q) : (x->i > y->i) - (x->i < y->i);
}

/* rank[i] = position of row i when sorted by `cmp` (1-based). */
static int ranks(const ls_class_row *rows, size_t n, sort_row *tmp,
                 uint32_t *rank, int (*cmp)(const void *, const void *)) {
  for (size_t i = 0; i < n; i++) tmp[i] = (sort_row){&rows[i], i};
  if (n > 1) qsort(tmp, n, sizeof *tmp, cmp);
  for (size_t i = 0; i < n; i++) rank[tmp[i].i] = (uint32_t)(i + 1);
  return 0;
}

static void sort_head(FILE *f, const char *label, char key, int text_col) {
  /* ▲ ascending, ▼ descending; numbers start descending */
  fprintf(f, "<th%s scope=\"col\">%s <label for=\"o-%c-a\" title=\"sort "
             "ascending\">▲</label><label for=\"o-%c-d\" title=\"sort "
             "descending\">▼</label></th>",
          text_col ? " class=\"l\"" : "", label, key, key);
}

static void size_cell(FILE *f, uint64_t v) {
  char h[32], g[32];
  fprintf(f, "<td title=\"%s bytes\">%s</td>", ls__text_group(v, g, sizeof g),
          ls__human_size(v, h, sizeof h));
}

void ls__html_classes(FILE *f, const ls_class_row *rows, size_t n,
                      uint64_t total, const char *sizes_note) {
  char a[32], b[32];
  size_t shown = n > MAX_ROWS ? MAX_ROWS : n;
  fputs("<section id=\"classes\"><h2>Classes</h2>\n", f);
  fprintf(f, "<p class=\"mut\">%s classes", ls__text_group(n, a, sizeof a));
  if (sizes_note) fprintf(f, "; %s", sizes_note);
  fputs(".</p>\n", f);
  if (!n) {
    fputs("<p>No classes.</p></section>\n", f);
    return;
  }
  fprintf(f, "<figure class=\"bars\" id=\"class-bars\">");
  ls__html_class_bars(f, rows, n < BAR_ROWS ? n : BAR_ROWS);
  fprintf(f, "<figcaption class=\"legend\">The %zu largest classes by "
             "retained size.</figcaption></figure>\n",
          n < BAR_ROWS ? n : BAR_ROWS);

  sort_row *tmp = malloc(shown * sizeof *tmp);
  uint32_t *rn = malloc(shown * sizeof *rn), *rc = malloc(shown * sizeof *rc),
           *rs = malloc(shown * sizeof *rs);
  int sortable = tmp && rn && rc && rs;
  if (sortable) {
    ranks(rows, shown, tmp, rn, by_name);
    ranks(rows, shown, tmp, rc, by_count);
    ranks(rows, shown, tmp, rs, by_self);
  }
  fputs("<div class=\"sortable\">\n", f);
  if (sortable) {
    /* radios first: the CSS reorders the rows of the table after them */
    static const char *const ids[] = {"o-r-d", "o-r-a", "o-s-d", "o-s-a",
                                      "o-c-d", "o-c-a", "o-n-a", "o-n-d"};
    for (size_t i = 0; i < 8; i++)
      fprintf(f, "<input type=\"radio\" class=\"sr\" name=\"order\" id=\"%s\""
                 " aria-label=\"sort %s\"%s>",
              ids[i], ids[i], i == 0 ? " checked" : "");
    putc('\n', f);
  }
  fputs("<table class=\"cls\" id=\"class-table\"><caption class=\"mut\" "
        "style=\"text-align:left\">", f);
  if (shown < n)
    fprintf(f, "The %s largest of %s classes by retained size. ",
            ls__text_group(shown, a, sizeof a), ls__text_group(n, b, sizeof b));
  fputs(sortable ? "Sort with ▲ ▼ in the headings.</caption>\n<thead><tr>"
                 : "</caption>\n<thead><tr>", f);
  if (sortable) {
    sort_head(f, "Class", 'n', 1);
    sort_head(f, "Count", 'c', 0);
    sort_head(f, "Self size", 's', 0);
    sort_head(f, "Retained", 'r', 0);
  } else {
    fputs("<th class=\"l\">Class</th><th>Count</th><th>Self size</th>"
          "<th>Retained</th>", f);
  }
  fputs("<th>% heap</th></tr></thead>\n<tbody>\n", f);
  for (size_t i = 0; i < shown; i++) {
    const ls_class_row *r = &rows[i];
    if (sortable)
      fprintf(f, "<tr style=\"--n:%u;--c:%u;--s:%u;--r:%zu\">", rn[i], rc[i],
              rs[i], i + 1);
    else
      fputs("<tr>", f);
    fputs("<td class=\"l name\">", f);
    ls__html_text(f, r->name, 300);
    if (r->location) {
      fputs(" <span class=\"mut\" title=\"script id, line, column\">", f);
      ls__html_text(f, r->location, 40);
      fputs("</span>", f);
    }
    fprintf(f, "</td><td>%s</td>", ls__text_group(r->count, a, sizeof a));
    size_cell(f, r->self_size);
    size_cell(f, r->retained_size);
    fprintf(f, "<td>%.1f</td></tr>\n",
            total ? 100.0 * (double)r->retained_size / (double)total : 0.0);
  }
  fputs("</tbody></table></div></section>\n", f);
  free(tmp);
  free(rn);
  free(rc);
  free(rs);
}

