// expect: clean
// libs: lru-cache
// what: A profile cache (lru-cache, max 15000 entries) in front of a slow lookup gets about 200 new user ids per second, so it fills slowly over roughly 75-90 s and then stays full, evicting the least recently used; memory rises for over a minute and then stays flat.
'use strict';
const http = require('node:http');
const { LRUCache } = require('lru-cache');
const { start, listen, request, drive } = require('../_lib/harness');

start('clean/lru-cache-slow-fill: lru-cache max 15000 filling at ~200 new keys/s (full after ~75-90 s), then flat');
const profiles = new LRUCache({ max: 15000 });
function loadProfile(id) {
  return { id, name: `user ${id}`, email: `u${id}@example.test`, plan: id % 3 ? 'free' : 'pro', tags: [`t${id % 10}`, `t${id % 7}`], since: 1600000000000 + id };
}
function getProfile(id) {
  let p = profiles.get(id);
  if (!p) { p = loadProfile(id); profiles.set(id, p); }
  return p;
}
let newest = 0;
setInterval(() => { getProfile(newest++); getProfile(newest++); }, 10); // sign-ins of new users
const server = http.createServer((req, res) => {
  const id = Math.max(0, newest - 1 - Number(req.url.slice(3))); // recent users are the busy ones
  res.end(JSON.stringify(getProfile(id)));
});
listen(server).then((port) => {
  drive((i) => request(port, `/u/${(i * 7919) % 3000}`), { concurrency: 3, pauseMs: 15 });
});
