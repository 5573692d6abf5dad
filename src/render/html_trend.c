/* The trend report as HTML: the verdict in words with its key figure, the
 * snapshots, one chart per suspect with its retainer path, the classes of
 * the newest snapshot (when the trend kept them). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

static const char *metric_text(const ls_suspect *x) {
  return ls__metric_text(x->metric);
}

static int counted(const ls_suspect *x) { return ls__metric_counted(x->metric); }

/* The series the verdict speaks of: what the metric says grows. */
static const uint64_t *main_series(const ls_suspect *x) {
  if (x->metric == LS_METRIC_USED && x->used) return x->used;
  if (counted(x)) return x->counts;
  return x->metric == LS_METRIC_SELF_SIZE ? x->sizes : x->retained;
}

/* An object is shown by the name its path ends with ("system /
 * WeakArrayList" rather than its class "(system)"), as the text does. */
static const char *shown_name(const ls_suspect *x) {
  return x->kind == LS_SUSPECT_OBJECT && x->path_len
             ? x->path[x->path_len - 1].class_name
             : x->name;
}

/* Steps down of a series (present values only) and the largest fall. */
static size_t shrinks(const uint64_t *v, size_t n, uint64_t *largest) {
  size_t k = 0;
  *largest = 0;
  for (size_t i = 1; i < n; i++) {
    if (v[i] == LS_TREND_ABSENT || v[i - 1] == LS_TREND_ABSENT) continue;
    if (v[i] < v[i - 1]) {
      k++;
      if (v[i - 1] - v[i] > *largest) *largest = v[i - 1] - v[i];
    }
  }
  return k;
}

static void suspect_title(FILE *f, const ls_suspect *x) {
  if (x->kind == LS_SUSPECT_CLASS) fputs("class ", f);
  fputs("<span class=\"name\">", f);
  ls__html_text(f, shown_name(x), 200);
  fputs("</span>", f);
  if (x->kind == LS_SUSPECT_OBJECT)
    fprintf(f, " <span class=\"id\">@%" PRIu64 "</span>", x->id);
}

/* "+12,000 instances, +714 kB" or "+714 kB". */
static void growth_text(FILE *f, const ls_suspect *x) {
  char a[32];
  int c = counted(x);
  if (c)
    fprintf(f, "%s%s %s", x->growth_count >= 0 ? "+" : "",
            ls__text_group(x->growth_count > 0 ? (uint64_t)x->growth_count : 0,
                           a, sizeof a),
            ls__count_unit(x));
  if (x->growth_bytes > 0 || !c)
    fprintf(f, "%s+%s", c ? ", " : "",
            ls__human_size(x->growth_bytes > 0 ? (uint64_t)x->growth_bytes : 0,
                           a, sizeof a));
}

static void shrink_text(FILE *f, const ls_suspect *x, size_t n) {
  uint64_t big;
  size_t k = shrinks(main_series(x), n, &big);
  char a[32];
  if (!k) fputs("never shrank", f);
  else if (counted(x))
    fprintf(f, "shrank in %zu step%s (at most %s)", k, k == 1 ? "" : "s",
            ls__text_group(big, a, sizeof a));
  else
    fprintf(f, "shrank in %zu step%s (at most %s)", k, k == 1 ? "" : "s",
            ls__human_size(big, a, sizeof a));
}

static void verdict(FILE *f, const ls_trend *t, size_t leaders) {
  size_t n = t->snapshot_count;
  char a[32], b[32];
  if (t->verdict == LS_VERDICT_UNSURE) {
    fputs("<section id=\"verdict\" class=\"verdict unsure\"><h1>Not sure "
          "yet</h1>\n<p class=\"key\" id=\"key-figure\">", f);
    char why[640];
    ls__unsure_sentence(t, why, sizeof why);
    ls__html_text(f, why, sizeof why);
    fprintf(f, "</p>\n<p>%zu thing%s may be growing (below); none is a "
               "leak for certain.</p></section>\n",
            leaders, leaders == 1 ? "" : "s");
    return;
  }
  if (!t->leak) {
    fprintf(f, "<section id=\"verdict\" class=\"verdict clean\">"
               "<h1>No leak found</h1>\n<p class=\"key\" id=\"key-figure\">"
               "Nothing keeps growing in %zu snapshots",
            n);
    if (n)
      fprintf(f, " (heap %s → %s)",
              ls__human_size(t->snapshots[0].total_size, a, sizeof a),
              ls__human_size(t->snapshots[n - 1].total_size, b, sizeof b));
    fputs(".</p>\n<p>Take more snapshots over a longer run if you still "
          "see memory grow.</p></section>\n", f);
    return;
  }
  const ls_suspect *x = &t->suspects[0];
  fputs("<section id=\"verdict\" class=\"verdict leak\"><h1>Leak "
        "suspected</h1>\n<p class=\"key\" id=\"key-figure\">", f);
  suspect_title(f, x);
  if (counted(x)) {
    fputs(" gained ", f);
    growth_text(f, x);
  } else {
    fprintf(f, " grew %s",
            ls__human_size(x->growth_bytes > 0 ? (uint64_t)x->growth_bytes : 0,
                           a, sizeof a));
  }
  fprintf(f, " in %zu snapshots, ", n);
  shrink_text(f, x, n);
  fputs(".</p>\n<p>", f);
  if (x->path_len >= 2 && x->path[x->path_len - 1].edge) {
    const ls_path_step *last = &x->path[x->path_len - 1];
    fputs("It is held by <span class=\"name\">", f);
    ls__html_text(f, x->path[x->path_len - 2].class_name, 120);
    fputs("</span> through <code class=\"edge\">", f);
    ls__html_text(f, last->edge, 120);
    fputs("</code> (the whole path is below). ", f);
  }
  if (x->known)
    fputs("This is a <strong>known leak of the runtime</strong>: the fix is "
          "an upgrade (see below). ", f);
  fprintf(f, "%zu thing%s keep%s growing, largest growth "
             "first.</p></section>\n",
          leaders, leaders == 1 ? "" : "s", leaders == 1 ? "s" : "");
}

/* `any_index`: in a repeated unit, where indices differ, "[…]"; the
 * words are the text report's (ls__edge_prefix). */
static void edge_html(FILE *f, const ls_path_step *st, int any_index) {
  int index;
  const char *pre = ls__edge_prefix(st, &index);
  const char *e = st->edge ? st->edge : "";
  fputs("<span class=\"edge\">", f);
  if (pre) {
    fputs(pre, f);
  } else if (!index) {
    ls__html_text(f, st->edge_type ? st->edge_type : "", 40);
    putc(' ', f);
  }
  if (index && any_index) fputs("[…]", f);
  else ls__html_text(f, e, 200);
  fputs("</span>", f);
}

/* A marker (folded repeated steps), as the text report says it:
 * "… 84,880 × .next → Listener", "… 1,000 × (.value → Wrapper, .next →
 * Node)"; the unit is the p steps before it (the .edge style adds the
 * arrows). */
static void fold_html(FILE *f, const ls_path_step *steps, size_t i) {
  const ls_path_step *u;
  uint64_t reps;
  size_t p = ls__fold_unit(steps, i, &u, &reps);
  char b[32];
  fprintf(f, "<span class=\"mut\">… %s ×</span> ", ls__text_group(reps, b, sizeof b));
  if (p > 1) putc('(', f);
  for (size_t j = 0; j < p; j++) {
    if (j) fputs(", ", f);
    edge_html(f, &u[j], 1);
    fputs("<span class=\"node\">", f);
    ls__html_text(f, u[j].class_name, 200);
    fputs("</span>", f);
  }
  if (p > 1) putc(')', f);
}

void ls__html_path(FILE *f, const ls_path_step *steps, size_t n,
                   char *const *values) {
  fprintf(f, "<ol class=\"path\" data-steps=\"%zu\">\n", n);
  for (size_t i = 0; i < n; i++) {
    const ls_path_step *st = &steps[i];
    fprintf(f, "<li class=\"step\" data-id=\"%" PRIu64 "\"", st->id);
    if (i && st->repeat) { /* one element for the folded stretch */
      fprintf(f, " data-repeat=\"%" PRIu64 "\" data-unit=\"%" PRIu32 "\">",
              st->repeat, st->unit);
      fold_html(f, steps, i);
      fputs("</li>\n", f);
      continue;
    }
    putc('>', f);
    if (i) edge_html(f, st, 0);
    fputs("<span class=\"node\">", f);
    ls__html_text(f, st->class_name, 200);
    fprintf(f, "</span> <span class=\"id\">@%" PRIu64 "</span> "
               "<span class=\"mut\">",
            st->id);
    ls__html_text(f, st->type, 40);
    fputs("</span>", f);
    if (values && values[i]) {
      fputs(" <q class=\"value\">", f);
      ls__html_text(f, values[i], 200);
      fputs("</q>", f);
    }
    fputs("</li>\n", f);
  }
  fputs("</ol>\n", f);
}

static void path_html(FILE *f, const ls_suspect *x, int values) {
  if (!x->path_len) {
    fputs("<p class=\"no-path\">No path from a root in the last snapshot "
          "(only weak references hold it).</p>\n", f);
    return;
  }
  fprintf(f, "<h4>Held by (shortest path from a root%s)</h4>\n",
          x->kind == LS_SUSPECT_CLASS ? " to its newest instance" : "");
  ls__html_path(f, x->path, x->path_len, values ? x->path_values : NULL);
}

static void series_cell(FILE *f, uint64_t v, int bytes) {
  char b[32];
  if (v == LS_TREND_ABSENT) fputs("<td>–</td>", f);
  else if (bytes) fprintf(f, "<td>%s</td>", ls__human_size(v, b, sizeof b));
  else fprintf(f, "<td>%s</td>", ls__text_group(v, b, sizeof b));
}

static void values_table(FILE *f, const ls_suspect *x, size_t n) {
  fprintf(f, "<details><summary>Values per snapshot</summary><table><thead>"
             "<tr><th>#</th><th>own size</th><th>retained</th><th>%s</th>"
             "</tr></thead><tbody>",
          x->kind == LS_SUSPECT_OBJECT ? "references" : "instances");
  for (size_t i = 0; i < n; i++) {
    fprintf(f, "<tr><td>%zu</td>", i + 1);
    series_cell(f, x->sizes[i], 1);
    series_cell(f, x->retained[i], 1);
    series_cell(f, x->counts[i], 0);
    fputs("</tr>", f);
  }
  fputs("</tbody></table></details>\n", f);
}

static void suspect_html(FILE *f, const ls_trend *t, size_t idx, size_t rank,
                         const double *times, int values) {
  const ls_suspect *x = &t->suspects[idx];
  const size_t n = t->snapshot_count;
  const int member = x->group >= 0;
  fprintf(f, "<article class=\"suspect %s\" id=\"s%zu\" data-index=\"%zu\" "
             "data-kind=\"%s\"",
          member ? "member" : "lead", idx + 1, idx,
          x->kind == LS_SUSPECT_OBJECT ? "object" : "class");
  if (x->kind == LS_SUSPECT_OBJECT) fprintf(f, " data-id=\"%" PRIu64 "\"", x->id);
  fputs(">\n<h3>", f);
  if (member) fprintf(f, "<span class=\"mut\">with #%zu:</span> ", rank);
  else fprintf(f, "<span class=\"rank\">%zu</span>", rank);
  suspect_title(f, x);
  fprintf(f, "</h3>\n<p class=\"what\">%s: ", metric_text(x));
  growth_text(f, x);
  fputs("; ", f);
  shrink_text(f, x, n);
  fputs(".</p>\n", f);
  char why[512]; /* what a known or resembling leak means on this version */
  ls__known_text(x, t->snapshot_count ? t->snapshots[t->snapshot_count - 1].node_version : "",
                 why, sizeof why);
  if (x->known) {
    fputs("<div class=\"known\"><strong>Known runtime leak:</strong> ", f);
    ls__html_text(f, x->known->title, 0);
    fputs("<br>", f);
    ls__html_text(f, x->known->advice, 0);
    fputs("<br>", f);
    ls__html_text(f, why, 0);
    fputs("; see <code>", f);
    ls__html_text(f, x->known->reference, 0);
    fputs("</code>.</div>\n", f);
  } else if (x->resembles) {
    fputs("<p class=\"what\">", f);
    ls__html_text(f, why, 0);
    fputs(".</p>\n", f);
  }
  /* bytes on top (retained, and own size when it differs), counts below */
  int same = 1;
  for (size_t i = 0; i < n; i++)
    if (x->sizes[i] != x->retained[i]) same = 0;
  ls__chart_line bl[2] = {{"retained size", x->retained, 1},
                          {"own size", x->sizes, 2}};
  ls__chart_line cl = {x->kind == LS_SUSPECT_OBJECT ? "references"
                                                    : "instances",
                       x->counts, 3};
  ls__chart_panel pn[2] = {{1, same ? 1 : 2, bl}, {0, 1, &cl}};
  char label[400];
  snprintf(label, sizeof label, "%s%.200s across %zu snapshots: retained "
                                "size%s and %s",
           x->kind == LS_SUSPECT_CLASS ? "class " : "", shown_name(x), n,
           same ? "" : ", own size", cl.label);
  fputs("<figure class=\"chart suspect-chart\">", f);
  ls__html_line_chart(f, label, n, times, pn, 2);
  fprintf(f, "<figcaption class=\"legend\"><span class=\"sw sw1\"></span>"
             "retained size%s<span class=\"sw sw3\"></span>%s</figcaption>"
             "</figure>\n",
          same ? " (= own size)"
               : "<span class=\"sw sw2\"></span>own size",
          cl.label);
  values_table(f, x, n);
  ls__html_allocs(f, &x->alloc, "new");
  path_html(f, x, values);
  fputs("</article>\n", f);
}

/* Times to show on the x axis: the files' mtimes when every one is known
 * and they agree with the process order; for streamed snapshots (no file)
 * the times they were taken, likewise; else none. */
static double *axis_times(const ls_trend *t) {
  size_t n = t->snapshot_count;
  if (!n) return NULL;
  int mt = 1, tt = 1;
  for (size_t i = 0; i < n; i++) {
    const ls_trend_snapshot *s = &t->snapshots[i];
    if (s->mtime <= 0 || (i && s->mtime < s[-1].mtime)) mt = 0;
    if (s->path || s->time < 0 || (i && s->time < s[-1].time)) tt = 0;
  }
  if (!mt && !tt) return NULL;
  double *v = malloc(n * sizeof *v);
  if (v)
    for (size_t i = 0; i < n; i++) v[i] = mt ? t->snapshots[i].mtime : t->snapshots[i].time;
  return v;
}

static void snapshots_html(FILE *f, const ls_trend *t, const double *times) {
  size_t n = t->snapshot_count;
  fputs("<section id=\"snapshots\"><h2>Snapshots</h2>\n<p class=\"mut\">In "
        "process order (by node ids, which only grow in a process)", f);
  fputs(times ? "; times are the files' modification times.</p>\n"
              : ".</p>\n", f);
  uint64_t *tot = malloc((n ? n : 1) * sizeof *tot);
  uint64_t *nodes = malloc((n ? n : 1) * sizeof *nodes);
  if (tot && nodes && n) {
    for (size_t i = 0; i < n; i++) {
      tot[i] = t->snapshots[i].total_size;
      nodes[i] = t->snapshots[i].node_count;
    }
    ls__chart_line a = {"total heap size", tot, 1}, b = {"objects", nodes, 3};
    ls__chart_panel p[2] = {{1, 1, &a}, {0, 1, &b}};
    fputs("<figure class=\"chart heap-chart\">", f);
    ls__html_line_chart(f, "Total heap size and objects per snapshot", n,
                        times, p, 2);
    fputs("<figcaption class=\"legend\"><span class=\"sw sw1\"></span>total "
          "heap size<span class=\"sw sw3\"></span>objects</figcaption>"
          "</figure>\n", f);
  }
  free(tot);
  free(nodes);
  fputs("<table id=\"snapshot-table\"><thead><tr><th>#</th><th>time</th>"
        "<th>objects</th><th>total size</th><th class=\"l\">file</th></tr>"
        "</thead><tbody>\n", f);
  for (size_t i = 0; i < n; i++) {
    const ls_trend_snapshot *s = &t->snapshots[i];
    char a[32], b[32], c[24] = "–";
    if (times) {
      double dt = times[i] - times[0];
      snprintf(c, sizeof c, "+%.1f s", dt);
    }
    fprintf(f, "<tr><td>%zu</td><td>%s</td><td>%s</td><td>%s</td>"
               "<td class=\"l name mono\">",
            i + 1, c, ls__text_group(s->node_count, a, sizeof a),
            ls__human_size(s->total_size, b, sizeof b));
    ls__html_text(f, s->path ? s->path : "(streamed, no file)", 400);
    fputs("</td></tr>\n", f);
  }
  fputs("</tbody></table></section>\n", f);
}

int ls__render_trend_html(FILE *f, const ls_trend *t,
                          const ls__html_options *o) {
  const int values = o && o->string_values;
  size_t leaders = 0;
  for (size_t i = 0; i < t->suspect_count; i++)
    leaders += t->suspects[i].group < 0;
  char title[128];
  snprintf(title, sizeof title, "leakscope trend: %s (%zu snapshots)",
           t->leak ? "leak suspected"
           : t->verdict == LS_VERDICT_UNSURE ? "not sure yet" : "no leak found",
           t->snapshot_count);
  ls__html_begin(f, title);
  fprintf(f, "<p class=\"brand\">leakscope trend · %zu snapshots · %s</p>\n",
          t->snapshot_count,
          values ? "string values shown" : "string values hidden");
  verdict(f, t, leaders);
  double *times = axis_times(t);

  if (t->suspect_count) {
    fputs("<nav class=\"toc\"><h2>Suspects</h2><ol>\n", f);
    for (size_t i = 0; i < t->suspect_count; i++) {
      const ls_suspect *x = &t->suspects[i];
      if (x->group >= 0) continue;
      fprintf(f, "<li><a href=\"#s%zu\">", i + 1);
      suspect_title(f, x);
      fputs("</a> <span class=\"mut\">", f);
      growth_text(f, x);
      fputs("</span></li>\n", f);
    }
    fputs("</ol></nav>\n", f);
  }
  snapshots_html(f, t, times);
  if (t->suspect_count) {
    fprintf(f, "<section id=\"suspects\"><h2>%s</h2>\n<p "
               "class=\"mut\">Sizes are V8's own per-object sizes. Growth is "
               "counted after a first step that rose like a warm-up. A suspect indented "
               "under another grows with it (what that container holds).</p>"
               "\n", t->leak ? "What grows" : "What may grow");
    size_t rank = 0;
    for (size_t i = 0; i < t->suspect_count; i++) {
      if (t->suspects[i].group < 0) rank++;
      suspect_html(f, t, i, rank, times, values);
    }
    fputs("</section>\n", f);
  }
  free(times);
  if (t->classes) {
    uint64_t total = t->snapshot_count
                         ? t->snapshots[t->snapshot_count - 1].total_size
                         : 0;
    ls__html_classes(f, t->classes, t->class_count, total,
                     "the newest snapshot, with V8's own per-object sizes "
                     "(as trend uses them)");
  }
  ls__html_end(f, values);
  return ferror(f) ? -1 : 0;
}
