/*
 * The one-snapshot commands as both frontends run them (the `leakscope`
 * command and the Node package): load the heap, build the analysis, render
 * its report into a stream. The defaults live in the header (LS_DEFAULT_*),
 * so a command and the Node function of the same name answer alike.
 */
#include <string.h>

#include "render.h"

ls_status ls__cmd_render(const ls__cmd *c, FILE *f, int *leak, ls_error *err) {
  ls_heap_options ho;
  memset(&ho, 0, sizeof ho);
  ho.raw_sizes = c->raw_sizes;
  ho.progress = c->progress;
  ho.progress_ctx = c->progress_ctx;
  ho.no_distances = c->kind == LS__CMD_SUSPECTS; /* it shows none */
  if (leak) *leak = 0;
  ls_heap *h = NULL;
  ls_status st = ls_heap_load(c->path, &ho, &h, err);
  if (st != LS_OK) return st;
  ls_heap_totals tot;
  ls_heap_totals_get(h, &tot);
  switch (c->kind) {
  case LS__CMD_SUMMARY: {
    ls_summary *s = NULL;
    /* JSON lists every class unless asked; text the first 25 */
    size_t n = c->n ? c->n : c->json ? 0 : LS_DEFAULT_SUMMARY_ROWS;
    if ((st = ls_summary_build(h, n, &s, err)) == LS_OK) {
      if (c->json) ls__render_summary_json(f, c->path, s);
      else ls__render_summary_text(f, c->path, s);
    }
    ls_summary_free(s);
    break;
  }
  case LS__CMD_TOP: {
    ls_top *t = NULL;
    if ((st = ls_top_build(h, c->n ? c->n : LS_DEFAULT_TOP, &t, err)) == LS_OK) {
      if (c->json) ls__render_top_json(f, c->path, &tot, t);
      else ls__render_top_text(f, c->path, &tot, t);
    }
    ls_top_free(t);
    break;
  }
  case LS__CMD_PATHS: {
    ls_paths *p = NULL;
    if ((st = ls_paths_build(h, c->query, c->n ? c->n : LS_DEFAULT_PATHS, &p, err)) ==
        LS_OK) {
      if (c->json) ls__render_paths_json(f, c->path, &tot, c->query, p);
      else ls__render_paths_text(f, c->path, &tot, c->query, p);
    }
    ls_paths_free(p);
    break;
  }
  case LS__CMD_SUSPECTS: {
    ls_suspects *r = NULL;
    ls_suspects_options so;
    memset(&so, 0, sizeof so);
    so.threshold = c->threshold;
    if ((st = ls_suspects_build(h, &so, &r, err)) == LS_OK) {
      if (c->json) ls__render_suspects_json(f, c->path, r);
      else ls__render_suspects_text(f, c->path, r);
      if (leak) *leak = r->count > 0;
    }
    ls_suspects_free(r);
    break;
  }
  case LS__CMD_HANDLES: {
    ls_handles *hs = NULL;
    if ((st = ls_handles_build(h, &hs, err)) == LS_OK) {
      if (c->json) ls__render_handles_json(f, c->path, &tot, hs);
      else ls__render_handles_text(f, c->path, &tot, hs);
      if (leak) *leak = hs->leak;
    }
    ls_handles_free(hs);
    break;
  }
  }
  ls_heap_free(h);
  return st;
}
