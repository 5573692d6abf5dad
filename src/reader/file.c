/* ls_snapshot_read_file: read a file or stdin through an ls_reader. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "snapshot.h"

#define READ_CHUNK (4u << 20)

ls_status ls_snapshot_read_file(const char *path, ls_snapshot **out,
                                ls_progress_fn progress, void *progress_ctx,
                                ls_error *err) {
  if (!path || !out)
    return ls__set_error(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls_snapshot_read_file: NULL argument");
  *out = NULL;
  int is_stdin = strcmp(path, "-") == 0;
  int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return ls__set_error(err, LS_ERR_IO, LS_NO_OFFSET, "cannot open: %s",
                         strerror(errno));
  struct stat st;
  uint64_t total = 0;
  if (fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      if (!is_stdin) close(fd);
      return ls__set_error(err, LS_ERR_IO, LS_NO_OFFSET,
                           "is a directory (expected a .heapsnapshot file)");
    }
    if (S_ISREG(st.st_mode)) {
      total = (uint64_t)st.st_size;
#ifdef POSIX_FADV_SEQUENTIAL
      posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    }
  }
  ls_status status = LS_OK;
  ls_reader *r = ls_reader_new(err);
  uint8_t *buf = malloc(READ_CHUNK);
  if (!r || !buf) {
    status = r ? ls__set_error(err, LS_ERR_NOMEM, LS_NO_OFFSET,
                               "out of memory for the read buffer")
               : LS_ERR_NOMEM;
    goto done;
  }
  uint64_t done_bytes = 0;
  for (;;) {
    ssize_t n = read(fd, buf, READ_CHUNK);
    if (n < 0) {
      if (errno == EINTR) continue;
      status = ls__set_error(err, LS_ERR_IO, LS_NO_OFFSET,
                             "read failed after %llu bytes: %s",
                             (unsigned long long)done_bytes, strerror(errno));
      goto done;
    }
    if (n == 0) break;
    done_bytes += (uint64_t)n;
    status = ls_reader_feed(r, buf, (size_t)n, err);
    if (status != LS_OK) goto done;
    if (progress) progress(progress_ctx, "reading", done_bytes, total);
  }
  status = ls_reader_finish(r, out, err);
done:
  free(buf);
  ls_reader_free(r);
  if (!is_stdin) close(fd);
  return status;
}
