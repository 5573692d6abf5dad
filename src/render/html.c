/* The HTML report's page: the frame (head, CSS, themes) and the summary
 * report. No script anywhere: the page is static, sorting is CSS.
 * The render layer's HTML parts, bottom up: html_text.c (escaping),
 * html_chart.c (SVG charts), html_classes.c (the class section),
 * html.c (the page, the summary), html_trend.c (the trend report). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"


static const char css[] =
    ":root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--mut:#59636e;"
    "--line:#d1d9e0;--card:#f6f8fa;--acc:#0969da;--leak:#cf222e;--ok:#1a7f37;"
    "--c1:#0969da;--c2:#bc4c00;--c3:#8250df;--bar:#54aeff}\n"
    "@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;"
    "--mut:#9198a1;--line:#3d444d;--card:#151b23;--acc:#4493f8;--leak:#f85149;"
    "--ok:#3fb950;--c1:#4493f8;--c2:#f0883e;--c3:#ab7df8;--bar:#1f6feb}}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 "
    "system-ui,-apple-system,'Segoe UI',sans-serif}\n"
    "main{max-width:1100px;margin:0 auto;padding:16px 20px 40px}\n"
    "h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.6em 0 .5em;"
    "border-bottom:1px solid var(--line);padding-bottom:.2em}"
    "h3{font-size:1.05em;margin:0 0 .3em}h4{font-size:.95em;margin:.8em 0 .3em}\n"
    "code,.mono,.id{font-family:ui-monospace,'DejaVu Sans Mono',monospace;"
    "font-size:.92em}\n"
    ".mut,.id{color:var(--mut)}\n"
    "a{color:var(--acc)}\n"
    ".brand{color:var(--mut);margin:0}\n"
    ".verdict{border:1px solid var(--line);border-left:6px solid var(--ok);"
    "background:var(--card);border-radius:6px;padding:10px 16px;margin:10px 0}\n"
    ".verdict.leak{border-left-color:var(--leak)}\n"
    ".verdict.unsure{border-left-color:var(--acc)}\n"
    ".verdict h1{color:var(--ok)}.verdict.leak h1{color:var(--leak)}"
    ".verdict.unsure h1{color:var(--acc)}\n"
    ".key{font-size:1.15em;font-weight:600;margin:.3em 0}\n"
    ".name,.edge,.node{overflow-wrap:anywhere}\n"
    ".suspect{border:1px solid var(--line);border-radius:6px;padding:12px 16px;"
    "margin:14px 0;background:var(--bg)}\n"
    ".suspect.member{margin-left:28px;border-style:dashed}\n"
    ".rank{display:inline-block;min-width:1.6em;text-align:center;"
    "background:var(--fg);color:var(--bg);border-radius:4px;margin-right:.4em}\n"
    ".known{border:1px solid var(--leak);border-radius:6px;padding:6px 12px;"
    "margin:8px 0}\n"
    "figure{margin:8px 0}\n"
    "svg{display:block;width:100%;height:auto;max-width:680px}\n"
    "svg text{fill:var(--mut);font:11px system-ui,sans-serif}\n"
    ".bars svg{max-width:860px}.bars svg text.lbl{fill:var(--fg)}\n"
    ".grid{stroke:var(--line);stroke-width:1}\n"
    ".frame{fill:none;stroke:var(--line)}\n"
    ".ln{fill:none;stroke-width:2.2;stroke-linejoin:round}\n"
    ".ln1{stroke:var(--c1)}.ln2{stroke:var(--c2);stroke-dasharray:6 3}"
    ".ln3{stroke:var(--c3)}\n"
    ".pt1{fill:var(--c1)}.pt2{fill:var(--c2)}.pt3{fill:var(--c3)}\n"
    ".bar{fill:var(--bar)}\n"
    ".legend{font-size:.85em;color:var(--mut)}\n"
    ".sw{display:inline-block;width:18px;height:3px;vertical-align:middle;"
    "margin:0 4px 0 10px}.sw1{background:var(--c1)}.sw2{background:var(--c2)}"
    ".sw3{background:var(--c3)}\n"
    "table{border-collapse:collapse;font-size:.9em}\n"
    "td,th{padding:2px 8px;text-align:right;border-bottom:1px solid var(--line)}"
    "\nth{font-weight:600}td.l,th.l{text-align:left}\n"
    ".path{list-style:none;margin:0;padding:0 0 0 4px}\n"
    ".path li{position:relative;padding:2px 0 2px 18px;"
    "border-left:2px solid var(--line);margin-left:6px}\n"
    ".path li:first-child{border-left-color:transparent}\n"
    ".path li::before{content:'';position:absolute;left:-6px;top:.55em;"
    "width:10px;height:10px;border-radius:50%;background:var(--mut)}\n"
    ".path li:last-child::before{background:var(--leak)}\n"
    ".path .edge{color:var(--c2);font-family:ui-monospace,monospace}\n"
    ".path .edge::after{content:'\\00a0\\2192\\00a0';color:var(--mut)}\n"
    ".path .node{font-weight:600}\n"
    ".value{color:var(--c3);font-family:ui-monospace,monospace}\n"
    ".toc ol{columns:2 320px;margin:0;padding-left:1.6em}\n"
    "details summary{cursor:pointer;color:var(--mut)}\n"
    /* the class table: rows are grid lines in a flex column, so CSS can
     * reorder them ('order' from a per-row rank) when a radio is checked */
    ".sr{position:absolute;opacity:0;width:1px;height:1px}\n"
    ".cls{width:100%;display:block}\n"
    ".cls thead,.cls tbody{display:flex;flex-direction:column}\n"
    ".cls tr{display:grid;grid-template-columns:minmax(0,1fr) 6em 7em 7em 5em}"
    "\n.cls td,.cls th{overflow-wrap:anywhere}\n"
    ".cls label{cursor:pointer;padding:0 3px;color:var(--mut);"
    "user-select:none}\n"
    ".sortable:focus-within .cls thead{outline:2px solid var(--acc)}\n"
    "#o-n-a:checked~table tbody tr{order:var(--n)}"
    "#o-n-d:checked~table tbody tr{order:calc(-1*var(--n))}\n"
    "#o-c-d:checked~table tbody tr{order:var(--c)}"
    "#o-c-a:checked~table tbody tr{order:calc(-1*var(--c))}\n"
    "#o-s-d:checked~table tbody tr{order:var(--s)}"
    "#o-s-a:checked~table tbody tr{order:calc(-1*var(--s))}\n"
    "#o-r-d:checked~table tbody tr{order:var(--r)}"
    "#o-r-a:checked~table tbody tr{order:calc(-1*var(--r))}\n"
    "#o-n-a:checked~table label[for=o-n-a],#o-n-d:checked~table label[for=o-n-d],"
    "#o-c-a:checked~table label[for=o-c-a],#o-c-d:checked~table label[for=o-c-d],"
    "#o-s-a:checked~table label[for=o-s-a],#o-s-d:checked~table label[for=o-s-d],"
    "#o-r-a:checked~table label[for=o-r-a],#o-r-d:checked~table label[for=o-r-d]"
    "{color:var(--acc);font-weight:700}\n"
    "footer{margin-top:30px;color:var(--mut);font-size:.85em}\n"
    "@media print{.sr,.cls label{display:none}}\n";

void ls__html_begin(FILE *f, const char *title) {
  fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
        /* nothing loads, nothing runs: a report opened from a CI job can
         * neither call home nor execute anything a heap name smuggled in */
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
        "'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n"
        "<meta name=\"generator\" content=\"leakscope " LS_VERSION "\">\n"
        "<title>", f);
  ls__html_text(f, title, 0);
  fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", css);
}

void ls__html_end(FILE *f, int string_values) {
  if (string_values)
    fputs("<footer id=\"privacy\" class=\"strings-shown\"><strong>This report "
          "contains string values from the heap</strong> (--html-strings): "
          "tokens, passwords, user data may be in it. Keep it as private as "
          "the snapshots.", f);
  else
    fputs("<footer id=\"privacy\" class=\"strings-hidden\">Privacy: a heap "
          "snapshot holds every string of the process; this report shows "
          "class names, edge names, ids and sizes, never string values "
          "(ask for them with --html-strings).", f);
  fputs(" Made by leakscope " LS_VERSION "; self-contained, no scripts, "
        "nothing loaded from the network.</footer>\n</main>\n</body>\n"
        "</html>\n", f);
}

void ls__html_begin_file(FILE *f, const char *command, const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  char title[300];
  snprintf(title, sizeof title, "leakscope %s: %.200s", command, base);
  ls__html_begin(f, title);
}

/* ---- the summary report ---------------------------------------------- */

int ls__render_summary_html(FILE *f, const char *path, const ls_summary *s,
                            const ls__html_options *o) {
  char a[32], b[32], c[32];
  ls__html_begin_file(f, "summary", path);
  fputs("<p class=\"brand\">leakscope summary</p>\n<section id=\"verdict\" "
        "class=\"verdict summary\"><h1 class=\"name\">", f);
  ls__html_text(f, path, 400);
  fprintf(f, "</h1>\n<p class=\"key\" id=\"key-figure\">%s objects, %s "
             "references, %s in total",
          ls__text_group(s->totals.node_count, a, sizeof a),
          ls__text_group(s->totals.edge_count, b, sizeof b),
          ls__human_size(s->totals.total_size, c, sizeof c));
  if (s->row_count) {
    const ls_class_row *top = &s->rows[0];
    fputs("; the largest class, <span class=\"name\">", f);
    ls__html_text(f, top->name, 200);
    fprintf(f, "</span>, retains %s (%.1f%%)",
            ls__human_size(top->retained_size, a, sizeof a),
            s->totals.total_size ? 100.0 * (double)top->retained_size /
                                       (double)s->totals.total_size
                                 : 0.0);
  }
  fputs(".</p>\n<p>A single snapshot shows what is big, not what grows: "
        "for leaks, compare a series with <code>leakscope trend</code>.</p>"
        "</section>\n", f);
  ls__html_classes(f, s->rows, s->row_count, s->totals.total_size,
                   "count, self and retained size per class as in Chrome "
                   "DevTools' Summary view");
  ls__html_end(f, o && o->string_values);
  return ferror(f) ? -1 : 0;
}
