// Flags: --allow-natives-syntax
// DESIGN.md case 2, nodejs/node#57412: on Node 22.0-22.14 (V8 before "Compact
// retained maps array more often", fixed in 22.15.0 and 23.11.0) the
// `retained_maps` WeakArrayList of `system / NativeContext` grows without
// bound while the JS heap stays flat.
//
// The work is the repro of examples/retained-maps/repro.js (one round: fresh
// maps embedded by freshly optimised code, a full GC every 16 rounds; read
// it for how the leak works); this file only schedules the snapshots.
// The list is reallocated 1.5x larger as it grows (a new node id each time):
// follow it by its path, NativeContext -> retained_maps.
//
// Snapshot k is written after BASE * 2^(k-1) rounds: the capacity grows in
// 1.5x steps, so doubling the work between snapshots shows a step in every
// interval. Env: LS_RM_BASE (default 400 rounds: 12,800 rounds for 6
// snapshots, about 20 s).
'use strict';
const path = require('path');
const { runSeries } = require('./_series.js');
const repro = require(path.join(__dirname, '..', '..', '..', 'examples', 'retained-maps', 'repro.js'));

const base = Number(process.env.LS_RM_BASE || 400);

runSeries((k) => {
  const target = base * 2 ** (k - 1);
  while (repro.stats().rounds < target) repro.round();
  return repro.stats();
});
