// For tests/attach: a program that dies (SIGKILL, as the OOM killer would)
// in the middle of heap snapshot number argv[2]. A worker thread watches a
// heartbeat the main thread beats every 10 ms: a snapshot stops the main
// thread (not the worker), so a beat missing for 150 ms is a snapshot
// under way. The heap is made large enough that a snapshot takes longer.
'use strict';
const { Worker } = require('worker_threads');

const beat = new Int32Array(new SharedArrayBuffer(4));
const keep = [];
for (let i = 0; i < 100000; i++) keep.push({ i, s: `item-${i}` });
globalThis.keep = keep;
setInterval(() => {
  Atomics.add(beat, 0, 1);
  const garbage = [];
  for (let i = 0; i < 500; i++) garbage.push({ i });
}, 10);

const w = new Worker(`
  const { workerData: { beat, dieIn } } = require('worker_threads');
  let last = Atomics.load(beat, 0), since = Date.now(), pauses = 0, inPause = false;
  setInterval(() => {
    const b = Atomics.load(beat, 0);
    if (b !== last) { last = b; since = Date.now(); inPause = false; return; }
    if (!inPause && Date.now() - since > 150) {
      inPause = true;
      if (++pauses === dieIn) process.kill(process.pid, 'SIGKILL');
    }
  }, 10);
`, { eval: true, workerData: { beat, dieIn: Number(process.argv[2] || 4) } });
w.unref();
process.stdout.write('ready\n');
