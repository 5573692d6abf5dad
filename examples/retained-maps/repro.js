// The V8 retained_maps leak (nodejs/node#57412), fixed in Node.js 22.15.0
// and 23.11.0 by V8's "Compact retained maps array more often".
//
// When TurboFan optimises a function, V8 appends the maps (hidden classes)
// that the optimised code embeds to a list on the native context,
// `retained_maps` (a WeakArrayList), so they are not dropped too early. When
// a map dies, its slot is cleared but stays in the list; on Node 22.0-22.14
// the list is compacted only when a new batch finds it exactly full, which
// almost never happens, so it grows forever while the JS heap stays flat.
//
// Each round below makes fresh constructors (fresh maps) and one object of
// each, held only by a WeakSet, then compiles a fresh function that reads a
// property of every object and has TurboFan optimise it. Every 16 rounds a
// full GC kills the objects and their maps. Batch sizes vary (seeded, so
// runs repeat) to keep an exact fit, and its compaction, rare.
//
//   node examples/retained-maps/repro.js            run until stopped
//   require('./repro.js').round()                  one round (for tests)
//
// It needs no node flags: it turns on V8's natives syntax and exposes the GC
// itself (v8.setFlagsFromString) to optimise on demand and collect often.
'use strict';
const v8 = require('v8');
const vm = require('vm');

v8.setFlagsFromString('--allow-natives-syntax');
v8.setFlagsFromString('--expose-gc');
const gc = global.gc || vm.runInNewContext('gc');

let natives = true;
try { new Function('%GetOptimizationStatus(function () {})'); } catch { natives = false; }

const ws = new WeakSet();
let rounds = 0;
let optimised = 0;
let seed = 0x2545f491;
function rand(n) { // xorshift32: the same batch sizes every run
  seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
  return seed % n;
}

// Natives syntax only in `new Function` bodies: the file parses anywhere.
// %EnsureFeedbackVectorForFunction rather than %PrepareFunctionForOptimization,
// which would pin every function in a strong list and grow the heap itself.
// Without natives syntax the code is warmed up by calls (slower, less sure).
const optimise = natives ? new Function('f', 'objs', `
  %EnsureFeedbackVectorForFunction(f);
  f(objs); f(objs);
  %OptimizeFunctionOnNextCall(f);
  f(objs);
  return (%GetOptimizationStatus(f) & 16) !== 0;`) : (f, objs) => {
  for (let k = 0; k < 3000; k++) f(objs);
  return false;
};

// A fresh closure each call: its first `new` creates a fresh initial map.
function freshClass() {
  return function Shape() { this.a = 1; this.b = 'b'; };
}

// One round: 9..48 fresh maps, embedded by one freshly optimised function.
// A full GC every 16 rounds lets the maps (and their slots) die.
function round() {
  const m = 9 + rand(40);
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
  if (rounds % 16 === 0) gc();
}

module.exports = { round, stats: () => ({ rounds, optimised, natives }) };

if (require.main === module) {
  console.log(`retained-maps: Node ${process.version}, optimising fresh code that ` +
    'embeds fresh maps, nonstop (leaks on 22.0-22.14); stop with Ctrl-C');
  // rounds in 50 ms slices, then back to the event loop (leakscope's
  // snapshot requests are served there)
  const work = () => {
    const end = Date.now() + 50;
    while (Date.now() < end) round();
    setImmediate(work);
  };
  work();
}
