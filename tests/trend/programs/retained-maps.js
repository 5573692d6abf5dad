// Flags: --allow-natives-syntax
// DESIGN.md case 2, nodejs/node#57412: on Node 22.0-22.14 (V8 before "Compact
// retained maps array more often", fixed in 22.15.0 and 23.11.0) the
// `retained_maps` WeakArrayList of `system / NativeContext` grows without
// bound while the JS heap stays flat.
//
// Each round makes fresh constructors (fresh maps) and one object of each,
// held only by a WeakSet; compiles a fresh function that loads a property
// from each object and has TurboFan optimise it (the optimised code embeds the
// maps, which V8 appends to retained_maps in one batch); every few rounds a
// full GC kills the objects and their maps. The dead maps' slots are cleared,
// but before the fix the array is compacted only when a batch finds it exactly
// full, so it keeps growing. The batch size varies from round to round
// (seeded, reproducible) so an exact fit, and the compaction it triggers, is
// rare. The array is reallocated 1.5x larger as it grows (a new node id each
// time): follow it by its path, NativeContext -> retained_maps.
//
// Snapshot k is written after BASE * 2^(k-1) rounds: the capacity grows in
// 1.5x steps, so doubling the work between snapshots shows a step in every
// interval. Env: LS_RM_BASE (default 400 rounds: 12,800 rounds for 6 snapshots, about 20 s).
//
// The natives syntax lives in `new Function` bodies so this file parses
// without --allow-natives-syntax (%EnsureFeedbackVectorForFunction, not
// %PrepareFunctionForOptimization: the latter pins every function it sees in a
// strong root list, functions_marked_for_manual_optimization, which would make
// the heap itself grow). Without the flag the code is warmed up by calls
// instead (slower; TurboFan may not optimise in time).
'use strict';
const { runSeries, gc } = require('./_series.js');

let natives = true;
try { new Function('%GetOptimizationStatus(function () {})'); } catch { natives = false; }

const base = Number(process.env.LS_RM_BASE || 400);
const ws = new WeakSet();
let rounds = 0;
let optimised = 0;
let seed = 0x2545f491;
function rand(n) { // xorshift32: the same batch sizes every run
  seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
  return seed % n;
}

const optimise = natives ? new Function('f', 'objs', `
  %EnsureFeedbackVectorForFunction(f);
  f(objs); f(objs);
  %OptimizeFunctionOnNextCall(f);
  f(objs);
  return (%GetOptimizationStatus(f) & 16) !== 0;`) : (f, objs) => {
  for (let k = 0; k < 3000; k++) f(objs);
  return false;
};

// Each call returns a fresh closure, whose first `new` creates a fresh
// initial map. (One function literal for all: its code warms up once, in
// the first rounds, instead of one factory per slot tiering up through the
// whole run.)
function freshClass() {
  return function Shape() { this.a = 1; this.b = 'b'; };
}

function round() {
  const m = 9 + rand(40); // 9..48 maps in this round's batch
  const objs = [];
  for (let k = 0; k < m; k++) {
    const C = freshClass();
    const o = new C();
    ws.add(o);
    objs.push(o);
  }
  const body = objs.map((_, k) => `o[${k}].a`).join(' + ');
  const f = new Function('o', `/* round ${rounds} */ return ${body};`);
  if (optimise(f, objs)) optimised++;
  rounds++;
}

runSeries((k) => {
  const target = base * 2 ** (k - 1);
  while (rounds < target) {
    round();
    if (rounds % 16 === 0) gc();
  }
  return { rounds, optimised, natives };
});
