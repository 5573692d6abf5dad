/* The report of `leakscope versions` (versions.c): a table per tested
 * version and the boundaries, or the JSON {versions[], boundary,
 * boundaries[]} (keys in README.md). 0, or -1 when writing failed. */
#ifndef LS_RENDER_VERSIONS_H
#define LS_RENDER_VERSIONS_H

#include <stdio.h>
#include "leakscope.h"

int ls__render_versions_json(FILE *f, const ls_versions *v);
int ls__render_versions_text(FILE *f, const ls_versions *v);

#endif
