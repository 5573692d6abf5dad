/* Error filling shared by every layer (the reader is the lowest one). */
#ifndef LS_READER_ERROR_H
#define LS_READER_ERROR_H

#include "leakscope.h"

/* Fill `e` (may be NULL) with code, offset and a printf-style message and
 * return `code`, so callers can write `return ls__set_error(...)`. */
ls_status ls__set_error(ls_error *e, ls_status code, uint64_t offset,
                        const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
