/* The trend report: verdict, the series, and each suspect with its path. */
#include <inttypes.h>
#include <string.h>

#include "render.h"

static void json_series(FILE *f, const char *key, const uint64_t *v, size_t n) {
  fprintf(f, ",\"%s\":[", key);
  for (size_t i = 0; i < n; i++) {
    if (i) putc(',', f);
    if (v[i] == LS_TREND_ABSENT) fputs("null", f);
    else fprintf(f, "%" PRIu64, v[i]);
  }
  putc(']', f);
}

static void json_str(FILE *f, const char *key, const char *s) {
  fprintf(f, "\"%s\":", key);
  ls__json_string(f, s, strlen(s));
}

int ls__render_trend_json(FILE *f, const ls_trend *t) {
  fprintf(f, "{\"verdict\":\"%s\",\"snapshots\":[", t->leak ? "leak" : "clean");
  for (size_t i = 0; i < t->snapshot_count; i++) {
    const ls_trend_snapshot *s = &t->snapshots[i];
    fputs(i ? ",\n{" : "\n{", f);
    json_str(f, "path", s->path);
    fprintf(f,
            ",\"node_count\":%" PRIu64 ",\"edge_count\":%" PRIu64
            ",\"total_size\":%" PRIu64 ",\"max_node_id\":%" PRIu64 "}",
            s->node_count, s->edge_count, s->total_size, s->max_node_id);
  }
  fputs("],\"suspects\":[", f);
  for (size_t i = 0; i < t->suspect_count; i++) {
    const ls_suspect *x = &t->suspects[i];
    fprintf(f, "%s{\"kind\":\"%s\",", i ? ",\n" : "\n",
            x->kind == LS_SUSPECT_OBJECT ? "object" : "class");
    json_str(f, "name", x->name);
    if (x->kind == LS_SUSPECT_OBJECT) fprintf(f, ",\"id\":%" PRIu64, x->id);
    fprintf(f, ",\"metric\":\"%s\"", x->metric);
    json_series(f, "sizes", x->sizes, t->snapshot_count);
    json_series(f, "retained", x->retained, t->snapshot_count);
    json_series(f, "counts", x->counts, t->snapshot_count);
    fprintf(f, ",\"growth_bytes\":%" PRId64 ",\"growth_count\":%" PRId64
               ",\"group\":%ld,\"path\":",
            x->growth_bytes, x->growth_count, x->group);
    ls__json_path(f, x->path, x->path_len);
    if (x->known) {
      fputs(",\"known\":{", f);
      json_str(f, "id", x->known->id);
      putc(',', f);
      json_str(f, "title", x->known->title);
      putc(',', f);
      json_str(f, "fixed_in", x->known->fixed_in);
      putc(',', f);
      json_str(f, "reference", x->known->reference);
      putc(',', f);
      json_str(f, "advice", x->known->advice);
      putc('}', f);
    }
    putc('}', f);
  }
  fputs("]}\n", f);
  return ferror(f) ? -1 : 0;
}

/* "a → b → c" for a series, human sizes or plain counts; absent as "-". */
static void text_series(FILE *f, const uint64_t *v, size_t n, int bytes) {
  for (size_t i = 0; i < n; i++) {
    char b[32];
    if (i) fputs(" → ", f);
    if (v[i] == LS_TREND_ABSENT) fputs("-", f);
    else fputs(bytes ? ls__human_size(v[i], b, sizeof b)
                     : ls__text_group(v[i], b, sizeof b), f);
  }
}

static const char *metric_text(const ls_suspect *x) {
  if (!strcmp(x->metric, "edges")) return "its number of references grows";
  if (!strcmp(x->metric, "count")) return "its number of instances grows";
  if (!strcmp(x->metric, "self_size")) return "its own size grows";
  return "the memory it retains grows";
}

static void text_suspect(FILE *f, const ls_trend *t, const ls_suspect *x,
                         size_t rank, int member) {
  const char *in = member ? "       " : "    ";
  char g[32];
  if (member) fputs("   ↳ ", f);
  else fprintf(f, "\n%2zu. ", rank);
  fputs(x->kind == LS_SUSPECT_OBJECT ? "" : "class ", f);
  /* an object is shown by the name its path ends with ("system /
   * WeakArrayList" rather than its class "(system)") */
  const char *nm = x->kind == LS_SUSPECT_OBJECT && x->path_len
                       ? x->path[x->path_len - 1].class_name
                       : x->name;
  ls__text_cell(f, nm, (int)(strlen(nm) > 70 ? 70 : strlen(nm)));
  if (x->kind == LS_SUSPECT_OBJECT) fprintf(f, " @%" PRIu64, x->id);
  fprintf(f, ": %s (", metric_text(x));
  int counted = !strcmp(x->metric, "edges") || !strcmp(x->metric, "count");
  if (counted) {
    char c[32];
    fprintf(f, "+%s %s", ls__text_group(x->growth_count > 0 ? (uint64_t)x->growth_count : 0, c, sizeof c),
            x->kind == LS_SUSPECT_OBJECT ? "references" : "instances");
  }
  if (x->growth_bytes > 0 || !counted)
    fprintf(f, "%s+%s", counted ? ", " : "",
            ls__human_size(x->growth_bytes > 0 ? (uint64_t)x->growth_bytes : 0, g, sizeof g));
  fputs(")\n", f);
  size_t n = t->snapshot_count;
  if (!strcmp(x->metric, "edges") || !strcmp(x->metric, "count")) {
    fprintf(f, "%s%s ", in, x->kind == LS_SUSPECT_OBJECT ? "references:" : "instances: ");
    text_series(f, x->counts, n, 0);
    putc('\n', f);
  }
  fprintf(f, "%sself size:  ", in);
  text_series(f, x->sizes, n, 1);
  fprintf(f, "\n%sretained:   ", in);
  text_series(f, x->retained, n, 1);
  putc('\n', f);
  if (x->known) {
    fprintf(f, "%sKNOWN RUNTIME LEAK: %s\n", in, x->known->title);
    fprintf(f, "%s  %s\n%s  fixed in %s; see %s\n", in, x->known->advice, in,
            x->known->fixed_in, x->known->reference);
  }
  if (!member || x->path_len) {
    if (x->path_len) {
      fprintf(f, "%sheld by (shortest path from a root%s):\n", in,
              x->kind == LS_SUSPECT_CLASS ? " to its newest instance" : "");
      char ind[16];
      snprintf(ind, sizeof ind, "%s  ", in);
      ls__text_path(f, x->path, x->path_len, ind);
    } else {
      fprintf(f, "%sno path from a root in the last snapshot\n", in);
    }
  }
}

int ls__render_trend_text(FILE *f, const ls_trend *t) {
  fprintf(f, "Trend over %zu snapshots of one process (ordered by node ids):\n",
          t->snapshot_count);
  for (size_t i = 0; i < t->snapshot_count; i++) {
    const ls_trend_snapshot *s = &t->snapshots[i];
    char a[32], b[32];
    fprintf(f, "  %2zu  %12s nodes  %10s  ", i + 1,
            ls__text_group(s->node_count, a, sizeof a),
            ls__human_size(s->total_size, b, sizeof b));
    ls__text_cell(f, s->path, (int)strlen(s->path));
    putc('\n', f);
  }
  size_t leaders = 0;
  for (size_t i = 0; i < t->suspect_count; i++) leaders += t->suspects[i].group < 0;
  if (!t->leak) {
    fputs("\nVerdict: clean. Nothing keeps growing after warm-up.\n", f);
    return ferror(f) ? -1 : 0;
  }
  fprintf(f, "\nVerdict: LEAK SUSPECTED. %zu thing%s keep%s growing after "
             "warm-up, largest growth first:\n",
          leaders, leaders == 1 ? "" : "s", leaders == 1 ? "s" : "");
  size_t rank = 0;
  for (size_t i = 0; i < t->suspect_count; i++) {
    const ls_suspect *x = &t->suspects[i];
    if (x->group < 0) text_suspect(f, t, x, ++rank, 0);
    else text_suspect(f, t, x, rank, 1);
  }
  return ferror(f) ? -1 : 0;
}
