// Clean: allocates and frees a lot per step (objects, arrays, strings, Maps),
// keeping only a fixed-size ring of recent results: the live heap is flat
// while the allocation rate is high (ids churn, counts do not grow).
'use strict';
const { runSeries } = require('./_series.js');

const PER_STEP = Number(process.env.LS_PER_STEP || 20000);
const RING = 500;

class Message {
  constructor(i) {
    this.i = i;
    this.body = `message ${i} `.repeat(1 + (i % 5));
    this.parts = this.body.split(' ');
  }
}

const ring = new Array(RING).fill(null);
function step(i) {
  const m = new Message(i);
  const index = new Map(m.parts.map((p, k) => [p, k]));
  const summary = { i, words: index.size, len: m.body.length };
  ring[i % RING] = summary; // replaces an old one
  return summary.len;
}

let n = 0;
runSeries(() => {
  for (let i = 0; i < PER_STEP; i++) step(n++);
  return { steps: n };
});
