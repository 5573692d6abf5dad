/*
 * The stream oracle (tests/trend): judges snapshot files both ways, with
 * ls_trend_build and with an ls_trend_stream fed one heap at a time (in the
 * order given, oldest first, as a session adds them), with the same times
 * (the files' mtimes), and writes both JSON reports (BUILD_OUT, STREAM_OUT);
 * on stderr "digest BYTES NODES" per snapshot. Exit 0 when both were made,
 * 2 on bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "leakscope.h"
#include "analyses/heap.h"
#include "render/render.h"

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: trend_oracle BUILD_OUT STREAM_OUT SNAPSHOT... (oldest first)\n");
    return 2;
  }
  const char *out_a = argv[1], *out_b = argv[2];
  argv += 2;
  argc -= 2;
  const size_t n = (size_t)argc - 1;
  double *times = calloc(n, sizeof *times);
  if (!times) return 3;
  for (size_t i = 0; i < n; i++) {
    struct stat sb;
    if (stat(argv[i + 1], &sb)) {
      perror(argv[i + 1]);
      return 2;
    }
    times[i] = (double)sb.st_mtim.tv_sec + sb.st_mtim.tv_nsec / 1e9;
  }
  ls_error err;
  ls_trend_options o;
  memset(&o, 0, sizeof o);
  o.times = times;
  ls_trend *a = NULL, *b = NULL;
  if (ls_trend_build((const char *const *)argv + 1, n, &o, &a, &err) != LS_OK) {
    fprintf(stderr, "build: %s\n", err.message);
    return 2;
  }
  ls_trend_stream *ts = NULL;
  if (ls_trend_stream_new(&o, &ts, &err) != LS_OK) return 3;
  ls_heap_options ho;
  memset(&ho, 0, sizeof ho);
  ho.raw_sizes = 1;
  ho.no_distances = 1;
  size_t before = 0;
  for (size_t i = 0; i < n; i++) {
    ls_heap *h = NULL;
    if (ls_heap_load(argv[i + 1], &ho, &h, &err) != LS_OK ||
        ls_trend_stream_add(ts, h, argv[i + 1], times[i], -1, -1, &err) != LS_OK) {
      fprintf(stderr, "stream: %s: %s\n", argv[i + 1], err.message);
      return 2;
    }
    size_t now = ls_trend_stream_bytes(ts);
    fprintf(stderr, "digest %zu %llu\n", now - before,
            (unsigned long long)ls_snapshot_node_count(h->s));
    before = now;
    ls_heap_free(h);
  }
  if (ls_trend_stream_judge(ts, &b, &err) != LS_OK) {
    fprintf(stderr, "judge: %s\n", err.message);
    return 2;
  }
  FILE *fa = fopen(out_a, "w"), *fb = fopen(out_b, "w");
  if (!fa || !fb) {
    perror("trend_oracle: output");
    return 2;
  }
  ls__render_trend_json(fa, a);
  ls__render_trend_json(fb, b);
  fclose(fa);
  fclose(fb);
  ls_trend_free(a);
  ls_trend_free(b);
  ls_trend_stream_free(ts);
  free(times);
  return 0;
}
