// expect: leak
// holder: Timeout, _idleNext, sub
// libs: none
// what: Each /subscribe request starts a setInterval that refreshes the subscriber's feed every 30 s, and nothing ever calls clearInterval (the client is gone after one request); the timers, linked together in Node's timer list, keep every subscription alive.
'use strict';
const http = require('node:http');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/timers-interval-per-request: setInterval per subscription, never cleared');
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/subscribe')) {
    const sub = { user: req.url.slice(11), topics: ['news', 'sports', 'weather'], seen: [], created: Date.now() };
    setInterval(() => { sub.seen.push(Date.now()); if (sub.seen.length > 4) sub.seen.shift(); }, 30_000);
    res.end('subscribed');
  } else res.end('ok');
});
listen(server).then((port) => {
  drive((i) => request(port, i % 4 === 0 ? `/subscribe/u${i}` : '/'), { concurrency: 3, pauseMs: 15 });
});
