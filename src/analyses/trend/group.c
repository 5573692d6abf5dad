/*
 * Grouping. Growth shows at several places at once: the container that
 * holds the leaked objects, their class, their storage, and every object
 * above the container (whose retained size grows with it). Each suspect
 * joins the nearest suspect object on its retainer path (the container: a
 * Map, an Array, an emitter's listener list), which then leads even when
 * only its retained size grows; objects further up whose retained size
 * grows only because of what they hold are symptoms and are dropped.
 */
#include <stdlib.h>
#include <string.h>

#include "trend_int.h"

#define MAX_MEMBERS 5 /* related suspects shown under a leader */

static int path_has(const ls_path_step *p, size_t n, uint64_t id) {
  for (size_t i = 0; i + 1 < n; i++) /* the last step is the suspect */
    if (p[i].id == id) return 1;
  return 0;
}

/* Last value minus the first present one after a first (warm-up) step. */
static int64_t gain_after_warmup(const uint64_t *v, size_t n) {
  size_t f = 0;
  while (f < n && v[f] == LS__ABSENT) f++;
  if (f + 2 > n) return 0;
  return (int64_t)(v[n - 1] - v[f + 1]);
}

/* Is step j reached from step j-1 the way step j-1 was reached (same
 * edge name and type, same class): a link of a chain? */
static int chain_link(const ls_path_step *p, size_t j) {
  if (j < 2) return 0;
  const ls_path_step *a = &p[j - 1], *b = &p[j];
  return a->edge && b->edge && a->edge_type && b->edge_type &&
         !strcmp(a->edge, b->edge) && !strcmp(a->edge_type, b->edge_type) &&
         !strcmp(a->class_name, b->class_name);
}

/* Is a weaker than b: it only may grow, b grows? What grows never hangs
 * under (nor is explained away by) what only may. */
static int weaker(const ls__cand *a, const ls__cand *b) {
  return a->s.verdict == LS_VERDICT_UNSURE && b->s.verdict == LS_VERDICT_LEAK;
}

/* Does the object `id` dominate the suspect (hold it alone)? Then its
 * retained size grows because the suspect does. */
static int dominates(uint64_t id, const ls__cand *b) {
  for (size_t i = 0; i < b->ndom; i++)
    if (b->dom[i] == id) return 1;
  return 0;
}

/* What grows before what only may; known runtime leaks first (their fix
 * is an upgrade, and they are certain), then the largest growth. */
static int cand_rank(const void *a, const void *b) {
  const ls__cand *x = *(ls__cand *const *)a, *y = *(ls__cand *const *)b;
  if (x->s.verdict != y->s.verdict) /* what grows before what may */
    return x->s.verdict == LS_VERDICT_LEAK ? -1 : 1;
  if (!x->s.known != !y->s.known) return x->s.known ? -1 : 1;
  if (x->s.growth_bytes != y->s.growth_bytes)
    return x->s.growth_bytes > y->s.growth_bytes ? -1 : 1;
  if (x->s.growth_count != y->s.growth_count)
    return x->s.growth_count > y->s.growth_count ? -1 : 1;
  return strcmp(x->s.name, y->s.name);
}

ls_status ls__group(ls__store *c, ls__cand *cs, size_t nc, size_t max_suspects,
                    ls_trend *t) {
  const size_t n = c->n;
  ls_status st = LS_OK;
  /* Grouping. Every suspect joins the nearest object suspect on its path:
   * the container that holds it (a Map, an Array, an emitter's listener
   * list), which then leads even when only its retained size grows.
   * Objects further up whose retained size grows only because of what
   * they hold (the global object, a module's exports) are symptoms and are
   * dropped; a class that only retains more is dropped when an object of
   * that class leads. */
  for (size_t a = 0; a < nc; a++)
    if (cs[a].s.kind == LS_SUSPECT_CLASS && cs[a].retained_only)
      for (size_t b = 0; b < nc; b++)
        if (cs[b].s.kind == LS_SUSPECT_OBJECT && !cs[b].drop &&
            !weaker(&cs[b], &cs[a]) && !strcmp(cs[b].s.name, cs[a].s.name))
          cs[a].drop = 1;
  /* a class that only retains more because its newest instance alone holds
   * a suspect that really grows is that suspect's symptom: the callback
   * running while the snapshot is written (an Immediate, a promise
   * reaction) holds the program's closures and so its caches */
  for (size_t a = 0; a < nc; a++) {
    if (cs[a].drop || cs[a].s.kind != LS_SUSPECT_CLASS ||
        !cs[a].retained_only || !cs[a].s.path_len)
      continue;
    uint64_t inst = cs[a].s.path[cs[a].s.path_len - 1].id;
    for (size_t b = 0; b < nc && !cs[a].drop; b++)
      if (b != a && !cs[b].drop && !cs[b].retained_only && !weaker(&cs[b], &cs[a]) &&
          (dominates(inst, &cs[b]) || path_has(cs[b].s.path, cs[b].s.path_len, inst)))
        cs[a].drop = 1;
  }
  /* a link of a chain (a linked list: `.next -> Node` again and again)
   * retains more because the links after it do; the chain is held where it
   * starts, so of the links that are suspects only the first one stays */
  for (size_t b = 0; b < nc; b++) {
    const ls_suspect *B = &cs[b].s;
    if (cs[b].drop || !cs[b].retained_only || B->kind != LS_SUSPECT_OBJECT ||
        B->path_len < 3 || !chain_link(B->path, B->path_len - 1))
      continue;
    for (size_t j = B->path_len - 1; j-- > 1 && chain_link(B->path, j + 1);)
      for (size_t a = 0; a < nc; a++)
        if (a != b && cs[a].s.kind == LS_SUSPECT_OBJECT && cs[a].s.id == B->path[j].id &&
            !weaker(&cs[a], &cs[b]))
          cs[b].drop = cs[b].link = 1;
  }
  /* a class that grows in size because one object of it does (V8's
   * retained_maps list is one "(system)" object) is explained by it */
  for (size_t b = 0; b < nc; b++) {
    if (cs[b].drop || cs[b].s.kind != LS_SUSPECT_CLASS ||
        cs[b].s.metric != LS_METRIC_SELF_SIZE)
      continue;
    int64_t cg = gain_after_warmup(cs[b].s.sizes, n);
    for (size_t a = 0; a < nc; a++)
      if (cs[a].s.kind == LS_SUSPECT_OBJECT && !cs[a].drop && !weaker(&cs[a], &cs[b]) &&
          !strcmp(cs[a].s.name, cs[b].s.name) &&
          gain_after_warmup(cs[a].s.sizes, n) * 5 >= cg * 4) {
        cs[b].leader = (long)a;
        break;
      }
  }
  /* a class joins the object that dominates most of its instances, when
   * that object is a suspect (the global object itself never holds: it is
   * everyone's ancestor) */
  for (size_t b = 0; b < nc; b++) {
    if (cs[b].drop || cs[b].leader >= 0 || !cs[b].holder_id) continue;
    for (size_t a = 0; a < nc; a++)
      if (cs[a].s.kind == LS_SUSPECT_OBJECT && !cs[a].drop && !weaker(&cs[a], &cs[b]) &&
          cs[a].s.id == cs[b].holder_id &&
          !(cs[a].retained_only && cs[a].s.path_len <= 1)) {
        cs[b].leader = (long)a;
        if (cs[a].retained_only) cs[a].holder = 1;
        break;
      }
  }
  for (size_t b = 0; b < nc; b++) {
    /* a known runtime leak leads: its fix is an upgrade, not its holder */
    if (cs[b].drop || cs[b].leader >= 0 || cs[b].s.known) continue;
    const ls_suspect *B = &cs[b].s;
    /* what a container holds: instances of a class, or storage (a hidden
     * or array object) that grows in references */
    const int held = B->kind == LS_SUSPECT_CLASS ||
                     (cs[b].storage && B->metric == LS_METRIC_EDGES);
    /* a class's path ends at an instance, which may lead itself */
    size_t top = B->kind == LS_SUSPECT_CLASS ? B->path_len
                 : B->path_len >= 1          ? B->path_len - 1
                                             : 0;
    for (size_t j = top; j-- > 0 && cs[b].leader < 0;) {
      for (size_t a = 0; a < nc; a++) {
        if (a == b || cs[a].s.kind != LS_SUSPECT_OBJECT ||
            B->path[j].id != cs[a].s.id || weaker(&cs[a], &cs[b]))
          continue;
        /* a container whose retained size grows because of what it holds:
         * any container of a class's instances, only the direct owner of
         * growing storage (a Map of its table, an Array of its elements) */
        if (cs[a].retained_only &&
            (!held || (B->kind != LS_SUSPECT_CLASS && j + 2 != B->path_len) ||
             cs[a].s.path_len <= 1))
          break; /* a symptom: look higher */
        cs[b].leader = (long)a;
        if (cs[a].retained_only) cs[a].holder = 1;
        break;
      }
    }
  }
  for (size_t b = 0; b < nc; b++) {
    const ls_suspect *B = &cs[b].s;
    if (cs[b].link) continue; /* the chain's start leads, not a symptom */
    for (size_t a = 0; a < nc; a++)
      if (a != b && cs[a].retained_only && !cs[a].holder && !weaker(&cs[b], &cs[a]) &&
          cs[a].s.kind == LS_SUSPECT_OBJECT &&
          (path_has(B->path, B->path_len, cs[a].s.id) ||
           dominates(cs[a].s.id, &cs[b])))
        cs[a].drop = 1;
  }
  for (size_t b = 0; b < nc; b++) /* members of dropped leaders move up */
    while (cs[b].leader >= 0 && cs[cs[b].leader].drop)
      cs[b].leader = cs[cs[b].leader].leader;
  for (size_t b = 0; b < nc; b++) { /* flatten chains to their top */
    long l = cs[b].leader, hops = 0;
    while (l >= 0 && cs[l].leader >= 0 && hops++ < (long)nc) l = cs[l].leader;
    cs[b].leader = l;
  }

  /* Order: leaders by growth, each followed by its members. */
  ls__cand **lead = malloc((nc ? nc : 1) * sizeof *lead);
  ls__cand **mem = malloc((nc ? nc : 1) * sizeof *mem);
  t->suspects = calloc(nc ? nc : 1, sizeof *t->suspects);
  if (st == LS_OK && (!lead || !mem || !t->suspects)) st = ls__store_nomem(c);
  size_t nl = 0;
  if (st == LS_OK) {
    for (size_t i = 0; i < nc; i++)
      if (!cs[i].drop && cs[i].leader < 0) lead[nl++] = &cs[i];
    qsort(lead, nl, sizeof *lead, cand_rank);
    if (max_suspects && nl > max_suspects) nl = max_suspects;
    for (size_t li = 0; li < nl; li++) {
      ls__cand *L = lead[li];
      size_t at = t->suspect_count++;
      t->suspects[at] = L->s;
      t->suspects[at].group = -1;
      memset(&L->s, 0, sizeof L->s); /* moved */
      size_t nm = 0;
      for (size_t i = 0; i < nc; i++)
        if (!cs[i].drop && cs[i].leader == L - cs) mem[nm++] = &cs[i];
      qsort(mem, nm, sizeof *mem, cand_rank);
      for (size_t m = 0; m < nm && m < MAX_MEMBERS; m++) {
        size_t k = t->suspect_count++;
        t->suspects[k] = mem[m]->s;
        t->suspects[k].group = (long)at;
        memset(&mem[m]->s, 0, sizeof mem[m]->s);
      }
    }
  }
  free(lead);
  free(mem);
  return st;
}
