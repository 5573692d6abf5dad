// Clean: an LRU cache that fills to its capacity during the first snapshot
// interval and then stays full (old entries evicted as new ones come in).
// The heap grows between snapshots 1 and 2 (warm-up), then is flat:
// growth that stops is not a leak.
'use strict';
const { runSeries } = require('./_series.js');

const CAPACITY = Number(process.env.LS_CAPACITY || 2000);
const PER_STEP = Number(process.env.LS_PER_STEP || 3000);

class CacheEntry {
  constructor(key, value) {
    this.key = key;
    this.value = value;
    this.hits = 0;
  }
}

class LRU {
  constructor(capacity) { this.capacity = capacity; this.map = new Map(); }
  get(key) {
    const e = this.map.get(key);
    if (!e) return undefined;
    this.map.delete(key); this.map.set(key, e); // most recently used last
    e.hits++;
    return e.value;
  }
  set(key, value) {
    if (this.map.has(key)) this.map.delete(key);
    else if (this.map.size >= this.capacity) this.map.delete(this.map.keys().next().value);
    this.map.set(key, new CacheEntry(key, value));
  }
}

const lru = new LRU(CAPACITY);
let n = 0;
function lookup(i) {
  // fixed-width keys: every entry has the same size, whatever i is (with
  // `k${i}` the values grow a little when i reaches 5 digits, because
  // `<p>k10000</p>` is long enough to be a cons string: growth, but no leak)
  const key = `k${String(i).padStart(8, '0')}`;
  let v = lru.get(key);
  if (v === undefined) { v = { rendered: `<p>${key}</p>`, size: key.length }; lru.set(key, v); }
  return v.size;
}

// Snapshot 1 with the cache a quarter full; full from snapshot 2 on.
runSeries((k) => {
  if (k === 1) {
    for (let i = 0; i < CAPACITY / 4; i++) lookup(n++);
  } else {
    // mostly new keys (evicting old ones), some hits on recent keys
    for (let i = 0; i < PER_STEP; i++) lookup(i % 5 === 0 ? n - 1 - (i % 100) : n++);
  }
  return { lookups: n, size: lru.map.size };
});
