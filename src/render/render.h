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

int ls__render_summary_json(FILE *f, const char *path, const ls_summary *s);
int ls__render_summary_text(FILE *f, const char *path, const ls_summary *s);
int ls__render_top_json(FILE *f, const char *path, const ls_heap_totals *t,
                        const ls_top *top);
int ls__render_top_text(FILE *f, const char *path, const ls_heap_totals *t,
                        const ls_top *top);

#endif
