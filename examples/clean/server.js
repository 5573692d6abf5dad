// Clean: an HTTP server under steady load, with a warm-up.
//
// The server renders product pages and keeps the 500 most recently used in
// an LRU cache: during the first seconds the cache fills (the heap grows),
// then every new page evicts the oldest one and the heap stays flat, however
// long it runs. Every request also allocates plenty of short-lived garbage
// (request and response objects, strings, buffers) that the GC reclaims.
// A built-in client sends the load over keep-alive connections.
//
//   node examples/clean/server.js
//   leakscope run -- examples/clean/server.js     (verdict: clean, exit 0)
'use strict';
const http = require('http');

class LRUCache {
  constructor(capacity) {
    this.capacity = capacity;
    this.entries = new Map(); // insertion order = least recently used first
  }
  get(key) {
    const value = this.entries.get(key);
    if (value !== undefined) { // move to the end: most recently used
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }
  set(key, value) {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value);
  }
}

const pages = new LRUCache(500);

function renderProduct(id) {
  const reviews = [];
  for (let i = 0; i < 10; i++) reviews.push({ stars: (id + i) % 5 + 1, text: `review ${i} of product ${id}` });
  return `<h1>product ${String(id).padStart(6, '0')}</h1>` +
    reviews.map((r) => `<p>${'*'.repeat(r.stars)} ${r.text}</p>`).join('');
}

const server = http.createServer((req, res) => {
  const id = Number(req.url.slice('/product/'.length)) || 0;
  let page = pages.get(id);
  if (page === undefined) {
    page = renderProduct(id);
    pages.set(id, page);
  }
  res.setHeader('content-type', 'text/html');
  res.end(page);
});

// The load: 20 requests at a time over keep-alive connections, ids spread
// over 5,000 products, so pages are both cache hits and evictions.
const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
let sent = 0;
function client(port) {
  const id = (sent++ * 7919) % 5000;
  http.get({ port, path: `/product/${id}`, agent }, (res) => {
    res.resume();
    res.on('end', () => setTimeout(client, 5, port));
  }).on('error', (e) => { console.error(`request failed: ${e.message}`); setTimeout(client, 100, port); });
}

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  console.log(`clean server: listening on 127.0.0.1:${port}, under steady load from ` +
    'a built-in client (pages cached in an LRU of 500); stop with Ctrl-C');
  for (let i = 0; i < 20; i++) client(port);
});
