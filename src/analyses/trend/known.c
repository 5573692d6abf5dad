/*
 * Known runtime leaks: leaks in V8 or Node whose fix is an upgrade, not a
 * change to the user's code, each with the signature a trend series shows.
 * A series is matched by its identity (what it is and where it hangs), not
 * by how it grows, so the rule can give a known signature less benefit of
 * the doubt (LS__RULE_KNOWN). Adding one: an entry in `known` and in
 * `signature`, and a test. The tables are constant (safe on any thread).
 */
#include <string.h>

#include "trend_int.h"

/* The last step of the path is reached by `edge` from a node whose
 * retainer-view name is `holder`. */
static int held_as(const ls_path_step *path, size_t len, const char *holder,
                   const char *edge) {
  if (len < 2) return 0;
  const ls_path_step *last = &path[len - 1], *prev = &path[len - 2];
  return last->edge && !strcmp(last->edge, edge) &&
         !strcmp(prev->class_name, holder);
}

#define BIT(m) (1u << (m))

/* V8 kept every map that optimised code embedded in the native context's
 * retained_maps WeakArrayList and compacted it too rarely: cleared slots
 * stay, so the list grows in capacity and used length, while its edge
 * count does not (cleared slots have no edges). It is copied to a bigger
 * array as it grows, so trend follows it as the native context's
 * retained_maps. */
static unsigned retained_maps(ls_suspect_kind kind, const char *name,
                              const ls_path_step *path, size_t len) {
  (void)name;
  if (kind != LS_SUSPECT_OBJECT ||
      !held_as(path, len, "system / NativeContext", "retained_maps"))
    return 0;
  return BIT(LS_METRIC_SELF_SIZE) | BIT(LS_METRIC_RETAINED_SIZE) |
         BIT(LS_METRIC_USED);
}

static const ls_known_leak known[] = {
    {"v8-retained-maps",
     "V8 retained_maps WeakArrayList grows without bound",
     "Node.js 22.15.0, 23.11.0 (V8 \"Compact retained maps array more "
     "often\")",
     "https://github.com/nodejs/node/issues/57412",
     "This leak is in V8, not in your code: the native context's "
     "retained_maps list keeps growing while optimised code is created. "
     "Upgrade Node.js to 22.15.0 or 23.11.0 or later."},
    {NULL, NULL, NULL, NULL, NULL},
};

typedef struct {
  /* the metrics its signature grows in (0: this series is not it) */
  unsigned (*match)(ls_suspect_kind, const char *, const ls_path_step *, size_t);
  /* Node.js versions that have the bug: [from, to) per release line,
   * as major * 10000 + minor * 100 + patch; a zero entry ends the list */
  unsigned long affected[4][2];
} signature_t;

/* Per entry of `known`. */
static const signature_t signature[] = {
    {retained_maps, {{220000, 221500}, {230000, 231100}, {0, 0}}},
};

/* "22.14.0" as 221400; 0 when it is not a version. */
static unsigned long version_number(const char *v) {
  unsigned long part[3] = {0, 0, 0};
  int k = 0;
  for (; *v && k < 3; v++) {
    if (*v == '.') k++;
    else if (*v >= '0' && *v <= '9') part[k] = part[k] * 10 + (unsigned long)(*v - '0');
    else return 0;
  }
  if (k != 2 || part[1] > 99 || part[2] > 99) return 0;
  return part[0] * 10000 + part[1] * 100 + part[2];
}

static int affected(const signature_t *sig, const char *version) {
  unsigned long v = version ? version_number(version) : 0;
  if (!v) return 1; /* unknown version: the signature decides */
  for (int i = 0; i < 4 && sig->affected[i][1]; i++)
    if (v >= sig->affected[i][0] && v < sig->affected[i][1]) return 1;
  return 0;
}

const ls_known_leak *ls__known_identity(ls_suspect_kind kind, const char *name,
                                        const ls_path_step *path,
                                        size_t path_len, const char *version,
                                        unsigned *metrics) {
  *metrics = 0;
  for (size_t i = 0; i < sizeof signature / sizeof *signature; i++) {
    if (!affected(&signature[i], version)) continue;
    unsigned m = signature[i].match(kind, name, path, path_len);
    if (m) {
      *metrics = m;
      return &known[i];
    }
  }
  return NULL;
}

const ls_known_leak *ls_known_leaks(void) { return known; }
