// Case 3: closures and contexts: functions capturing variables, nested
// scopes, closures sharing one context, a context holding a big array.
'use strict';
const v8 = require('v8');

class Captured { constructor(i) { this.i = i; } }

function makeCounter(i) {
  let count = i;
  const captured = new Captured(i);
  return function counter() { count++; return captured.i + count; };
}
function makeNested(i) {
  const outer = new Array(10).fill(i);
  return function middle() {
    const mid = { i, outer };
    return function inner() { return mid.outer.length + i; };
  };
}
function makeShared() {
  const big = new Float64Array(4096);
  const a = () => big[0];
  const b = () => big[1];
  return [a, b];
}
const keep = {
  counters: Array.from({ length: 200 }, (_, i) => makeCounter(i)),
  inners: Array.from({ length: 100 }, (_, i) => makeNested(i)()),
  shared: Array.from({ length: 10 }, () => makeShared()),
  bound: Array.from({ length: 20 }, (_, i) => function bound() { return this; }.bind({ i })),
  arrows: Array.from({ length: 30 }, (_, i) => () => i),
  gen: (function* g() { let x = 0; while (true) yield x++; })(),
  asyncFn: async function af() { await null; },
};
keep.gen.next();
globalThis.__keep = keep;
global.gc();
v8.writeHeapSnapshot(process.argv[2]);
console.log(JSON.stringify({ counts: { Captured: 200 } }));
