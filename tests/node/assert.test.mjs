// require('leakscope/test'): assertNoLeak fails on a leaking function,
// naming the holder, passes on a clean one (with a warm-up), works with
// async functions, cleans up its snapshots, and checks its options. The
// helper is not tied to node:test: a plain script uses it too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { repoRoot, privateTmpDir } from '../js-helpers/leakscope.mjs';

const require = createRequire(import.meta.url);
const { assertNoLeak, LeakError } = require(path.join(repoRoot, 'lib', 'test.js'));

// The folders assertNoLeak makes (other tests and processes use the same
// temporary folder at the same time, so look at these, not at a listing)
const made = [];
const mkdtempSync = fs.mkdtempSync;
fs.mkdtempSync = (...args) => {
  const d = mkdtempSync(...args);
  made.push(d);
  return d;
};

test('a function that keeps what it makes: LeakError naming the holder and its path', async () => {
  const sessions = [];
  const modes = new Set();
  const handle = (i) => {
    sessions.push({ id: i, user: `u${i}`, at: Date.now() });
    if (i === 0 && made.length) { // the snapshots so far: private
      const dir = made[made.length - 1];
      modes.add(`dir ${(fs.statSync(dir).mode & 0o777).toString(8)}`);
      for (const f of fs.readdirSync(dir)) modes.add(`file ${(fs.statSync(path.join(dir, f)).mode & 0o777).toString(8)}`);
    }
  };
  const n = made.length;
  await assert.rejects(assertNoLeak(handle, { iterations: 300 }), (e) => {
    assert.ok(e instanceof LeakError, e.stack);
    assert.equal(e.code, 'LS_LEAK');
    assert.match(e.message, /kept growing over 6 snapshots/);
    assert.match(e.message, /variable sessions\s+→\s+Array @\d+/, e.message);
    assert.equal(e.result.verdict, 'leak');
    assert.ok(e.result.suspects.length >= 1);
    return true;
  });
  assert.equal(made.length, n + 1, 'one folder');
  assert.ok(made[n].startsWith(path.join(os.tmpdir(), 'leakscope-assert-')), made[n]);
  assert.equal(fs.existsSync(made[n]), false, 'its snapshots are removed');
  assert.deepEqual([...modes].sort(), ['dir 700', 'file 600']);
});

test('a clean function with a warm-up passes and resolves with the analysis', async () => {
  const cache = new Map();
  const work = (i) => {
    cache.set(i % 64, { i, body: JSON.stringify({ i }) }); // bounded
    return [i, i + 1].map(String).join();
  };
  const r = await assertNoLeak(work, { rounds: 5, iterations: 500, warmup: 2 });
  assert.equal(r.verdict, 'clean', JSON.stringify(r.suspects?.slice(0, 2)));
  assert.equal(r.snapshots.length, 5);
});

test('it does not leak itself: the heap stays flat around a no-op, sync or async', async () => {
  for (const fn of [() => {}, async () => {}]) {
    const r = await assertNoLeak(fn, { rounds: 6, iterations: 2000, warmup: 1 });
    assert.equal(r.verdict, 'clean');
    const counts = r.snapshots.map((s) => s.node_count);
    // anything kept per call would add 8,000+ nodes over the 4 later rounds
    assert.ok(counts.at(-1) - counts[1] < 400, `node counts ${counts.join(' ')}`);
  }
});

test('async functions are awaited; a leak through a promise chain is found', async () => {
  const kept = new Set();
  const work = async (i) => {
    await new Promise((resolve) => setImmediate(resolve));
    kept.add({ i, data: new Array(8).fill(i) });
  };
  await assert.rejects(assertNoLeak(work, { rounds: 5, iterations: 200 }), (e) => {
    assert.ok(e instanceof LeakError);
    assert.match(e.message, /kept/, e.message);
    return true;
  });
});

test('the error of fn propagates and the snapshots are still removed', async () => {
  const dir = privateTmpDir('leakscope-assert-own-');
  try {
    let n = 0;
    const boom = new Error('boom');
    await assert.rejects(assertNoLeak(() => { if (++n === 250) throw boom; }, { iterations: 100, dir: dir.dir }),
      (e) => e === boom);
    assert.deepEqual(fs.readdirSync(dir.dir), [], 'nothing left in options.dir');
  } finally {
    dir.cleanup();
  }
});

test('bad options: a clear error before any work', async () => {
  let calls = 0;
  const fn = () => { calls++; };
  await assert.rejects(assertNoLeak('nope'), TypeError);
  await assert.rejects(assertNoLeak(fn, { rounds: 2 }), /rounds must be a whole number >= 3/);
  await assert.rejects(assertNoLeak(fn, { iterations: 0 }), RangeError);
  await assert.rejects(assertNoLeak(fn, { warmup: -1 }), RangeError);
  await assert.rejects(assertNoLeak(fn, null), TypeError);
  assert.equal(calls, 0);
});

test('works outside node:test (a plain script), and through the package name', () => {
  const dir = privateTmpDir('leakscope-assert-plain-');
  try {
    // the package as an installed dependency: node_modules/leakscope -> repo
    fs.mkdirSync(path.join(dir.dir, 'node_modules'));
    fs.symlinkSync(repoRoot, path.join(dir.dir, 'node_modules', 'leakscope'));
    const script = path.join(dir.dir, 'plain.js');
    fs.writeFileSync(script, `
      const { assertNoLeak, LeakError } = require('leakscope/test');
      const list = []; // module-level: a variable of the module's function
      assertNoLeak(() => list.push({ x: list.length }), { iterations: 300 })
        .then(() => { console.log('no leak'); process.exit(3); },
              (e) => { console.log(e instanceof LeakError ? 'LeakError' : e.stack); console.log(e.message); });`);
    const r = spawnSync(process.execPath, [script], { cwd: dir.dir, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.split('\n')[0], 'LeakError', r.stdout);
    assert.match(r.stdout, /variable list\s+→\s+Array @\d+/, "names the module-level holder");
  } finally {
    dir.cleanup();
  }
});
