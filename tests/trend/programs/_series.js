// Shared by the series programs (not a program itself): where and how many
// snapshots to write, and how to write one. Run by tests/js-helpers/series.mjs
// with env LS_SERIES_DIR (output dir) and LS_SERIES_COUNT (how many).
// By hand: LS_SERIES_DIR=/tmp/s node --expose-gc tests/trend/programs/map-cache.js
// (plus the flags of its `// Flags:` line, if any).
'use strict';
const fs = require('fs');
const path = require('path');
const v8 = require('v8');

const dir = process.env.LS_SERIES_DIR;
if (!dir) {
  process.stderr.write('set LS_SERIES_DIR to the directory for the snapshots (and LS_SERIES_COUNT)\n');
  process.exit(2);
}
fs.mkdirSync(dir, { recursive: true });
const count = Number(process.env.LS_SERIES_COUNT || 6);

function gc() {
  if (typeof global.gc === 'function') { global.gc(); global.gc(); }
}

let written = 0;
// Writes the next snapshot (snap-01.heapsnapshot, ...) after a full GC, so
// garbage does not blur the series; returns its path. `facts` (optional) is
// printed as one JSON line on stdout: {snap, ...facts}.
function snapshot(facts) {
  written++;
  const file = path.join(dir, `snap-${String(written).padStart(2, '0')}.heapsnapshot`);
  gc();
  v8.writeHeapSnapshot(file);
  process.stdout.write(JSON.stringify({ snap: written, ...facts }) + '\n');
  return file;
}

// Runs step(k) for k = 1..count and writes snapshot k after it, from a fresh
// macrotask: the stack is empty then, as in a server between requests, so
// the program's locals are not in (Stack roots) and paths go through the
// variables that really hold the objects. step may return facts to print
// (or a promise of them).
function runSeries(step) {
  let k = 0;
  const next = () => {
    if (++k > count) return;
    Promise.resolve(step(k)).then((facts) => {
      setImmediate(() => { snapshot(facts); setImmediate(next); });
    }, (e) => { process.stderr.write(`${e && e.stack || e}\n`); process.exit(1); });
  };
  setImmediate(next);
}

module.exports = { dir, count, snapshot, runSeries, gc, written: () => written };
