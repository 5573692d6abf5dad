/* Progress on stderr while loading: only when stderr is a terminal, on one
 * line that is erased at the end, so logs and pipes never see it. */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "../render/render.h"

static int shown;
static double last;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int ls__progress_enabled(void) { return isatty(STDERR_FILENO); }

void ls__progress_cb(void *ctx, const char *phase, uint64_t done,
                     uint64_t total) {
  (void)ctx;
  double t = now();
  /* byte progress at most 10 times a second; phase changes always */
  if (done && t - last < 0.1) return;
  last = t;
  char a[16], b[16];
  if (total)
    fprintf(stderr, "\r\033[Kleakscope: %s %3d%% (%s of %s)", phase,
            (int)(done * 100.0 / (double)total),
            ls__human_size(done, a, sizeof a),
            ls__human_size(total, b, sizeof b));
  else if (done)
    fprintf(stderr, "\r\033[Kleakscope: %s (%s)", phase,
            ls__human_size(done, a, sizeof a));
  else
    fprintf(stderr, "\r\033[Kleakscope: %s…", phase);
  fflush(stderr);
  shown = 1;
}

void ls__progress_done(void) {
  if (shown) fputs("\r\033[K", stderr);
  shown = 0;
}
