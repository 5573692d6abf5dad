/*
 * Known runtime leaks. Each entry is a leak in V8 or Node whose fix is an
 * upgrade, not a change to the user's code, with the signature a trend
 * suspect shows. Adding one: an entry in `table`, a matcher, and a test.
 */
#include <string.h>

#include "known.h"

typedef struct {
  ls_known_leak info;
  int (*match)(const ls_suspect *s);
} known_entry;

/* The last step of the suspect's path is reached by `edge` from a node whose
 * retainer-view name is `holder`. */
static int held_as(const ls_suspect *s, const char *holder, const char *edge) {
  if (s->path_len < 2) return 0;
  const ls_path_step *last = &s->path[s->path_len - 1];
  const ls_path_step *prev = &s->path[s->path_len - 2];
  return last->edge && !strcmp(last->edge, edge) &&
         !strcmp(prev->class_name, holder);
}

/* V8 kept every map that optimised code embedded in the native context's
 * retained_maps WeakArrayList and compacted it too rarely: cleared slots
 * stay, so the list grows in self size only (its edge count does not: the
 * cleared slots have no edges). It is copied to a bigger array as it
 * grows, so trend follows it as the native context's retained_maps. */
static int retained_maps(const ls_suspect *s) {
  return s->kind == LS_SUSPECT_OBJECT &&
         (!strcmp(s->metric, "self_size") ||
          !strcmp(s->metric, "retained_size")) &&
         held_as(s, "system / NativeContext", "retained_maps");
}

static const known_entry table[] = {
    {{"v8-retained-maps",
      "V8 retained_maps WeakArrayList grows without bound",
      "Node.js 22.15.0, 23.11.0 (V8 \"Compact retained maps array more "
      "often\")",
      "https://github.com/nodejs/node/issues/57412",
      "This leak is in V8, not in your code: the native context's "
      "retained_maps list keeps growing while optimised code is created. "
      "Upgrade Node.js to 22.15.0 or 23.11.0 or later."},
     retained_maps},
};

enum { N_KNOWN = sizeof table / sizeof table[0] };

const ls_known_leak *ls__known_match(const ls_suspect *s) {
  for (int i = 0; i < N_KNOWN; i++)
    if (table[i].match(s)) return &table[i].info;
  return NULL;
}

const ls_known_leak *ls_known_leaks(void) {
  static ls_known_leak list[N_KNOWN + 1];
  for (int i = 0; i < N_KNOWN; i++) list[i] = table[i].info;
  return list; /* list[N_KNOWN] stays zeroed: the NULL id ends it */
}
