// Clean: a batch job whose objects exist only now and then (in the first
// and the last snapshot, none in between), and a class that appears only in
// the last snapshot. Neither existed long enough to be judged a leak.
'use strict';
const { runSeries, count } = require('./_series.js');

class BatchItem { constructor(i) { this.i = i; this.payload = new Array(8).fill(i); } }
class LateComer { constructor(i) { this.i = i; } }
let batch = [], late = [];
runSeries((k) => {
  batch = k === 1 || k === count ? Array.from({ length: 400 }, (_, i) => new BatchItem(i)) : [];
  if (k === count) late = Array.from({ length: 600 }, (_, i) => new LateComer(i));
  return { batch: batch.length, late: late.length };
});
