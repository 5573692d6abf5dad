// expect: clean
// libs: none
// what: An HTTP service whose handlers hold a 16 KB working buffer and some state for 50-400 ms while they wait on a slow backend; every 20 s a burst of 300 concurrent requests arrives, so in-flight memory swings by several MB and falls back each time.
'use strict';
const http = require('node:http');
const { start, listen, request, drive, sleep, fail } = require('../_lib/harness');

start('clean/inflight-bursts: in-flight requests hold 16 KB each for 50-400 ms; bursts of 300 every 20 s');
const server = http.createServer(async (req, res) => {
  const work = { buf: Buffer.alloc(16 * 1024, 1), rows: Array.from({ length: 50 }, (_, i) => ({ i, s: `row ${i}` })), url: req.url };
  await sleep(50 + (Number(req.url.slice(3)) % 350));
  res.end(String(work.buf.length + work.rows.length));
});
listen(server).then((port) => {
  drive((i) => request(port, `/r/${i}`), { concurrency: 6, pauseMs: 10 });
  setInterval(() => { for (let k = 0; k < 300; k++) request(port, `/r/${k * 13}`).catch(fail); }, 20_000);
});
