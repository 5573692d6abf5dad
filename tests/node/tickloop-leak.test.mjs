// TickLoop keeps the number of live handles bounded whatever the iteration
// count (DESIGN.md case 1): RSS stays flat over millions of calls, and a heap
// snapshot written from inside a callback mid-run passes leakscope's own
// handle-scope audit (`leakscope handles`), with about `scopeCalls` handles
// in (Handle scope), where the case-1 loop without scopes holds 3 per call.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { runChild, describeChild } from './tickloop-common.mjs';
import { runCli, describeRun, privateTmpDir, assertBinary } from '../js-helpers/leakscope.mjs';

const tmp = privateTmpDir('leakscope-tickloop-leak-');
after(() => tmp.cleanup());

// RSS before/after runSync(iterations) with 4 callbacks, after a warm-up
// run (JIT, first scope blocks). Without handle scopes the same calls would
// keep 3 handles × 8 B each: 40M calls ≈ 960 MB.
const RUNS = [{ scopeCalls: 1000, iterations: 10_000_000 }, { scopeCalls: 65536, iterations: 2_000_000 }];
const BOUND = 4 << 20; // 4 MiB: allocator noise, far below any per-call growth

test('runSync(10M) × 4 callbacks: RSS stays flat', (t) => {
  for (const { scopeCalls, iterations } of RUNS) {
    const r = runChild(`
      const loop = new TickLoop({ scopeCalls: ${scopeCalls} });
      let x = 0;
      for (let i = 0; i < 4; i++) loop.add(() => { x++; });
      loop.runSync(20000);
      const before = process.memoryUsage().rss;
      const s = loop.runSync(${iterations});
      const after = process.memoryUsage().rss;
      console.log(JSON.stringify({ growth: after - before, calls: s.calls, x, ms: s.elapsed }));
    `, { timeoutMs: 120_000 });
    assert.equal(r.status, 0, describeChild(r));
    const { growth, calls, x, ms } = r.json;
    t.diagnostic(`scopeCalls ${scopeCalls}: ${calls} calls in ${ms.toFixed(0)} ms, RSS growth ${growth} B ` +
      `(${(growth / calls).toFixed(4)} B/call)`);
    assert.equal(calls, iterations * 4);
    assert.equal(x, iterations * 4 + 20000 * 4);
    assert.ok(growth < BOUND, `RSS grew ${growth} B over ${calls} calls (bound ${BOUND})`);
  }
});

// The handle-scope audit on a snapshot written mid-run.
function auditMidRun(name, scopeCalls, { iterations = 100_000, at = 50_000 } = {}) {
  const out = path.join(tmp.dir, `${name}.heapsnapshot`);
  const opts = scopeCalls ? `{ scopeCalls: ${scopeCalls} }` : '';
  const r = runChild(`
    const v8 = require('node:v8');
    const loop = new TickLoop(${opts});
    let n = 0;
    loop.add(() => { if (++n === ${at}) v8.writeHeapSnapshot(process.argv[1]); });
    for (let i = 0; i < 3; i++) loop.add(() => {});
    const s = loop.runSync(${iterations});
    console.log(JSON.stringify({ calls: s.calls }));
  `, { args: [out], timeoutMs: 120_000 });
  assert.equal(r.status, 0, describeChild(r));
  assert.equal(r.json.calls, iterations * 4);
  const a = runCli(['handles', '--json', out], { timeoutMs: 60_000 });
  assert.equal(a.status, 0, `the audit says clean (exit 0)\n${describeRun(a)}`);
  const j = JSON.parse(a.stdout);
  assert.equal(j.verdict, 'clean');
  const hs = j.roots.find((x) => x.name === '(Handle scope)');
  assert.ok(hs, JSON.stringify(j.roots.map((x) => x.name)));
  return hs.handles;
}

test('leakscope handles: a snapshot from inside a callback mid-runSync is clean', (t) => {
  assertBinary();
  // 4 callbacks, 1000 calls per scope: 250 ticks per batch. Call 50,000 of
  // the first callback is the first call of tick 49,999's batch slot 249,
  // so the batch holds 249 × 4 results + 4 function values.
  const dflt = auditMidRun('default', 0);
  t.diagnostic(`(Handle scope): ${dflt} handles mid-run (default scopeCalls 1000)`);
  assert.ok(dflt >= 249 * 4, `the batch's handles are live and counted: ${dflt}`);
  assert.ok(dflt < 1000 + 200, `bounded by scopeCalls + a few: ${dflt}`);
  const small = auditMidRun('small', 8);
  t.diagnostic(`(Handle scope): ${small} handles mid-run (scopeCalls 8)`);
  assert.ok(small < 200, `scopeCalls 8: ${small}`);
  assert.ok(dflt - small >= 900, 'the batch size is what decides');
});
