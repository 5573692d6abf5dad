// expect: clean
// libs: undici
// what: A gateway calls a local upstream through an undici Pool (request) and undici's fetch, reading every body; connections are reused from the bounded pool and nothing is kept after a response.
'use strict';
const http = require('node:http');
const { Pool, fetch, Agent } = require('undici');
const { start, listen, drive } = require('../_lib/harness');

start('clean/undici-local-pool: undici Pool.request and fetch against a local upstream');
const upstream = http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ path: req.url, items: Array.from({ length: 20 }, (_, i) => ({ i, v: `value ${i}` })) }));
});
listen(upstream).then((port) => {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 4 });
  const dispatcher = new Agent({ connections: 4 });
  drive(async (i) => {
    if (i % 3 === 0) {
      const r = await fetch(`http://127.0.0.1:${port}/fetch/${i % 40}`, { dispatcher });
      return (await r.json()).items.length;
    }
    const { body } = await pool.request({ path: `/pool/${i % 40}`, method: 'GET' });
    return (await body.json()).items.length;
  }, { concurrency: 4, pauseMs: 10 });
});
