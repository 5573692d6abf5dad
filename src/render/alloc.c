/* Allocation sites and constructor locations of suspects, as JSON and text. */
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "render.h"

static void json_key_str(FILE *f, const char *key, const char *s) {
  fprintf(f, "\"%s\":", key);
  ls__json_string(f, s ? s : "", s ? strlen(s) : 0);
}

static void json_frame(FILE *f, const ls_frame *fr, int with_function) {
  putc('{', f);
  if (with_function) {
    json_key_str(f, "function", fr->function);
    putc(',', f);
  }
  json_key_str(f, "script", fr->script);
  fprintf(f, ",\"line\":%" PRIu32 ",\"column\":%" PRIu32 "}", fr->line, fr->column);
}

static void json_frames(FILE *f, const char *key, const ls_frame *v, size_t n) {
  fprintf(f, ",\"%s\":[", key);
  for (size_t i = 0; i < n; i++) {
    if (i) putc(',', f);
    json_frame(f, &v[i], 1);
  }
  putc(']', f);
}

void ls__json_allocs(FILE *f, const ls_allocations *x) {
  if (x->has_location) {
    fputs(",\"location\":", f);
    json_frame(f, &x->location, 0);
  }
  if (!x->tracked) return;
  fputs(",\"allocations\":[", f);
  for (size_t i = 0; i < x->site_count; i++) {
    const ls_alloc_site *a = &x->sites[i];
    fputs(i ? ",{" : "{", f);
    json_key_str(f, "function", a->at.function);
    putc(',', f);
    json_key_str(f, "script", a->at.script);
    fprintf(f, ",\"line\":%" PRIu32 ",\"column\":%" PRIu32 ",\"count\":%" PRIu64
               ",\"size\":%" PRIu64,
            a->at.line, a->at.column, a->count, a->size);
    json_frames(f, "stack", a->stack, a->stack_len);
    json_frames(f, "internal_frames", a->internal, a->internal_len);
    putc('}', f);
  }
  fprintf(f, "],\"allocated\":{\"count\":%" PRIu64 ",\"size\":%" PRIu64
             ",\"untracked\":%" PRIu64 "}",
          x->count, x->size, x->untracked);
}

const char *ls__frame_name(const ls_frame *fr) {
  return fr->function && fr->function[0] ? fr->function : "(anonymous)";
}

/* A script under the current folder is shown relative to it (app.js, or
 * lib/db.js), as a person reads it; JSON keeps the whole path or URL. */
void ls__text_frame_place(FILE *f, const ls_frame *fr) {
  const char *sc = fr->script && fr->script[0] ? fr->script : "(no script)";
  char cwd[4096];
  if (getcwd(cwd, sizeof cwd) && strcmp(cwd, "/")) {
    const char *p = !strncmp(sc, "file://", 7) ? sc + 7 : sc;
    size_t l = strlen(cwd);
    if (!strncmp(p, cwd, l) && p[l] == '/' && p[l + 1]) sc = p + l + 1;
  }
  fputs(sc, f);
  if (fr->line) fprintf(f, ":%" PRIu32 ":%" PRIu32, fr->line, fr->column);
}

void ls__text_allocs(FILE *f, const ls_allocations *x, const char *counted, const char *in) {
  if (x->tracked && x->site_count) {
    const ls_alloc_site *a = &x->sites[0];
    char sz[32], cnt[32];
    fprintf(f, "%sallocated at %s (", in, ls__frame_name(&a->at));
    ls__text_frame_place(f, &a->at);
    fprintf(f, "): %s objects, %s", ls__text_group(a->count, cnt, sizeof cnt),
            ls__human_size(a->size, sz, sizeof sz));
    if (x->size > a->size)
      fprintf(f, " of %s %s", ls__human_size(x->size, sz, sizeof sz), counted);
    putc('\n', f);
    if (a->stack_len > 1) {
      fprintf(f, "%s  called from %s (", in, ls__frame_name(&a->stack[1]));
      ls__text_frame_place(f, &a->stack[1]);
      fputs(")\n", f);
    }
    if (x->site_count > 1)
      fprintf(f, "%s  and at %zu more site%s (--json or --html lists them)\n", in,
              x->site_count - 1, x->site_count > 2 ? "s" : "");
  } else if (x->tracked) {
    fprintf(f, "%sallocated at: no stack for its %s objects (made before "
               "allocation tracking began)\n", in, counted);
  }
  if (x->has_location && !(x->tracked && x->site_count)) {
    fprintf(f, "%sconstructor at ", in);
    ls__text_frame_place(f, &x->location);
    putc('\n', f);
  }
}
