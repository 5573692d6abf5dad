// leakscope.run() from JavaScript: the command's session (src/session/run.c)
// on the thread pool. It resolves with the `run --json` object plus `leak`,
// rejects like the command fails (code LS_ERR_PROGRAM for a program that
// fails early), throws at once on wrong arguments, and leaves the event
// loop free while the program runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { repoRoot, privateTmpDir } from '../js-helpers/leakscope.mjs';

const require = createRequire(import.meta.url);
const leakscope = require(path.join(repoRoot, 'lib', 'index.js'));
const examples = path.join(repoRoot, 'examples');

test('run(): a leaking program, fixed schedule: the verdict and the holder, snapshots kept in out', async () => {
  const tmp = privateTmpDir('leakscope-node-run-');
  try {
    const out = path.join(tmp.dir, 'snaps');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 100);
    const t = await leakscope.run(path.join(examples, 'leaks', 'listeners.js'),
      { warmup: 1, every: 1, count: 6, out });
    clearInterval(timer);
    assert.equal(t.verdict, 'leak');
    assert.equal(t.leak, true);
    assert.equal(t.snapshots.length, 6);
    assert.deepEqual(t.suspects[0].path.slice(-3).map((s) => s.edge), ['settings', '_events', 'change']);
    assert.ok(t.snapshots.every((s) => typeof s.time === 'number'), 'the session timed every snapshot');
    assert.equal(fs.readdirSync(out).length, 6, 'out keeps them');
    assert.deepEqual(t.snapshots.map((s) => s.path), fs.readdirSync(out).sort().map((f) => path.join(out, f)));
    assert.equal(fs.statSync(out).mode & 0o777, 0o700);
    assert.ok(ticks > 30, `the event loop kept turning (${ticks} ticks)`);
  } finally {
    tmp.cleanup();
  }
});

test('run() without out: streamed, no snapshot file (snapshots[].path is null)', async () => {
  const t = await leakscope.run(path.join(repoRoot, 'tests', 'run', 'steady.js'), { warmup: 0.5, every: 0.5, count: 3 });
  assert.equal(t.snapshots.length, 3);
  for (const s of t.snapshots) {
    assert.equal(s.path, null);
    assert.ok(s.node_count > 0 && typeof s.time === 'number');
  }
});

test('run(): a program that fails before the first snapshot rejects with LS_ERR_PROGRAM and its words', async () => {
  await assert.rejects(leakscope.run(path.join(repoRoot, 'tests', 'run', 'crash.js'), { warmup: 2 }), (e) => {
    assert.equal(e.code, 'LS_ERR_PROGRAM');
    assert.match(e.message, /crash\.js ended \(exit code 1\) before the first snapshot; the end of its stderr:\n/);
    assert.match(e.message, /Error: crash-test: cannot reach the database/);
    return true;
  });
});

test('run(): bad arguments throw at once, a missing script rejects', async () => {
  const script = path.join(examples, 'leaks', 'listeners.js');
  assert.throws(() => leakscope.run(), TypeError);
  assert.throws(() => leakscope.run(script, { args: 'x' }), TypeError);
  assert.throws(() => leakscope.run(script, { count: 2 }), RangeError);
  assert.throws(() => leakscope.run(script, { every: 0 }), RangeError);
  assert.throws(() => leakscope.run(script, { maxTime: -1 }), RangeError);
  assert.throws(() => leakscope.run(script, { warmup: 'soon' }), RangeError);
  assert.throws(() => leakscope.run(script, { node: '' }), TypeError);
  await assert.rejects(leakscope.run('/nonexistent/app.js'),
    { code: 'LS_ERR_INVALID_ARG', message: /\/nonexistent\/app\.js: No such file or directory/ });
  await assert.rejects(leakscope.run(script, { node: '/nonexistent/node' }),
    { code: 'LS_ERR_INVALID_ARG', message: /not a Node\.js binary/ });
});
