// expect: leak
// holder: entries
// libs: none
// what: A response cache with a 2 s expiry has a cleanup timer every 5 s that removes at most 50 expired entries per run (to bound its pause), but about 100 are added per run, so expired entries accumulate slowly despite the cleanup.
'use strict';
const http = require('node:http');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/cache-cleanup-too-small: cleanup removes at most 50 expired entries per 5 s, fewer than are added');
const cache = { entries: new Map() };
const server = http.createServer((req, res) => {
  const key = req.url;
  const hit = cache.entries.get(key);
  if (hit && hit.expires > Date.now()) return res.end(hit.value);
  const value = JSON.stringify({ key, data: 'v'.repeat(200), at: Date.now() });
  cache.entries.set(key, { value, expires: Date.now() + 2000 });
  res.end(value);
});
setInterval(() => {
  let removed = 0;
  const now = Date.now();
  for (const [k, e] of cache.entries) {
    if (removed >= 50) break;
    if (e.expires < now) { cache.entries.delete(k); removed++; }
  }
}, 5000);
listen(server).then((port) => {
  drive((i) => request(port, i % 4 === 0 ? `/search?q=${i}` : `/page/${i % 10}`), { concurrency: 2, pauseMs: 20 });
});
