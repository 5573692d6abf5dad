/* Inline SVG charts for the HTML report: line charts of a series over the
 * snapshots, horizontal bars of the largest classes. Colours come from the
 * page's CSS classes, so both themes apply; tooltips are SVG <title>s,
 * which work without any script. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "render.h"

#define W 680.0   /* viewBox width */
#define ML 78.0   /* left margin: y labels */
#define MR 30.0
#define MT 10.0
#define PANEL_H 130.0
#define SMALL_H 72.0 /* a second panel (counts) */
#define GAP 16.0
#define MB 38.0   /* x labels: number and time */

static void value_text(char *buf, size_t len, uint64_t v, int bytes) {
  if (bytes) ls__human_size(v, buf, len);
  else ls__text_group(v, buf, len);
}

/* Axis from `lo` (0 unless the values sit far from it) to `hi`, with a
 * step of 1, 2 or 5 times a power of ten. */
static void nice_axis(double mn, double mx, double *lo, double *hi,
                      double *step) {
  double base = mn > mx / 2 ? mn : 0;
  double span = mx - base;
  if (span <= 0) {
    base = 0;
    span = mx > 0 ? mx : 1;
  }
  double raw = span / 4, mag = pow(10, floor(log10(raw)));
  double st = raw <= mag ? mag : raw <= 2 * mag ? 2 * mag
                           : raw <= 5 * mag   ? 5 * mag
                                              : 10 * mag;
  if (st < 1) st = 1; /* whole bytes and counts */
  *lo = floor(base / st) * st;
  *hi = ceil(mx / st) * st;
  if (*hi <= *lo) *hi = *lo + st;
  *step = st;
}

/* "+12 s", "+3.5 min", "+2.0 h" since the first snapshot. */
static void time_text(char *buf, size_t len, double dt) {
  if (dt < 120) snprintf(buf, len, "+%.*f s", dt < 10 ? 1 : 0, dt);
  else if (dt < 7200) snprintf(buf, len, "+%.1f min", dt / 60);
  else snprintf(buf, len, "+%.1f h", dt / 3600);
}

static double x_at(size_t i, size_t n) {
  double w = W - ML - MR;
  return n <= 1 ? ML + w / 2 : ML + w * (double)i / (double)(n - 1);
}

static void panel(FILE *f, const ls__chart_panel *p, size_t n,
                  const double *times, double top, double h) {
  double mn = 0, mx = 0;
  int any = 0;
  for (size_t l = 0; l < p->line_count; l++)
    for (size_t i = 0; i < n; i++) {
      uint64_t v = p->lines[l].v[i];
      if (v == LS_TREND_ABSENT) continue;
      if (!any || (double)v < mn) mn = (double)v;
      if (!any || (double)v > mx) mx = (double)v;
      any = 1;
    }
  fprintf(f, "<rect class=\"frame\" x=\"%.0f\" y=\"%.1f\" width=\"%.0f\" "
             "height=\"%.0f\"/>",
          ML, top, W - ML - MR, h);
  if (!any) {
    fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"middle\">no "
               "values</text>",
            ML + (W - ML - MR) / 2, top + h / 2);
    return;
  }
  double lo, hi, st;
  nice_axis(mn, mx, &lo, &hi, &st);
  const double pad = 6; /* keep points off the frame */
  const double y0 = top + h - pad, yh = h - 2 * pad;
#define Y(v) (y0 - ((double)(v) - lo) / (hi - lo) * yh)
  char b[32];
  for (double t = lo; t <= hi + st / 2; t += st) {
    double y = Y(t);
    fprintf(f, "<line class=\"grid\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" "
               "y2=\"%.1f\"/>",
            ML, W - MR, y, y);
    value_text(b, sizeof b, (uint64_t)t, p->bytes);
    fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
            ML - 6, y + 4, b);
  }
  for (size_t l = 0; l < p->line_count; l++) {
    const ls__chart_line *ln = &p->lines[l];
    int c = ln->color >= 1 && ln->color <= 3 ? ln->color : 1;
    /* one path, broken where the object did not exist */
    fprintf(f, "<path class=\"ln ln%d\" d=\"", c);
    int pen = 0;
    for (size_t i = 0; i < n; i++) {
      if (ln->v[i] == LS_TREND_ABSENT) {
        pen = 0;
        continue;
      }
      fprintf(f, "%c%.1f %.1f", pen ? 'L' : 'M', x_at(i, n), Y(ln->v[i]));
      pen = 1;
    }
    fputs("\"/>", f);
    for (size_t i = 0; i < n; i++) {
      if (ln->v[i] == LS_TREND_ABSENT) continue;
      char g[32], tt[32] = "";
      value_text(b, sizeof b, ln->v[i], p->bytes);
      if (times) {
        char x[24];
        time_text(x, sizeof x, times[i] - times[0]);
        snprintf(tt, sizeof tt, " (%s)", x);
      }
      fprintf(f, "<circle class=\"pt%d\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\">"
                 "<title>snapshot %zu%s: ",
              c, x_at(i, n), Y(ln->v[i]), i + 1, tt);
      ls__html_text(f, ln->label, 80);
      fprintf(f, " %s", b);
      if (p->bytes && ln->v[i] >= 1000)
        fprintf(f, " (%s B)", ls__text_group(ln->v[i], g, sizeof g));
      fputs("</title></circle>", f);
    }
  }
#undef Y
}

void ls__html_line_chart(FILE *f, const char *label, size_t n,
                         const double *times, const ls__chart_panel *panels,
                         size_t panel_count) {
  double h = MT;
  for (size_t k = 0; k < panel_count; k++)
    h += (k ? GAP + SMALL_H : PANEL_H);
  double plot_bottom = h;
  h += MB;
  fprintf(f, "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
             "xmlns=\"http://www.w3.org/2000/svg\"><title>", W, h);
  ls__html_text(f, label, 400);
  fputs("</title>", f);
  double top = MT;
  for (size_t k = 0; k < panel_count; k++) {
    double ph = k ? SMALL_H : PANEL_H;
    panel(f, &panels[k], n, times, top, ph);
    top += ph + GAP;
  }
  /* x axis: every snapshot when they fit, else about 12 labels */
  size_t every = n > 12 ? (n + 11) / 12 : 1;
  for (size_t i = 0; i < n; i++) {
    if (i % every && i != n - 1) continue;
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">#%zu</text>",
            x_at(i, n), plot_bottom + 14, i + 1);
    if (times) {
      char t[24];
      time_text(t, sizeof t, times[i] - times[0]);
      fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s"
                 "</text>",
              x_at(i, n), plot_bottom + 28, t);
    }
  }
  fputs("</svg>", f);
}

#define BAR_H 20.0
#define LABEL_W 300.0
#define BW 860.0

void ls__html_class_bars(FILE *f, const ls_class_row *rows, size_t n) {
  uint64_t mx = 0;
  for (size_t i = 0; i < n; i++)
    if (rows[i].retained_size > mx) mx = rows[i].retained_size;
  const double h = BAR_H * (double)n + 8, span = BW - LABEL_W - 90;
  fprintf(f, "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
             "xmlns=\"http://www.w3.org/2000/svg\"><title>Retained size of the "
             "%zu largest classes</title>",
          BW, h, n);
  for (size_t i = 0; i < n; i++) {
    const ls_class_row *r = &rows[i];
    char a[32], g[32], c[32], k[32];
    double y = 4 + BAR_H * (double)i;
    double w = mx ? span * (double)r->retained_size / (double)mx : 0;
    if (w < 1 && r->retained_size) w = 1;
    fputs("<g><title>", f);
    ls__html_text(f, r->name, 300);
    fprintf(f, ": retained %s (%s B), self %s, %s objects</title>",
            ls__human_size(r->retained_size, a, sizeof a),
            ls__text_group(r->retained_size, g, sizeof g),
            ls__human_size(r->self_size, c, sizeof c),
            ls__text_group(r->count, k, sizeof k));
    fprintf(f, "<text class=\"lbl\" x=\"%.0f\" y=\"%.1f\" "
               "text-anchor=\"end\">",
            LABEL_W - 8, y + 14);
    ls__html_text(f, r->name, 44);
    fprintf(f, "</text><rect class=\"bar\" x=\"%.0f\" y=\"%.1f\" "
               "width=\"%.1f\" height=\"%.0f\" rx=\"2\"/>"
               "<text x=\"%.1f\" y=\"%.1f\">%s</text></g>",
            LABEL_W, y + 2, w, BAR_H - 5, LABEL_W + w + 6, y + 14, a);
  }
  fputs("</svg>", f);
}
