// Not sure yet: a cache that sets its room aside at once (two arrays of
// `max` slots, as lru-cache does) and fills a little at every step. What it
// holds grows until it is full, and so do the cache object and the closure
// above it: bounded, but not full over this series, so "unsure" (filling).
'use strict';
const { runSeries } = require('./_series.js');

class SlotCache {
  constructor(max) { this.keys = new Array(max); this.values = new Array(max); this.size = 0; }
  set(k, v) {
    if (this.size < this.keys.length) { this.keys[this.size] = k; this.values[this.size++] = v; }
  }
}
const MAX = 100000, PER_STEP = 2000;
const tokenCache = new SlotCache(MAX);
let n = 0;
runSeries(() => {
  for (let i = 0; i < PER_STEP; i++, n++)
    tokenCache.set(`tok-${n}`, { id: n, user: `u${n % 500}`, scopes: ['read'] });
  return { size: tokenCache.size };
});
