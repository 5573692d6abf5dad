/* Snapshot builder; see builder.h. */
#include "builder.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* What the values inside a container mean. */
typedef enum {
  C_NONE,
  C_TOP,        /* the top-level object */
  C_SNAPSHOT,   /* "snapshot": {...} */
  C_META,       /* "snapshot": {"meta": {...}} */
  C_FIELDS,     /* meta.*_fields: [names] */
  C_TYPES,      /* meta.*_types: [[names], "string", ...] */
  C_TYPE_NAMES, /* the inner [names] of a *_types entry */
  C_NODES,
  C_EDGES,
  C_LOCATIONS,
  C_STRINGS,
  C_TRACE_FNS,  /* trace_function_infos (an integer column) */
  C_SKIP /* anything else, skipped */
} ctx_kind;

/* Which list a fields/types container fills. */
enum { L_NODE, L_EDGE, L_LOC, L_TNODE, L_TFN, L_COUNT };

/* Keys we act on. */
typedef enum {
  K_OTHER,
  K_SNAPSHOT, K_NODES, K_EDGES, K_LOCATIONS, K_STRINGS, K_TRACE_FNS,
  K_TRACE_TREE,
  K_META, K_NODE_COUNT, K_EDGE_COUNT, K_ROOT_INDEX, K_EXTRA_NATIVE,
  K_TRACE_FN_COUNT,
  K_NODE_FIELDS, K_EDGE_FIELDS, K_LOC_FIELDS, K_NODE_TYPES, K_EDGE_TYPES,
  K_TNODE_FIELDS, K_TFN_FIELDS
} key_kind;

/* Roles of a node/edge/location field. */
enum {
  F_IGNORE,
  NF_TYPE, NF_NAME, NF_ID, NF_SELF, NF_EDGES, NF_DETACH,
  EF_TYPE, EF_NAME, EF_TO,
  LF_OBJECT, LF_SCRIPT, LF_LINE, LF_COLUMN,
  NF_TRACE, TN_ID, TN_FN, TN_CHILDREN,
  TF_NAME, TF_SCRIPT, TF_SCRIPT_ID, TF_LINE, TF_COLUMN
};

/* One level of the trace tree being read: the field position within the
 * current trace node and that node's index. */
typedef struct {
  uint32_t k, node;
} trace_level;

#define MAX_CTX 8 /* deeper containers are always skipped */
#define MAX_FIELDS 64
#define MIN_CAP (1u << 16)

typedef struct name_list {
  char **items;
  uint32_t n, cap;
} name_list;

/* meta.*_types entry: a list of names, or a scalar type word. */
typedef struct type_list {
  name_list *entries; /* entries[i].items == NULL for a scalar entry */
  uint32_t n, cap;
  int present;
} type_list;

struct ls__builder {
  ls_error *err;
  ls__json *j;
  ls_snapshot *s;

  ctx_kind ctx[MAX_CTX + 1];
  int ctx_list[MAX_CTX + 1];
  key_kind key[MAX_CTX + 1];

  name_list fields[L_COUNT];
  int fields_present[L_COUNT];
  type_list types[2];
  int seen_snapshot, seen_meta, seen_nodes, seen_edges, seen_strings,
      seen_locations, in_strings, seen_tfns, seen_tree;
  /* trace tree (nested arrays, read from events): contents of its
   * outermost array are at depth tt_base; one level per nesting */
  int tt_active;
  uint32_t tt_base, tt_nlv, tt_caplv;
  trace_level *tt_lv;
  uint64_t tn_cap, tf_cap, tf_i;
  uint32_t tfk, ntf, ntn;
  uint64_t max_tn_fn, max_tn_fn_off, max_tf_str, max_tf_str_off;
  int any_tn_fn, any_tf_str;
  int has_trace_fn_count;
  uint64_t trace_fn_count;
  int has_node_count, has_edge_count, has_root_index;
  uint64_t node_count, edge_count, root_index, root_index_off;

  uint8_t role[L_COUNT][MAX_FIELDS];
  uint32_t nf, ef, lf;
  /* field positions for the whole-record fast paths (det: -1 = none) */
  uint32_t p_type, p_name, p_id, p_self, p_edges, e_type, e_name, e_to;
  int p_det, p_trace;
  uint64_t nf_magic; /* ceil(2^64 / nf): to_node / nf without a division */

  uint64_t node_i, edge_i, loc_i;
  uint32_t nk, ek, lk; /* field position within the current record */
  uint64_t node_cap, edge_cap, loc_cap, str_cap;
  uint64_t edge_sum;
  int edge_packed; /* edge types in edge_to's top bits (snapshot.h) */

  uint64_t max_node_name, max_node_name_off;
  uint64_t max_edge_name, max_edge_name_off, cur_edge_name_off;
  int any_node_name, any_edge_name;
  int edge_named[256]; /* edge type index -> name is a string index */

  ls__buf strings;
};

/* ---- small helpers ----------------------------------------------------- */

static ls_status bad(ls__builder *b, uint64_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static ls_status bad(ls__builder *b, uint64_t off, const char *fmt, ...) {
  char msg[480];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return ls__set_error(b->err, LS_ERR_PARSE, off, "%s", msg);
}

static ls_status nomem(ls__builder *b, const char *what) {
  return ls__set_error(b->err, LS_ERR_NOMEM, LS_NO_OFFSET,
                       "out of memory while reading %s", what);
}

/* Grow an array to hold `cap` elements of `size` bytes. */
static int grow(void *pp, uint64_t cap, size_t size) {
  void **p = pp;
  if (cap > SIZE_MAX / size) return -1;
  void *q = realloc(*p, (size_t)(cap * size));
  if (!q) return -1;
  *p = q;
  return 0;
}

static void list_free(name_list *l) {
  for (uint32_t i = 0; i < l->n; i++) free(l->items[i]);
  free(l->items);
  memset(l, 0, sizeof *l);
}

static int list_add(name_list *l, const char *s, uint64_t len) {
  if (l->n == l->cap) {
    uint32_t cap = l->cap ? l->cap * 2 : 16;
    if (cap > 4096) return -1;
    char **it = realloc(l->items, cap * sizeof *it);
    if (!it) return -1;
    l->items = it;
    l->cap = cap;
  }
  char *c = malloc(len + 1);
  if (!c) return -1;
  memcpy(c, s, len);
  c[len] = 0;
  l->items[l->n++] = c;
  return 0;
}

static int list_find(const name_list *l, const char *name) {
  for (uint32_t i = 0; i < l->n; i++)
    if (strcmp(l->items[i], name) == 0) return (int)i;
  return -1;
}

static void types_free(type_list *t) {
  for (uint32_t i = 0; i < t->n; i++) list_free(&t->entries[i]);
  free(t->entries);
  memset(t, 0, sizeof *t);
}

static name_list *types_add(type_list *t) {
  if (t->n == t->cap) {
    uint32_t cap = t->cap ? t->cap * 2 : 8;
    if (cap > 4096) return NULL;
    name_list *e = realloc(t->entries, cap * sizeof *e);
    if (!e) return NULL;
    t->entries = e;
    t->cap = cap;
  }
  name_list *e = &t->entries[t->n++];
  memset(e, 0, sizeof *e);
  return e;
}

static const char *list_name(int l) {
  return l == L_NODE   ? "node"
         : l == L_EDGE ? "edge"
         : l == L_LOC  ? "location"
         : l == L_TNODE ? "trace_node"
                        : "trace_function_info";
}

/* ---- lifecycle --------------------------------------------------------- */

ls__builder *ls__builder_new(ls_error *err) {
  ls__builder *b = calloc(1, sizeof *b);
  if (!b) return NULL;
  b->err = err;
  b->s = calloc(1, sizeof *b->s);
  if (!b->s) {
    free(b);
    return NULL;
  }
  return b;
}

void ls__builder_attach(ls__builder *b, ls__json *j) { b->j = j; }

void ls__builder_free(ls__builder *b) {
  if (!b) return;
  for (int l = 0; l < L_COUNT; l++) list_free(&b->fields[l]);
  types_free(&b->types[0]);
  types_free(&b->types[1]);
  free(b->tt_lv);
  if (b->s) {
    /* strings live in b->strings until finish hands them over */
    if (b->s->string_data == b->strings.data) b->strings.data = NULL;
    ls_snapshot_free(b->s);
  }
  free(b->strings.data);
  free(b);
}

/* ---- meta -------------------------------------------------------------- */

static int type_index(char **names, uint32_t n, const char *name) {
  for (uint32_t i = 0; i < n; i++)
    if (strcmp(names[i], name) == 0) return (int)i;
  return LS__NO_TYPE;
}

static char **copy_names(const name_list *l) {
  char **out = calloc(l->n ? l->n : 1, sizeof *out);
  if (!out) return NULL;
  for (uint32_t i = 0; i < l->n; i++) {
    out[i] = strdup(l->items[i]);
    if (!out[i]) {
      for (uint32_t k = 0; k < i; k++) free(out[k]);
      free(out);
      return NULL;
    }
  }
  return out;
}

/* Find `name` in the fields list `l` and give it `role`; error if missing. */
static ls_status need_field(ls__builder *b, int l, const char *name, int role,
                            uint64_t off) {
  int i = list_find(&b->fields[l], name);
  if (i < 0)
    return bad(b, off,
               "expected a \"%s\" field in snapshot.meta.%s_fields (is this "
               "a V8 heap snapshot?)",
               name, list_name(l));
  b->role[l][i] = (uint8_t)role;
  return LS_OK;
}

/* The type list for field `type_pos` of list `l` (node or edge). */
static ls_status type_names(ls__builder *b, int l, int type_pos, uint64_t off,
                            uint32_t *count, char ***names) {
  type_list *t = &b->types[l];
  const char *what = list_name(l);
  if (!t->present)
    return bad(b, off, "expected snapshot.meta.%s_types", what);
  if ((uint32_t)type_pos >= t->n || !t->entries[type_pos].items)
    return bad(b, off,
               "expected snapshot.meta.%s_types[%d] to be the list of %s "
               "type names",
               what, type_pos, what);
  name_list *e = &t->entries[type_pos];
  if (e->n > 255)
    return bad(b, off, "expected at most 255 %s types, found %u", what, e->n);
  *count = e->n;
  *names = copy_names(e);
  if (!*names) return nomem(b, "snapshot.meta");
  return LS_OK;
}

/* The trace node and trace function info layouts (V8's when absent). */
static ls_status trace_meta(ls__builder *b, uint64_t off) {
  static const char *tn[] = {"id", "function_info_index", "count", "size",
                             "children"};
  static const char *tf[] = {"function_id", "name", "script_name",
                             "script_id", "line", "column"};
  ls_status st;
  for (int i = 0; !b->fields_present[L_TNODE] && i < 5; i++)
    if (list_add(&b->fields[L_TNODE], tn[i], strlen(tn[i])))
      return nomem(b, "snapshot.meta");
  for (int i = 0; !b->fields_present[L_TFN] && i < 6; i++)
    if (list_add(&b->fields[L_TFN], tf[i], strlen(tf[i])))
      return nomem(b, "snapshot.meta");
  b->ntn = b->fields[L_TNODE].n;
  b->ntf = b->fields[L_TFN].n;
  if (b->ntn > MAX_FIELDS || b->ntf > MAX_FIELDS)
    return bad(b, off, "expected at most %d trace node and trace function "
               "info fields", MAX_FIELDS);
  if ((st = need_field(b, L_TNODE, "id", TN_ID, off)) ||
      (st = need_field(b, L_TNODE, "function_info_index", TN_FN, off)) ||
      (st = need_field(b, L_TNODE, "children", TN_CHILDREN, off)) ||
      (st = need_field(b, L_TFN, "name", TF_NAME, off)) ||
      (st = need_field(b, L_TFN, "script_name", TF_SCRIPT, off)) ||
      (st = need_field(b, L_TFN, "script_id", TF_SCRIPT_ID, off)) ||
      (st = need_field(b, L_TFN, "line", TF_LINE, off)) ||
      (st = need_field(b, L_TFN, "column", TF_COLUMN, off)))
    return st;
  return LS_OK;
}

static ls_status finish_meta(ls__builder *b, uint64_t off) {
  ls_snapshot *s = b->s;
  ls_status st;
  if (!b->fields_present[L_NODE] || !b->fields_present[L_EDGE])
    return bad(b, off,
               "expected snapshot.meta.node_fields and edge_fields (is this a "
               "V8 heap snapshot?)");
  b->nf = b->fields[L_NODE].n;
  b->ef = b->fields[L_EDGE].n;
  if (b->nf > MAX_FIELDS || b->ef > MAX_FIELDS)
    return bad(b, off, "expected at most %d node and edge fields", MAX_FIELDS);
  memset(b->role, F_IGNORE, sizeof b->role);
  if ((st = need_field(b, L_NODE, "type", NF_TYPE, off)) ||
      (st = need_field(b, L_NODE, "name", NF_NAME, off)) ||
      (st = need_field(b, L_NODE, "id", NF_ID, off)) ||
      (st = need_field(b, L_NODE, "self_size", NF_SELF, off)) ||
      (st = need_field(b, L_NODE, "edge_count", NF_EDGES, off)) ||
      (st = need_field(b, L_EDGE, "type", EF_TYPE, off)) ||
      (st = need_field(b, L_EDGE, "name_or_index", EF_NAME, off)) ||
      (st = need_field(b, L_EDGE, "to_node", EF_TO, off)))
    return st;
  int det = list_find(&b->fields[L_NODE], "detachedness");
  if (det >= 0) b->role[L_NODE][det] = NF_DETACH;
  b->p_det = det;
  b->p_type = (uint32_t)list_find(&b->fields[L_NODE], "type");
  b->p_name = (uint32_t)list_find(&b->fields[L_NODE], "name");
  b->p_id = (uint32_t)list_find(&b->fields[L_NODE], "id");
  b->p_self = (uint32_t)list_find(&b->fields[L_NODE], "self_size");
  b->p_edges = (uint32_t)list_find(&b->fields[L_NODE], "edge_count");
  b->e_type = (uint32_t)list_find(&b->fields[L_EDGE], "type");
  b->e_name = (uint32_t)list_find(&b->fields[L_EDGE], "name_or_index");
  b->e_to = (uint32_t)list_find(&b->fields[L_EDGE], "to_node");
  b->nf_magic = UINT64_MAX / b->nf + 1;

  if (!b->fields_present[L_LOC]) {
    /* Older snapshots have no location_fields: V8's fixed layout. */
    static const char *def[] = {"object_index", "script_id", "line", "column"};
    for (int i = 0; i < 4; i++)
      if (list_add(&b->fields[L_LOC], def[i], strlen(def[i])))
        return nomem(b, "snapshot.meta");
  }
  b->lf = b->fields[L_LOC].n;
  if (b->lf > MAX_FIELDS)
    return bad(b, off, "expected at most %d location fields", MAX_FIELDS);
  if ((st = need_field(b, L_LOC, "object_index", LF_OBJECT, off)) ||
      (st = need_field(b, L_LOC, "script_id", LF_SCRIPT, off)) ||
      (st = need_field(b, L_LOC, "line", LF_LINE, off)) ||
      (st = need_field(b, L_LOC, "column", LF_COLUMN, off)))
    return st;
  if ((st = trace_meta(b, off))) return st;

  int ntype = list_find(&b->fields[L_NODE], "type");
  int etype = list_find(&b->fields[L_EDGE], "type");
  if ((st = type_names(b, L_NODE, ntype, off, &s->node_type_count,
                       &s->node_type_names)))
    return st;
  if ((st = type_names(b, L_EDGE, etype, off, &s->edge_type_count,
                       &s->edge_type_names)))
    return st;

#define NT(f, n) s->nt.f = type_index(s->node_type_names, s->node_type_count, n)
  NT(hidden, "hidden"); NT(array, "array"); NT(string, "string");
  NT(object, "object"); NT(code, "code"); NT(closure, "closure");
  NT(regexp, "regexp"); NT(number, "number"); NT(native, "native");
  NT(synthetic, "synthetic"); NT(cons_string, "concatenated string");
  NT(sliced_string, "sliced string"); NT(symbol, "symbol");
  NT(bigint, "bigint"); NT(object_shape, "object shape");
#undef NT
#define ET(f, n) s->et.f = type_index(s->edge_type_names, s->edge_type_count, n)
  ET(context, "context"); ET(element, "element"); ET(property, "property");
  ET(internal, "internal"); ET(hidden, "hidden"); ET(shortcut, "shortcut");
  ET(weak, "weak");
#undef ET
  /* element and hidden edges carry an index, every other type a string. */
  for (uint32_t t = 0; t < s->edge_type_count; t++)
    b->edge_named[t] = (int)t != s->et.element && (int)t != s->et.hidden;
  b->seen_meta = 1;
  return LS_OK;
}

/* ---- integer columns --------------------------------------------------- */

static ls_status grow_nodes(ls__builder *b) {
  ls_snapshot *s = b->s;
  uint64_t cap = b->node_cap ? b->node_cap * 2 : MIN_CAP;
  if (cap > b->node_count) cap = b->node_count;
  if (grow(&s->node_type, cap, 1) || grow(&s->node_name, cap, 4) ||
      ls__ucol_grow(&s->node_id, cap) ||
      ls__ucol_grow(&s->node_self_size, cap) ||
      grow(&s->first_edge, cap + 1, 4) ||
      (b->nf && list_find(&b->fields[L_NODE], "detachedness") >= 0 &&
       grow(&s->node_detachedness, cap, 1)) ||
      (b->p_trace >= 0 && grow(&s->node_trace, cap, 4)))
    return nomem(b, "the nodes array");
  b->node_cap = cap;
  return LS_OK;
}

/* Hot loop over the nodes array: state in locals (the column stores would
 * otherwise alias the builder's fields and force reloads). */
static ls_status node_ints(ls__builder *b, const uint64_t *v,
                           const uint64_t *off, size_t n) {
  ls_snapshot *s = b->s;
  const uint8_t *role = b->role[L_NODE];
  const uint32_t nf = b->nf, ntypes = s->node_type_count;
  uint64_t node = b->node_i, sum = b->edge_sum;
  uint32_t k = b->nk;
  uint64_t max_name = b->max_node_name, max_off = b->max_node_name_off;
  int any_name = b->any_node_name;
  uint8_t *type = s->node_type, *det = s->node_detachedness;
  uint32_t *name = s->node_name, *trace = s->node_trace,
           *first = s->first_edge;
  ls_status st = LS_OK;
  const uint32_t pt = b->p_type, pn = b->p_name, pi = b->p_id,
                 ps = b->p_self, pe = b->p_edges;
  const int pd = b->p_det, ptr = b->p_trace;
  size_t i;
  for (i = 0; i < n; i++) {
    /* whole records inside this batch: no per-field dispatch */
    /* ids and sizes in 32 bits here; the per-field path widens them */
    uint32_t *id = s->node_id.w32, *self = s->node_self_size.w32;
    while (k == 0 && n - i >= nf && node < b->node_cap && id && self) {
      const uint64_t *r = v + i;
      if (r[pt] >= ntypes || r[pn] > UINT32_MAX || r[pe] > b->edge_count - sum ||
          (pd >= 0 && r[pd] > 255) || (ptr >= 0 && r[ptr] > UINT32_MAX) ||
          r[pi] > UINT32_MAX || r[ps] > UINT32_MAX)
        break; /* the per-field path reports or widens it */
      type[node] = (uint8_t)r[pt];
      name[node] = (uint32_t)r[pn];
      if (r[pn] > max_name || !any_name) {
        max_name = r[pn];
        max_off = off[i + pn];
        any_name = 1;
      }
      id[node] = (uint32_t)r[pi];
      self[node] = (uint32_t)r[ps];
      first[node + 1] = (uint32_t)r[pe];
      sum += r[pe];
      if (pd >= 0) det[node] = (uint8_t)r[pd];
      if (ptr >= 0) trace[node] = (uint32_t)r[ptr];
      node++;
      i += nf;
    }
    if (i == n) break;
    uint64_t x = v[i];
    if (k == 0 && node >= b->node_cap) {
      if (node >= b->node_count) {
        st = bad(b, off[i],
                 "expected ']': the nodes array has more than "
                 "snapshot.node_count = %llu nodes",
                 (unsigned long long)b->node_count);
        break;
      }
      if ((st = grow_nodes(b)) != LS_OK) break;
      type = s->node_type, det = s->node_detachedness, name = s->node_name;
      trace = s->node_trace;
      first = s->first_edge;
    }
    switch (role[k]) {
    case NF_TYPE:
      if (x >= ntypes) {
        st = bad(b, off[i],
                 "node type %llu of node %llu is not in "
                 "snapshot.meta.node_types (expected below %u)",
                 (unsigned long long)x, (unsigned long long)node, ntypes);
        goto out;
      }
      type[node] = (uint8_t)x;
      break;
    case NF_NAME:
      if (x > UINT32_MAX) {
        st = bad(b, off[i], "node name %llu of node %llu is not a string "
                 "index (expected below 2^32)",
                 (unsigned long long)x, (unsigned long long)node);
        goto out;
      }
      name[node] = (uint32_t)x;
      /* checked against the strings once they are read */
      if (x > max_name || !any_name) {
        max_name = x;
        max_off = off[i];
        any_name = 1;
      }
      break;
    case NF_ID:
    case NF_SELF:
      /* a value past 2^32 widens its column (the nodes so far are kept) */
      if (ls__ucol_set(role[k] == NF_ID ? &s->node_id : &s->node_self_size,
                       node, x, node, b->node_cap)) {
        st = nomem(b, "the nodes array");
        goto out;
      }
      break;
    case NF_EDGES:
      if (x > b->edge_count - sum) {
        st = bad(b, off[i],
                 "edge_count of node %llu takes the nodes' edges past "
                 "snapshot.edge_count = %llu",
                 (unsigned long long)node, (unsigned long long)b->edge_count);
        goto out;
      }
      first[node + 1] = (uint32_t)x;
      sum += x;
      break;
    case NF_DETACH:
      if (x > 255) {
        st = bad(b, off[i], "detachedness %llu of node %llu: expected a "
                 "small state number", (unsigned long long)x,
                 (unsigned long long)node);
        goto out;
      }
      det[node] = (uint8_t)x;
      break;
    case NF_TRACE:
      if (x > UINT32_MAX) {
        st = bad(b, off[i], "trace_node_id %llu of node %llu: expected a "
                 "value below 2^32", (unsigned long long)x,
                 (unsigned long long)node);
        goto out;
      }
      trace[node] = (uint32_t)x;
      break;
    default: break;
    }
    if (++k == nf) {
      k = 0;
      node++;
    }
  }
out:
  b->node_i = node;
  b->nk = k;
  b->edge_sum = sum;
  b->max_node_name = max_name;
  b->max_node_name_off = max_off;
  b->any_node_name = any_name;
  return st;
}

static ls_status grow_edges(ls__builder *b) {
  ls_snapshot *s = b->s;
  uint64_t cap = b->edge_cap ? b->edge_cap * 2 : MIN_CAP;
  if (cap > b->edge_count) cap = b->edge_count;
  if ((!b->edge_packed && grow(&s->edge_type, cap, 1)) ||
      (s->edge_name ? grow(&s->edge_name, cap, 4) : grow(&s->edge_name24, 3 * cap + 1, 1)) ||
      grow(&s->edge_to, cap, 4))
    return nomem(b, "the edges array");
  b->edge_cap = cap;
  return LS_OK;
}

/* The first name of 2^24 or more: the names so far go to 4 bytes each. */
static ls_status widen_names(ls__builder *b, uint64_t n) {
  ls_snapshot *s = b->s;
  uint32_t *w = malloc((size_t)(b->edge_cap ? b->edge_cap : 1) * sizeof *w);
  if (!w) return nomem(b, "the edges array");
  for (uint64_t i = 0; i < n; i++) w[i] = ls__edge_name(s, i);
  free(s->edge_name24);
  s->edge_name24 = NULL;
  s->edge_name = w;
  return LS_OK;
}

static ls_status edge_ints(ls__builder *b, const uint64_t *v,
                           const uint64_t *off, size_t n) {
  ls_snapshot *s = b->s;
  /* before the first edge: targets are checked against node_count, known
   * by now, so they fit below the type bits */
  if (!b->edge_cap)
    b->edge_packed = b->node_count <= LS__EDGE_TO_MASK + 1ull &&
                     s->edge_type_count <= (1u << (32 - LS__EDGE_TYPE_SHIFT));
  const uint8_t *role = b->role[L_EDGE];
  const uint64_t nf = b->nf, limit = b->node_count * nf;
  const uint32_t etypes = s->edge_type_count, ef = b->ef;
  uint64_t e = b->edge_i, name_off = b->cur_edge_name_off;
  uint32_t k = b->ek;
  uint64_t max_name = b->max_edge_name, max_off = b->max_edge_name_off;
  int any_name = b->any_edge_name;
  uint8_t *type = s->edge_type, *name24 = s->edge_name24;
  uint32_t *name = s->edge_name, *to = s->edge_to;
  ls_status st = LS_OK;
  const uint32_t pt = b->e_type, pn = b->e_name, pto = b->e_to;
  const int packed = b->edge_packed;
  const uint64_t magic = b->nf_magic;
  for (size_t i = 0; i < n; i++) {
    /* whole records inside this batch: no per-field dispatch */
    while (k == 0 && n - i >= ef && e < b->edge_cap) {
      const uint64_t *r = v + i;
      uint64_t x = r[pto];
      /* x / nf by multiply-high: exact for x < limit <= 2^38 */
      uint64_t q = (uint64_t)(((unsigned __int128)x * magic) >> 64);
      if (r[pt] >= etypes || r[pn] >= (name24 ? LS__NAME24_LIMIT : UINT32_MAX + 1ull) ||
          x >= limit || q * nf != x)
        break; /* the per-field path reports it (or widens the names) */
      if (packed) {
        to[e] = (uint32_t)q | (uint32_t)r[pt] << LS__EDGE_TYPE_SHIFT;
      } else {
        type[e] = (uint8_t)r[pt];
        to[e] = (uint32_t)q;
      }
      if (name24) ls__put_name24(name24 + 3 * e, (uint32_t)r[pn]);
      else name[e] = (uint32_t)r[pn];
      if (b->edge_named[r[pt]] && (r[pn] > max_name || !any_name)) {
        max_name = r[pn];
        max_off = off[i + pn];
        any_name = 1;
      }
      e++;
      i += ef;
    }
    if (i == n) break;
    uint64_t x = v[i];
    if (k == 0 && e >= b->edge_cap) {
      if (e >= b->edge_count) {
        st = bad(b, off[i],
                 "expected ']': the edges array has more than "
                 "snapshot.edge_count = %llu edges",
                 (unsigned long long)b->edge_count);
        break;
      }
      if ((st = grow_edges(b)) != LS_OK) break;
      type = s->edge_type, name = s->edge_name, to = s->edge_to, name24 = s->edge_name24;
    }
    switch (role[k]) {
    case EF_TYPE:
      if (x >= etypes) {
        st = bad(b, off[i],
                 "edge type %llu of edge %llu is not in "
                 "snapshot.meta.edge_types (expected below %u)",
                 (unsigned long long)x, (unsigned long long)e, etypes);
        goto out;
      }
      if (packed)
        to[e] = (to[e] & LS__EDGE_TO_MASK) | (uint32_t)x << LS__EDGE_TYPE_SHIFT;
      else
        type[e] = (uint8_t)x;
      break;
    case EF_NAME:
      if (x > UINT32_MAX) {
        st = bad(b, off[i], "name_or_index %llu of edge %llu: expected "
                 "below 2^32", (unsigned long long)x, (unsigned long long)e);
        goto out;
      }
      if (name24 && x >= LS__NAME24_LIMIT) {
        if ((st = widen_names(b, e)) != LS_OK) goto out;
        name = s->edge_name, name24 = NULL;
      }
      if (name24) ls__put_name24(name24 + 3 * e, (uint32_t)x);
      else name[e] = (uint32_t)x;
      name_off = off[i];
      break;
    case EF_TO:
      if (x % nf != 0 || x >= limit) {
        st = bad(b, off[i],
                 "to_node %llu of edge %llu does not point at a node: "
                 "expected a multiple of the %llu node fields below %llu "
                 "(node_count %llu)",
                 (unsigned long long)x, (unsigned long long)e,
                 (unsigned long long)nf, (unsigned long long)limit,
                 (unsigned long long)b->node_count);
        goto out;
      }
      if (packed)
        to[e] = (to[e] & ~LS__EDGE_TO_MASK) | (uint32_t)(x / nf);
      else
        to[e] = (uint32_t)(x / nf);
      break;
    default: break;
    }
    if (++k == ef) {
      k = 0;
      /* string-named edges: remember the largest name to check it once the
       * strings are known */
      const uint32_t nm = ls__edge_name(s, e);
      if (b->edge_named[ls__edge_type(s, e)] &&
          (nm > max_name || !any_name)) {
        max_name = nm;
        max_off = name_off;
        any_name = 1;
      }
      e++;
    }
  }
out:
  b->edge_i = e;
  b->ek = k;
  b->cur_edge_name_off = name_off;
  b->max_edge_name = max_name;
  b->max_edge_name_off = max_off;
  b->any_edge_name = any_name;
  return st;
}

static ls_status loc_ints(ls__builder *b, const uint64_t *v,
                          const uint64_t *off, size_t n) {
  ls_snapshot *s = b->s;
  const uint8_t *role = b->role[L_LOC];
  uint64_t nf = b->nf, limit = b->node_count * nf;
  for (size_t i = 0; i < n; i++) {
    uint64_t x = v[i], k = b->loc_i;
    if (b->lk == 0 && k >= b->loc_cap) {
      uint64_t cap = b->loc_cap ? b->loc_cap * 2 : 1024;
      if (grow(&s->loc_node, cap, 4) || grow(&s->loc_script, cap, 4) ||
          grow(&s->loc_line, cap, 4) || grow(&s->loc_column, cap, 4))
        return nomem(b, "the locations array");
      b->loc_cap = cap;
    }
    int r = role[b->lk];
    if (r != F_IGNORE && r != LF_OBJECT && x > UINT32_MAX)
      return bad(b, off[i], "location %llu: expected a value below 2^32",
                 (unsigned long long)k);
    switch (r) {
    case LF_OBJECT:
      if (x % nf != 0 || x >= limit)
        return bad(b, off[i],
                   "object_index %llu of location %llu does not point at a "
                   "node: expected a multiple of the %llu node fields below "
                   "%llu",
                   (unsigned long long)x, (unsigned long long)k,
                   (unsigned long long)nf, (unsigned long long)limit);
      s->loc_node[k] = (uint32_t)(x / nf);
      break;
    case LF_SCRIPT: s->loc_script[k] = (uint32_t)x; break;
    case LF_LINE: s->loc_line[k] = (uint32_t)x; break;
    case LF_COLUMN: s->loc_column[k] = (uint32_t)x; break;
    default: break;
    }
    if (++b->lk == b->lf) {
      b->lk = 0;
      b->loc_i++;
    }
  }
  return LS_OK;
}

/* trace_function_infos: one record per function allocations were seen in */
static ls_status tfn_ints(ls__builder *b, const uint64_t *v,
                          const uint64_t *off, size_t n) {
  ls_snapshot *s = b->s;
  const uint8_t *role = b->role[L_TFN];
  for (size_t i = 0; i < n; i++) {
    uint64_t x = v[i], k = b->tf_i;
    if (b->tfk == 0 && k >= b->tf_cap) {
      if (k >= UINT32_MAX - 1)
        return ls__set_error(b->err, LS_ERR_LIMIT, off[i],
                             "more than 2^32-2 trace function infos");
      uint64_t cap = b->tf_cap ? b->tf_cap * 2 : 1024;
      if (grow(&s->tf_name, cap, 4) || grow(&s->tf_script, cap, 4) ||
          grow(&s->tf_script_id, cap, 4) || grow(&s->tf_line, cap, 4) ||
          grow(&s->tf_column, cap, 4))
        return nomem(b, "trace_function_infos");
      b->tf_cap = cap;
    }
    int r = role[b->tfk];
    if (r != F_IGNORE && x > UINT32_MAX)
      return bad(b, off[i], "trace function info %llu: expected a value "
                 "below 2^32", (unsigned long long)k);
    switch (r) {
    case TF_NAME: case TF_SCRIPT:
      (r == TF_NAME ? s->tf_name : s->tf_script)[k] = (uint32_t)x;
      if (x > b->max_tf_str || !b->any_tf_str)
        b->max_tf_str = x, b->max_tf_str_off = off[i], b->any_tf_str = 1;
      break;
    case TF_SCRIPT_ID: s->tf_script_id[k] = (uint32_t)x; break;
    case TF_LINE: s->tf_line[k] = (uint32_t)x; break;
    case TF_COLUMN: s->tf_column[k] = (uint32_t)x; break;
    default: break;
    }
    if (++b->tfk == b->ntf) {
      b->tfk = 0;
      b->tf_i++;
    }
  }
  return LS_OK;
}

static ls_status on_ints(void *ctx, const uint64_t *v, const uint64_t *off,
                         size_t n, uint64_t first) {
  (void)first;
  ls__builder *b = ctx;
  if (b->seen_nodes == 1) return node_ints(b, v, off, n);
  if (b->seen_edges == 1) return edge_ints(b, v, off, n);
  if (b->seen_tfns == 1) return tfn_ints(b, v, off, n);
  return loc_ints(b, v, off, n);
}

static void describe(void *ctx, uint64_t index, char *buf, size_t size) {
  ls__builder *b = ctx;
  int l;
  uint32_t nfields;
  const char *arr;
  if (b->seen_nodes == 1) l = L_NODE, nfields = b->nf, arr = "nodes";
  else if (b->seen_edges == 1) l = L_EDGE, nfields = b->ef, arr = "edges";
  else if (b->seen_tfns == 1)
    l = L_TFN, nfields = b->ntf, arr = "trace_function_infos";
  else l = L_LOC, nfields = b->lf, arr = "locations";
  if (!nfields) {
    snprintf(buf, size, "%s[%llu]", arr, (unsigned long long)index);
    return;
  }
  snprintf(buf, size, "%s[%llu] (%s of %s %llu)", arr,
           (unsigned long long)index,
           b->fields[l].items[index % nfields], list_name(l),
           (unsigned long long)(index / nfields));
}

/* ---- events ------------------------------------------------------------ */

static key_kind classify(ctx_kind c, const char *k) {
  switch (c) {
  case C_TOP:
    if (!strcmp(k, "snapshot")) return K_SNAPSHOT;
    if (!strcmp(k, "nodes")) return K_NODES;
    if (!strcmp(k, "edges")) return K_EDGES;
    if (!strcmp(k, "locations")) return K_LOCATIONS;
    if (!strcmp(k, "strings")) return K_STRINGS;
    if (!strcmp(k, "trace_function_infos")) return K_TRACE_FNS;
    if (!strcmp(k, "trace_tree")) return K_TRACE_TREE;
    break;
  case C_SNAPSHOT:
    if (!strcmp(k, "meta")) return K_META;
    if (!strcmp(k, "node_count")) return K_NODE_COUNT;
    if (!strcmp(k, "edge_count")) return K_EDGE_COUNT;
    if (!strcmp(k, "root_index")) return K_ROOT_INDEX;
    if (!strcmp(k, "extra_native_bytes")) return K_EXTRA_NATIVE;
    if (!strcmp(k, "trace_function_count")) return K_TRACE_FN_COUNT;
    break;
  case C_META:
    if (!strcmp(k, "node_fields")) return K_NODE_FIELDS;
    if (!strcmp(k, "edge_fields")) return K_EDGE_FIELDS;
    if (!strcmp(k, "location_fields")) return K_LOC_FIELDS;
    if (!strcmp(k, "node_types")) return K_NODE_TYPES;
    if (!strcmp(k, "edge_types")) return K_EDGE_TYPES;
    if (!strcmp(k, "trace_node_fields")) return K_TNODE_FIELDS;
    if (!strcmp(k, "trace_function_info_fields")) return K_TFN_FIELDS;
    break;
  default: break;
  }
  return K_OTHER;
}

static const char *tok_name(ls__jtok t) {
  switch (t) {
  case LS__JT_OBJ_BEGIN: return "an object";
  case LS__JT_ARR_BEGIN: return "an array";
  case LS__JT_STRING: return "a string";
  case LS__JT_NUMBER: return "a number";
  case LS__JT_LITERAL: return "true/false/null";
  default: return "something else";
  }
}

static ls_status want(ls__builder *b, ls__jtok got, ls__jtok need,
                      const char *what, uint64_t off) {
  if (got == need) return LS_OK;
  return bad(b, off, "expected %s for %s, found %s", tok_name(need), what,
             tok_name(got));
}

static ls_status open_nodes(ls__builder *b, uint64_t off) {
  if (b->seen_nodes) return bad(b, off, "expected one \"nodes\" array, found a second");
  if (!b->seen_meta || !b->has_node_count || !b->has_edge_count)
    return bad(b, off,
               "expected \"snapshot\" with meta, node_count and edge_count "
               "before the \"nodes\" array");
  if (b->node_count > (uint64_t)UINT32_MAX - 1)
    return ls__set_error(b->err, LS_ERR_LIMIT, off,
                         "snapshot.node_count %llu exceeds this build's limit "
                         "of 2^32-2 nodes",
                         (unsigned long long)b->node_count);
  /* edge offsets are 32-bit columns (first_edge, the retainers' starts) */
  if (b->edge_count > (uint64_t)UINT32_MAX)
    return ls__set_error(b->err, LS_ERR_LIMIT, off,
                         "snapshot.edge_count %llu exceeds this build's limit "
                         "of 2^32-1 edges",
                         (unsigned long long)b->edge_count);
  b->seen_nodes = 1;
  /* V8 always lists trace_node_id; keep the column only when allocations
   * were tracked (trace_function_count > 0, or not given) */
  b->p_trace = -1;
  int tr = list_find(&b->fields[L_NODE], "trace_node_id");
  if (tr >= 0 && b->role[L_NODE][tr] == F_IGNORE &&
      (!b->has_trace_fn_count || b->trace_fn_count > 0)) {
    b->p_trace = tr;
    b->role[L_NODE][tr] = NF_TRACE;
  }
  ls__json_int_column(b->j);
  if (!b->s->first_edge) {
    b->s->first_edge = calloc(1, sizeof *b->s->first_edge);
    if (!b->s->first_edge) return nomem(b, "the nodes array");
  }
  return LS_OK;
}

static ls_status close_nodes(ls__builder *b, uint64_t off) {
  ls_snapshot *s = b->s;
  if (b->nk != 0)
    return bad(b, off,
               "expected %u values per node: the nodes array ends inside "
               "node %llu",
               b->nf, (unsigned long long)b->node_i);
  if (b->node_i != b->node_count)
    return bad(b, off,
               "the nodes array has %llu nodes but snapshot.node_count is "
               "%llu (expected them to agree)",
               (unsigned long long)b->node_i,
               (unsigned long long)b->node_count);
  if (b->edge_sum != b->edge_count)
    return bad(b, off,
               "the nodes' edge_count fields add up to %llu edges but "
               "snapshot.edge_count is %llu (expected them to agree)",
               (unsigned long long)b->edge_sum,
               (unsigned long long)b->edge_count);
  s->node_count = b->node_count;
  s->first_edge[0] = 0;
  for (uint64_t i = 0; i < s->node_count; i++)
    s->first_edge[i + 1] += s->first_edge[i];
  b->seen_nodes = 2;
  return LS_OK;
}

static ls_status open_edges(ls__builder *b, uint64_t off) {
  if (b->seen_edges) return bad(b, off, "expected one \"edges\" array, found a second");
  if (b->seen_nodes != 2)
    return bad(b, off, "expected the \"nodes\" array before \"edges\"");
  b->seen_edges = 1;
  ls__json_int_column(b->j);
  return LS_OK;
}

static ls_status close_edges(ls__builder *b, uint64_t off) {
  if (b->ek != 0)
    return bad(b, off,
               "expected %u values per edge: the edges array ends inside "
               "edge %llu",
               b->ef, (unsigned long long)b->edge_i);
  if (b->edge_i != b->edge_count)
    return bad(b, off,
               "the edges array has %llu edges but snapshot.edge_count is "
               "%llu (expected them to agree)",
               (unsigned long long)b->edge_i,
               (unsigned long long)b->edge_count);
  b->s->edge_count = b->edge_count;
  b->seen_edges = 2;
  return LS_OK;
}

static ls_status on_string_value(ls__builder *b, const ls__jvalue *v,
                                 uint64_t off) {
  ls_snapshot *s = b->s;
  if (s->string_count == UINT32_MAX - 1)
    return ls__set_error(b->err, LS_ERR_LIMIT, off,
                         "more than 2^32-2 strings: exceeds this build's "
                         "limit");
  if ((uint64_t)s->string_count + 1 >= b->str_cap) {
    uint64_t cap = b->str_cap ? b->str_cap * 2 : MIN_CAP;
    if (ls__ucol_grow(&s->string_off, cap)) return nomem(b, "the strings array");
    b->str_cap = cap;
  }
  /* the tokenizer appended the text to b->strings; terminate it */
  /* offsets widen to 64 bits once the strings pass 4 GiB */
  if (ls__ucol_set(&s->string_off, s->string_count, b->strings.len - v->len,
                   s->string_count, b->str_cap))
    return nomem(b, "the strings array");
  s->string_count++;
  if (ls__buf_reserve(&b->strings, 1)) return nomem(b, "the strings array");
  b->strings.data[b->strings.len++] = 0;
  return LS_OK;
}

/* ---- trace tree ---------------------------------------------------------
 * [id, function_info_index, count, size, [children...], id, ...]: nested
 * as deep as the deepest stack, so it is read from events with a level
 * stack of its own, not the builder's fixed-depth context. */

static ls_status tt_push(ls__builder *b) {
  if (b->tt_nlv == b->tt_caplv) {
    uint32_t cap = b->tt_caplv ? b->tt_caplv * 2 : 64;
    trace_level *lv = realloc(b->tt_lv, (size_t)cap * sizeof *lv);
    if (!lv) return nomem(b, "trace_tree");
    b->tt_lv = lv;
    b->tt_caplv = cap;
  }
  b->tt_lv[b->tt_nlv].k = 0;
  b->tt_lv[b->tt_nlv].node = UINT32_MAX;
  b->tt_nlv++;
  return LS_OK;
}

static ls_status tt_event(ls__builder *b, ls__jtok t, const ls__jvalue *v,
                          uint32_t d, uint64_t off) {
  ls_snapshot *s = b->s;
  if (t == LS__JT_ARR_END || t == LS__JT_OBJ_END) {
    uint32_t lv = d + 1 - b->tt_base; /* the level whose array ends */
    if (b->tt_lv[lv].k != 0)
      return bad(b, off,
                 "expected %u values per trace node: a trace_tree array "
                 "ends inside trace node %u",
                 b->ntn, b->tt_lv[lv].node);
    b->tt_nlv = lv;
    if (lv == 0) {
      b->tt_active = 0;
      b->seen_tree = 2;
    }
    return LS_OK;
  }
  uint32_t lv = d - b->tt_base;
  trace_level *L = &b->tt_lv[lv];
  if (L->k == 0) { /* a new trace node */
    uint32_t i = s->trace_count;
    if (i >= UINT32_MAX - 1)
      return ls__set_error(b->err, LS_ERR_LIMIT, off,
                           "more than 2^32-2 trace nodes");
    if (i >= b->tn_cap) {
      uint64_t cap = b->tn_cap ? b->tn_cap * 2 : 1024;
      if (grow(&s->tn_id, cap, 4) || grow(&s->tn_fn, cap, 4) ||
          grow(&s->tn_parent, cap, 4))
        return nomem(b, "trace_tree");
      b->tn_cap = cap;
    }
    s->tn_id[i] = 0;
    s->tn_fn[i] = 0;
    s->tn_parent[i] = lv ? b->tt_lv[lv - 1].node : UINT32_MAX;
    L->node = i;
    s->trace_count = i + 1;
  }
  int role = b->role[L_TNODE][L->k];
  if (++L->k == b->ntn) L->k = 0;
  if (role == TN_CHILDREN) {
    if (t != LS__JT_ARR_BEGIN)
      return bad(b, off, "expected an array (the children) for trace node "
                 "%u in trace_tree, found %s", L->node, tok_name(t));
    return tt_push(b);
  }
  if (t != LS__JT_NUMBER || !v->is_uint || v->u > UINT32_MAX)
    return bad(b, off, "expected a non-negative integer below 2^32 in "
               "trace_tree (trace node %u), found %s", L->node,
               t == LS__JT_NUMBER ? "another number" : tok_name(t));
  if (role == TN_ID) s->tn_id[L->node] = (uint32_t)v->u;
  else if (role == TN_FN) {
    s->tn_fn[L->node] = (uint32_t)v->u;
    if (v->u > b->max_tn_fn || !b->any_tn_fn)
      b->max_tn_fn = v->u, b->max_tn_fn_off = off, b->any_tn_fn = 1;
  }
  return LS_OK;
}

/* A value (or container start) at depth d: what it means comes from the
 * container it is in and, in objects, from its key. */
static ls_status on_value(ls__builder *b, ls__jtok t, const ls__jvalue *v,
                          uint32_t d, uint64_t off) {
  ctx_kind parent = d == 0 ? C_NONE : d <= MAX_CTX ? b->ctx[d] : C_SKIP;
  ctx_kind child = C_SKIP;
  ls_status st = LS_OK;
  int list = d >= 1 && d <= MAX_CTX ? b->ctx_list[d] : 0;
  key_kind k = d >= 1 && d <= MAX_CTX ? b->key[d] : K_OTHER;

  switch (parent) {
  case C_NONE:
    if (t != LS__JT_OBJ_BEGIN)
      return bad(b, off,
                 "expected '{': a heap snapshot is a JSON object, found %s",
                 tok_name(t));
    child = C_TOP;
    break;
  case C_TOP:
    switch (k) {
    case K_SNAPSHOT:
      if ((st = want(b, t, LS__JT_OBJ_BEGIN, "\"snapshot\"", off))) return st;
      if (b->seen_snapshot)
        return bad(b, off, "expected one \"snapshot\" object, found a second");
      b->seen_snapshot = 1;
      child = C_SNAPSHOT;
      break;
    case K_NODES:
      if ((st = want(b, t, LS__JT_ARR_BEGIN, "\"nodes\"", off))) return st;
      if ((st = open_nodes(b, off))) return st;
      child = C_NODES;
      break;
    case K_EDGES:
      if ((st = want(b, t, LS__JT_ARR_BEGIN, "\"edges\"", off))) return st;
      if ((st = open_edges(b, off))) return st;
      child = C_EDGES;
      break;
    case K_LOCATIONS:
      if ((st = want(b, t, LS__JT_ARR_BEGIN, "\"locations\"", off))) return st;
      if (b->seen_locations)
        return bad(b, off, "expected one \"locations\" array, found a second");
      if (b->seen_nodes != 2)
        return bad(b, off, "expected the \"nodes\" array before \"locations\"");
      b->seen_locations = 1;
      ls__json_int_column(b->j);
      child = C_LOCATIONS;
      break;
    case K_TRACE_FNS:
      if ((st = want(b, t, LS__JT_ARR_BEGIN, "\"trace_function_infos\"", off)))
        return st;
      if (b->seen_tfns)
        return bad(b, off, "expected one \"trace_function_infos\" array, "
                   "found a second");
      if (!b->seen_meta)
        return bad(b, off, "expected snapshot.meta before "
                   "\"trace_function_infos\"");
      b->seen_tfns = 1;
      ls__json_int_column(b->j);
      child = C_TRACE_FNS;
      break;
    case K_TRACE_TREE:
      if ((st = want(b, t, LS__JT_ARR_BEGIN, "\"trace_tree\"", off))) return st;
      if (b->seen_tree)
        return bad(b, off, "expected one \"trace_tree\" array, found a second");
      if (!b->seen_meta)
        return bad(b, off, "expected snapshot.meta before \"trace_tree\"");
      b->seen_tree = 1;
      b->tt_active = 1;
      b->tt_base = d + 1;
      b->tt_nlv = 0;
      if ((st = tt_push(b))) return st;
      break;
    case K_STRINGS:
      if ((st = want(b, t, LS__JT_ARR_BEGIN, "\"strings\"", off))) return st;
      if (b->seen_strings)
        return bad(b, off, "expected one \"strings\" array, found a second");
      b->seen_strings = 1;
      b->in_strings = 1;
      ls__json_string_sink(b->j, &b->strings);
      child = C_STRINGS;
      break;
    default: break;
    }
    break;
  case C_SNAPSHOT:
    switch (k) {
    case K_META:
      if ((st = want(b, t, LS__JT_OBJ_BEGIN, "snapshot.meta", off))) return st;
      if (b->seen_meta) return bad(b, off, "expected one snapshot.meta");
      child = C_META;
      break;
    case K_TRACE_FN_COUNT:
      if (t == LS__JT_NUMBER && v->is_uint)
        b->trace_fn_count = v->u, b->has_trace_fn_count = 1;
      return LS_OK; /* informative only: anything else is ignored */
    case K_NODE_COUNT: case K_EDGE_COUNT: case K_ROOT_INDEX:
    case K_EXTRA_NATIVE: {
      const char *name = k == K_NODE_COUNT   ? "snapshot.node_count"
                         : k == K_EDGE_COUNT ? "snapshot.edge_count"
                         : k == K_ROOT_INDEX ? "snapshot.root_index"
                                             : "snapshot.extra_native_bytes";
      if (t != LS__JT_NUMBER || !v->is_uint)
        return bad(b, off, "expected a non-negative integer for %s", name);
      if (k == K_NODE_COUNT) b->node_count = v->u, b->has_node_count = 1;
      else if (k == K_EDGE_COUNT) b->edge_count = v->u, b->has_edge_count = 1;
      else if (k == K_ROOT_INDEX)
        b->root_index = v->u, b->root_index_off = off, b->has_root_index = 1;
      else b->s->extra_native_bytes = v->u;
      return LS_OK;
    }
    default: break;
    }
    break;
  case C_META: {
    int l = -1, types = 0;
    if (k == K_NODE_FIELDS) l = L_NODE;
    else if (k == K_EDGE_FIELDS) l = L_EDGE;
    else if (k == K_LOC_FIELDS) l = L_LOC;
    else if (k == K_TNODE_FIELDS) l = L_TNODE;
    else if (k == K_TFN_FIELDS) l = L_TFN;
    else if (k == K_NODE_TYPES) l = L_NODE, types = 1;
    else if (k == K_EDGE_TYPES) l = L_EDGE, types = 1;
    if (l < 0) break;
    if ((st = want(b, t, LS__JT_ARR_BEGIN, "a snapshot.meta list", off)))
      return st;
    if (types) {
      types_free(&b->types[l]);
      b->types[l].present = 1;
      child = C_TYPES;
    } else {
      list_free(&b->fields[l]);
      b->fields_present[l] = 1;
      child = C_FIELDS;
    }
    list = l;
    break;
  }
  case C_FIELDS:
    if ((st = want(b, t, LS__JT_STRING, "a field name in snapshot.meta", off)))
      return st;
    if (list_add(&b->fields[list], v->str, v->len))
      return bad(b, off, "expected at most 4096 fields in snapshot.meta");
    return LS_OK;
  case C_TYPES: {
    if (t != LS__JT_ARR_BEGIN && t != LS__JT_STRING)
      return bad(b, off,
                 "expected a list of type names or a type word in "
                 "snapshot.meta.%s_types, found %s",
                 list_name(list), tok_name(t));
    name_list *e = types_add(&b->types[list]);
    if (!e) return bad(b, off, "expected at most 4096 entries in snapshot.meta");
    if (t == LS__JT_STRING) return LS_OK;
    child = C_TYPE_NAMES;
    break;
  }
  case C_TYPE_NAMES: {
    if ((st = want(b, t, LS__JT_STRING, "a type name in snapshot.meta", off)))
      return st;
    type_list *tl = &b->types[list];
    name_list *e = &tl->entries[tl->n - 1];
    if (list_add(e, v->str, v->len))
      return bad(b, off, "expected at most 4096 type names in snapshot.meta");
    return LS_OK;
  }
  case C_STRINGS:
    if (t != LS__JT_STRING)
      return bad(b, off, "expected a string in the strings array, found %s",
                 tok_name(t));
    return on_string_value(b, v, off);
  case C_NODES: case C_EDGES: case C_LOCATIONS:
    /* integer columns never produce value events */
    break;
  case C_SKIP: default:
    break;
  }
  if ((t == LS__JT_OBJ_BEGIN || t == LS__JT_ARR_BEGIN) && d + 1 <= MAX_CTX) {
    b->ctx[d + 1] = child;
    b->ctx_list[d + 1] = list;
    b->key[d + 1] = K_OTHER;
  }
  return LS_OK;
}

/* End of the container whose contents were at depth d + 1. */
static ls_status on_close(ls__builder *b, uint32_t d, uint64_t off) {
  if (d + 1 > MAX_CTX) return LS_OK;
  switch (b->ctx[d + 1]) {
  case C_TOP:
    if (!b->seen_snapshot)
      return bad(b, off,
                 "expected a \"snapshot\" member with meta (is this a V8 heap "
                 "snapshot?)");
    if (b->seen_nodes != 2)
      return bad(b, off, "expected a \"nodes\" array in the snapshot");
    if (b->seen_edges != 2)
      return bad(b, off, "expected an \"edges\" array in the snapshot");
    if (!b->seen_strings)
      return bad(b, off, "expected a \"strings\" array in the snapshot");
    return LS_OK;
  case C_SNAPSHOT:
    if (!b->seen_meta)
      return bad(b, off, "expected snapshot.meta (the field layout); it is "
                 "missing");
    if (!b->has_node_count || !b->has_edge_count)
      return bad(b, off, "expected snapshot.node_count and "
                 "snapshot.edge_count");
    return LS_OK;
  case C_META: return finish_meta(b, off);
  case C_NODES: return close_nodes(b, off);
  case C_EDGES: return close_edges(b, off);
  case C_LOCATIONS:
    if (b->lk != 0)
      return bad(b, off,
                 "expected %u values per location: the locations array ends "
                 "inside location %llu",
                 b->lf, (unsigned long long)b->loc_i);
    b->s->location_count = b->loc_i;
    b->seen_locations = 2;
    return LS_OK;
  case C_STRINGS:
    b->in_strings = 0;
    ls__json_string_sink(b->j, NULL);
    return LS_OK;
  case C_TRACE_FNS:
    if (b->tfk != 0)
      return bad(b, off,
                 "expected %u values per trace function info: the "
                 "trace_function_infos array ends inside info %llu",
                 b->ntf, (unsigned long long)b->tf_i);
    b->s->trace_fn_count = (uint32_t)b->tf_i;
    b->seen_tfns = 2;
    return LS_OK;
  default: return LS_OK;
  }
}

static ls_status on_event(void *ctx, ls__jtok t, const ls__jvalue *v,
                          uint32_t d, uint64_t off) {
  ls__builder *b = ctx;
  if (b->tt_active) return tt_event(b, t, v, d, off);
  switch (t) {
  case LS__JT_KEY:
    if (d >= 1 && d <= MAX_CTX) b->key[d] = classify(b->ctx[d], v->str);
    return LS_OK;
  case LS__JT_OBJ_END:
  case LS__JT_ARR_END: return on_close(b, d, off);
  default: return on_value(b, t, v, d, off);
  }
}

const ls__json_handler ls__builder_handler = {on_event, on_ints, describe};

/* ---- finish ------------------------------------------------------------ */

ls_status ls__builder_finish(ls__builder *b, uint64_t input_bytes,
                             ls_snapshot **out) {
  ls_snapshot *s = b->s;
  uint32_t nstr = s->string_count;
  if (b->any_node_name && b->max_node_name >= nstr)
    return bad(b, b->max_node_name_off,
               "node name %llu is not an index into the strings array "
               "(expected below %u, the number of strings)",
               (unsigned long long)b->max_node_name, nstr);
  if (b->any_edge_name && b->max_edge_name >= nstr)
    return bad(b, b->max_edge_name_off,
               "edge name %llu is not an index into the strings array "
               "(expected below %u, the number of strings)",
               (unsigned long long)b->max_edge_name, nstr);
  if (b->any_tf_str && b->max_tf_str >= nstr)
    return bad(b, b->max_tf_str_off,
               "trace function info string %llu is not an index into the "
               "strings array (expected below %u)",
               (unsigned long long)b->max_tf_str, nstr);
  if (b->any_tn_fn && b->max_tn_fn >= s->trace_fn_count)
    return bad(b, b->max_tn_fn_off,
               "function_info_index %llu of the trace tree is not an index "
               "into trace_function_infos (expected below %u)",
               (unsigned long long)b->max_tn_fn, s->trace_fn_count);
  if (b->tt_active)
    return bad(b, input_bytes, "expected the trace_tree array to end");
  if (!s->trace_count) { /* nothing tracked: drop the column */
    free(s->node_trace);
    s->node_trace = NULL;
  }
  if (b->has_root_index) {
    if (b->root_index % b->nf != 0 || b->root_index / b->nf >= s->node_count)
      return bad(b, b->root_index_off,
                 "snapshot.root_index %llu does not point at a node "
                 "(expected a multiple of %u below %llu)",
                 (unsigned long long)b->root_index, b->nf,
                 (unsigned long long)(s->node_count * b->nf));
    s->root_ordinal = (uint32_t)(b->root_index / b->nf);
  }
  /* string table: offsets need a final entry; give the arena away */
  if ((uint64_t)nstr + 1 > b->str_cap &&
      ls__ucol_grow(&s->string_off, (uint64_t)nstr + 1))
    return nomem(b, "the strings array");
  if (ls__ucol_set(&s->string_off, nstr, b->strings.len, nstr,
                   (uint64_t)nstr + 1))
    return nomem(b, "the strings array");
  if (!b->strings.data && ls__buf_reserve(&b->strings, 1))
    return nomem(b, "the strings array");
  s->string_data = b->strings.data;
  b->strings.data = NULL;
  b->strings.len = b->strings.cap = 0;
  s->input_bytes = input_bytes;
  *out = s;
  b->s = NULL;
  return LS_OK;
}
