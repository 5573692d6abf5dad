'use strict';
// One measured loop of the TickLoop benchmark (run.sh starts one process per
// loop so that RSS and peak RSS are each loop's own).
//
//   node loop.js MODE ITERATIONS REF_ADDON TICKLOOP_MODULE [SCOPE_CALLS]
//
// MODE: scoped | unscoped (ref.c's run()) | tickloop (TickLoop.runSync).
// 4 callbacks, each counting its calls. A warm-up of 10,000 iterations runs
// first (JIT tiers up, the first handle blocks exist), then RSS is read,
// the measured loop runs, RSS is read again. Prints one JSON line.
const [mode, iterArg, refPath, tlPath, scopeArg] = process.argv.slice(2);
const iterations = Number(iterArg);
if (!['scoped', 'unscoped', 'tickloop'].includes(mode) || !(iterations > 0)) {
  console.error('usage: node loop.js scoped|unscoped|tickloop ITERATIONS REF_ADDON TICKLOOP_MODULE [SCOPE_CALLS]');
  process.exit(2);
}
const counts = [0, 0, 0, 0];
const fns = [() => { counts[0]++; }, () => { counts[1]++; }, () => { counts[2]++; }, () => { counts[3]++; }];
const WARMUP = 10_000;

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
const before = process.memoryUsage().rss;
const t0 = process.hrtime.bigint();
run(iterations);
const ns = Number(process.hrtime.bigint() - t0);
const after = process.memoryUsage().rss;
const calls = counts.reduce((a, b) => a + b, 0) - 4 * WARMUP;
if (calls !== 4 * iterations) {
  console.error(`expected ${4 * iterations} calls, counted ${calls}`);
  process.exit(1);
}
console.log(JSON.stringify({ mode, iterations, calls, ms: ns / 1e6, rss_before: before, rss_after: after, node: process.version }));
