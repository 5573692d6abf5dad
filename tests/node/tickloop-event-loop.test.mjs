// TickLoop in the event loop: start()/stop() tick inside libuv without
// blocking it; errors go to onError or become uncaught exceptions like a
// timer's; the process exits when the loop is stopped or unref'd;
// process.nextTick and promise jobs of a turn run after it, like after a timer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import async_hooks from 'node:async_hooks';
import { loadTickLoop, runChild, describeChild } from './tickloop-common.mjs';

const TickLoop = loadTickLoop();

function until(pred, ms = 5000) {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const poll = () => {
      if (pred()) return resolve();
      if (Date.now() - t0 > ms) return reject(new Error('timed out waiting'));
      setTimeout(poll, 2);
    };
    poll();
  });
}

test('start(): ticks every turn without blocking timers, I/O callbacks or immediates', async () => {
  const loop = new TickLoop();
  let calls = 0;
  loop.add(() => { calls++; });
  loop.start();
  loop.start(); // idempotent
  assert.equal(loop.started, true);
  let timers = 0;
  const iv = setInterval(() => { timers++; }, 1);
  await until(() => timers >= 20 && calls >= 100);
  clearInterval(iv);
  loop.stop();
  loop.stop(); // idempotent
  assert.equal(loop.started, false);
  const c = calls;
  await sleep(20);
  assert.equal(calls, c, 'no tick after stop()');
});

test('start(): interval and ticksPerTurn', async () => {
  const loop = new TickLoop({ interval: 20, ticksPerTurn: 3 });
  const stamps = [];
  let n = 0;
  loop.add(() => { n++; if (n % 3 === 1) stamps.push(performance.now()); });
  loop.start();
  await until(() => stamps.length >= 5);
  loop.stop();
  assert.equal(n % 3, 0, 'whole turns of 3 ticks');
  // libuv timers fire no earlier than due, counted from the loop's cached
  // time: one late turn (a busy machine) may be followed by a shorter gap,
  // but turns come no faster than the interval over the run
  const shown = `turns ${stamps.map((s) => s.toFixed(1)).join(', ')}`;
  const k = stamps.length - 1;
  assert.ok((stamps[k] - stamps[0]) / k >= 18, shown);
  for (let i = 1; i < stamps.length; i++) assert.ok(stamps[i] - stamps[i - 1] >= 5, shown);
});

test('stop() inside a callback ends the turn after the current tick; start() again resumes', async () => {
  const loop = new TickLoop({ ticksPerTurn: 100 });
  let a = 0, b = 0;
  loop.add(() => { a++; if (a === 5) loop.stop(); });
  loop.add(() => { b++; });
  loop.start();
  await sleep(20);
  assert.equal(a, 5);
  assert.equal(b, 5, 'the tick that called stop() completes');
  loop.start();
  await until(() => a >= 50);
  loop.stop();
});

test('runSync while started runs now; the started schedule goes on afterwards', async () => {
  const loop = new TickLoop();
  let n = 0;
  loop.add(() => { n++; });
  loop.start();
  const s = loop.runSync(1000);
  assert.equal(s.calls, 1000);
  assert.equal(n, 1000);
  assert.equal(loop.started, true);
  await until(() => n > 1010);
  // runSync from inside a started tick is refused like any re-entry
  let err;
  const h = loop.add(() => { try { loop.runSync(1); } catch (e) { err = e; } });
  await until(() => err !== undefined);
  loop.remove(h);
  loop.stop();
  assert.equal(err.code, 'ERR_TICKLOOP_REENTRANT');
});

test('start(): a throwing callback goes to onError (same object, this = the loop), the loop goes on', async () => {
  const errors = [];
  const boom = new Error('tick failed');
  let after = 0, n = 0;
  const loop = new TickLoop({
    onError(e) { errors.push([e, this]); if (errors.length === 3) this.stop(); },
  });
  loop.add(() => { n++; if (n % 2 === 0) throw boom; });
  loop.add(() => { after++; });
  loop.start();
  await until(() => errors.length === 3);
  await sleep(10);
  assert.equal(errors.length, 3, 'stopped from onError');
  for (const [e, self] of errors) {
    assert.equal(e, boom);
    assert.equal(self, loop);
  }
  assert.equal(n, 6);
  assert.equal(after, 3, 'the rest of a throwing tick is skipped');
});

test('start(): nextTick callbacks and promise jobs of a turn run right after it', async () => {
  const loop = new TickLoop();
  const order = [];
  let n = 0;
  loop.add(() => {
    n++;
    if (n > 3) return;
    order.push(`tick${n}`);
    process.nextTick(() => order.push(`nextTick${n}`));
    Promise.resolve().then(() => order.push(`promise${n}`));
  });
  loop.start();
  await until(() => n >= 4);
  loop.stop();
  assert.deepEqual(order, ['tick1', 'nextTick1', 'promise1', 'tick2', 'nextTick2', 'promise2', 'tick3', 'nextTick3', 'promise3']);
});

test('start(): each turn runs in the loop\'s own async context (async_hooks type TickLoop)', async () => {
  const inits = [];
  const hook = async_hooks.createHook({ init(id, type, trigger, resource) { if (type === 'TickLoop') inits.push(resource); } }).enable();
  try {
    const loop = new TickLoop();
    let resource;
    loop.add(() => { resource = async_hooks.executionAsyncResource(); loop.stop(); });
    loop.start();
    await until(() => resource !== undefined);
    assert.equal(resource, loop);
    assert.deepEqual(inits, [loop]);
  } finally {
    hook.disable();
  }
});

test('start(): without onError a throwing callback is an uncaught exception, like a timer', () => {
  const r = runChild(`
    const loop = new TickLoop({ interval: 1 });
    let n = 0;
    loop.add(() => { if (++n === 3) throw new Error('tick three failed'); });
    loop.start();
  `);
  assert.equal(r.status, 1, describeChild(r));
  assert.match(r.stderr, /Error: tick three failed/);

  const handled = runChild(`
    const seen = [];
    const boom = new Error('handled');
    process.on('uncaughtException', (e) => {
      seen.push(e === boom);
      if (seen.length === 2) { loop.stop(); console.log(JSON.stringify({ seen, n })); }
    });
    const loop = new TickLoop();
    let n = 0;
    loop.add(() => { if (++n % 10 === 0) throw boom; });
    loop.start();
  `);
  assert.equal(handled.status, 0, describeChild(handled));
  assert.deepEqual(handled.json, { seen: [true, true], n: 20 });

  const fromOnError = runChild(`
    const loop = new TickLoop({ onError(e) { throw new Error('onError rethrew: ' + e.message); } });
    loop.add(() => { throw new Error('first'); });
    loop.start();
  `);
  assert.equal(fromOnError.status, 1, describeChild(fromOnError));
  assert.match(fromOnError.stderr, /onError rethrew: first/);
});

test('the process exits once the loop is stopped, or while it runs unref()d', () => {
  const stopped = runChild(`
    const loop = new TickLoop({ interval: 1 });
    let n = 0;
    loop.add(() => { if (++n === 10) { loop.stop(); console.log(JSON.stringify({ n })); } });
    loop.start();
  `, { timeoutMs: 20_000 });
  assert.equal(stopped.signal, null, `the process did not exit: ${describeChild(stopped)}`);
  assert.equal(stopped.status, 0, describeChild(stopped));
  assert.deepEqual(stopped.json, { n: 10 });

  for (const interval of [0, 5]) {
    const unrefd = runChild(`
      const loop = new TickLoop({ interval: ${interval} });
      let n = 0;
      loop.add(() => { n++; });
      loop.start();
      if (loop.unref() !== loop || loop.hasRef() !== false) throw new Error('unref');
      setTimeout(() => console.log(JSON.stringify({ ticked: n > 0, started: loop.started })), 30);
    `, { timeoutMs: 20_000 });
    assert.equal(unrefd.signal, null, `interval ${interval}: did not exit: ${describeChild(unrefd)}`);
    assert.equal(unrefd.status, 0, describeChild(unrefd));
    assert.deepEqual(unrefd.json, { ticked: true, started: true });
  }

  // ref()ed again, a started loop keeps the process alive (killed by the timeout)
  const kept = runChild(`
    const loop = new TickLoop({ interval: 5 });
    let n = 0;
    loop.add(() => { if (++n === 3) console.log('ticking'); });
    loop.unref(); loop.ref();
    loop.start();
  `, { timeoutMs: 3000 });
  assert.equal(kept.signal, 'SIGTERM', `a started, ref'd loop keeps the process alive: ${describeChild(kept)}`);
  assert.match(kept.stdout, /ticking/, 'it was alive and ticking when killed');
});
