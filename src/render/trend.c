/* The trend report: verdict, the series, and each suspect with its path. */
#include <inttypes.h>
#include <stdlib.h>
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


/* The Node.js version of the newest snapshot, or "" when unknown. */
static const char *newest_version(const ls_trend *t) {
  return t->snapshot_count ? t->snapshots[t->snapshot_count - 1].node_version : "";
}

void ls__known_text(const ls_suspect *x, const char *version, char *buf, size_t len) {
  buf[0] = 0;
  if (x->known) {
    const char *fix = ls_known_fixed_for(x->known, version);
    if (!version || !version[0] || ls_known_affects(x->known, version) != 1) {
      snprintf(buf, len, "fixed in %s", x->known->fixed_in);
    } else if (fix) {
      snprintf(buf, len, "your Node.js %s has this bug, fixed in %s", version, fix);
    } else {
      unsigned long major = strtoul(version, NULL, 10);
      snprintf(buf, len, "your Node.js %s has this bug, and no %lu.x release fixes it: "
                         "fixed in %s", version, major, x->known->fixed_in);
    }
  } else if (x->resembles) {
    snprintf(buf, len, "it resembles the known runtime leak %s (%s), but Node.js %s has "
                       "that fix: this growth is the program's own",
             x->resembles->id, x->resembles->reference, version && version[0] ? version : "?");
  }
}

int ls__render_trend_json(FILE *f, const ls_trend *t) {
  const char *version = newest_version(t);
  fprintf(f, "{\"verdict\":\"%s\",\"settled\":%s", ls_verdict_name(t->verdict),
          t->settled ? "true" : "false");
  if (t->verdict == LS_VERDICT_UNSURE) {
    char why[640];
    ls__unsure_sentence(t, why, sizeof why);
    fprintf(f, ",\"unsure\":{\"reason\":\"%s\",\"more_snapshots\":%zu,"
               "\"more_seconds\":%.0f,",
            ls_unsure_reason_name(t->unsure_why), t->more_snapshots, t->more_seconds);
    json_str(f, "text", why);
    putc('}', f);
  }
  fprintf(f, ",\"rising_below_floor\":%zu,\"snapshots\":[", t->rising_below_floor);
  for (size_t i = 0; i < t->snapshot_count; i++) {
    const ls_trend_snapshot *s = &t->snapshots[i];
    fputs(i ? ",\n{" : "\n{", f);
    if (s->path) json_str(f, "path", s->path);
    else fputs("\"path\":null", f); /* streamed: no file */
    fprintf(f,
            ",\"node_count\":%" PRIu64 ",\"edge_count\":%" PRIu64
            ",\"total_size\":%" PRIu64 ",\"max_node_id\":%" PRIu64,
            s->node_count, s->edge_count, s->total_size, s->max_node_id);
    if (s->time > 0) fprintf(f, ",\"time\":%.3f", s->time);
    if (s->node_version[0]) {
      putc(',', f);
      json_str(f, "node_version", s->node_version);
    }
    putc('}', f);
  }
  fputs("],\"suspects\":[", f);
  for (size_t i = 0; i < t->suspect_count; i++) {
    const ls_suspect *x = &t->suspects[i];
    fprintf(f, "%s{\"kind\":\"%s\",", i ? ",\n" : "\n",
            x->kind == LS_SUSPECT_OBJECT ? "object" : "class");
    json_str(f, "name", x->name);
    if (x->kind == LS_SUSPECT_OBJECT) fprintf(f, ",\"id\":%" PRIu64, x->id);
    fprintf(f, ",\"metric\":\"%s\",\"verdict\":\"%s\"", ls_metric_name(x->metric),
            ls_verdict_name(x->verdict));
    if (x->verdict == LS_VERDICT_UNSURE)
      fprintf(f, ",\"why\":\"%s\"", ls_unsure_reason_name(x->why));
    json_series(f, "sizes", x->sizes, t->snapshot_count);
    json_series(f, "retained", x->retained, t->snapshot_count);
    json_series(f, "counts", x->counts, t->snapshot_count);
    if (x->used) json_series(f, "used", x->used, t->snapshot_count);
    fprintf(f, ",\"growth_bytes\":%" PRId64 ",\"growth_count\":%" PRId64
               ",\"group\":%ld,\"path\":",
            x->growth_bytes, x->growth_count, x->group);
    ls__json_path(f, x->path, x->path_len);
    ls__json_allocs(f, &x->alloc);
    if (x->known) ls__json_known(f, "known", x->known, version, 1);
    if (x->resembles) ls__json_known(f, "resembles", x->resembles, version, 0);
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

const char *ls__metric_text(ls_metric m) {
  switch (m) {
  case LS_METRIC_EDGES: return "its number of references grows";
  case LS_METRIC_COUNT: return "its number of instances grows";
  case LS_METRIC_SELF_SIZE: return "its own size grows";
  case LS_METRIC_USED: return "its used length grows";
  default: return "the memory it retains grows";
  }
}

int ls__metric_counted(ls_metric m) {
  return m == LS_METRIC_EDGES || m == LS_METRIC_COUNT || m == LS_METRIC_USED;
}

const char *ls__count_unit(const ls_suspect *x) {
  if (x->metric == LS_METRIC_USED) return "slots";
  return x->kind == LS_SUSPECT_OBJECT ? "references" : "instances";
}

/* How a suspect is named: an object by the name its path ends with
 * ("system / WeakArrayList" rather than its class "(system)"). */
static const char *shown(const ls_suspect *x) {
  return x->kind == LS_SUSPECT_OBJECT && x->path_len
             ? x->path[x->path_len - 1].class_name
             : x->name;
}

void ls__unsure_sentence(const ls_trend *t, char *buf, size_t len) {
  const ls_suspect *x = t->suspect_count ? &t->suspects[0] : NULL;
  const char *what = x ? shown(x) : "something";
  const char *cls = x && x->kind == LS_SUSPECT_CLASS ? "class " : "";
  const char *why;
  switch (t->unsure_why) {
  case LS_UNSURE_SLOWING:
    why = "rises, but more slowly than before: it may be levelling off (a "
          "cache filling up) or keep going (a leak)";
    break;
  case LS_UNSURE_FILLING:
    why = "fills storage of a fixed size, set aside in advance (as a cache "
          "with a maximum does): it stops growing when that is full";
    break;
  case LS_UNSURE_NOISY:
    why = "rises, but falls back nearly as much as it gains";
    break;
  default:
    why = "rose over too few snapshots to tell a leak from chance";
  }
  char secs[64] = "";
  if (t->more_seconds > 0)
    snprintf(secs, sizeof secs, " over about %.0f s", t->more_seconds);
  snprintf(buf, len, "%s%.200s %s; take %zu more snapshot%s%s to settle it", cls,
           what, why, t->more_snapshots, t->more_snapshots == 1 ? "" : "s", secs);
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
  const char *nm = shown(x);
  ls__text_cell(f, nm, (int)(strlen(nm) > 70 ? 70 : strlen(nm)));
  if (x->kind == LS_SUSPECT_OBJECT) fprintf(f, " @%" PRIu64, x->id);
  fprintf(f, ": %s%s (", x->verdict == LS_VERDICT_UNSURE ? "maybe: " : "",
          ls__metric_text(x->metric));
  int counted = ls__metric_counted(x->metric);
  if (counted) {
    char c[32];
    fprintf(f, "+%s %s", ls__text_group(x->growth_count > 0 ? (uint64_t)x->growth_count : 0, c, sizeof c),
            ls__count_unit(x));
  }
  if (x->growth_bytes > 0 || !counted)
    fprintf(f, "%s+%s", counted ? ", " : "",
            ls__human_size(x->growth_bytes > 0 ? (uint64_t)x->growth_bytes : 0, g, sizeof g));
  fputs(")\n", f);
  size_t n = t->snapshot_count;
  if (x->metric == LS_METRIC_EDGES || x->metric == LS_METRIC_COUNT) {
    fprintf(f, "%s%s ", in, x->kind == LS_SUSPECT_OBJECT ? "references:" : "instances: ");
    text_series(f, x->counts, n, 0);
    putc('\n', f);
  }
  if (x->used && x->metric == LS_METRIC_USED) {
    fprintf(f, "%sused:       ", in);
    text_series(f, x->used, n, 0);
    putc('\n', f);
  }
  fprintf(f, "%sself size:  ", in);
  text_series(f, x->sizes, n, 1);
  fprintf(f, "\n%sretained:   ", in);
  text_series(f, x->retained, n, 1);
  putc('\n', f);
  ls__text_allocs(f, &x->alloc, "new", in);
  if (x->known || x->resembles) {
    char why[512];
    ls__known_text(x, newest_version(t), why, sizeof why);
    if (x->known) {
      fprintf(f, "%sKNOWN RUNTIME LEAK: %s\n", in, x->known->title);
      fprintf(f, "%s  %s\n%s  %s; see %s\n", in, x->known->advice, in, why,
              x->known->reference);
    } else {
      fprintf(f, "%s%s\n", in, why);
    }
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

/* Every suspect, leaders numbered, each group's members under it. */
static void text_suspects(FILE *f, const ls_trend *t) {
  size_t rank = 0;
  for (size_t i = 0; i < t->suspect_count; i++) {
    const ls_suspect *x = &t->suspects[i];
    if (x->group < 0) text_suspect(f, t, x, ++rank, 0);
    else text_suspect(f, t, x, rank, 1);
  }
}

int ls__render_trend_text(FILE *f, const ls_trend *t) {
  fprintf(f, "Trend over %zu snapshots of one process", t->snapshot_count);
  if (newest_version(t)[0]) fprintf(f, " (Node.js %s)", newest_version(t));
  fputs(", ordered by node ids:\n", f);
  for (size_t i = 0; i < t->snapshot_count; i++) {
    const ls_trend_snapshot *s = &t->snapshots[i];
    char a[32], b[32];
    fprintf(f, "  %2zu  %12s nodes  %10s  ", i + 1,
            ls__text_group(s->node_count, a, sizeof a),
            ls__human_size(s->total_size, b, sizeof b));
    if (s->path) ls__text_cell(f, s->path, (int)strlen(s->path));
    else fputs("(streamed, no file)", f);
    putc('\n', f);
  }
  size_t leaders = 0;
  for (size_t i = 0; i < t->suspect_count; i++) leaders += t->suspects[i].group < 0;
  if (t->verdict == LS_VERDICT_UNSURE) {
    char why[640];
    ls__unsure_sentence(t, why, sizeof why);
    fputs("\nVerdict: NOT SURE YET. ", f);
    ls__text_cell(f, why, (int)strlen(why));
    fprintf(f, ".\n%zu thing%s may be growing:\n", leaders, leaders == 1 ? "" : "s");
    text_suspects(f, t);
    return ferror(f) ? -1 : 0;
  }
  if (!t->leak) {
    fputs("\nVerdict: clean. Nothing keeps growing.\n", f);
    return ferror(f) ? -1 : 0;
  }
  fprintf(f, "\nVerdict: LEAK SUSPECTED. %zu thing%s keep%s growing, "
             "largest growth first:\n",
          leaders, leaders == 1 ? "" : "s", leaders == 1 ? "s" : "");
  if (!t->settled)
    fprintf(f, "(Not settled yet: the series is short (a leak is watched for %d s of "
               "the program's running, then confirmed by one more snapshot that rises "
               "again) or its last snapshot did not rise; a cache filling up looks the "
               "same for a while, so a longer run confirms it.)\n",
            LS_TREND_LEAK_SECONDS);
  text_suspects(f, t);
  return ferror(f) ? -1 : 0;
}
