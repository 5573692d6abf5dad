// expect: clean
// libs: none
// what: A cache of parsed documents that holds values through WeakRef and removes dead keys with a FinalizationRegistry, while requests create new documents all the time; lots of weak-reference churn, but only what is still in use stays.
'use strict';
const http = require('node:http');
const { start, listen, request, drive } = require('../_lib/harness');

start('clean/weakref-cache-churn: WeakRef cache + FinalizationRegistry cleanup under constant churn');
const cache = new Map();
const registry = new FinalizationRegistry((key) => { const ref = cache.get(key); if (ref && !ref.deref()) cache.delete(key); });
function getDoc(key) {
  const hit = cache.get(key)?.deref();
  if (hit) return hit;
  const doc = { key, words: Array.from({ length: 40 }, (_, i) => `${key}-w${i}`), parsedAt: Date.now() };
  cache.set(key, new WeakRef(doc));
  registry.register(doc, key);
  return doc;
}
const recent = []; // the few documents in active use are held strongly
const server = http.createServer((req, res) => {
  const doc = getDoc(req.url.slice(3));
  recent.push(doc);
  if (recent.length > 200) recent.shift();
  res.end(String(doc.words.length));
});
listen(server).then((port) => {
  drive((i) => request(port, `/d/${i % 5 === 0 ? 'hot' + (i % 100) : 'doc' + i}`), { concurrency: 4, pauseMs: 15 });
});
