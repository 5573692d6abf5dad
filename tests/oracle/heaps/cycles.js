// Case 1: cycles. Rings of objects referencing each other, a self-referencing
// object, a two-node cycle, a ring held only through one entry point, and
// `Leaky` with exactly 1000 instances (each in a 1000-long ring).
'use strict';
const v8 = require('v8');

class RingNode { constructor(i) { this.i = i; this.next = null; this.prev = null; } }
class SelfRef { constructor() { this.self = this; this.payload = new Array(16).fill(7); } }
class PairA { constructor() { this.b = null; } }
class PairB { constructor(a) { this.a = a; } }
class Leaky { constructor(i) { this.i = i; this.next = null; this.data = [i, i + 1, i + 2]; } }

const keep = {};
// 10 rings of 50 RingNodes, doubly linked.
keep.rings = [];
for (let r = 0; r < 10; r++) {
  const ring = Array.from({ length: 50 }, (_, i) => new RingNode(i));
  ring.forEach((n, i) => { n.next = ring[(i + 1) % 50]; n.prev = ring[(i + 49) % 50]; });
  keep.rings.push(ring[0]); // only one entry point per ring
}
keep.selfRefs = Array.from({ length: 20 }, () => new SelfRef());
keep.pairs = Array.from({ length: 30 }, () => { const a = new PairA(); a.b = new PairB(a); return a; });
// One big ring of 1000 Leaky, reachable only through its first element.
const leaky = Array.from({ length: 1000 }, (_, i) => new Leaky(i));
leaky.forEach((n, i) => { n.next = leaky[(i + 1) % 1000]; });
keep.leakyHead = leaky[0];
leaky.length = 0;
globalThis.__keep = keep;

// Garbage cycles that must not appear.
(function () { const x = new RingNode(-1); x.next = x; })();

global.gc();
v8.writeHeapSnapshot(process.argv[2]);
console.log(JSON.stringify({ counts: { RingNode: 500, SelfRef: 20, PairA: 30, PairB: 30, Leaky: 1000 } }));
