// expect: leak
// holder: LRUCache, keyMap, valList, tokens
// libs: lru-cache
// what: Login tokens go into an lru-cache with a 30 s ttl but no max and no ttlAutopurge; lru-cache only drops stale entries when they are read, and a token is never read again after its one use, so the cache keeps every token ever issued.
'use strict';
const http = require('node:http');
const crypto = require('node:crypto');
const { LRUCache } = require('lru-cache');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/lru-cache-ttl-unchecked: lru-cache with ttl only (no max, no autopurge); stale tokens are never read so never dropped');
process.removeAllListeners('warning'); // lru-cache warns about exactly this configuration; the service ignores it
const tokens = new LRUCache({ ttl: 30_000 });
const server = http.createServer((req, res) => {
  if (req.url === '/login') {
    const token = crypto.randomBytes(24).toString('hex');
    tokens.set(token, { user: `u${Math.random() * 1e6 | 0}`, scopes: ['read', 'write'], issued: Date.now() });
    res.end(token);
  } else {
    res.end('hello');
  }
});
listen(server).then((port) => {
  drive((i) => request(port, i % 4 === 0 ? '/login' : '/'), { concurrency: 4, pauseMs: 15 });
});
