/* Status names, exit codes and the shared error filler. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

ls_status ls__set_error(ls_error *e, ls_status code, uint64_t offset,
                        const char *fmt, ...) {
  if (e) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    e->code = code;
    e->offset = offset;
  }
  return code;
}

const char *ls_status_str(ls_status s) {
  switch (s) {
  case LS_OK: return "ok";
  case LS_ERR_INVALID_ARG: return "invalid argument";
  case LS_ERR_IO: return "i/o error";
  case LS_ERR_PARSE: return "parse error";
  case LS_ERR_NOMEM: return "out of memory";
  case LS_ERR_LIMIT: return "limit exceeded";
  case LS_ERR_PROGRAM: return "program failed";
  case LS_ERR_SYSTEM: return "system resource failure";
  }
  return "unknown status";
}

int ls_status_exit_code(ls_status s) {
  switch (s) {
  case LS_OK: return 0;
  case LS_ERR_NOMEM:
  case LS_ERR_LIMIT:
  case LS_ERR_SYSTEM: return 3;
  default: return 2;
  }
}
