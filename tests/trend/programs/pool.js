// Clean: a fixed pool of connection objects with buffers, acquired and
// released per request. Nothing is added after start-up.
'use strict';
const { runSeries } = require('./_series.js');

const SIZE = Number(process.env.LS_POOL_SIZE || 64);
const PER_STEP = Number(process.env.LS_PER_STEP || 5000);

class PooledConnection {
  constructor(id) {
    this.id = id;
    this.buf = Buffer.alloc(4096);
    this.uses = 0;
    this.busy = false;
  }
}

class Pool {
  constructor(size) {
    this.all = [];
    for (let i = 0; i < size; i++) this.all.push(new PooledConnection(i));
    this.free = this.all.slice();
  }
  acquire() { const c = this.free.pop(); c.busy = true; c.uses++; return c; }
  release(c) { c.busy = false; this.free.push(c); }
}

const pool = new Pool(SIZE);
function request(i) {
  const held = [];
  for (let k = 0; k < 1 + (i % 8); k++) held.push(pool.acquire());
  for (const c of held) c.buf.writeUInt32LE(i, (i % 1000) * 4);
  let sum = 0;
  for (const c of held) { sum += c.buf[0]; pool.release(c); }
  return sum;
}

let n = 0;
runSeries(() => {
  for (let i = 0; i < PER_STEP; i++) request(n++);
  return { requests: n, free: pool.free.length };
});
