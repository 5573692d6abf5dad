/*
 * Render layer: turns the analyses' plain structs into text tables or JSON.
 * Nothing here computes; everything writes to a FILE* the caller owns.
 * Functions return 0, or -1 when writing failed (errno set by stdio).
 */
#ifndef LS_RENDER_RENDER_H
#define LS_RENDER_RENDER_H

#include <stdio.h>
#include "leakscope.h"

/* JSON primitives (json.c) */
void ls__json_string(FILE *f, const char *s, size_t len);

/* Human size: "0 B", "812 B", "1.2 kB", "35.0 MB", "4.10 GB" (powers of
 * 1000, as DevTools shows them). Writes into buf (>= 16 bytes). */
const char *ls__human_size(uint64_t bytes, char *buf, size_t len);

/* Opens a JSON object with its "snapshot" key: {"snapshot":{path,
 * node_count,edge_count,total_size} (the caller adds keys and the '}'). */
void ls__json_snapshot(FILE *f, const char *path, const ls_heap_totals *t);
/* The same object alone: {"path":…,"node_count":…,…} (diff's sides). */
void ls__json_totals(FILE *f, const char *path, const ls_heap_totals *t);

/* A known runtime leak as `,"key":{…}`: id, title, reference and, with
 * `details` (a "known" object, not a "resembles" one), fixed_in, advice,
 * affected and fixed_for_version (the release of `version`'s line that
 * fixes it, or null). */
void ls__json_known(FILE *f, const char *key, const ls_known_leak *k,
                    const char *version, int details);

/* A suspect's allocation sites and constructor location, of a trend's
 * suspect or a snapshot's (alloc.c): JSON keys `,"location":{…}` and, when
 * tracked, `,"allocations":[…]` with `,"allocated":{count,size,untracked}`;
 * text lines under `in` (the first site, its caller, how many more); the
 * HTML report's table of them (html_alloc.c). */
/* `counted` words what was counted: "new" (a trend), "held" (one snapshot). */
void ls__json_allocs(FILE *f, const ls_allocations *a);
void ls__text_allocs(FILE *f, const ls_allocations *a, const char *counted, const char *in);
void ls__html_allocs(FILE *f, const ls_allocations *a, const char *counted);
/* A frame's function name ("(anonymous)" for ""), and "script:line:col". */
const char *ls__frame_name(const ls_frame *fr);
void ls__text_frame_place(FILE *f, const ls_frame *fr);

/* Retainer paths (paths.c): a JSON array of steps {name,type,id,edge,
 * edge_type}, and the text form, one step per line under `indent`. */
void ls__json_path(FILE *f, const ls_path_step *steps, size_t n);
/* How a path step's edge reads before its name: "." (a property),
 * "variable " (a closure's), "" (an element, named "[i]"), or NULL: the
 * edge type and a space ("internal table"). *index: an element or hidden
 * edge (named by an index). One wording for text and HTML. */
const char *ls__edge_prefix(const ls_path_step *st, int *index);
/* A fold marker at steps[i]: its unit (*unit, p steps) and how many times
 * the unit repeats there (*reps); returns p. */
size_t ls__fold_unit(const ls_path_step *steps, size_t i,
                     const ls_path_step **unit, uint64_t *reps);
void ls__text_path(FILE *f, const ls_path_step *steps, size_t n,
                   const char *indent);
int ls__render_paths_json(FILE *f, const char *path, const ls_heap_totals *t,
                          const char *query, const ls_paths *p);
int ls__render_paths_text(FILE *f, const char *path, const ls_heap_totals *t,
                          const char *query, const ls_paths *p);

/* The one-snapshot commands (commands.c), as both frontends run them:
 * load `path`, build the analysis, render its report (JSON or text) into
 * f. n: rows, objects or paths (0: the command's default, LS_DEFAULT_*;
 * summary JSON: every class). *leak (may be NULL): handles found a leak.
 * Errors as ls_heap_load and the analysis give them (err not prefixed with
 * the path). */
typedef enum {
  LS__CMD_SUMMARY, LS__CMD_TOP, LS__CMD_PATHS, LS__CMD_HANDLES, LS__CMD_SUSPECTS
} ls__cmd_kind;
typedef struct ls__cmd {
  ls__cmd_kind kind;
  const char *path;
  const char *query; /* paths: "@ID" or a class name */
  size_t n;
  int json, raw_sizes;
  ls_progress_fn progress;
  void *progress_ctx;
  double threshold; /* suspects: share of the heap (0: the default) */
} ls__cmd;
ls_status ls__cmd_render(const ls__cmd *c, FILE *f, int *leak, ls_error *err);

/* Trend report (trend.c) */
/* What a growing metric means, in words ("its number of references
 * grows"), and whether it counts things (references, instances, slots)
 * rather than bytes: one wording for text, JSON and HTML. */
const char *ls__metric_text(ls_metric m);
int ls__metric_counted(ls_metric m);
/* What a counted metric counts: "references", "instances", "slots". */
const char *ls__count_unit(const ls_suspect *x);
/* Why a trend is unsure and what would settle it, in one sentence (no
 * newline), into buf (cut to len); names come from the heap. */
void ls__unsure_sentence(const ls_trend *t, char *buf, size_t len);
int ls__render_trend_json(FILE *f, const ls_trend *t);
int ls__render_trend_text(FILE *f, const ls_trend *t);

/* Leak suspects of one snapshot (suspects.c): JSON {snapshot, threshold,
 * heap_size, suspects[{kind, name, id?, count, retained_size, share,
 * accumulation_point{id, name, retained_size, path}, accumulated[{class,
 * count, self_size, retained_size}], related[], known?}]} and the text
 * report; the headline of one suspect in words (HTML too). */
int ls__render_suspects_json(FILE *f, const char *path, const ls_suspects *r);
int ls__render_suspects_text(FILE *f, const char *path, const ls_suspects *r);
void ls__suspect_headline(const ls_leak_suspect *x, char *buf, size_t len);

/* Text helpers (text.c) shared by every table. */
/* Digits with thousands separators: 1234567 -> "1,234,567". */
const char *ls__text_group(uint64_t x, char *buf, size_t len);
/* `s` in exactly `width` columns: control characters shown as '?', long
 * text cut with an ellipsis, UTF-8 kept whole. */
void ls__text_cell(FILE *f, const char *s, int width);
/* "Snapshot PATH" and its node/edge counts and total size. */
void ls__text_header(FILE *f, const char *path, const ls_heap_totals *t);

int ls__render_summary_json(FILE *f, const char *path, const ls_summary *s);
int ls__render_summary_text(FILE *f, const char *path, const ls_summary *s);
int ls__render_top_json(FILE *f, const char *path, const ls_heap_totals *t,
                        const ls_top *top);
int ls__render_top_text(FILE *f, const char *path, const ls_heap_totals *t,
                        const ls_top *top);

/* Handle-scope audit (handles.c): the verdict in words (our own text,
 * never heap values; buf >= 1024 bytes), the text report and the JSON
 * {snapshot, verdict, threshold, roots[{name,handles,by_class[{name,
 * count}]}], message}. */
void ls__handles_message(const ls_handles *hs, char *buf, size_t len);
int ls__render_handles_json(FILE *f, const char *path, const ls_heap_totals *t,
                            const ls_handles *hs);
int ls__render_handles_text(FILE *f, const char *path, const ls_heap_totals *t,
                            const ls_handles *hs);

/* Diff of two snapshots (diff.c): JSON {"old":{...},"new":{...},
 * "classes":[{name,added,removed,count_delta,added_size,removed_size,
 * size_delta}]}, and a text table (the first 50 classes). */
int ls__render_diff_json(FILE *f, const char *old_path, const char *new_path,
                         const ls_diff *d);
int ls__render_diff_text(FILE *f, const char *old_path, const char *new_path,
                         const ls_diff *d);

/* ---- HTML report (html.c, html_chart.c, html_trend.c) --------------------
 * One self-contained page: inline CSS and SVG only, no script at all (its
 * Content-Security-Policy forbids scripts and every network load), light
 * and dark themes from prefers-color-scheme. Every heap string (class,
 * edge and node names) is escaped as text. String values of the heap
 * appear only when `string_values` is set (ls_suspect.path_values). */
typedef struct ls__html_options {
  int string_values; /* show string values kept by the analysis */
} ls__html_options;

/* `o` may be NULL (defaults: no string values). */
int ls__render_trend_html(FILE *f, const ls_trend *t,
                          const ls__html_options *o);
int ls__render_summary_html(FILE *f, const char *path, const ls_summary *s,
                            const ls__html_options *o);
/* The leak suspects of one snapshot as a page (html_suspects.c). */
int ls__render_suspects_html(FILE *f, const char *path, const ls_suspects *r);

/* A retainer path as the report's chain: <ol class="path"> with one
 * <li class="step" data-id=ID> per step (a marker: one element, with
 * data-repeat and data-unit, saying what the text form says). `values`
 * (NULL: none) are the string values per step to show. */
void ls__html_path(FILE *f, const ls_path_step *steps, size_t n,
                   char *const *values);

/* Shared by the HTML files. Text as HTML (also safe inside a quoted
 * attribute): & < > " ' escaped, control characters as '?', invalid UTF-8
 * as U+FFFD; cut to `max` bytes with an ellipsis (0 = whole). */
void ls__html_text(FILE *f, const char *s, size_t max);
/* <!DOCTYPE ...> to <body><main>, with `title` (escaped). */
void ls__html_begin(FILE *f, const char *title);
/* The same, titled "leakscope COMMAND: FILE" (FILE: the base name of path). */
void ls__html_begin_file(FILE *f, const char *command, const char *path);
void ls__html_end(FILE *f, int string_values);
/* The class section: a bar chart of the largest retained sizes and the
 * sortable table (CSS only) of the first rows (at most 2,000). `total` is
 * the heap's total size (for percentages), `sizes_note` says which sizes. */
void ls__html_classes(FILE *f, const ls_class_row *rows, size_t n,
                      uint64_t total, const char *sizes_note);

/* One line of a chart: `n` values (LS_TREND_ABSENT where missing). */
typedef struct ls__chart_line {
  const char *label; /* legend and tooltips */
  const uint64_t *v;
  int color;         /* 1..3 */
} ls__chart_line;
/* A panel of a chart: its lines share one y axis. */
typedef struct ls__chart_panel {
  int bytes;         /* 1: sizes (human units), 0: counts */
  size_t line_count;
  const ls__chart_line *lines;
} ls__chart_panel;
/* An SVG line chart over `n` snapshots, the panels stacked on one x axis
 * (snapshot number, and seconds since the first when `times` is not
 * NULL). `label` is its accessible name (plain text). */
void ls__html_line_chart(FILE *f, const char *label, size_t n,
                         const double *times, const ls__chart_panel *panels,
                         size_t panel_count);
/* Horizontal SVG bars: the retained sizes of the first `n` rows. */
void ls__html_class_bars(FILE *f, const ls_class_row *rows, size_t n);

/* What a known (or resembling) suspect means on the snapshot's Node.js
 * `version` ("" when unknown): "your Node.js 22.14.0 has this bug, fixed
 * in 22.15.0", or why it is the program's own; "" for other suspects. */
void ls__known_text(const ls_suspect *x, const char *version, char *buf, size_t len);

#endif
