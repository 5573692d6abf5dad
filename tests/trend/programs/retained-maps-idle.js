// Flags: --allow-natives-syntax
// The V8 retained_maps leak (nodejs/node#57412) as a user would record it,
// independently of examples/retained-maps/repro.js: a loop in the style of
// the issue's report (fresh classes, one object each kept in a WeakSet,
// forced GC, fresh code optimised by TurboFan), snapshots at equal times
// while it works, and the LAST snapshot taken after the work has stopped
// (an idle interval: nothing can grow in it). The list is reallocated as it
// grows (new node ids); its capacity rises in steps with flat stretches.
// The same work in every working interval (LS_RMI_BATCHES batches of 24
// fresh maps, default 400), so the series does not depend on how busy the
// machine is.
'use strict';
const { runSeries, count, gc } = require('./_series.js');

const batches = Number(process.env.LS_RMI_BATCHES || 400);
const keep = new WeakSet();
let made = 0;

// call it twice (feedback), then have TurboFan compile it on the next call
// (a feedback vector first, without pinning the function the way
// %PrepareFunctionForOptimization would)
const optimise = new Function('f', 'xs',
  '%EnsureFeedbackVectorForFunction(f); f(xs); f(xs); %OptimizeFunctionOnNextCall(f); return f(xs);');

function batch() {
  const objs = [];
  for (let i = 0; i < 24; i++, made++) {
    // a class of its own per object: a fresh map every time
    const K = new Function(`return class Rec${made} { constructor() { this.f${made % 97} = ${made}; this.g = 1; } }`)();
    const o = new K();
    keep.add(o);
    objs.push(o);
  }
  // one load site per object: each sees one map, which the optimised code embeds
  const read = new Function('xs', `return ${objs.map((_, i) => `xs[${i}].g`).join(' + ')}; // ${made}`);
  optimise(read, objs);
}

runSeries(async (k) => {
  if (k === 1 || k === count) return { made }; // the first before any work; the last after it stopped
  for (let n = 1; n <= batches; n++) {
    batch();
    if (n % 8 === 0) gc();
    if (n % 4 === 0) await new Promise((r) => setImmediate(r));
  }
  return { made };
});
