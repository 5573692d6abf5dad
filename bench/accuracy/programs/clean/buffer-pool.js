// expect: clean
// libs: none
// what: A frame encoder borrows 64 KB Buffers from a hand-written object pool (at most 32 kept) and returns them after each frame; the pool grows to its peak concurrency during warm-up and then reuses the same Buffers.
'use strict';
const { start, sleep, fail } = require('../_lib/harness');

start('clean/buffer-pool: 64 KB Buffers reused from a pool capped at 32');
class BufferPool {
  constructor(size, max) { this.size = size; this.max = max; this.free = []; this.created = 0; }
  acquire() { if (this.free.length) return this.free.pop(); this.created++; return Buffer.allocUnsafe(this.size); }
  release(b) { if (this.free.length < this.max) this.free.push(b); }
}
const pool = new BufferPool(64 * 1024, 32);
async function encodeFrame(n) {
  const buf = pool.acquire();
  try {
    let off = 0;
    while (off + 16 < buf.length) { buf.writeUInt32LE(n, off); buf.writeDoubleLE(off / 3, off + 4); off += 16; }
    await sleep(1 + (n % 20));
    return buf.readUInt32LE(0);
  } finally { pool.release(buf); }
}
let n = 0;
setInterval(() => { for (let k = 0; k < 4; k++) encodeFrame(n++).catch(fail); }, 10);
