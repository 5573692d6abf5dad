// suspects() from JavaScript: the CLI's suspects --json (with `leak`), the
// threshold as a share, errors with the CLI's message and code, bad
// arguments thrown at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { repoRoot, assertBinary, runCli, describeRun, privateTmpDir } from '../js-helpers/leakscope.mjs';

const require = createRequire(import.meta.url);
const leakscope = require(path.join(repoRoot, 'lib', 'index.js'));

let tmp;
let snap;
before(() => {
  assertBinary();
  tmp = privateTmpDir('leakscope-node-suspects-');
  snap = path.join(tmp.dir, 'leak.heapsnapshot');
  const r = spawnSync(process.execPath, ['-e',
    `const cache = new Map(); for (let i = 0; i < 20000; i++) cache.set('k' + i, { i, tags: [i] });
     globalThis.keep = () => cache.size; require('v8').writeHeapSnapshot(${JSON.stringify(snap)});`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
after(() => tmp?.cleanup());

function cliJson(args, status) {
  const r = runCli(args, { timeoutMs: 60_000 });
  assert.equal(r.status, status, describeRun(r));
  return JSON.parse(r.stdout);
}

test('suspects(): the CLI\'s suspects --json, plus leak', async () => {
  const j = await leakscope.suspects(snap);
  assert.equal(j.leak, true);
  assert.deepEqual({ ...j, leak: undefined }, { ...cliJson(['suspects', '--json', snap], 1), leak: undefined });
  assert.equal(j.threshold, 0.1);
  assert.equal(j.suspects[0].accumulation_point.name, 'Map');
  const share = j.suspects[0].share;
  const none = await leakscope.suspects(snap, { threshold: Math.min(1, share + 0.01) });
  assert.equal(none.leak, false);
  assert.deepEqual(none.suspects, []);
  const low = await leakscope.suspects(snap, { threshold: 0.05 });
  assert.deepEqual({ ...low, leak: undefined }, { ...cliJson(['suspects', '--json', '--threshold', '5', snap], 1), leak: undefined });
});

test('suspects(): errors reject with the CLI\'s words; bad arguments throw', async () => {
  const missing = path.join(tmp.dir, 'missing.heapsnapshot');
  const cli = runCli(['suspects', missing]);
  assert.equal(cli.status, 2);
  await assert.rejects(leakscope.suspects(missing), (e) => {
    assert.equal(e.code, 'LS_ERR_IO');
    assert.equal(`leakscope: ${e.message}\n`, cli.stderr);
    return true;
  });
  assert.throws(() => leakscope.suspects(), TypeError);
  assert.throws(() => leakscope.suspects(snap, 'x'), TypeError);
  for (const t of [0, -0.1, 1.5, 10, NaN, '0.1']) {
    assert.throws(() => leakscope.suspects(snap, { threshold: t }), RangeError, String(t));
  }
  assert.equal(require(path.join(repoRoot, 'lib', 'addon.js')).pending(), 0, 'no work was queued');
});
