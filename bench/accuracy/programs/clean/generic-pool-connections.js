// expect: clean
// libs: generic-pool
// what: Jobs borrow fake database connections (each with a 16 KB receive buffer) from a generic-pool with min 2 / max 12 and idle eviction, and always release them in finally; the pool grows under bursts and shrinks again when idle.
'use strict';
const genericPool = require('generic-pool');
const { start, sleep, fail } = require('../_lib/harness');

start('clean/generic-pool-connections: generic-pool min 2 / max 12, acquire + release in finally, idle eviction');
let ids = 0;
const pool = genericPool.createPool({
  create: async () => ({ id: ++ids, buf: Buffer.alloc(16 * 1024), queries: 0 }),
  destroy: async (c) => { c.buf = null; },
}, { min: 2, max: 12, idleTimeoutMillis: 2000, evictionRunIntervalMillis: 1000, acquireTimeoutMillis: 5000 });
async function query(sql) {
  const conn = await pool.acquire();
  try { conn.queries++; conn.buf.write(sql); await sleep(2 + (sql.length % 10)); return { rows: [{ n: conn.queries }] }; } finally { await pool.release(conn); }
}
let t = 0;
setInterval(() => {
  t++;
  const burst = t % 300 < 60 ? 12 : 2; // a burst of traffic for 3 s out of every 15 s
  for (let k = 0; k < burst; k++) query(`select * from orders where id = ${t * 10 + k}`).catch(fail);
}, 50);
