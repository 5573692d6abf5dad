// TickLoop in worker_threads: every environment has its own state; loops
// created, run and started in a worker are torn down with it whether it
// ends by itself, calls process.exit, is terminate()d mid-tick or in the
// middle of a long runSync, or dies of an uncaught exception from a tick.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { tickloopModule, loadTickLoop } from './tickloop-common.mjs';

const modulePath = tickloopModule();

function worker(body, workerData) {
  const src = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { TickLoop } = require(${JSON.stringify(modulePath)});
    ${body}
  `;
  const w = new Worker(src, { eval: true, workerData });
  const messages = [];
  let error;
  w.on('message', (m) => messages.push(m));
  w.on('error', (e) => { error = e; });
  // (events.once would reject on 'error': the exit code is wanted too)
  const exited = new Promise((resolve) => w.on('exit', (code) => resolve({ code, messages, error })));
  return { w, exited, messages };
}

// A worker that uses every part: runSync loops, a started loop of each kind.
const busy = `
  let total = 0;
  for (let j = 0; j < 5; j++) {
    const l = new TickLoop({ scopeCalls: 64 });
    for (let i = 0; i < 4; i++) l.add(() => { total++; });
    l.runSync(1000);
  }
  const fast = new TickLoop();
  const slow = new TickLoop({ interval: 2 });
  let ticks = 0;
  fast.add(() => { ticks++; });
  slow.add(() => { ticks++; });
  fast.start();
  slow.start();
  const wait = () => (ticks > 50 ? done() : setTimeout(wait, 1));
  setTimeout(wait, 1);
  function done() {
    parentPort.postMessage({ total, ticked: ticks > 50 });
    if (workerData === 'stop') { fast.stop(); slow.stop(); }          // exits by itself
    else if (workerData === 'exit') process.exit(7);                   // while started
    else if (workerData === 'hang') parentPort.postMessage('ready');  // terminated by the parent
  }
`;

test('worker: loops used and stopped, the worker ends by itself', async () => {
  const runs = [];
  for (let i = 0; i < 4; i++) runs.push(worker(busy, 'stop').exited);
  for (const r of await Promise.all(runs)) {
    assert.equal(r.error, undefined);
    assert.equal(r.code, 0);
    assert.deepEqual(r.messages, [{ total: 20000, ticked: true }]);
  }
});

test('worker: process.exit() while loops are started', async () => {
  const r = await worker(busy, 'exit').exited;
  assert.equal(r.error, undefined);
  assert.equal(r.code, 7);
  assert.deepEqual(r.messages, [{ total: 20000, ticked: true }]);
});

test('worker: terminate() while loops are started, in a tick, and during runSync', async () => {
  const started = worker(busy, 'hang');
  while (!started.messages.includes('ready')) await new Promise((r) => setTimeout(r, 2));
  await started.w.terminate();
  assert.equal((await started.exited).error, undefined);

  // terminate() while a callback spins inside a started tick
  const inTick = worker(`
    const l = new TickLoop();
    l.add(() => { parentPort.postMessage('in tick'); for (;;); });
    l.start();
  `);
  while (!inTick.messages.includes('in tick')) await new Promise((r) => setTimeout(r, 2));
  await inTick.w.terminate();
  assert.equal((await inTick.exited).error, undefined);

  // terminate() in the middle of a runSync that would take hours
  const inRun = worker(`
    const l = new TickLoop();
    let n = 0;
    l.add(() => { if (++n === 1000) parentPort.postMessage('running'); });
    l.runSync(Number.MAX_SAFE_INTEGER);
  `);
  while (!inRun.messages.includes('running')) await new Promise((r) => setTimeout(r, 2));
  await inRun.w.terminate();
  assert.equal((await inRun.exited).error, undefined);
});

test('worker: an uncaught error from a started tick ends the worker with that error', async () => {
  const r = await worker(`
    const l = new TickLoop();
    let n = 0;
    l.add(() => { if (++n === 5) throw new RangeError('worker tick ' + n); });
    l.start();
  `).exited;
  assert.equal(r.code, 1);
  assert.equal(r.error?.name, 'RangeError', String(r.error));
  assert.equal(r.error.message, 'worker tick 5');
});

test('worker: many short-lived workers, the main thread loop unaffected', async () => {
  const TickLoop = loadTickLoop();
  const main = new TickLoop();
  let mainCalls = 0;
  main.add(() => { mainCalls++; });
  main.start();
  for (let round = 0; round < 3; round++) {
    const rs = [];
    for (let i = 0; i < 4; i++) rs.push(worker(busy, i % 2 ? 'stop' : 'exit').exited);
    for (const r of await Promise.all(rs)) {
      assert.equal(r.error, undefined);
      assert.ok(r.code === 0 || r.code === 7);
    }
  }
  main.stop();
  assert.ok(mainCalls > 0);
  assert.equal(main.runSync(10).calls, 10);
});
