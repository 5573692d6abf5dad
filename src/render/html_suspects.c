/* The leak suspects of one snapshot as an HTML page (the frame, CSS and the
 * path chain of html.c and html_trend.c). Names only, never string values. */
#include <inttypes.h>
#include <string.h>

#include "render.h"

int ls__render_suspects_html(FILE *f, const char *path, const ls_suspects *r) {
  char a[32], b[32], c[32];
  ls__html_begin_file(f, "suspects", path);
  fprintf(f, "<p class=\"brand\">leakscope suspects</p>\n<section id=\"verdict\" "
             "class=\"verdict%s\"><h1>%s</h1>\n<p class=\"name\">",
          r->count ? " leak" : "",
          r->count ? "Leak suspects found" : "No leak suspect");
  ls__html_text(f, path, 400);
  fprintf(f, "</p>\n<p class=\"key\" id=\"key-figure\">%s objects, %s "
             "references, %s in total; ",
          ls__text_group(r->totals.node_count, a, sizeof a),
          ls__text_group(r->totals.edge_count, b, sizeof b),
          ls__human_size(r->totals.total_size, c, sizeof c));
  if (r->count)
    fprintf(f, "%zu suspect%s retain%s %.1f%% of the heap (%s) or more.</p>\n",
            r->count, r->count == 1 ? "" : "s", r->count == 1 ? "s" : "",
            r->threshold * 100.0, ls__human_size(r->heap_size, a, sizeof a));
  else
    fprintf(f, "no object or class of top-level dominators retains %.1f%% "
               "of the heap (%s) or more.</p>\n",
            r->threshold * 100.0, ls__human_size(r->heap_size, a, sizeof a));
  fputs("<p>One snapshot shows what is big, not what grows: to prove a leak, "
        "compare a series with <code>leakscope trend</code>.</p></section>\n", f);
  for (size_t i = 0; i < r->count; i++) {
    const ls_leak_suspect *x = &r->suspects[i];
    char head[512];
    ls__suspect_headline(x, head, sizeof head);
    fprintf(f, "<section class=\"suspect\" id=\"suspect-%zu\"><h3><span "
               "class=\"rank\">%zu</span><span class=\"name\">",
            i + 1, i + 1);
    ls__html_text(f, head, 0);
    fputs("</span></h3>\n<p>Accumulation point: <span class=\"node\">", f);
    ls__html_text(f, x->point_name, 200);
    fprintf(f, "</span> <span class=\"id\">@%" PRIu64 "</span>, retains %s</p>\n",
            x->point_id, ls__human_size(x->point_retained, a, sizeof a));
    if (x->known) {
      fputs("<div class=\"known\"><strong>Known runtime leak: ", f);
      ls__html_text(f, x->known->title, 0);
      fputs("</strong> (", f);
      ls__html_text(f, x->known->id, 0);
      fputs(")<br>", f);
      ls__html_text(f, x->known->advice, 0);
      fputs("<br>See ", f);
      ls__html_text(f, x->known->reference, 0);
      fputs("</div>\n", f);
    }
    if (x->resembles) {
      fputs("<p>It resembles the known runtime leak ", f);
      ls__html_text(f, x->resembles->id, 0);
      fputs(" (", f);
      ls__html_text(f, x->resembles->reference, 0);
      fputs("), but this Node.js version has its fix: what it holds is the "
            "program's own.</p>\n", f);
    }
    ls__html_allocs(f, &x->alloc, "held");
    if (x->path_len) {
      fputs("<h4>Held by (shortest path from a root)</h4>\n", f);
      ls__html_path(f, x->path, x->path_len, NULL);
    } else {
      fputs("<p class=\"mut\">No path from a root (held only weakly).</p>\n", f);
    }
    if (x->accumulated_count) {
      fprintf(f, "<h4>Accumulated objects (%s)</h4>\n<table><thead><tr>"
                 "<th class=\"l\">Class</th><th>Count</th><th>Self size</th>"
                 "<th>Retained size</th></tr></thead><tbody>\n",
              x->kind == LS_SUSPECT_OBJECT ? "what the point holds, by class"
                                           : "the instances");
      for (size_t j = 0; j < x->accumulated_count; j++) {
        const ls_accumulated *ac = &x->accumulated[j];
        fputs("<tr><td class=\"l name\">", f);
        ls__html_text(f, ac->class_name, 200);
        fprintf(f, "</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
                ls__text_group(ac->count, a, sizeof a),
                ls__human_size(ac->self_size, b, sizeof b),
                ls__human_size(ac->retained_size, c, sizeof c));
      }
      fputs("</tbody></table>\n", f);
    }
    if (x->related_count) {
      fputs("<p class=\"mut\">Related (the paths share an object):", f);
      for (size_t j = 0; j < x->related_count; j++)
        fprintf(f, " <a href=\"#suspect-%zu\">suspect %zu</a>", x->related[j] + 1,
                x->related[j] + 1);
      fputs("</p>\n", f);
    }
    fputs("</section>\n", f);
  }
  ls__html_end(f, 0);
  return ferror(f) ? -1 : 0;
}
