/* Folding repeated steps of retainer paths: units of 1 to 4 steps, 3
 * repetitions kept and 4 folded, element indices, runs at the ends and
 * back to back, 100,000-step chains (time), then the same through a
 * hand-made snapshot (ls__path_steps, ls__path_step_nodes) and the text,
 * JSON and HTML forms of a marker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "tsnap.h"
#include "analyses/heap.h"
#include "algorithms/paths.h"
#include "render/render.h"

/* ---- hand-built step arrays ------------------------------------------ */

/* One step per character, its id its position: 'r' a root (no edge), 't'
 * the target (.t → Target), 'A'..'Z' .a → A (a property named after the
 * class), 'i' an element edge [position] → Array, 'h' a hidden edge
 * [position] → system, other lower case letters .next → A, B, ... (one
 * edge name, several classes). Edges are malloc'd (own_names 0: the rest
 * is static). */
static const char *const letters[] = {
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M",
    "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z"};

static void set_step(ls_path_step *st, char c, size_t pos) {
  char buf[32];
  st->id = pos;
  st->type = "object";
  st->edge_type = "property";
  if (c == 'r') {
    st->class_name = "(GC roots)";
    st->type = "synthetic";
    st->edge_type = NULL;
    return;
  }
  if (c == 't') {
    st->class_name = "Target";
    snprintf(buf, sizeof buf, "t");
  } else if (c >= 'A' && c <= 'Z') {
    st->class_name = letters[c - 'A'];
    snprintf(buf, sizeof buf, "%c", c - 'A' + 'a');
  } else if (c == 'i' || c == 'h') {
    st->class_name = c == 'i' ? "Array" : "system";
    st->type = c == 'i' ? "object" : "hidden";
    st->edge_type = c == 'i' ? "element" : "hidden";
    snprintf(buf, sizeof buf, "[%zu]", pos);
  } else if (c >= 'a' && c <= 'z') {
    st->class_name = letters[c - 'a'];
    snprintf(buf, sizeof buf, "next");
  } else {
    fail_msg("bad step code %c", c);
  }
  st->edge = strdup(buf);
}

static ls_path_step *steps_of(const char *spec, size_t *n) {
  *n = strlen(spec);
  ls_path_step *p = calloc(*n, sizeof *p);
  for (size_t i = 0; i < *n; i++) set_step(&p[i], spec[i], i);
  return p;
}

/* The folded path in words: each explicit step as its code (from the
 * spec, by its id), each marker as <R/p@id of the node it describes>. */
static char *describe(const char *spec, const ls_path_step *p, size_t n) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  for (size_t i = 0; i < n; i++) {
    if (i) putc(' ', f);
    if (p[i].repeat)
      fprintf(f, "<%llu/%u@%llu>", (unsigned long long)p[i].repeat,
              p[i].unit, (unsigned long long)p[i].id);
    else
      putc(spec[p[i].id], f);
  }
  fclose(f);
  return buf;
}

/* The true length a folded path stands for. */
static uint64_t true_len(const ls_path_step *p, size_t n) {
  uint64_t t = 0;
  for (size_t i = 0; i < n; i++) t += p[i].repeat ? p[i].repeat : 1;
  return t;
}

static void check_fold(const char *spec, const char *want) {
  size_t n;
  ls_path_step *p = steps_of(spec, &n);
  size_t m = ls__path_fold(p, n, 0);
  char *got = describe(spec, p, m);
  if (strcmp(got, want))
    fail_msg("%s folded to \"%s\", expected \"%s\"", spec, got, want);
  assert_int_equal(true_len(p, m), n);
  ls__path_steps_free(p, m, 0);
  free(got);
}

static void period_one(void **state) {
  (void)state;
  check_fold("rAAAt", "r A A A t");               /* k = 3: kept */
  check_fold("rAAAAt", "r A <2/1@3> A t");        /* k = 4: folded */
  check_fold("rAAAAAAAAAAt", "r A <8/1@9> A t");
  check_fold("rBAAAAAAACt", "r B A <5/1@7> A C t");
  /* one edge name, other classes: no repetition */
  check_fold("rabcdefgt", "r a b c d e f g t");
  check_fold("raaaaat", "r a <3/1@4> a t");
  /* same class, other property names: no unit of 1 (and a unit of 2
   * only 3 times) */
  check_fold("raAaAaAt", "r a A a A a A t");
}

static void periods_two_to_four(void **state) {
  (void)state;
  check_fold("rABABABt", "r A B A B A B t");
  check_fold("rABABABABt", "r A B <4/2@6> A B t");
  check_fold("rABCABCABCt", "r A B C A B C A B C t");
  check_fold("rABCABCABCABCt", "r A B C <6/3@9> A B C t");
  check_fold("rABCDABCDABCDt", "r A B C D A B C D A B C D t");
  check_fold("rABCDABCDABCDABCDt", "r A B C D <8/4@12> A B C D t");
  /* a unit of 5 is never folded */
  check_fold("rABCDEABCDEABCDEABCDEABCDEt",
             "r A B C D E A B C D E A B C D E A B C D E A B C D E t");
  /* an incomplete last repetition stays after the fold */
  check_fold("rABABABABAt", "r A B <4/2@6> A B A t");
  /* the smallest unit that folds the most: 2, not 4 */
  check_fold("rABABABABABABABABt", "r A B <12/2@14> A B t");
  /* 1, not 2 or 3 */
  check_fold("rAAAAAAAAAAAAt", "r A <10/1@11> A t");
}

static void element_indices(void **state) {
  (void)state;
  /* element and hidden edges repeat whatever their index */
  check_fold("riiiiiit", "r i <4/1@5> i t");
  check_fold("rhhhhht", "r h <3/1@4> h t");
  check_fold("riAiAiAiAt", "r i A <4/2@6> i A t");
  /* but element and hidden are not the same edge */
  check_fold("rihihiht", "r i h i h i h t");
  size_t n;
  ls_path_step *p = steps_of("riiiiiit", &n);
  size_t m = ls__path_fold(p, n, 0);
  assert_int_equal(m, 5);
  /* the marker describes the last node it stands for, edge and all */
  assert_int_equal(p[2].repeat, 4);
  assert_int_equal(p[2].unit, 1);
  assert_int_equal(p[2].id, 5);
  assert_string_equal(p[2].edge, "[5]");
  assert_string_equal(p[2].edge_type, "element");
  assert_string_equal(p[2].class_name, "Array");
  assert_string_equal(p[3].edge, "[6]");
  assert_int_equal(p[3].repeat, 0);
  assert_int_equal(p[3].unit, 0);
  ls__path_steps_free(p, m, 0);
}

static void runs_at_the_ends(void **state) {
  (void)state;
  /* a run right after the root and one ending at the target */
  check_fold("rAAAAAt", "r A <3/1@4> A t");
  check_fold("rBAAAAA", "r B A <3/1@5> A");
  check_fold("raaaaa", "r a <3/1@4> a");
  /* every step alike, root and target included (a hand-made path whose
   * root has an edge): the ends stay explicit all the same */
  check_fold("AAAAAA", "A <4/1@4> A");
  check_fold("AAAA", "A <2/1@2> A");
  check_fold("ABABABAB", "A B <4/2@5> A B");
  /* too short to fold */
  check_fold("", "");
  check_fold("r", "r");
  check_fold("AAA", "A A A");
}

static void runs_back_to_back(void **state) {
  (void)state;
  check_fold("rAAAAABBBBBt", "r A <3/1@4> A B <3/1@9> B t");
  check_fold("rAAAAABCBCBCBCt", "r A <3/1@4> A B C <4/2@11> B C t");
  /* markers are never folded again */
  size_t n;
  ls_path_step *p = steps_of("rAAAAt", &n);
  size_t m = ls__path_fold(p, n, 0);
  assert_int_equal(ls__path_fold(p, m, 0), m);
  ls__path_steps_free(p, m, 0);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 100,000 steps: one run, and a path that nearly folds everywhere (runs
 * of 3, the worst case for the scan). Quadratic would take minutes. */
static void hundred_thousand_steps(void **state) {
  (void)state;
  const size_t n = 100000;
  char *spec = malloc(n + 1);
  memset(spec, 'A', n);
  spec[0] = 'r', spec[n - 1] = 't', spec[n] = 0;
  size_t len;
  ls_path_step *p = steps_of(spec, &len);
  double t0 = now();
  size_t m = ls__path_fold(p, len, 0);
  double t1 = now();
  assert_int_equal(m, 5);
  assert_int_equal(p[2].repeat, n - 4);
  assert_int_equal(p[2].unit, 1);
  assert_int_equal(p[2].id, n - 3);
  assert_int_equal(true_len(p, m), n);
  ls__path_steps_free(p, m, 0);
  /* AAAB AAAC ... AAAZ AAAB ...: every unit of 1 to 4 steps repeats 3
   * times at most, so the scan looks ahead at each step and folds none */
  for (size_t i = 1; i + 1 < n; i++)
    spec[i] = i % 4 != 3 ? 'A' : (char)('B' + (i / 4) % 25);
  p = steps_of(spec, &len);
  double t2 = now();
  m = ls__path_fold(p, len, 0);
  double t3 = now();
  assert_int_equal(m, n);
  ls__path_steps_free(p, m, 0);
  printf("# fold of 100,000 steps: one run %.1f ms, none %.1f ms\n",
         (t1 - t0) * 1e3, (t3 - t2) * 1e3);
  assert_true(t1 - t0 < 1.0 && t3 - t2 < 1.0);
  free(spec);
}

/* ---- through a snapshot ---------------------------------------------- */

typedef struct {
  ls_heap *h;
  uint32_t *parent;
} heap_paths;

static heap_paths load(tsnap *t) {
  heap_paths hp = {0};
  ls_error err;
  ls_snapshot *s = tsnap_read(t);
  assert_int_equal(ls_heap_build(s, NULL, &hp.h, &err), LS_OK);
  hp.parent = malloc(s->node_count * sizeof *hp.parent);
  assert_int_equal(ls__path_parents(s, hp.parent, &err), LS_OK);
  return hp;
}

static void unload(heap_paths *hp) {
  free(hp->parent);
  ls_heap_free(hp->h);
}

static char *render(int json, const ls_path_step *p, size_t n) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (json) ls__json_path(f, p, n);
  else ls__text_path(f, p, n, "  ");
  fclose(f);
  /* a copy: GCC's -Wdangling-pointer takes the memstream's buffer, set
   * through &buf, for this frame's own */
  char *out = strdup(buf);
  free(buf);
  return out;
}

/* global .list → Node, then Node .next → Node 10 times, .target → Target;
 * global .w → Wrapper, .value → Box .next → Wrapper ... (a unit of 2),
 * .t → Target; global .arr → Array [i] → Array ... (indices differ). */
static void snapshot_paths(void **state) {
  (void)state;
  tsnap *t = tsnap_new();
  int root = tsnap_node(t, "synthetic", "", 0);
  int global = tsnap_node(t, "object", "global", 100);
  tsnap_edge(t, root, "shortcut", "global", global);
  int node[11];
  for (int i = 0; i < 11; i++) {
    node[i] = tsnap_node(t, "object", "Node", 24);
    tsnap_edge(t, i ? node[i - 1] : global, "property", i ? "next" : "list",
               node[i]);
  }
  int target = tsnap_node(t, "object", "Target", 16);
  tsnap_edge(t, node[10], "property", "target", target);
  int w = global, wrap[6];
  for (int i = 0; i < 6; i++) {
    wrap[i] = tsnap_node(t, "object", "Wrapper", 16);
    tsnap_edge(t, w, "property", i ? "next" : "w", wrap[i]);
    w = tsnap_node(t, "object", "Box", 16);
    tsnap_edge(t, wrap[i], "property", "value", w);
  }
  int t2 = tsnap_node(t, "object", "Target", 16);
  tsnap_edge(t, w, "property", "t", t2);
  int a = tsnap_node(t, "object", "Array", 16);
  tsnap_edge(t, global, "property", "arr", a);
  for (int i = 0; i < 5; i++) {
    char idx[8];
    snprintf(idx, sizeof idx, "%d", 3 + 2 * i);
    int b = tsnap_node(t, "object", "Array", 16);
    tsnap_edge(t, a, "element", idx, b);
    a = b;
  }
  heap_paths hp = load(t);
  const ls_snapshot *s = hp.h->s;

  /* the list: global, .list, .next, <7 × .next>, .next, .target */
  ls_path_step *p;
  size_t n;
  assert_int_equal(ls__path_steps(hp.h, hp.parent, (uint32_t)target, 1, &p,
                                  &n, NULL), LS_OK);
  assert_int_equal(n, 6);
  assert_string_equal(p[0].class_name, "global");
  assert_string_equal(p[1].edge, "list");
  assert_int_equal(p[2].id, ls__node_id(s, node[1]));
  assert_int_equal(p[3].repeat, 8);
  assert_int_equal(p[3].unit, 1);
  assert_int_equal(p[3].id, ls__node_id(s, node[9]));
  assert_string_equal(p[3].edge, "next");
  assert_string_equal(p[3].class_name, "Node");
  assert_string_equal(p[3].type, "object");
  assert_int_equal(p[4].id, ls__node_id(s, node[10]));
  assert_int_equal(p[4].repeat, 0);
  assert_int_equal(p[5].id, ls__node_id(s, target));
  assert_int_equal(true_len(p, n), 13);
  /* each step's node, to walk the chain alongside (string values) */
  uint32_t nodes[6];
  assert_int_equal(ls__path_step_nodes(hp.h, hp.parent, (uint32_t)target,
                                       p, n, nodes), 0);
  const uint32_t want[6] = {(uint32_t)global, (uint32_t)node[0],
                            (uint32_t)node[1], (uint32_t)node[9],
                            (uint32_t)node[10], (uint32_t)target};
  for (int i = 0; i < 6; i++) assert_int_equal(nodes[i], want[i]);
  /* a path that is not v's: told, the steps that do not match unknown */
  assert_int_equal(ls__path_step_nodes(hp.h, hp.parent, (uint32_t)t2, p, n,
                                       nodes), -1);
  assert_int_equal(nodes[5], UINT32_MAX);
  /* a copy keeps the marker */
  ls_path_step c = {0};
  assert_int_equal(ls__path_step_copy(&c, &p[3]), 0);
  assert_int_equal(c.repeat, 8);
  assert_int_equal(c.unit, 1);
  assert_int_equal(c.id, p[3].id);
  free(c.edge);
  free((char *)c.class_name);
  free((char *)c.type);
  free((char *)c.edge_type);
  /* JSON: the marker alone has repeat and unit */
  char *j = render(1, p, n);
  char m[160];
  snprintf(m, sizeof m, "{\"name\":\"Node\",\"type\":\"object\",\"id\":%llu,"
                        "\"edge\":\"next\",\"edge_type\":\"property\","
                        "\"repeat\":8,\"unit\":1}",
           (unsigned long long)ls__node_id(s, node[9]));
  assert_non_null(strstr(j, m));
  const char *rep = strstr(j, "\"repeat\"");
  assert_non_null(rep);
  assert_null(strstr(rep + 1, "\"repeat\"")); /* on the marker only */
  assert_null(strstr(j, "\"unit\":0"));
  free(j);
  char *x = render(0, p, n);
  assert_non_null(strstr(x, "\n    … 8 × .next → Node\n"));
  assert_non_null(strstr(x, "└ .target  →  Target @"));
  free(x);
  ls__path_steps_free(p, n, 1);

  /* the unit of 2: global, .w → Wrapper, .value → Box, <6: 3 × (.next →
   * Wrapper, .value → Box)>, .next → Wrapper, .value → Box, .t */
  assert_int_equal(ls__path_steps(hp.h, hp.parent, (uint32_t)t2, 0, &p, &n,
                                  NULL), LS_OK);
  assert_int_equal(true_len(p, n), 14);
  assert_int_equal(n, 9);
  assert_string_equal(p[1].edge, "w");
  assert_string_equal(p[3].edge, "next");
  /* the unit found first, left to right, is (.value → Box, .next →
   * Wrapper): box0 wrap1 kept, box1 .. wrap4 folded, box4 wrap5 kept */
  assert_int_equal(p[4].repeat, 6);
  assert_int_equal(p[4].unit, 2);
  assert_string_equal(p[4].class_name, "Wrapper");
  assert_int_equal(p[4].id, ls__node_id(s, wrap[4]));
  uint32_t nodes2[9];
  assert_int_equal(ls__path_step_nodes(hp.h, hp.parent, (uint32_t)t2, p, n,
                                       nodes2), 0);
  assert_int_equal(nodes2[4], (uint32_t)wrap[4]);
  assert_int_equal(nodes2[5], (uint32_t)wrap[4] + 1); /* its Box */
  assert_int_equal(nodes2[6], (uint32_t)wrap[5]);
  x = render(0, p, n);
  assert_non_null(strstr(x, "… 3 × (.value → Box, .next → Wrapper)\n"));
  free(x);
  ls__path_steps_free(p, n, 0);

  /* elements, indices 3, 5, 7, 9, 11: folded all the same */
  assert_int_equal(ls__path_steps(hp.h, hp.parent, (uint32_t)a, 0, &p, &n,
                                  NULL), LS_OK);
  assert_int_equal(n, 5);
  assert_int_equal(p[3].repeat, 3);
  assert_string_equal(p[2].edge, "[3]");
  assert_string_equal(p[3].edge, "[9]");
  assert_string_equal(p[4].edge, "[11]");
  x = render(0, p, n);
  assert_non_null(strstr(x, "… 3 × […] → Array\n"));
  free(x);
  ls__path_steps_free(p, n, 0);

  /* the root's own path: one step */
  assert_int_equal(ls__path_steps(hp.h, hp.parent, (uint32_t)root, 0, &p, &n,
                                  NULL), LS_OK);
  assert_int_equal(n, 1);
  assert_int_equal(p[0].repeat, 0);
  assert_int_equal(ls__path_step_nodes(hp.h, hp.parent, (uint32_t)root, p, n,
                                       nodes), 0);
  assert_int_equal(nodes[0], (uint32_t)root);
  ls__path_steps_free(p, n, 0);
  unload(&hp);
  tsnap_free(t);
}

/* A snapshot whose object sits at the end of a 100,000-node list: written
 * straight as V8's JSON (tsnap holds 16,384 nodes). The path is 5 steps
 * and takes linear time; ls__path_step_nodes walks it back. */
static void hundred_thousand_node_list(void **state) {
  (void)state;
  const int len = 100000, nn = len + 3; /* root, global, the list, Target */
  char *buf = NULL;
  size_t blen = 0;
  FILE *f = open_memstream(&buf, &blen);
  fprintf(f, "{\"snapshot\":{\"meta\":{\"node_fields\":[\"type\",\"name\","
             "\"id\",\"self_size\",\"edge_count\",\"detachedness\"],"
             "\"node_types\":[[");
  for (int i = 0; i < 16; i++)
    fprintf(f, "%s\"%s\"", i ? "," : "", tsnap_node_types[i]);
  fprintf(f, "],\"string\",\"number\",\"number\",\"number\",\"number\"],"
             "\"edge_fields\":[\"type\",\"name_or_index\",\"to_node\"],"
             "\"edge_types\":[[");
  for (int i = 0; i < 7; i++)
    fprintf(f, "%s\"%s\"", i ? "," : "", tsnap_edge_types[i]);
  fprintf(f, "],\"string_or_number\",\"node\"]},\"node_count\":%d,"
             "\"edge_count\":%d},\n\"nodes\":[",
          nn, nn - 1);
  /* strings: 0 "", 1 global, 2 Node, 3 Target, 4 list, 5 next, 6 target */
  fprintf(f, "9,0,1,0,1,0,\n3,1,3,100,1,0");
  for (int i = 0; i < len; i++)
    fprintf(f, ",\n3,2,%d,24,1,0", 5 + 2 * i);
  fprintf(f, ",\n3,3,%d,16,0,0],\n\"edges\":[5,1,6,\n2,4,12", 5 + 2 * len);
  for (int i = 0; i < len; i++)
    fprintf(f, ",\n2,%d,%d", i + 1 < len ? 5 : 6, 6 * (i + 3));
  fprintf(f, "],\n\"strings\":[\"\",\"global\",\"Node\",\"Target\",\"list\","
             "\"next\",\"target\"]}\n");
  fclose(f);
  ls_error err;
  ls_reader *r = ls_reader_new(&err);
  ls_snapshot *s = NULL;
  assert_non_null(r);
  assert_int_equal(ls_reader_feed(r, buf, blen, &err), LS_OK);
  assert_int_equal(ls_reader_finish(r, &s, &err), LS_OK);
  ls_reader_free(r);
  free(buf);
  ls_heap *h = NULL;
  ls_heap_options o = {.no_distances = 1};
  assert_int_equal(ls_heap_build(s, &o, &h, &err), LS_OK);
  uint32_t *parent = malloc((size_t)nn * sizeof *parent);
  assert_int_equal(ls__path_parents(s, parent, &err), LS_OK);
  ls_path_step *p;
  size_t n;
  const uint32_t target = (uint32_t)nn - 1;
  double t0 = now();
  assert_int_equal(ls__path_steps(h, parent, target, 1, &p, &n, &err), LS_OK);
  double t1 = now();
  /* global, .list → Node, .next → Node, <99,997>, .next → Node, .target */
  assert_int_equal(n, 6);
  assert_int_equal(p[3].repeat, (uint64_t)len - 3);
  assert_int_equal(p[3].unit, 1);
  assert_int_equal(true_len(p, n), (uint64_t)len + 2);
  uint32_t nodes[6];
  assert_int_equal(ls__path_step_nodes(h, parent, target, p, n, nodes), 0);
  assert_int_equal(nodes[3], (uint32_t)len); /* the list's last but one */
  assert_int_equal(nodes[4], (uint32_t)len + 1);
  char *x = render(0, p, n);
  assert_non_null(strstr(x, "… 99,997 × .next → Node\n"));
  free(x);
  printf("# path through a 100,000-node list: %.1f ms, %zu steps\n",
         (t1 - t0) * 1e3, n);
  assert_true(t1 - t0 < 1.0);
  ls__path_steps_free(p, n, 1);
  free(parent);
  ls_heap_free(h);
}

/* ---- HTML ------------------------------------------------------------- */

static void html_marker(void **state) {
  (void)state;
  size_t n;
  /* root, then (.a → A, .b → <script>) 6 times, target */
  static const char spec[] = "rABABABABABABt";
  ls_path_step *p = steps_of(spec, &n);
  for (size_t i = 2; i < 13; i += 2) p[i].class_name = "<script>";
  size_t m = ls__path_fold(p, n, 0);
  assert_int_equal(m, 7);
  char *values[7] = {0};
  values[3] = "not shown on a marker";
  values[4] = "<shown>";
  char *buf = NULL;
  size_t blen = 0;
  FILE *f = open_memstream(&buf, &blen);
  ls__html_path(f, p, m, values);
  fclose(f);
  assert_null(strstr(buf, "<script"));
  assert_non_null(strstr(
      buf, "<li class=\"step\" data-id=\"10\" data-repeat=\"8\" "
           "data-unit=\"2\"><span class=\"mut\">… 4 ×</span> (<span "
           "class=\"edge\">.a</span><span class=\"node\">A</span>, <span "
           "class=\"edge\">.b</span><span class=\"node\">&lt;script&gt;"
           "</span>)</li>\n"));
  assert_null(strstr(buf, "not shown"));
  assert_non_null(strstr(buf, "<q class=\"value\">&lt;shown&gt;</q>"));
  /* one element per step, in order: ids as in the JSON */
  size_t li = 0;
  for (const char *q = buf; (q = strstr(q, "<li class=\"step\" data-id=\""));
       q++, li++)
    assert_int_equal(strtoull(q + 26, NULL, 10), p[li].id);
  assert_int_equal(li, m);
  assert_non_null(strstr(buf, "<ol class=\"path\" data-steps=\"7\">"));
  free(buf);
  ls__path_steps_free(p, m, 0);
  /* an element unit: its indices differ, shown as […] */
  p = steps_of("riiiiit", &n);
  m = ls__path_fold(p, n, 0);
  f = open_memstream(&buf, &blen);
  ls__html_path(f, p, m, NULL);
  fclose(f);
  assert_non_null(strstr(buf, "<span class=\"mut\">… 3 ×</span> <span "
                              "class=\"edge\">[…]</span><span "
                              "class=\"node\">Array</span></li>"));
  free(buf);
  ls__path_steps_free(p, m, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(period_one),
      cmocka_unit_test(periods_two_to_four),
      cmocka_unit_test(element_indices),
      cmocka_unit_test(runs_at_the_ends),
      cmocka_unit_test(runs_back_to_back),
      cmocka_unit_test(hundred_thousand_steps),
      cmocka_unit_test(snapshot_paths),
      cmocka_unit_test(hundred_thousand_node_list),
      cmocka_unit_test(html_marker),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
