// The analyser on many threads at once: concurrent promises on different
// files (libuv's thread pool runs them side by side) and Workers doing the
// same, each result equal to the one computed alone. A library with shared
// mutable state mixes up names or crashes here (ThreadSanitizer checks the
// C side: tests/unit/test_threads.c, `make tsan`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { repoRoot, privateTmpDir } from '../js-helpers/leakscope.mjs';

const require = createRequire(import.meta.url);
const leakscope = require(path.join(repoRoot, 'lib', 'index.js'));

const N = 4; // programs, each with its own shapes and names
let tmp;
const series = []; // per program: 4 snapshot paths
before(() => {
  tmp = privateTmpDir('leakscope-node-concurrent-');
  for (let p = 0; p < N; p++) {
    const files = [0, 1, 2, 3].map((k) => path.join(tmp.dir, `p${p}-s${k}.heapsnapshot`));
    // plain objects named by their property sets (DevTools' {a, b} names:
    // the part of the library that sorted with a shared context)
    const r = spawnSync(process.execPath, ['-e', `
      const v8 = require('v8');
      const props = ${JSON.stringify([['alpha', 'beta'], ['url', 'method', 'headers'], ['x', 'y'], ['key', 'value', 'ttl']][p])};
      const keep = globalThis.keep${p} = [];
      const files = ${JSON.stringify(files)};
      for (const f of files) {
        for (let i = 0; i < 400 * ${p + 1}; i++) { const o = {}; for (const q of props) o[q] = i; keep.push(o); }
        v8.writeHeapSnapshot(f);
      }`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    series.push(files);
  }
});
after(() => tmp?.cleanup());

const all = (files) => Promise.all([
  leakscope.summary(files[3]),
  leakscope.paths(files[3], 'Array', { n: 2 }),
  leakscope.handles(files[3]),
  leakscope.diff(files[0], files[3]),
  leakscope.trend(files),
]);

test('concurrent promises on different files give the sequential results', async () => {
  const alone = [];
  for (const files of series) alone.push(await all(files));
  // the four programs differ: a mix-up between them would show
  const summaries = alone.map((r) => JSON.stringify(r[0].classes));
  assert.equal(new Set(summaries).size, N);
  for (let round = 0; round < 3; round++) {
    const together = await Promise.all(series.map(all));
    assert.deepEqual(together, alone, `round ${round}`);
  }
});

test('Workers analysing different files at once give the sequential results', async () => {
  const alone = [];
  for (const files of series) alone.push(await all(files));
  const code = `
    const { parentPort, workerData } = require('worker_threads');
    const l = require(${JSON.stringify(path.join(repoRoot, 'lib', 'index.js'))});
    const f = workerData;
    Promise.all([l.summary(f[3]), l.paths(f[3], 'Array', { n: 2 }), l.handles(f[3]), l.diff(f[0], f[3]), l.trend(f)])
      .then((r) => parentPort.postMessage(r), (e) => parentPort.postMessage({ error: String(e && e.stack || e) }));`;
  const results = await Promise.all(series.map((files) => new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: files });
    w.once('message', (m) => { resolve(m); w.terminate(); });
    w.once('error', reject);
  })));
  for (let p = 0; p < N; p++) {
    assert.ok(!results[p].error, results[p].error);
    assert.deepEqual(results[p], alone[p], `program ${p}`);
  }
});
