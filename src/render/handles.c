/* The handle-scope audit as text and JSON. Only class names and counts are
 * printed, never values from the heap. */
#include <inttypes.h>
#include <string.h>

#include "render.h"

#define TOP_CLASSES 3   /* classes per root in the text table */
#define CLASS_COLS 32   /* longest class name shown in the text table */

/* Live local handles: the "(Handle scope)" roots (one in V8's snapshots);
 * *found is set when there is one. */
static uint64_t local_handles(const ls_handles *hs, int *found) {
  uint64_t n = 0;
  *found = 0;
  for (size_t i = 0; i < hs->root_count; i++)
    if (!strcmp(hs->roots[i].name, "(Handle scope)")) {
      n += hs->roots[i].handles;
      *found = 1;
    }
  return n;
}

/* The verdict in words (our own text only: safe to print and to put in
 * JSON). */
void ls__handles_message(const ls_handles *hs, char *buf, size_t len) {
  int found;
  uint64_t n = local_handles(hs, &found);
  char a[32], b[32];
  ls__text_group(n, a, sizeof a);
  ls__text_group(hs->threshold, b, sizeof b);
  if (hs->leak)
    snprintf(buf, len,
             "(Handle scope) holds %s live local handles (more than %s): "
             "native code is most likely creating handles in a loop without "
             "a handle scope per iteration. Every call of a JS function from "
             "C leaves about 3 (the function, the receiver, the result), and "
             "they stay alive until the native function returns, so memory "
             "grows with every iteration. Open a scope per iteration: "
             "napi_open_handle_scope/napi_close_handle_scope around each "
             "call (Napi::HandleScope in node-addon-api, v8::HandleScope in "
             "V8 code); use an escapable scope for a value that must outlive "
             "the iteration.",
             a, b);
  else if (found)
    snprintf(buf, len,
             "(Handle scope) holds %s live local handles (a leak is reported "
             "above %s): no handle-scope leak.",
             a, b);
  else
    snprintf(buf, len,
             "The snapshot has no (Handle scope) root: nothing to audit for "
             "a handle-scope leak.");
}

/* Words of our own message, wrapped before column `width`. */
static void wrap(FILE *f, const char *s, int width) {
  int col = 0;
  while (*s) {
    size_t n = strcspn(s, " ");
    if (col && col + 1 + (int)n > width) {
      putc('\n', f);
      col = 0;
    } else if (col) {
      putc(' ', f);
      col++;
    }
    fwrite(s, 1, n, f);
    col += (int)n;
    s += n;
    while (*s == ' ') s++;
  }
  putc('\n', f);
}

/* Display columns of s (one per UTF-8 code point). */
static int text_cols(const char *s) {
  int cols = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) cols++;
  return cols;
}

int ls__render_handles_text(FILE *f, const char *path, const ls_heap_totals *t,
                            const ls_handles *hs) {
  ls__text_header(f, path, t);
  const int W = 22;
  int w = W;
  for (size_t i = 0; i < hs->root_count; i++) {
    int c = text_cols(hs->roots[i].name);
    if (c > w) w = c < 40 ? c : 40;
  }
  ls__text_cell(f, "Root", w);
  fprintf(f, " %12s  %s\n", "Handles", "Most handled classes");
  for (size_t i = 0; i < hs->root_count; i++) {
    const ls_handle_root *r = &hs->roots[i];
    char n[32];
    ls__text_cell(f, r->name, w);
    fprintf(f, " %12s  ", ls__text_group(r->handles, n, sizeof n));
    if (!r->class_count) fputs("-", f);
    for (size_t k = 0; k < r->class_count && k < TOP_CLASSES; k++) {
      const ls_handle_class *c = &r->by_class[k];
      int cols = text_cols(c->name);
      if (k) fputs(", ", f);
      ls__text_cell(f, c->name, cols < CLASS_COLS ? cols : CLASS_COLS);
      fprintf(f, " %s", ls__text_group(c->count, n, sizeof n));
    }
    if (r->class_count > TOP_CLASSES)
      fprintf(f, ", … %zu more", r->class_count - TOP_CLASSES);
    putc('\n', f);
  }
  if (!hs->root_count) fputs("  (no handle roots under (GC roots))\n", f);
  char msg[1024];
  ls__handles_message(hs, msg, sizeof msg);
  char line[1100];
  snprintf(line, sizeof line, "%s%s", hs->leak ? "LEAK: " : "", msg);
  putc('\n', f);
  wrap(f, line, 78);
  return ferror(f) ? -1 : 0;
}

int ls__render_handles_json(FILE *f, const char *path, const ls_heap_totals *t,
                            const ls_handles *hs) {
  ls__json_snapshot(f, path, t);
  fprintf(f, ",\"verdict\":\"%s\",\"threshold\":%" PRIu64 ",\"roots\":[",
          hs->leak ? "leak" : "clean", hs->threshold);
  for (size_t i = 0; i < hs->root_count; i++) {
    const ls_handle_root *r = &hs->roots[i];
    fputs(i ? ",\n{\"name\":" : "\n{\"name\":", f);
    ls__json_string(f, r->name, strlen(r->name));
    fprintf(f, ",\"handles\":%" PRIu64 ",\"by_class\":[", r->handles);
    for (size_t k = 0; k < r->class_count; k++) {
      const ls_handle_class *c = &r->by_class[k];
      fputs(k ? ",{\"name\":" : "{\"name\":", f);
      ls__json_string(f, c->name, strlen(c->name));
      fprintf(f, ",\"count\":%" PRIu64 "}", c->count);
    }
    fputs("]}", f);
  }
  char msg[1024];
  ls__handles_message(hs, msg, sizeof msg);
  fputs("],\n\"message\":", f);
  ls__json_string(f, msg, strlen(msg));
  fputs("}\n", f);
  return ferror(f) ? -1 : 0;
}
