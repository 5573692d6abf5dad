'use strict';
// One measured loop of the TickLoop benchmark (run.sh starts one process per
// loop so that RSS and peak RSS are each loop's own).
//
//   node loop.js MODE ITERATIONS REF_ADDON TICKLOOP_MODULE [SCOPE_CALLS]
//
// MODE: scoped | unscoped (ref.c's run()) | tickloop (TickLoop.runSync).
// 4 callbacks, each counting its calls. A warm-up of 10,000 iterations runs
// first (JIT tiers up, the first handle blocks exist), then RSS is read and
// the measured loop runs; the last call of the last iteration reads RSS
// again, while the loop is still inside native code (an unscoped loop's
// handles are freed when it returns). Prints one JSON line.
const [mode, iterArg, refPath, tlPath, scopeArg] = process.argv.slice(2);
const iterations = Number(iterArg);
if (!['scoped', 'unscoped', 'tickloop'].includes(mode) || !(iterations > 0)) {
  console.error('usage: node loop.js scoped|unscoped|tickloop ITERATIONS REF_ADDON TICKLOOP_MODULE [SCOPE_CALLS]');
  process.exit(2);
}
const WARMUP = 10_000;
const counts = [0, 0, 0, 0];
const lastCall = WARMUP + iterations;
let inside = 0; // RSS read by the last call, before the native loop returns
const fns = [() => { counts[0]++; }, () => { counts[1]++; }, () => { counts[2]++; },
  () => { if (++counts[3] === lastCall) inside = process.memoryUsage.rss(); }];

let run;
if (mode === 'tickloop') {
  const { TickLoop } = require(tlPath);
  const loop = new TickLoop(scopeArg ? { scopeCalls: Number(scopeArg) } : undefined);
  for (const f of fns) loop.add(f);
  run = (n) => loop.runSync(n);
} else {
  const ref = require(refPath);
  const scoped = mode === 'scoped';
  run = (n) => ref.run(n, fns, scoped);
}

run(WARMUP);
const before = process.memoryUsage.rss();
const t0 = process.hrtime.bigint();
run(iterations);
const ns = Number(process.hrtime.bigint() - t0);
const returned = process.memoryUsage.rss();
const calls = counts.reduce((a, b) => a + b, 0) - 4 * WARMUP;
if (calls !== 4 * iterations) {
  console.error(`expected ${4 * iterations} calls, counted ${calls}`);
  process.exit(1);
}
console.log(JSON.stringify({ mode, iterations, calls, ms: ns / 1e6, rss_before: before, rss_after: inside, rss_returned: returned, node: process.version }));
