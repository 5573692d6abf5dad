// TickLoop: the API contract of runSync and of the callback list
// (README "TickLoop"): handles, size, argument validation, errors thrown by
// callbacks, changes to the list during a tick, re-entrancy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTickLoop, runChild, describeChild } from './tickloop-common.mjs';

const TickLoop = loadTickLoop();

test('TickLoop: add/remove/size and handles', () => {
  const loop = new TickLoop();
  assert.equal(loop.size, 0);
  assert.equal(loop.started, false);
  const f = () => {};
  const a = loop.add(f);
  const b = loop.add(f); // the same function twice: two entries
  assert.equal(typeof a, 'number');
  assert.notEqual(a, b);
  assert.equal(loop.size, 2);
  assert.equal(loop.remove(a), true);
  assert.equal(loop.remove(a), false, 'a handle removes once');
  assert.equal(loop.size, 1);
  assert.equal(loop.remove(12345), false, 'unknown handle');
  assert.equal(loop.remove(-1), false);
  assert.equal(loop.remove(1.5), false);
  const c = loop.add(f);
  assert.ok(c > b, 'handles are never reused');
  const other = new TickLoop();
  assert.equal(other.remove(c), false, 'a handle belongs to its loop');
  assert.equal(loop.size, 2);
  assert.deepEqual(Object.keys(loop), [], 'no enumerable own properties');
});

test('TickLoop: runSync calls every callback once per iteration, in order', () => {
  const loop = new TickLoop();
  const seen = [];
  loop.add(() => seen.push('a'));
  loop.add(() => seen.push('b'));
  loop.add(function () { seen.push(this === undefined ? 'c' : 'c?'); });
  const s = loop.runSync(3);
  assert.deepEqual(seen, ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c']);
  assert.deepEqual(Object.keys(s).sort(), ['calls', 'elapsed', 'iterations']);
  assert.equal(s.iterations, 3);
  assert.equal(s.calls, 9);
  assert.equal(typeof s.elapsed, 'number');
  assert.ok(s.elapsed >= 0 && s.elapsed < 10_000, `elapsed is in ms: ${s.elapsed}`);
  const z = loop.runSync(0);
  assert.equal(z.iterations, 0);
  assert.equal(z.calls, 0);
  const empty = new TickLoop();
  const e = empty.runSync(1e6);
  assert.equal(e.iterations, 1e6);
  assert.equal(e.calls, 0);
});

test('TickLoop: runSync over many scope batches keeps order and counts', () => {
  for (const scopeCalls of [1, 3, 7, 1000]) {
    const loop = new TickLoop({ scopeCalls });
    let x = 0, y = 0;
    loop.add(() => { assert.equal(y, x); x++; });
    loop.add(() => { y++; });
    const s = loop.runSync(5000);
    assert.equal(x, 5000);
    assert.equal(y, 5000);
    assert.equal(s.calls, 10000, `scopeCalls ${scopeCalls}`);
  }
});

test('TickLoop: argument validation', () => {
  assert.throws(() => TickLoop(), { name: 'TypeError', code: 'ERR_CONSTRUCT_CALL_REQUIRED' });
  assert.throws(() => new TickLoop(5), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: /options must be an object \(got number\)/ });
  assert.throws(() => new TickLoop({ interval: -1 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE', message: /options\.interval/ });
  assert.throws(() => new TickLoop({ interval: 0.5 }), { name: 'RangeError' });
  assert.throws(() => new TickLoop({ interval: '10' }), { name: 'TypeError', message: /options\.interval must be a number \(got string\)/ });
  assert.throws(() => new TickLoop({ ticksPerTurn: 0 }), { name: 'RangeError', message: /ticksPerTurn/ });
  assert.throws(() => new TickLoop({ scopeCalls: 0 }), { name: 'RangeError', message: /scopeCalls/ });
  assert.throws(() => new TickLoop({ scopeCalls: 1e9 }), { name: 'RangeError', message: /scopeCalls/ });
  assert.throws(() => new TickLoop({ onError: 1 }), { name: 'TypeError', message: /onError must be a function/ });
  new TickLoop({}); new TickLoop(undefined); new TickLoop({ interval: undefined });

  const loop = new TickLoop();
  for (const bad of [undefined, null, 1, 'f', {}, Symbol('s')]) {
    assert.throws(() => loop.add(bad), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: /add\(fn\): fn must be a function/ });
  }
  assert.equal(loop.size, 0, 'nothing added by a failed add');
  assert.throws(() => loop.remove('1'), { name: 'TypeError', message: /remove\(handle\)/ });
  assert.throws(() => loop.remove(), { name: 'TypeError' });
  for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 53]) {
    assert.throws(() => loop.runSync(bad), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE', message: /runSync\(iterations\)/ }, String(bad));
  }
  for (const bad of [undefined, '10', 10n, null, {}]) {
    assert.throws(() => loop.runSync(bad), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }, String(bad));
  }
  assert.throws(() => loop.runSync.call({}, 1), { name: 'TypeError' });
  assert.throws(() => TickLoop.prototype.add.call(Object.create(TickLoop.prototype), () => {}), { name: 'TypeError' });
});

test('TickLoop: a callback that throws stops runSync and the same error reaches the caller', () => {
  const loop = new TickLoop({ scopeCalls: 16 });
  const boom = new Error('boom');
  const frozen = Object.freeze(new TypeError('frozen'));
  let n = 0, after = 0;
  loop.add(() => { n++; if (n === 1234) throw boom; });
  loop.add(() => { after++; });
  assert.throws(() => loop.runSync(1e6), (e) => e === boom);
  assert.equal(n, 1234);
  assert.equal(after, 1233, 'the rest of the throwing tick is not run');
  // the loop is usable afterwards, and non-Error values are rethrown as is
  const h = loop.add(() => { throw 42; });
  assert.throws(() => loop.runSync(10), (e) => e === 42);
  loop.remove(h);
  loop.add(() => { throw frozen; });
  assert.throws(() => loop.runSync(10), (e) => e === frozen);
});

test('TickLoop: removals during a tick take effect at once, additions at the next tick', () => {
  const loop = new TickLoop();
  const log = [];
  let tick = -1;
  const hs = {};
  loop.add(() => { tick++; });
  hs.a = loop.add(() => {
    log.push(`a${tick}`);
    if (tick === 0) {
      assert.equal(loop.remove(hs.b), true); // later in this tick: not called
      hs.d = loop.add(() => log.push(`d${tick}`)); // from the next tick on
      assert.equal(loop.size, 4, 'size counts the change at once');
    }
  });
  hs.b = loop.add(() => log.push(`b${tick}`));
  hs.c = loop.add(() => {
    log.push(`c${tick}`);
    if (tick === 1) assert.equal(loop.remove(hs.c), true); // itself
    if (tick === 1) assert.equal(loop.remove(hs.a), true); // an earlier one
  });
  const s = loop.runSync(3);
  assert.deepEqual(log, ['a0', 'c0', 'a1', 'c1', 'd1', 'd2']);
  assert.equal(s.calls, 3 + 6);
  assert.equal(loop.size, 2);
});

test('TickLoop: additions and removals inside small scope batches', () => {
  // scopeCalls 2: the batch holds one tick; the list changes every tick
  const loop = new TickLoop({ scopeCalls: 2 });
  let calls = 0;
  const churn = () => {
    calls++;
    const h = loop.add(() => { calls++; loop.remove(h); });
  };
  loop.add(churn);
  const s = loop.runSync(1000);
  assert.equal(s.calls, 1000 + 999, 'each added callback ran once, in the next tick');
  assert.equal(calls, s.calls);
  assert.equal(loop.size, 2, 'churn + the one added in the last tick');
});

test('TickLoop: runSync from inside a callback is a clear Error; other loops may nest', () => {
  const loop = new TickLoop();
  const inner = new TickLoop();
  let innerCalls = 0;
  inner.add(() => { innerCalls++; });
  let caught;
  loop.add(() => {
    try { loop.runSync(1); } catch (e) { caught = e; }
    inner.runSync(10);
  });
  const s = loop.runSync(2);
  assert.equal(s.calls, 2);
  assert.ok(caught instanceof Error);
  assert.equal(caught.code, 'ERR_TICKLOOP_REENTRANT');
  assert.match(caught.message, /runSync\(\) called from inside one of this loop's callbacks/);
  assert.equal(innerCalls, 20);
  // and the loop is not left marked as running
  assert.equal(loop.runSync(1).calls, 1);
});

test('TickLoop: a stopped loop whose callbacks refer to it is garbage collected', () => {
  const r = runChild(`
    const reg = new FinalizationRegistry(() => { collected++; });
    let collected = 0;
    for (let i = 0; i < 50; i++) {
      const loop = new TickLoop();
      loop.add(() => loop.size); // a cycle: loop -> callback -> loop
      loop.runSync(10);
      reg.register(loop, i);
    }
    (async () => {
      for (let i = 0; i < 20 && collected < 50; i++) {
        global.gc();
        await new Promise((r) => setImmediate(r));
      }
      console.log(JSON.stringify({ collected }));
    })();
  `, { nodeArgs: ['--expose-gc'] });
  assert.equal(r.status, 0, describeChild(r));
  assert.equal(r.json.collected, 50, describeChild(r));
});
