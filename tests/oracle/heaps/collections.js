// Case 4: arrays (packed, holey, double, large, sparse/dictionary), Maps,
// Sets, typed arrays and ArrayBuffers (incl. a shared buffer and views on one
// buffer), objects with large elements backing stores.
'use strict';
const v8 = require('v8');

class Holder { constructor(i) { this.elements = new Array(2000).fill(i); } }
class Bag { constructor() { this.m = new Map(); this.s = new Set(); } }

const keep = {};
keep.packed = Array.from({ length: 1000 }, (_, i) => ({ i }));
keep.holey = new Array(5000); for (let i = 0; i < 5000; i += 7) keep.holey[i] = i;
keep.doubles = Array.from({ length: 3000 }, (_, i) => i + 0.5);
keep.large = new Array(300000).fill(0).map((_, i) => i);
keep.sparse = []; keep.sparse[1e7] = 1; keep.sparse[5] = 2;
keep.nested = Array.from({ length: 100 }, () => [1, 2, [3, 4, [5]]]);
keep.holders = Array.from({ length: 50 }, (_, i) => new Holder(i));
keep.map = new Map(Array.from({ length: 2000 }, (_, i) => ['k' + i, { v: i }]));
keep.objMap = new Map(); for (let i = 0; i < 100; i++) keep.objMap.set({ i }, [i]);
keep.set = new Set(Array.from({ length: 1500 }, (_, i) => i * 3));
keep.bags = Array.from({ length: 10 }, () => { const b = new Bag(); b.m.set(1, 2); b.s.add(b); return b; });
keep.u8 = new Uint8Array(1 << 20);
keep.f64 = new Float64Array(10000);
keep.i32s = Array.from({ length: 20 }, () => new Int32Array(256));
keep.buf = new ArrayBuffer(65536);
keep.views = [new Uint8Array(keep.buf, 0, 100), new DataView(keep.buf, 100, 200), new Float32Array(keep.buf, 1024, 16)];
keep.sab = new SharedArrayBuffer(4096);
keep.nodeBuf = Buffer.alloc(100000, 1);
keep.smallBufs = Array.from({ length: 30 }, (_, i) => Buffer.from('x'.repeat(i)));
globalThis.__keep = keep;
global.gc();
v8.writeHeapSnapshot(process.argv[2]);
console.log(JSON.stringify({ counts: { Holder: 50, Bag: 10 } }));
