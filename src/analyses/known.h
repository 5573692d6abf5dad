/* Known runtime leaks: signatures of leaks in V8 or Node themselves. */
#ifndef LS_ANALYSES_KNOWN_H
#define LS_ANALYSES_KNOWN_H

#include "leakscope.h"

/* The entry a suspect matches, or NULL. Only the suspect's own fields are
 * read (kind, metric, path), so matching works after the heaps are gone. */
const ls_known_leak *ls__known_match(const ls_suspect *s);

#endif
