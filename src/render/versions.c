/* The report of `leakscope versions`: one row per tested version, then
 * where the outcome changes (text or JSON). */
#include "versions.h"

#include <string.h>

#include "render.h"

static const char *verdict_word(const ls_version_result *r) {
  return r->failed ? "failed" : ls_verdict_name(r->verdict);
}

static void json_known(FILE *f, const ls_version_result *r) {
  putc('[', f);
  for (size_t k = 0; k < r->known_count; k++) {
    if (k) putc(',', f);
    ls__json_string(f, r->known[k], strlen(r->known[k]));
  }
  putc(']', f);
}

static void json_version(FILE *f, const ls_version_result *r) {
  fputs("{\"version\":", f);
  ls__json_string(f, r->version, strlen(r->version));
  fputs(",\"verdict\":", f);
  const char *w = verdict_word(r);
  ls__json_string(f, w, strlen(w));
  fputs(",\"known\":", f);
  json_known(f, r);
  fputs(",\"suspect\":", f);
  if (r->has_suspect) {
    fprintf(f, "{\"kind\":\"%s\",\"name\":",
            r->suspect_kind == LS_SUSPECT_OBJECT ? "object" : "class");
    const char *n = r->suspect_name ? r->suspect_name : "";
    ls__json_string(f, n, strlen(n));
    fprintf(f, ",\"metric\":\"%s\"}", ls_metric_name(r->suspect_metric));
  } else {
    fputs("null", f);
  }
  fprintf(f, ",\"seconds\":%.1f,\"fetched\":%s,\"retried\":%s", r->seconds,
          r->fetched ? "true" : "false", r->retried ? "true" : "false");
  if (r->failed) {
    fputs(",\"failure\":", f);
    ls__json_string(f, r->failure, strlen(r->failure));
  }
  putc('}', f);
}

/* {"verdict","known"}: one side of a change */
static void json_outcome(FILE *f, const ls_version_result *r) {
  fputs("{\"verdict\":", f);
  const char *w = verdict_word(r);
  ls__json_string(f, w, strlen(w));
  fputs(",\"known\":", f);
  json_known(f, r);
  putc('}', f);
}

static void json_boundary(FILE *f, const ls_versions *v, const ls_version_boundary *b) {
  const ls_version_result *a = &v->results[b->before], *z = &v->results[b->after];
  const char *ka = b->kind == LS_BOUNDARY_FIXED        ? "last_leaking"
                   : b->kind == LS_BOUNDARY_REGRESSION ? "last_clean"
                                                       : "last";
  const char *kz = b->kind == LS_BOUNDARY_FIXED        ? "first_clean"
                   : b->kind == LS_BOUNDARY_REGRESSION ? "first_leaking"
                                                       : "first";
  fprintf(f, "{\"%s\":", ka);
  ls__json_string(f, a->version, strlen(a->version));
  fprintf(f, ",\"%s\":", kz);
  ls__json_string(f, z->version, strlen(z->version));
  if (b->kind == LS_BOUNDARY_CHANGE) {
    fputs(",\"from\":", f);
    json_outcome(f, a);
    fputs(",\"to\":", f);
    json_outcome(f, z);
  }
  fprintf(f, ",\"kind\":\"%s\",\"adjacent\":%s}", ls_boundary_kind_name(b->kind),
          b->adjacent ? "true" : "false");
}

int ls__render_versions_json(FILE *f, const ls_versions *v) {
  fputs("{\"versions\":[", f);
  for (size_t i = 0; i < v->count; i++) {
    if (i) fputs(",\n ", f);
    json_version(f, &v->results[i]);
  }
  fprintf(f, "],\n\"candidates\":%zu,\"probes\":%zu,\"tested\":%zu,\"interrupted\":%s,\n",
          v->candidates, v->probes, v->count, v->interrupted ? "true" : "false");
  fputs("\"boundary\":", f);
  if (v->boundary_count == 1) json_boundary(f, v, &v->boundaries[0]);
  else fputs("null", f);
  fputs(",\n\"boundaries\":[", f);
  for (size_t b = 0; b < v->boundary_count; b++) {
    if (b) putc(',', f);
    json_boundary(f, v, &v->boundaries[b]);
  }
  fputs("]}\n", f);
  return ferror(f) ? -1 : 0;
}

/* "leak (v8-retained-maps)", "clean", "failed" */
static void outcome_text(const ls_version_result *r, char *buf, size_t len) {
  size_t l = (size_t)snprintf(buf, len, "%s", verdict_word(r));
  for (size_t k = 0; k < r->known_count && l + 4 < len; k++) {
    int w = snprintf(buf + l, len - l, "%s%s", k ? ", " : " (", r->known[k]);
    if (w > 0) l += (size_t)w < len - l ? (size_t)w : len - l - 1;
  }
  if (r->known_count && l + 2 < len) strcat(buf, ")");
}

int ls__render_versions_text(FILE *f, const ls_versions *v) {
  enum { WV = 10, WD = 8, WS = 40, WK = 24 };
  ls__text_cell(f, "Node.js", WV);
  putc(' ', f);
  ls__text_cell(f, "verdict", WD);
  putc(' ', f);
  ls__text_cell(f, "first suspect", WS);
  putc(' ', f);
  ls__text_cell(f, "known", WK);
  fputs("  seconds\n", f);
  for (size_t i = 0; i < v->count; i++) {
    const ls_version_result *r = &v->results[i];
    char sus[512] = "-", known[256] = "-";
    if (r->has_suspect)
      snprintf(sus, sizeof sus, "%s (%s, %s)", r->suspect_name ? r->suspect_name : "",
               r->suspect_kind == LS_SUSPECT_OBJECT ? "object" : "class",
               ls_metric_name(r->suspect_metric));
    size_t l = 0;
    for (size_t k = 0; k < r->known_count && l + 2 < sizeof known; k++) {
      int w = snprintf(known + l, sizeof known - l, "%s%s", k ? "," : "", r->known[k]);
      if (w > 0) l += (size_t)w < sizeof known - l ? (size_t)w : sizeof known - l - 1;
    }
    ls__text_cell(f, r->version, WV);
    putc(' ', f);
    ls__text_cell(f, verdict_word(r), WD);
    putc(' ', f);
    ls__text_cell(f, sus, WS);
    putc(' ', f);
    ls__text_cell(f, known, WK);
    fprintf(f, "  %7.1f\n", r->seconds);
  }
  for (size_t i = 0; i < v->count; i++)
    if (v->results[i].failed)
      fprintf(f, "\nNode.js %s: %s\n", v->results[i].version, v->results[i].failure);
  for (size_t i = 0; i < v->count; i++)
    if (v->results[i].retried)
      fprintf(f, "\nNode.js %s was unsure at first and ran again with a longer "
                 "schedule; its row is the second run (seconds: both).\n",
              v->results[i].version);
  putc('\n', f);
  if (v->probes < v->candidates)
    fprintf(f, "Tested %zu of the %zu published releases in the range (%zu probes, "
               "then bisection of the pairs that differ).\n",
            v->count, v->candidates, v->probes);
  else
    fprintf(f, "Tested %zu of %zu versions.\n", v->count, v->candidates);
  if (v->interrupted) fputs("Interrupted: the search is incomplete.\n", f);
  if (!v->boundary_count && v->count) {
    char o[300];
    outcome_text(&v->results[0], o, sizeof o);
    fprintf(f, "No boundary: every tested version is %s.\n", o);
  }
  for (size_t b = 0; b < v->boundary_count; b++) {
    const ls_version_boundary *vb = &v->boundaries[b];
    const ls_version_result *a = &v->results[vb->before], *z = &v->results[vb->after];
    fprintf(f, "Boundary: %s -> %s: ", a->version, z->version);
    if (vb->kind == LS_BOUNDARY_FIXED)
      fprintf(f, "fixed (%s is the last that leaks, %s the first clean)", a->version,
              z->version);
    else if (vb->kind == LS_BOUNDARY_REGRESSION)
      fprintf(f, "regression (%s is the last clean, %s the first that leaks)",
              a->version, z->version);
    else {
      char oa[300], oz[300];
      outcome_text(a, oa, sizeof oa);
      outcome_text(z, oz, sizeof oz);
      fprintf(f, "changed from %s to %s", oa, oz);
    }
    if (!vb->adjacent)
      fputs(" (versions in between were not tested: narrow it with --from/--to)", f);
    putc('\n', f);
  }
  return ferror(f) ? -1 : 0;
}
