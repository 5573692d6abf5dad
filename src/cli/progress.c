/* Progress on stderr while loading: only when stderr is a terminal, on one
 * line that is erased at the end, so logs and pipes never see it. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "../render/render.h"

static int shown;
static double last;
/* LEAKSCOPE_TIMINGS=1: one line per phase with its wall time and the peak
 * RSS so far, for benchmarks and bug reports (instead of the terminal
 * progress line) */
static int timings = -1;
static const char *phase_now;
static double phase_start;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int timings_on(void) {
  if (timings < 0) {
    const char *v = getenv("LEAKSCOPE_TIMINGS");
    timings = v && *v && strcmp(v, "0") != 0;
  }
  return timings;
}

int ls__progress_enabled(void) {
  return timings_on() || isatty(STDERR_FILENO);
}

/* The process's peak resident set so far in MiB (VmHWM), -1 where /proc
 * does not have it: tells which phase sets the peak. */
static long peak_rss_mib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  long kib = -1;
  while (fgets(line, sizeof line, f))
    if (strncmp(line, "VmHWM:", 6) == 0) {
      kib = strtol(line + 6, NULL, 10);
      break;
    }
  fclose(f);
  return kib < 0 ? -1 : (kib + 512) / 1024;
}

static void timing_phase(const char *phase) {
  double t = now();
  if (phase_now) {
    long peak = peak_rss_mib();
    if (peak >= 0)
      fprintf(stderr, "leakscope: %-28s %7.3f s  peak %6ld MiB\n", phase_now,
              t - phase_start, peak);
    else
      fprintf(stderr, "leakscope: %-28s %7.3f s\n", phase_now, t - phase_start);
  }
  phase_now = phase;
  phase_start = t;
}

void ls__progress_cb(void *ctx, const char *phase, uint64_t done,
                     uint64_t total) {
  (void)ctx;
  if (timings_on()) {
    if (!phase_now || strcmp(phase, phase_now) != 0) timing_phase(phase);
    return;
  }
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
  if (timings_on()) {
    timing_phase(NULL);
    return;
  }
  if (shown) fputs("\r\033[K", stderr);
  shown = 0;
}
