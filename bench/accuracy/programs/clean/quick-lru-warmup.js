// expect: clean
// libs: quick-lru
// what: A geo-lookup service memoises results in quick-lru (maxSize 3000) over a space of 4000 IP prefixes; it warms up in the first ~10-20 s and then stays the same size while entries keep rotating.
'use strict';
const http = require('node:http');
const QuickLRU = require('quick-lru');
const { start, listen, request, drive } = require('../_lib/harness');

start('clean/quick-lru-warmup: quick-lru maxSize 3000 warms up in ~10-20 s, then flat');
const geo = new QuickLRU({ maxSize: 3000 });
function lookup(prefix) {
  let r = geo.get(prefix);
  if (!r) { r = { prefix, country: ['DE', 'FR', 'US', 'JP', 'BR'][prefix.length % 5], city: `city-${prefix}`, lat: prefix.length * 1.5, lon: -prefix.length }; geo.set(prefix, r); }
  return r;
}
const server = http.createServer((req, res) => res.end(JSON.stringify(lookup(req.url.slice(5)))));
listen(server).then((port) => {
  drive((i) => request(port, `/geo/10.${(i * 7) % 4000 >> 8}.${(i * 7) % 4000 & 255}`), { concurrency: 4, pauseMs: 15 });
});
