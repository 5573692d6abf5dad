/* The snapshot files of a folder, as `trend DIR` takes them (one place for
 * the CLI and the Node package). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trend_int.h"

static int ends_with(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && !strcmp(s + a - b, suf);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void ls_trend_files_free(char **paths, size_t n) {
  if (!paths) return;
  for (size_t i = 0; i < n; i++) free(paths[i]);
  free(paths);
}

ls_status ls_trend_files(const char *dir, char ***paths, size_t *n,
                         ls_error *err) {
  if (!dir || !paths || !n)
    return ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls_trend_files: NULL argument");
  *paths = NULL;
  *n = 0;
  DIR *d = opendir(dir);
  if (!d)
    return ls__heap_fail(err, LS_ERR_IO, LS_NO_OFFSET,
                         "%.300s: cannot open directory: %s", dir, strerror(errno));
  char **v = NULL;
  size_t len = 0, cap = 0;
  struct dirent *e;
  ls_status st = LS_OK;
  while ((e = readdir(d))) {
    if (!ends_with(e->d_name, ".heapsnapshot") &&
        !ends_with(e->d_name, ".heapsnapshot.gz"))
      continue;
    if (len == cap) {
      size_t nc = cap ? cap * 2 : 16;
      char **nv = realloc(v, nc * sizeof *nv);
      if (!nv) {
        st = LS_ERR_NOMEM;
        break;
      }
      v = nv;
      cap = nc;
    }
    size_t l = strlen(dir) + strlen(e->d_name) + 2;
    if (!(v[len] = malloc(l))) {
      st = LS_ERR_NOMEM;
      break;
    }
    snprintf(v[len++], l, "%s/%s", dir, e->d_name);
  }
  closedir(d);
  if (st == LS_OK && len < LS_TREND_MIN_SNAPSHOTS)
    st = ls__heap_fail(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                       "%.300s: %zu .heapsnapshot file%s in the directory: a "
                       "trend needs at least %d of one process (to compare "
                       "two, use 'leakscope diff')",
                       dir, len, len == 1 ? "" : "s", LS_TREND_MIN_SNAPSHOTS);
  else if (st == LS_ERR_NOMEM)
    ls__heap_fail(err, st, LS_NO_OFFSET, "out of memory listing %.300s", dir);
  if (st != LS_OK) {
    ls_trend_files_free(v, len);
    return st;
  }
  if (len > 1) qsort(v, len, sizeof *v, by_name);
  *paths = v;
  *n = len;
  return LS_OK;
}
