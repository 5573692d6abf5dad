// Clean: an LRU cache that fills slowly, over the first half of the series,
// and then stays full. While it fills it looks like a leak; the later
// snapshots show it has levelled off (a longer series settles it).
'use strict';
const { runSeries } = require('./_series.js');

const CAPACITY = 3000, PER_STEP = 600;
const cache = new Map();
let n = 0;
function put(i) {
  const key = `user:${String(i).padStart(7, '0')}`;
  cache.delete(key);
  cache.set(key, { key, profile: { name: `n${i % 1000}`, score: i % 97 }, seen: 1 });
  if (cache.size > CAPACITY) cache.delete(cache.keys().next().value);
}
runSeries(() => {
  for (let i = 0; i < PER_STEP; i++) put(n++);
  return { size: cache.size };
});
