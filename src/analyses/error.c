/* Error filling shared by the analyses. */
#include <stdarg.h>
#include <stdio.h>

#include "heap.h"

ls_status ls__heap_fail(ls_error *e, ls_status code, uint64_t offset,
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
