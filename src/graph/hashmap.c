/*
 * The one hash table (u64 -> u64, insertion-ordered entries) and the string
 * interner on it; see hashmap.h.
 */
#include "hashmap.h"

#include <stdlib.h>
#include <string.h>

#define NONE LS__MAP_NONE
#define MAX_ENTRIES (UINT32_MAX - 1) /* slots store index + 1 in 32 bits */

/* Eight bytes at a time: class names and property lists are mostly longer
 * than a word, and the byte-by-byte FNV loops this replaced showed up in
 * the class pass. */
uint64_t ls__hash_bytes(const void *p, size_t len) {
  const unsigned char *b = p;
  const uint64_t mul = 0xFF51AFD7ED558CCDull;
  uint64_t h = 0x243F6A8885A308D3ull ^ (uint64_t)len;
  for (; len >= 8; b += 8, len -= 8) {
    uint64_t w;
    memcpy(&w, b, 8);
    h = (h ^ w) * mul;
    h ^= h >> 32;
  }
  uint64_t w = 0;
  if (len) memcpy(&w, b, len);
  h = (h ^ w) * mul;
  return h ^ (h >> 32);
}

/* ---- the map ------------------------------------------------------------ */

/* Capacity after `cap` is full: doubled, from `first`, within MAX_ENTRIES. */
static uint32_t next_cap(uint32_t cap, uint32_t first) {
  uint64_t n = cap ? (uint64_t)cap * 2 : first;
  return n > MAX_ENTRIES ? MAX_ENTRIES : (uint32_t)n;
}

static int rehash(ls__map *m, uint64_t nslots) {
  uint32_t *slots = calloc(nslots, sizeof *slots);
  if (!slots) return -1;
  const uint64_t mask = nslots - 1;
  for (uint32_t i = 0; i < m->count; i++) {
    uint64_t j = ls__hash_u64(m->e[i].key) & mask;
    while (slots[j]) j = (j + 1) & mask;
    slots[j] = i + 1;
  }
  free(m->slots);
  m->slots = slots;
  m->mask = mask;
  return 0;
}

uint32_t ls__map_add(ls__map *m, uint64_t key, int *added) {
  *added = 0;
  const uint64_t nslots = m->slots ? m->mask + 1 : 0;
  if ((uint64_t)m->count * 2 + 2 > nslots &&
      rehash(m, nslots ? nslots * 2 : 64))
    return NONE;
  uint64_t j = ls__hash_u64(key) & m->mask;
  for (; m->slots[j]; j = (j + 1) & m->mask)
    if (m->e[m->slots[j] - 1].key == key) return m->slots[j] - 1;
  if (m->count == MAX_ENTRIES) return NONE;
  if (m->count == m->cap) {
    uint32_t cap = next_cap(m->cap, 16);
    ls__map_entry *e = realloc(m->e, (size_t)cap * sizeof *e);
    if (!e) return NONE;
    m->e = e;
    m->cap = cap;
  }
  m->e[m->count] = (ls__map_entry){key, 0};
  m->slots[j] = m->count + 1;
  *added = 1;
  return m->count++;
}

void ls__map_free(ls__map *m) {
  if (!m) return;
  free(m->e);
  free(m->slots);
  memset(m, 0, sizeof *m);
}

/* ---- the interner: hash -> newest string, older ones chained ---------- */

static int same(const ls__intern *t, uint32_t i, const void *p, size_t len) {
  return t->s[i].len == len &&
         (len == 0 || !memcmp(t->data + t->s[i].off, p, len));
}

uint32_t ls__intern_find(const ls__intern *t, const void *p, size_t len) {
  uint32_t e = ls__map_find(&t->by_hash, ls__hash_bytes(p, len));
  if (e == NONE) return NONE;
  for (uint32_t i = (uint32_t)t->by_hash.e[e].val; i != NONE; i = t->s[i].older)
    if (same(t, i, p, len)) return i;
  return NONE;
}

int ls__intern_add(ls__intern *t, const void *p, size_t len, uint32_t *idx) {
  if (len >= UINT32_MAX) return -2;
  int added;
  uint32_t e = ls__map_add(&t->by_hash, ls__hash_bytes(p, len), &added);
  if (e == NONE) return t->by_hash.count == MAX_ENTRIES ? -2 : -1;
  uint64_t *head = &t->by_hash.e[e].val;
  if (added) *head = NONE; /* no string yet: a chain's end */
  for (uint32_t i = (uint32_t)*head; i != NONE; i = t->s[i].older)
    if (same(t, i, p, len)) {
      *idx = i;
      return 0;
    }
  if (t->count == MAX_ENTRIES) return -2;
  if (t->count == t->cap) {
    uint32_t cap = next_cap(t->cap, 64);
    ls__intern_entry *n = realloc(t->s, (size_t)cap * sizeof *n);
    if (!n) return -1;
    t->s = n;
    t->cap = cap;
  }
  if (t->data_len + len + 1 > t->data_cap) {
    uint64_t cap = t->data_cap ? t->data_cap : 4096;
    while (t->data_len + len + 1 > cap) cap *= 2;
    char *d = realloc(t->data, (size_t)cap);
    if (!d) return -1;
    t->data = d;
    t->data_cap = cap;
  }
  if (len) memcpy(t->data + t->data_len, p, len);
  t->data[t->data_len + len] = 0;
  t->s[t->count] = (ls__intern_entry){t->data_len, (uint32_t)len, (uint32_t)*head};
  *head = t->count;
  t->data_len += (uint64_t)len + 1;
  *idx = t->count++;
  return 1;
}

void ls__intern_free(ls__intern *t) {
  if (!t) return;
  ls__map_free(&t->by_hash);
  free(t->s);
  free(t->data);
  memset(t, 0, sizeof *t);
}
