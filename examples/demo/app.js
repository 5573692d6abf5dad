// A small service-like program for `make demo`: a request cache that is
// never trimmed, some sessions and closures, then a heap snapshot.
'use strict';
const v8 = require('v8');

class Session {
  constructor(id) {
    this.id = id;
    this.createdAt = Date.now();
    this.history = [];
  }
}

class RequestCache {
  constructor() { this.entries = new Map(); }
  remember(key, body) { this.entries.set(key, { body, at: Date.now() }); }
}

const cache = new RequestCache();
const sessions = [];
const handlers = [];
for (let i = 0; i < 20000; i++) {
  cache.remember('/item/' + i, 'x'.repeat(64) + i);
  if (i % 10 === 0) sessions.push(new Session(i));
  if (i % 100 === 0) {
    const captured = new Array(50).fill(i);
    handlers.push(() => captured.length);
  }
}
globalThis.app = { cache, sessions, handlers };

const out = process.argv[2];
if (!out) {
  console.error('usage: node app.js OUT.heapsnapshot');
  process.exit(2);
}
v8.writeHeapSnapshot(out);
