/* A suspect's allocation sites in the HTML report: one table per suspect
 * (site, objects, bytes, its callers), or the constructor's location. */
#include <inttypes.h>
#include <string.h>

#include "render.h"

static void place(FILE *f, const ls_frame *fr) {
  fputs("<code>", f);
  ls__html_text(f, fr->script && fr->script[0] ? fr->script : "(no script)", 400);
  if (fr->line) fprintf(f, ":%" PRIu32 ":%" PRIu32, fr->line, fr->column);
  fputs("</code>", f);
}

void ls__html_allocs(FILE *f, const ls_allocations *x, const char *counted) {
  if (x->tracked && x->site_count) {
    char a[32], b[32];
    fprintf(f, "<h4>Allocated at</h4>\n<table class=\"allocs\"><thead><tr><th>function</th>"
               "<th>where it starts</th><th>objects</th><th>bytes</th><th>called from</th>"
               "</tr></thead><tbody>\n");
    for (size_t i = 0; i < x->site_count; i++) {
      const ls_alloc_site *s = &x->sites[i];
      fputs("<tr><td><code>", f);
      ls__html_text(f, ls__frame_name(&s->at), 200);
      fputs("</code></td><td>", f);
      place(f, &s->at);
      fprintf(f, "</td><td>%s</td><td>%s</td><td>", ls__text_group(s->count, a, sizeof a),
              ls__human_size(s->size, b, sizeof b));
      for (size_t k = 1; k < s->stack_len && k < 4; k++) {
        if (k > 1) fputs(" ← ", f);
        fputs("<code>", f);
        ls__html_text(f, ls__frame_name(&s->stack[k]), 200);
        fputs("</code> ", f);
        place(f, &s->stack[k]);
      }
      fputs("</td></tr>\n", f);
    }
    fprintf(f, "</tbody></table>\n<p class=\"mut\">%s %s objects (%s) counted; a site is the "
               "function that allocated them, at the line where it starts.</p>\n",
            ls__text_group(x->count, a, sizeof a), counted,
            ls__human_size(x->size, b, sizeof b));
  } else if (x->tracked) {
    fprintf(f, "<p class=\"no-path\">No allocation stack for its %s objects (made before "
               "allocation tracking began).</p>\n", counted);
  }
  if (x->has_location && !(x->tracked && x->site_count)) {
    fputs("<p class=\"what\">Constructor at ", f);
    place(f, &x->location);
    fputs(".</p>\n", f);
  }
}
