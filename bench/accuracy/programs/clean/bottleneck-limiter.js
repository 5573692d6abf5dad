// expect: clean
// libs: bottleneck
// what: Calls to a rate-limited partner API go through a Bottleneck limiter (4 at a time, 5 ms apart) with highWater 300 and the OVERFLOW strategy; in bursts the producer is faster than the limiter and excess jobs are dropped, so the queue stays bounded.
'use strict';
const Bottleneck = require('bottleneck');
const { start, sleep } = require('../_lib/harness');

start('clean/bottleneck-limiter: Bottleneck with highWater 300 (OVERFLOW) under bursty load');
const limiter = new Bottleneck({ maxConcurrent: 4, minTime: 5, highWater: 300, strategy: Bottleneck.strategy.OVERFLOW });
let dropped = 0;
limiter.on('dropped', () => { dropped++; });
async function callPartner(job) { await sleep(10 + (job.id % 15)); return job.id; }
let n = 0;
let tick = 0;
setInterval(() => {
  tick++;
  const burst = tick % 200 < 40 ? 20 : 2; // 2 s bursts every 10 s
  for (let k = 0; k < burst; k++) {
    const job = { id: n++, payload: { sku: `sku-${n % 300}`, qty: n % 5 } };
    limiter.schedule(() => callPartner(job)).catch(() => {});
  }
}, 50);
