// Ground truth for a repro, without leakscope:
//   node tools/gt.cjs REPRO [SECONDS=80] [SNAPDIR]
// Exposes the GC itself, loads REPRO, and every 10 s runs a full GC (twice,
// with a pause between for finalizers), printing heapUsed; with SNAPDIR it
// also writes 4 heap snapshots there (at 20, 40, 60 s and at the end). At
// the end it prints the least-squares slope of heapUsed (from 10 s on) in
// KB/min as one JSON line: {"result": ...}.
'use strict';
const v8 = require('v8');
const vm = require('vm');
const path = require('path');
v8.setFlagsFromString('--expose-gc');
const gc = global.gc || vm.runInNewContext('gc');
const [repro, secArg, snapdir] = process.argv.slice(2);
const seconds = Number(secArg || 80);
require(path.resolve(repro));
const t0 = Date.now();
const pts = [];
const snapAt = snapdir ? [20, 40, 60, seconds] : [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function sample() {
  gc(); await sleep(200); gc(); await sleep(50); gc();
  const t = (Date.now() - t0) / 1000;
  const h = process.memoryUsage().heapUsed;
  pts.push([t, h]);
  console.error(`gt t=${t.toFixed(1)}s heapUsed=${(h / 1048576).toFixed(2)}MB`);
}
(async () => {
  let next = 10;
  const snaps = [];
  for (;;) {
    const el = (Date.now() - t0) / 1000;
    const want = Math.min(next, ...snapAt.filter((s) => !snaps.includes(s)));
    if (el < want) { await sleep(Math.min(500, (want - el) * 1000)); continue; }
    if (want === next) { await sample(); next += 10; }
    const s = snapAt.find((x) => x <= (Date.now() - t0) / 1000 && !snaps.includes(x));
    if (s !== undefined) {
      snaps.push(s);
      const f = path.join(snapdir, `s${snaps.length}-${s}s.heapsnapshot`);
      v8.writeHeapSnapshot(f);
      console.error(`gt snapshot ${f}`);
    }
    if (next > seconds && snaps.length === snapAt.length) break;
  }
  const p = pts.filter(([t]) => t >= 9);
  const n = p.length, mt = p.reduce((a, [t]) => a + t, 0) / n, mh = p.reduce((a, [, h]) => a + h, 0) / n;
  const slope = p.reduce((a, [t, h]) => a + (t - mt) * (h - mh), 0) / p.reduce((a, [t]) => a + (t - mt) ** 2, 0);
  console.log(JSON.stringify({ result: { node: process.version, repro: path.basename(repro),
    kb_per_min: Math.round(slope * 60 / 1024), first_mb: +(p[0][1] / 1048576).toFixed(2),
    last_mb: +(p[n - 1][1] / 1048576).toFixed(2), seconds: +p[n - 1][0].toFixed(0) } }));
  process.exit(0);
})();
