// A small service-like program for `make demo`: a request cache that is
// never trimmed (the leak), a bounded pool of sessions, closures.
//
//   node app.js OUT.heapsnapshot   one snapshot after 20,000 requests
//   node app.js --serve            serve 4,000 requests a second until
//                                  stopped (for `leakscope run`)
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
const sessions = []; // a pool: at most 500, the oldest go
const handlers = [];
let served = 0;

function handleRequest() {
  const i = served++;
  cache.remember('/item/' + i, 'x'.repeat(64) + i); // never trimmed
  if (i % 10 === 0) {
    sessions.push(new Session(i));
    if (sessions.length > 500) sessions.shift();
  }
  if (i % 100 === 0 && handlers.length < 200) {
    const captured = new Array(50).fill(i);
    handlers.push(() => captured.length);
  }
}
globalThis.app = { cache, sessions, handlers };

function usage() {
  console.error('usage: node app.js OUT.heapsnapshot | node app.js --serve');
  process.exit(2);
}

if (process.argv[2] === '--serve') {
  // like a service: requests arrive by the clock, 4,000 a second, and
  // wait while the process is busy (a heap snapshot stops it for a
  // moment), then are served, so the work follows the clock
  const start = Date.now();
  setInterval(() => {
    const due = Math.floor((Date.now() - start) * 4);
    while (served < due) handleRequest();
  }, 100);
} else {
  const out = process.argv[2];
  if (!out) usage();
  for (let j = 0; j < 20000; j++) handleRequest();
  v8.writeHeapSnapshot(out);
}
