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

/* Retainer paths (paths.c): a JSON array of steps {name,type,id,edge,
 * edge_type}, and the text form, one step per line under `indent`. */
void ls__json_path(FILE *f, const ls_path_step *steps, size_t n);
void ls__text_path(FILE *f, const ls_path_step *steps, size_t n,
                   const char *indent);
int ls__render_paths_json(FILE *f, const char *path, const ls_heap_totals *t,
                          const char *query, const ls_paths *p);
int ls__render_paths_text(FILE *f, const char *path, const ls_heap_totals *t,
                          const char *query, const ls_paths *p);

/* Trend report (trend.c) */
int ls__render_trend_json(FILE *f, const ls_trend *t);
int ls__render_trend_text(FILE *f, const ls_trend *t);

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

#endif
