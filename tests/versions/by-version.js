// For tests/versions: a program whose verdict depends on the Node.js
// "version" it runs on, so the search of `leakscope versions` can be tested
// offline. The fake npm (fake-npm.sh) installs, for each version V, a
// package/bin/node that runs the real node with LS_FAKE_NODE=V; this
// program leaks (listeners never removed, as examples/leaks/listeners.js)
// when V is in env LS_LEAKY (comma-separated), else does steady clean work.
'use strict';
const EventEmitter = require('events');

const version = process.env.LS_FAKE_NODE || process.versions.node;
const leaky = (process.env.LS_LEAKY || '').split(',').includes(version);
process.stderr.write(`by-version: ${version} ${leaky ? 'leaks' : 'is clean'}\n`);

const settings = new EventEmitter();
settings.setMaxListeners(0);
let n = 0;
setInterval(() => {
  for (let i = 0; i < 100; i++) {
    const state = { id: n++, headers: { accept: 'text/html', id: `req-${n}` } };
    if (leaky) settings.on('change', () => { state.id++; });
    else state.headers.accept.length;
  }
}, 100);
