/*
 * The library's one hash table and its one string interner.
 *
 * ls__map: u64 key -> u64 value, open addressing with linear probing, kept
 * at most half full. Slots hold entry indexes and the entries stay in
 * insertion order, so a walk over a map sees the keys in the order they
 * came, whatever the hash: output never depends on it.
 *
 * ls__intern: distinct byte strings, each stored once (NUL-terminated, the
 * length kept so strings with an embedded NUL stay distinct), numbered in
 * the order they came; found through an ls__map keyed by ls__hash_bytes.
 *
 * No file-scope state: a table belongs to its caller (the library runs on
 * many threads at once). Functions that allocate report failure, never
 * abort; a zeroed struct is an empty table.
 */
#ifndef LS_GRAPH_HASHMAP_H
#define LS_GRAPH_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

#define LS__MAP_NONE UINT32_MAX

/* Mixes all 64 bits into the low ones, which pick the slot. */
static inline uint64_t ls__hash_u64(uint64_t x) {
  x ^= x >> 33;
  x *= 0x9E3779B97F4A7C15ull;
  return x ^ (x >> 29);
}

/* The hash of a byte string, for every table keyed by text. */
uint64_t ls__hash_bytes(const void *p, size_t len);

typedef struct {
  uint64_t key, val;
} ls__map_entry;

typedef struct ls__map {
  ls__map_entry *e; /* count entries, in insertion order */
  uint32_t count, cap;
  uint32_t *slots; /* entry index + 1, 0 = empty */
  uint64_t mask;   /* slot count - 1 */
} ls__map;

/* Entry index of `key`, LS__MAP_NONE when absent. Inline: the trend asks
 * it once per node of every snapshot. */
static inline uint32_t ls__map_find(const ls__map *m, uint64_t key) {
  if (!m->count) return LS__MAP_NONE;
  for (uint64_t j = ls__hash_u64(key) & m->mask; m->slots[j];
       j = (j + 1) & m->mask)
    if (m->e[m->slots[j] - 1].key == key) return m->slots[j] - 1;
  return LS__MAP_NONE;
}

/* Entry index of `key`, added with value 0 when new (*added then 1).
 * LS__MAP_NONE when out of memory or full (UINT32_MAX - 1 entries). */
uint32_t ls__map_add(ls__map *m, uint64_t key, int *added);
void ls__map_free(ls__map *m);

typedef struct {
  uint64_t off;   /* start in data */
  uint32_t len;   /* bytes, without the NUL */
  uint32_t older; /* the previous string with the same hash, or NONE */
} ls__intern_entry;

typedef struct ls__intern {
  ls__map by_hash;     /* ls__hash_bytes -> newest string with that hash */
  ls__intern_entry *s; /* count strings, in insertion order */
  char *data;
  uint64_t data_len, data_cap;
  uint32_t count, cap;
} ls__intern;

/* Index of the string p[0..len) in *idx, added when new. Returns 1 when
 * added, 0 when found, -1 out of memory, -2 full (or len >= UINT32_MAX). */
int ls__intern_add(ls__intern *t, const void *p, size_t len, uint32_t *idx);
/* Index of the string, LS__MAP_NONE when it is not there. */
uint32_t ls__intern_find(const ls__intern *t, const void *p, size_t len);
void ls__intern_free(ls__intern *t);

static inline const char *ls__intern_str(const ls__intern *t, uint32_t i) {
  return t->data + t->s[i].off;
}
static inline uint32_t ls__intern_len(const ls__intern *t, uint32_t i) {
  return t->s[i].len;
}

#endif
