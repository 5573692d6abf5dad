/* --html FILE: the report is written to a private temporary file in FILE's
 * folder and renamed over FILE only when it is complete, so a failed run
 * never leaves half a report. The temporary file is created before the
 * work starts, so a bad FILE is reported at once (exit 2). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int ls__html_open(const char *cmd, const char *path, ls__html_out *o) {
  memset(o, 0, sizeof *o);
  o->fd = -1;
  struct stat sb;
  if (!*path)
    return ls__cli_usage(cmd, "--html needs a file name");
  if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
    fprintf(stderr, "leakscope %s: --html %s: is a folder (expected the "
                    "name of the HTML file to write)\n", cmd, path);
    return LS_EXIT_USAGE;
  }
  size_t len = strlen(path);
  const char *slash = strrchr(path, '/');
  size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
  /* "DIR/.NAME.XXXXXX": hidden, beside FILE, so rename() stays in one
   * file system */
  o->tmp = malloc(len + 16);
  if (!o->tmp) {
    fputs("leakscope: out of memory\n", stderr);
    return LS_EXIT_RESOURCE;
  }
  memcpy(o->tmp, path, dir_len);
  snprintf(o->tmp + dir_len, len + 16 - dir_len, ".%s.XXXXXX", path + dir_len);
  o->fd = mkstemp(o->tmp); /* 0600 */
  if (o->fd < 0) {
    int e = errno;
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", dir_len ? (int)dir_len - (dir_len > 1) : 1,
             dir_len ? path : ".");
    fprintf(stderr, "leakscope %s: --html %s: cannot create a file in %s: "
                    "%s\n", cmd, path, dir, strerror(e));
    free(o->tmp);
    o->tmp = NULL;
    return e == ENOMEM ? LS_EXIT_RESOURCE : LS_EXIT_USAGE;
  }
  o->path = path;
  return LS_EXIT_OK;
}

FILE *ls__html_stream(ls__html_out *o) {
  if (!o->f && o->fd >= 0) {
    o->f = fdopen(o->fd, "w");
    if (o->f) o->fd = -1;
  }
  return o->f;
}

void ls__html_abort(ls__html_out *o) {
  if (o->f) fclose(o->f);
  else if (o->fd >= 0) close(o->fd);
  if (o->tmp) unlink(o->tmp);
  free(o->tmp);
  memset(o, 0, sizeof *o);
  o->fd = -1;
}

int ls__html_commit(ls__html_out *o, int render_failed) {
  if (!o->tmp) return LS_EXIT_OK;
  FILE *f = o->f;
  int bad = render_failed || !f || ferror(f);
  int e = errno;
  if (f && (fflush(f) != 0 || fsync(fileno(f)) != 0)) bad = 1, e = errno;
  if (f) {
    o->f = NULL;
    if (fclose(f) != 0 && !bad) bad = 1, e = errno;
  }
  if (!bad && rename(o->tmp, o->path) != 0) bad = 1, e = errno;
  if (bad) {
    fprintf(stderr, "leakscope: --html %s: writing the report failed: %s\n",
            o->path, strerror(e));
    ls__html_abort(o);
    return LS_EXIT_RESOURCE;
  }
  free(o->tmp);
  o->tmp = NULL;
  return LS_EXIT_OK;
}
