/*
 * Class names as DevTools' Summary shows them (HeapSnapshot.
 * calculateObjectNames, inferInterfaceDefinitions, applyInterfaceDefinitions
 * and classKeyInternal), in three passes over the nodes:
 *  1. a name from the node type: "(system)", "(compiled code)", "Function",
 *     "RegExp", "(<type>)"; objects and native nodes keep their own name,
 *     cut to the tag for "<div id=...>", with "Detached " for detached DOM;
 *  2. plain objects ("Object") get the most specific popular property list
 *     ("{a, b}") whose properties they all have;
 *  3. objects with a constructor location are keyed by it as well.
 * Classes are interned (graph/hashmap.h) under keys that follow DevTools'.
 */
#include "classes.h"

#include <stdlib.h>
#include <string.h>

#include "../reader/error.h"
#include "hashmap.h"

#define NONE UINT32_MAX

/* ---- interning ---------------------------------------------------------- */

typedef struct {
  uint8_t family;
  uint32_t value;
  const char *name;
  uint32_t len;
  int has_location;
  uint32_t script, line, column;
} class_key;

/* Growable byte buffer. */
typedef struct {
  char *p;
  size_t len, cap;
} buf;

static int buf_put(buf *b, const void *src, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) return -1;
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, src, n);
  b->len += n;
  b->p[b->len] = 0;
  return 0;
}

typedef struct {
  ls__classes *c;
  uint32_t cap; /* items allocated */
  ls__intern keys; /* class keys as bytes; key i is class i */
  buf key;         /* the key being looked up */
  ls_error *err;
  ls_status st;
} interner;

static int oom(interner *in, const char *what) {
  if (in->st == LS_OK)
    in->st = ls__set_error(in->err, LS_ERR_NOMEM, LS_NO_OFFSET,
                           "out of memory %s", what);
  return -1;
}

/* The key as bytes: the family, then the string index (RAW, DETACHED) or
 * the location, if any, and the name. */
static int key_bytes(buf *b, const class_key *k) {
  b->len = 0;
  if (buf_put(b, &k->family, 1)) return -1;
  if (k->family == LS__CF_RAW || k->family == LS__CF_DETACHED)
    return buf_put(b, &k->value, sizeof k->value);
  if (k->has_location) {
    uint32_t loc[3] = {k->script, k->line, k->column};
    if (buf_put(b, loc, sizeof loc)) return -1;
  }
  return buf_put(b, k->name, k->len);
}

/* The class for key `k`, created when new. Returns NONE on failure. */
static uint32_t intern(interner *in, const class_key *k) {
  ls__classes *c = in->c;
  uint32_t i;
  if (key_bytes(&in->key, k)) return oom(in, "naming classes"), NONE;
  int r = ls__intern_add(&in->keys, in->key.p, in->key.len, &i);
  if (r == 0) return i;
  if (r == -2) {
    if (in->st == LS_OK)
      in->st = ls__set_error(in->err, LS_ERR_LIMIT, LS_NO_OFFSET,
                             "too many classes");
    return NONE;
  }
  if (r < 0) return oom(in, "naming classes"), NONE;
  if (c->count == in->cap) {
    uint32_t cap = in->cap ? in->cap * 2 : 256;
    ls__class *items = realloc(c->items, (size_t)cap * sizeof *items);
    if (!items) return oom(in, "naming classes"), NONE;
    c->items = items;
    in->cap = cap;
  }
  char *name = malloc((size_t)k->len + 1);
  if (!name) return oom(in, "naming classes"), NONE;
  memcpy(name, k->name, k->len);
  name[k->len] = 0;
  ls__class *it = &c->items[c->count];
  it->name = name;
  it->name_len = k->len;
  it->family = k->family;
  it->value = k->value;
  it->has_location = k->has_location;
  it->script_id = k->script;
  it->line = k->line;
  it->column = k->column;
  return c->count++; /* == i: keys and items grow together */
}

static uint32_t intern_made(interner *in, const char *name, size_t len) {
  class_key k = {LS__CF_MADE, 0, name, (uint32_t)len, 0, 0, 0, 0};
  return intern(in, &k);
}

/* ---- pass 1: names from the node type ----------------------------------- */

static int starts_with(const char *p, uint64_t len, const char *lit) {
  size_t n = strlen(lit);
  return len >= n && memcmp(p, lit, n) == 0;
}

/* Class of an object or native node from its (raw) name string. */
static uint32_t named_class(interner *in, const ls_snapshot *s, uint32_t str,
                            int detached) {
  const char *p = ls__str(s, str);
  uint64_t len = ls__strlen(s, str);
  if (len > UINT32_MAX - 16) len = UINT32_MAX - 16;
  if (!detached && starts_with(p, len, "<")) {
    /* '<div id="a">' -> '<div>' */
    const char *sp = memchr(p, ' ', len);
    if (!sp) return intern_made(in, p, len);
    size_t cut = (size_t)(sp - p);
    char *tmp = malloc(cut + 2);
    if (!tmp) return oom(in, "naming classes"), NONE;
    memcpy(tmp, p, cut);
    tmp[cut] = '>';
    uint32_t c = intern_made(in, tmp, cut + 1);
    free(tmp);
    return c;
  }
  if (!detached) {
    class_key k = {LS__CF_RAW, str, p, (uint32_t)len, 0, 0, 0, 0};
    return intern(in, &k);
  }
  /* DevTools renamed the node "Detached <name>" */
  char *tmp = malloc((size_t)len + 10);
  if (!tmp) return oom(in, "naming classes"), NONE;
  memcpy(tmp, "Detached ", 9);
  memcpy(tmp + 9, p, len);
  size_t full = (size_t)len + 9;
  uint32_t c;
  if (len >= 1 && p[0] == '<') {
    const char *sp = memchr(tmp + 10, ' ', full - 10);
    if (sp) {
      full = (size_t)(sp - tmp) + 1;
      tmp[full - 1] = '>';
    }
    c = intern_made(in, tmp, full);
  } else {
    class_key k = {LS__CF_DETACHED, str, tmp, (uint32_t)full, 0, 0, 0, 0};
    c = intern(in, &k);
  }
  free(tmp);
  return c;
}

static int type_is(int t, uint8_t v) { return t == (int)v; }

static ls_status name_by_type(const ls__graph *g, interner *in) {
  const ls_snapshot *s = g->s;
  ls__classes *c = in->c;
  uint32_t by_type[256], *by_str = NULL;
  memset(by_type, 0xff, sizeof by_type);
  by_str = malloc((s->string_count ? s->string_count : 1) * sizeof *by_str);
  if (!by_str) return oom(in, "naming classes"), in->st;
  memset(by_str, 0xff, (s->string_count ? s->string_count : 1) *
                           sizeof *by_str);
  const int object = s->nt.object, native = s->nt.native;
  for (uint64_t v = 0; v < s->node_count; v++) {
    const uint8_t t = s->node_type[v];
    uint32_t cls;
    if (type_is(object, t) || type_is(native, t)) {
      uint32_t str = s->node_name[v];
      if (g->flags[v] & LS__NF_DETACHED) {
        cls = named_class(in, s, str, 1);
      } else if ((cls = by_str[str]) == NONE) {
        cls = by_str[str] = named_class(in, s, str, 0);
      }
    } else if ((cls = by_type[t]) == NONE) {
      const char *tn = s->node_type_names[t];
      if (type_is(s->nt.hidden, t)) {
        cls = intern_made(in, "(system)", 8);
      } else if (type_is(s->nt.code, t)) {
        cls = intern_made(in, "(compiled code)", 15);
      } else if (type_is(s->nt.closure, t)) {
        cls = intern_made(in, "Function", 8);
      } else if (type_is(s->nt.regexp, t)) {
        cls = intern_made(in, "RegExp", 6);
      } else {
        size_t n = strlen(tn);
        char *tmp = malloc(n + 3);
        if (!tmp) {
          oom(in, "naming classes");
          break;
        }
        tmp[0] = '(';
        memcpy(tmp + 1, tn, n);
        tmp[n + 1] = ')';
        cls = intern_made(in, tmp, n + 2);
        free(tmp);
      }
      by_type[t] = cls;
    }
    if (cls == NONE) break;
    c->node_class[v] = cls;
  }
  free(by_str);
  return in->st;
}

/* ---- pass 2: interfaces of plain objects ------------------------------- */

/* Length of UTF-8 text in UTF-16 code units, as JavaScript counts it. */
static uint64_t utf16_len(const char *p, uint64_t len) {
  uint64_t n = 0;
  for (uint64_t i = 0; i < len; i++) {
    unsigned char b = (unsigned char)p[i];
    if ((b & 0xC0) != 0x80) n += b >= 0xF0 ? 2 : 1;
  }
  return n;
}

/* Decode one code point (input is valid UTF-8 from the reader). */
static uint32_t next_cp(const unsigned char *p, uint64_t len, uint64_t *i) {
  unsigned char b = p[*i];
  uint32_t cp;
  int extra;
  if (b < 0x80) cp = b, extra = 0;
  else if (b >= 0xF0) cp = b & 0x07, extra = 3;
  else if (b >= 0xE0) cp = b & 0x0F, extra = 2;
  else cp = b & 0x1F, extra = 1;
  (*i)++;
  while (extra-- > 0 && *i < len) cp = (cp << 6) | (p[(*i)++] & 0x3F);
  return cp;
}

/* JavaScript's default string order (UTF-16 code units) on UTF-8 text:
 * code point order, except that characters above U+FFFF (surrogate pairs,
 * 0xD800..) sort before U+E000..U+FFFF. */
static int utf16_cmp(const char *a, uint64_t al, const char *b, uint64_t bl) {
  uint64_t i = 0, j = 0;
  const unsigned char *x = (const unsigned char *)a,
                      *y = (const unsigned char *)b;
  while (i < al && j < bl) {
    if (x[i] == y[j] && x[i] < 0x80) {
      i++, j++;
      continue;
    }
    uint32_t p = next_cp(x, al, &i), q = next_cp(y, bl, &j);
    if (p == q) continue;
    uint32_t up = p >= 0x10000 ? 0xD800 + ((p - 0x10000) >> 10) : p;
    uint32_t uq = q >= 0x10000 ? 0xD800 + ((q - 0x10000) >> 10) : q;
    if (up != uq) return up < uq ? -1 : 1;
    return p < q ? -1 : 1; /* same lead surrogate: trail order = cp order */
  }
  return (i < al) - (j < bl);
}

/* DevTools' formatPropertyName: names holding , ' " { or } are shown as a
 * JSON string literal. Appends to `out`; returns its UTF-16 length. */
static int64_t format_property(buf *out, const char *p, uint64_t len) {
  int quote = 0;
  for (uint64_t i = 0; i < len && !quote; i++)
    quote = p[i] == ',' || p[i] == '\'' || p[i] == '"' || p[i] == '{' ||
            p[i] == '}';
  if (!quote) {
    if (buf_put(out, p, len)) return -1;
    return (int64_t)utf16_len(p, len);
  }
  size_t start = out->len;
  if (buf_put(out, "\"", 1)) return -1;
  for (uint64_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)p[i];
    char esc[8];
    const char *e = NULL;
    size_t n = 2;
    switch (ch) {
    case '"': e = "\\\""; break;
    case '\\': e = "\\\\"; break;
    case '\b': e = "\\b"; break;
    case '\f': e = "\\f"; break;
    case '\n': e = "\\n"; break;
    case '\r': e = "\\r"; break;
    case '\t': e = "\\t"; break;
    default:
      if (ch < 0x20) {
        static const char hex[] = "0123456789abcdef";
        memcpy(esc, "\\u00", 4);
        esc[4] = hex[ch >> 4];
        esc[5] = hex[ch & 15];
        e = esc;
        n = 6;
      }
    }
    if (e ? buf_put(out, e, n) : buf_put(out, &p[i], 1)) return -1;
  }
  if (buf_put(out, "\"", 1)) return -1;
  return (int64_t)utf16_len(out->p + start, out->len - start);
}

#define MAX_INTERFACE_NAME_LENGTH 120
#define MIN_OBJECTS_PER_INTERFACE 2
#define MIN_OBJECT_PROPORTION 1000

typedef struct {
  uint32_t props;    /* properties in the name */
  uint64_t count;
  uint32_t first;    /* the object the properties are read from */
  uint32_t order;    /* first-seen order, for a stable sort; its name's
                        index in the table's names */
} candidate;

typedef struct {
  ls__intern names; /* name i is candidate v[i]'s (before sorting) */
  buf name;         /* the name being counted */
  candidate *v;
  uint32_t len, cap;
} cand_table;

/* Count one object under the name in t->name. */
static int cand_add(cand_table *t, uint32_t props, uint32_t v) {
  uint32_t i;
  int r = ls__intern_add(&t->names, t->name.p, t->name.len, &i);
  if (r < 0) return -1;
  if (r == 0) {
    t->v[i].count++;
    return 0;
  }
  if (t->len == t->cap) {
    uint32_t cap = t->cap ? t->cap * 2 : 256;
    candidate *nv = realloc(t->v, (size_t)cap * sizeof *nv);
    if (!nv) return -1;
    t->v = nv;
    t->cap = cap;
  }
  candidate *c = &t->v[t->len];
  c->props = props;
  c->count = 1;
  c->first = v;
  c->order = t->len++; /* == i: names and candidates grow together */
  return 0;
}

static int cand_cmp(const void *a, const void *b) {
  const candidate *x = a, *y = b;
  if (x->count != y->count) return x->count > y->count ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static int is_plain_object(const ls_snapshot *s, uint64_t v) {
  return type_is(s->nt.object, s->node_type[v]) &&
         LS__STR_IS(s, s->node_name[v], "Object");
}

/* Trie of the chosen interfaces' sorted property lists, keyed by the rank
 * of each property name in JavaScript's sort order. */
typedef struct {
  uint32_t key, child, sibling, match; /* match: interface index or NONE */
  uint32_t depth, stamp;
} trie_node;

typedef struct {
  const ls_snapshot *s;
  ls__intern names; /* distinct property names of the interfaces (text) */
  uint32_t *rank;   /* per name: its place in JavaScript's sort order */
  uint32_t *rank_of; /* per string index: rank, NONE = not a name, or
                        NONE-1 = not looked up yet */
  trie_node *t;
  uint32_t tlen, tcap;
} iface_index;

/* A name to sort, carrying its text (qsort has no context argument, and a
 * file-scope one would be shared by threads sorting different snapshots). */
typedef struct {
  const char *p;
  uint64_t len;
  uint32_t name;
} sort_name;
static int name_cmp(const void *a, const void *b) {
  const sort_name *x = a, *y = b;
  return utf16_cmp(x->p, x->len, y->p, y->len);
}
static int u32_cmp(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static uint32_t rank_of(iface_index *ix, uint32_t str) {
  if (ix->rank_of[str] == NONE - 1) {
    const ls_snapshot *s = ix->s;
    uint32_t i = ls__intern_find(&ix->names, ls__str(s, str), ls__strlen(s, str));
    ix->rank_of[str] = i == NONE ? NONE : ix->rank[i];
  }
  return ix->rank_of[str];
}

static uint32_t trie_child(iface_index *ix, uint32_t at, uint32_t key,
                           int create) {
  for (uint32_t c = ix->t[at].child; c != NONE; c = ix->t[c].sibling)
    if (ix->t[c].key == key) return c;
  if (!create) return NONE;
  if (ix->tlen == ix->tcap) {
    uint32_t cap = ix->tcap ? ix->tcap * 2 : 256;
    trie_node *nt = realloc(ix->t, (size_t)cap * sizeof *nt);
    if (!nt) return NONE;
    ix->t = nt;
    ix->tcap = cap;
  }
  trie_node *n = &ix->t[ix->tlen];
  n->key = key;
  n->child = NONE;
  n->sibling = ix->t[at].child;
  n->match = NONE;
  n->depth = ix->t[at].depth + 1;
  n->stamp = NONE;
  ix->t[at].child = ix->tlen;
  return ix->tlen++;
}

typedef struct {
  uint32_t *v;
  size_t len, cap;
} u32vec;

static int vec_push(u32vec *a, uint32_t x) {
  if (a->len == a->cap) {
    size_t cap = a->cap ? a->cap * 2 : 64;
    uint32_t *p = realloc(a->v, cap * sizeof *p);
    if (!p) return -1;
    a->v = p;
    a->cap = cap;
  }
  a->v[a->len++] = x;
  return 0;
}

/* The property names DevTools lists for object v's interface name: property
 * edges other than __proto__, stopping when the name would pass 120 UTF-16
 * units (the first property always counts). Appends "{a, b}" to `out` when
 * `out` is not NULL, and the string indexes to `props` when not NULL.
 * Returns the number of properties, -1 on OOM. */
static int64_t interface_props(const ls_snapshot *s, uint64_t v, buf *out,
                               u32vec *props) {
  buf scratch = {0};
  buf *b = out ? out : &scratch;
  size_t start = b->len;
  uint64_t len16 = 1;
  int64_t n = 0;
  if (buf_put(b, "{", 1)) goto fail;
  const int property = s->et.property;
  for (uint64_t e = s->first_edge[v]; e < s->first_edge[v + 1]; e++) {
    if (!type_is(property, ls__edge_type(s, e))) continue;
    uint32_t str = ls__edge_name(s, e);
    if (LS__STR_IS(s, str, "__proto__")) continue;
    size_t before = b->len;
    if (len16 != 1 && buf_put(b, ", ", 2)) goto fail;
    int64_t f = format_property(b, ls__str(s, str), ls__strlen(s, str));
    if (f < 0) goto fail;
    if (len16 > 1 && len16 + (uint64_t)f > MAX_INTERFACE_NAME_LENGTH) {
      b->len = before;
      break;
    }
    len16 += (uint64_t)f + (len16 != 1 ? 2 : 0);
    if (props && vec_push(props, str)) goto fail;
    n++;
  }
  if (buf_put(b, "}", 1)) goto fail;
  if (!out) free(scratch.p);
  else if (n == 0) b->len = start;
  return n;
fail:
  free(scratch.p);
  return -1;
}

static ls_status infer_interfaces(const ls__graph *g, interner *in) {
  const ls_snapshot *s = g->s;
  ls__classes *c = in->c;
  const uint64_t n = s->node_count;
  cand_table ct = {0};
  iface_index ix = {0};
  u32vec props = {0}, states = {0};
  uint64_t total = 0;
  uint32_t *iface_class = NULL;
  ix.s = s;

  /* 1. count the interface name of every plain object */
  for (uint64_t v = 0; v < n; v++) {
    if (!is_plain_object(s, v)) continue;
    total++;
    ct.name.len = 0;
    int64_t k = interface_props(s, v, &ct.name, NULL);
    if (k < 0) goto oom;
    if (k == 0) continue;
    if (cand_add(&ct, (uint32_t)k, (uint32_t)v)) goto oom;
  }
  if (ct.len == 0) goto done;

  /* 2. the popular ones, most objects first (ties: first seen first) */
  qsort(ct.v, ct.len, sizeof *ct.v, cand_cmp);
  uint32_t ndefs = 0;
  while (ndefs < ct.len) {
    double min = (double)total / MIN_OBJECT_PROPORTION;
    if (min < MIN_OBJECTS_PER_INTERFACE) min = MIN_OBJECTS_PER_INTERFACE;
    if ((double)ct.v[ndefs].count < min) break;
    ndefs++;
  }
  if (ndefs == 0) goto done;
  iface_class = malloc((size_t)ndefs * sizeof *iface_class);
  if (!iface_class) goto oom;
  for (uint32_t d = 0; d < ndefs; d++) {
    class_key k = {LS__CF_IFACE, 0, ls__intern_str(&ct.names, ct.v[d].order),
                   ls__intern_len(&ct.names, ct.v[d].order), 0, 0, 0, 0};
    if ((iface_class[d] = intern(in, &k)) == NONE) goto fail;
  }

  /* 3. rank the distinct property names of the interfaces */
  u32vec all = {0};
  for (uint32_t d = 0; d < ndefs; d++) {
    if (interface_props(s, ct.v[d].first, NULL, &all) < 0) {
      free(all.v);
      goto oom;
    }
  }
  for (size_t i = 0; i < all.len; i++) {
    uint32_t k;
    if (ls__intern_add(&ix.names, ls__str(s, all.v[i]),
                       ls__strlen(s, all.v[i]), &k) < 0) {
      free(all.v);
      goto oom;
    }
  }
  free(all.v);
  const uint32_t nnames = ix.names.count;
  ix.rank = malloc((nnames ? nnames : 1) * sizeof *ix.rank);
  ix.rank_of = malloc((s->string_count ? s->string_count : 1) *
                      sizeof *ix.rank_of);
  if (!ix.rank || !ix.rank_of) goto oom;
  for (uint64_t i = 0; i < s->string_count; i++) ix.rank_of[i] = NONE - 1;
  {
    sort_name *sn = malloc((nnames ? nnames : 1) * sizeof *sn);
    if (!sn) goto oom;
    for (uint32_t r = 0; r < nnames; r++)
      sn[r] = (sort_name){ls__intern_str(&ix.names, r),
                          ls__intern_len(&ix.names, r), r};
    qsort(sn, nnames, sizeof *sn, name_cmp);
    for (uint32_t r = 0; r < nnames; r++) ix.rank[sn[r].name] = r;
    free(sn);
  }

  /* 4. the trie; earlier (more popular) interfaces win a shared node */
  ix.tcap = 256;
  ix.t = malloc(ix.tcap * sizeof *ix.t);
  if (!ix.t) goto oom;
  ix.t[0] = (trie_node){NONE, NONE, NONE, NONE, 0, NONE};
  ix.tlen = 1;
  for (uint32_t d = 0; d < ndefs; d++) {
    props.len = 0;
    if (interface_props(s, ct.v[d].first, NULL, &props) < 0) goto oom;
    for (size_t i = 0; i < props.len; i++) props.v[i] = rank_of(&ix, props.v[i]);
    qsort(props.v, props.len, sizeof *props.v, u32_cmp);
    uint32_t at = 0;
    for (size_t i = 0; i < props.len; i++)
      if ((at = trie_child(&ix, at, props.v[i], 1)) == NONE) goto oom;
    if (ix.t[at].match == NONE) ix.t[at].match = d;
  }

  /* 5. every plain object takes the interface with the most properties (then
   * the most popular) whose properties it all has */
  const int property = s->et.property;
  for (uint64_t v = 0; v < n; v++) {
    if (!is_plain_object(s, v)) continue;
    props.len = 0;
    for (uint64_t e = s->first_edge[v]; e < s->first_edge[v + 1]; e++) {
      if (!type_is(property, ls__edge_type(s, e))) continue;
      uint32_t r = rank_of(&ix, ls__edge_name(s, e));
      if (r != NONE && vec_push(&props, r)) goto oom;
    }
    if (props.len == 0) continue;
    qsort(props.v, props.len, sizeof *props.v, u32_cmp);
    states.len = 0;
    if (vec_push(&states, 0)) goto oom;
    uint32_t best = NONE, best_depth = 0;
    for (size_t i = 0; i < props.len; i++) {
      size_t live = states.len; /* states added now move on next time */
      for (size_t k = 0; k < live; k++) {
        uint32_t nx = trie_child(&ix, states.v[k], props.v[i], 0);
        if (nx == NONE || ix.t[nx].stamp == (uint32_t)v) continue;
        ix.t[nx].stamp = (uint32_t)v;
        if (vec_push(&states, nx)) goto oom;
        uint32_t m = ix.t[nx].match;
        if (m != NONE && (best == NONE || ix.t[nx].depth > best_depth ||
                          (ix.t[nx].depth == best_depth && m < best))) {
          best = m;
          best_depth = ix.t[nx].depth;
        }
      }
    }
    if (best != NONE) c->node_class[v] = iface_class[best];
  }
  goto done;
oom:
  oom(in, "inferring interfaces of plain objects");
fail:
done:
  ls__intern_free(&ct.names);
  free(ct.name.p);
  free(ct.v);
  ls__intern_free(&ix.names);
  free(ix.rank);
  free(ix.rank_of);
  free(ix.t);
  free(props.v);
  free(states.v);
  free(iface_class);
  return in->st;
}

/* ---- pass 3: constructor locations -------------------------------------- */

static ls_status apply_locations(const ls_snapshot *s, interner *in) {
  ls__classes *c = in->c;
  const int object = s->nt.object;
  /* the last location of a node wins, as in DevTools' map */
  for (uint64_t i = 0; i < s->location_count; i++) {
    uint32_t v = s->loc_node[i];
    if (v >= s->node_count || !type_is(object, s->node_type[v])) continue;
    const ls__class *base = &c->items[c->node_class[v]];
    class_key k = {LS__CF_LOCATED, 0, base->name, base->name_len, 1,
                   s->loc_script[i], s->loc_line[i], s->loc_column[i]};
    uint32_t cls = intern(in, &k);
    if (cls == NONE) break;
    c->node_class[v] = cls;
  }
  return in->st;
}

ls_status ls__classes_build(const ls__graph *g, ls__classes *out,
                            ls_error *err) {
  if (!out || !g || !g->s)
    return ls__set_error(err, LS_ERR_INVALID_ARG, LS_NO_OFFSET,
                         "ls__classes_build: NULL argument");
  memset(out, 0, sizeof *out);
  const ls_snapshot *s = g->s;
  interner in = {.c = out, .err = err, .st = LS_OK};
  out->node_class = malloc((s->node_count ? s->node_count : 1) *
                           sizeof *out->node_class);
  if (!out->node_class) {
    oom(&in, "naming classes");
  } else if (name_by_type(g, &in) == LS_OK &&
             infer_interfaces(g, &in) == LS_OK) {
    apply_locations(s, &in);
  }
  ls__intern_free(&in.keys);
  free(in.key.p);
  if (in.st != LS_OK) ls__classes_free(out);
  return in.st;
}

void ls__classes_free(ls__classes *c) {
  if (!c) return;
  for (uint32_t i = 0; i < c->count; i++) free(c->items[i].name);
  free(c->items);
  free(c->node_class);
  memset(c, 0, sizeof *c);
}
