// Case 2: objects held only weakly: WeakRef targets, WeakMap keys and values,
// WeakSet members, FinalizationRegistry targets and held values; plus the
// same kind of objects held strongly for contrast.
'use strict';
const v8 = require('v8');

class WeakRefTarget { constructor(i) { this.i = i; this.pad = [i, i]; } }
class WMKey { constructor(i) { this.i = i; } }
class WMValue { constructor(i) { this.i = i; this.blob = new Array(8).fill(i); } }
class WSItem { constructor(i) { this.i = i; } }
class FRTarget { constructor(i) { this.i = i; } }
class HeldValue { constructor(i) { this.i = i; } }
class Strong { constructor(i) { this.i = i; } }

const keep = { refs: [], wm: new WeakMap(), wmStrongKeys: [], ws: new WeakSet(), fr: null, strong: [] };
// WeakRef targets: half of them also held strongly (these survive as well).
const strongTargets = [];
for (let i = 0; i < 100; i++) {
  const t = new WeakRefTarget(i);
  keep.refs.push(new WeakRef(t));
  if (i % 2 === 0) strongTargets.push(t);
}
keep.strongTargets = strongTargets;
// WeakMap: keys held strongly (so the ephemeron keeps the values), values only via the map.
for (let i = 0; i < 100; i++) {
  const k = new WMKey(i);
  keep.wmStrongKeys.push(k);
  keep.wm.set(k, new WMValue(i));
}
// WeakSet members held strongly elsewhere, and ones held only by the set (collected).
keep.wsStrong = [];
for (let i = 0; i < 50; i++) { const o = new WSItem(i); keep.ws.add(o); keep.wsStrong.push(o); }
for (let i = 0; i < 50; i++) keep.ws.add(new WSItem(1000 + i));
// FinalizationRegistry: targets held strongly, held values only by the registry.
keep.fr = new FinalizationRegistry(() => {});
keep.frTargets = [];
for (let i = 0; i < 40; i++) { const t = new FRTarget(i); keep.fr.register(t, new HeldValue(i)); keep.frTargets.push(t); }
for (let i = 0; i < 10; i++) keep.strong.push(new Strong(i));
globalThis.__keep = keep;

v8.writeHeapSnapshot(process.argv[2]); // no gc before: weakly held garbage may still be in the heap
console.log(JSON.stringify({ counts: { WMKey: 100, WMValue: 100, FRTarget: 40, HeldValue: 40, Strong: 10 },
  atLeast: { WeakRefTarget: 50, WSItem: 50 } }));
