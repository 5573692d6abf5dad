// expect: clean
// libs: none
// what: Every request arms a 5 s timeout timer and a 1 s progress interval, and both are cleared when the response is sent (also on close); there are many timers at any moment but none outlive their request.
'use strict';
const http = require('node:http');
const { start, listen, request, drive, sleep } = require('../_lib/harness');

start('clean/timers-cleared: per-request setTimeout and setInterval, always cleared');
const server = http.createServer(async (req, res) => {
  const state = { url: req.url, progress: 0, data: new Array(30).fill(req.url) };
  const timeout = setTimeout(() => { res.statusCode = 504; res.end('timeout'); }, 5000);
  const progress = setInterval(() => { state.progress++; }, 1000);
  const done = () => { clearTimeout(timeout); clearInterval(progress); };
  res.on('close', done);
  await sleep(Number(req.url.slice(3)) % 40);
  done();
  res.end(String(state.data.length));
});
listen(server).then((port) => { drive((i) => request(port, `/t/${i}`), { concurrency: 6, pauseMs: 10 }); });
