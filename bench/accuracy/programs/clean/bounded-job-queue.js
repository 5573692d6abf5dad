// expect: clean
// libs: none
// what: A thumbnail job queue capped at 1000 jobs that drops the oldest when full; producers are faster than the two workers during bursts every 15 s, so the queue fills to its cap and drains again.
'use strict';
const { start, sleep } = require('../_lib/harness');

start('clean/bounded-job-queue: a job queue capped at 1000 (drop oldest), bursts every 15 s');
class BoundedQueue {
  constructor(cap) { this.cap = cap; this.items = []; this.dropped = 0; }
  push(job) { if (this.items.length >= this.cap) { this.items.shift(); this.dropped++; } this.items.push(job); }
  shift() { return this.items.shift(); }
}
const queue = new BoundedQueue(1000);
async function worker() {
  for (;;) {
    const job = queue.shift();
    if (!job) { await sleep(5); continue; }
    job.result = job.pixels.reduce((a, b) => a + b, 0);
    await sleep(2);
  }
}
worker(); worker();
let n = 0;
let tick = 0;
setInterval(() => {
  tick++;
  const burst = tick % 150 < 30 ? 40 : 3; // 3 s bursts every 15 s
  for (let k = 0; k < burst; k++) queue.push({ id: n++, file: `img-${n}.jpg`, pixels: Array.from({ length: 64 }, (_, i) => (n + i) % 255) });
}, 100);
