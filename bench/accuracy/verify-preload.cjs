'use strict';
// Ground-truth preload for verify.mjs (run with node --expose-gc --require).
// Every ACCURACY_VERIFY_EVERY ms (default 5000) it runs a full GC twice and
// appends one JSON line of process.memoryUsage() to ACCURACY_VERIFY_OUT.
// Nothing of leakscope is involved.
const fs = require('node:fs');
const out = process.env.ACCURACY_VERIFY_OUT;
const every = Number(process.env.ACCURACY_VERIFY_EVERY) || 5000;
if (out && typeof globalThis.gc === 'function') {
  const fd = fs.openSync(out, 'a', 0o600);
  const t0 = process.hrtime.bigint();
  const sample = () => {
    globalThis.gc();
    globalThis.gc();
    const m = process.memoryUsage();
    const t = Number(process.hrtime.bigint() - t0) / 1e9;
    fs.writeSync(fd, JSON.stringify({ t, heapUsed: m.heapUsed, external: m.external,
      arrayBuffers: m.arrayBuffers, heapTotal: m.heapTotal, rss: m.rss }) + '\n');
  };
  setInterval(sample, every).unref();
}
