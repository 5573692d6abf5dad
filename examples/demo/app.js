// A small service-like program for `make demo`: a request cache that is
// never trimmed (the leak), a bounded pool of sessions, closures.
//
//   node app.js OUT.heapsnapshot          one snapshot after 20,000 requests
//   node --expose-gc app.js --series DIR [N]
//                                         N snapshots (default 5), one after
//                                         each round of 4,000 requests
'use strict';
const v8 = require('v8');
const fs = require('fs');
const path = require('path');

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
  console.error('usage: node app.js OUT.heapsnapshot | node --expose-gc app.js --series DIR [N]');
  process.exit(2);
}

if (process.argv[2] === '--series') {
  const dir = process.argv[3];
  const count = Number(process.argv[4] || 5);
  if (!dir || !(count >= 3)) usage();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  let k = 0;
  const round = () => {
    for (let j = 0; j < 4000; j++) handleRequest();
    if (global.gc) global.gc();
    // from a fresh tick: nothing of this round is left on the stack
    setImmediate(() => {
      k++;
      v8.writeHeapSnapshot(path.join(dir, `demo-${k}.heapsnapshot`));
      if (k < count) round();
    });
  };
  round();
} else {
  const out = process.argv[2];
  if (!out) usage();
  for (let j = 0; j < 20000; j++) handleRequest();
  v8.writeHeapSnapshot(out);
}
