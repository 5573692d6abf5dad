// Clean: an HTTP server with a client whose concurrency changes all the
// time, snapshots taken while requests are in flight, so the request and
// socket objects alive at each snapshot go up and down (and may rise a few
// times in a row) while nothing accumulates. Before the first snapshot the
// client runs once at the highest concurrency, so the keep-alive pool and
// the server's parser free list are at their peak from the start (held for
// the whole series: keepAliveTimeout): what comes and goes is the requests
// in flight. A pool that grows to a new peak of demand during a short series
// is a different case (unsure at best: rule 8 in src/analyses/trend/rule.c,
// its series in tests/unit/test_rule.c).
'use strict';
const http = require('http');
const { runSeries, count, written } = require('./_series.js');

let seed = 12345;
const rand = (n) => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
const server = http.createServer((req, res) => {
  const body = JSON.stringify({ url: req.url, at: Date.now(), pad: 'x'.repeat(200 + rand(2000)) });
  setTimeout(() => res.end(body), 5 + rand(30));
});
server.keepAliveTimeout = 120_000;
const MAX_TARGET = 155;
let port = 0, live = 0, target = 10;
const agent = new http.Agent({ keepAlive: true, maxSockets: 200 });
function client() {
  if (live >= target) return;
  live++;
  http.get({ port, path: `/item/${rand(100000)}`, agent }, (res) => {
    res.resume();
    res.on('end', () => { live--; setImmediate(client); });
  }).on('error', () => { live--; });
}

// Resolves when `n` requests at once have all been answered.
function burst(n) {
  target = n;
  for (let i = 0; i < n; i++) client();
  target = 0; // no new request as these end
  return new Promise((resolve) => {
    const t = setInterval(() => { if (live === 0) { clearInterval(t); resolve(); } }, 10);
  });
}

server.listen(0, '127.0.0.1', async () => {
  port = server.address().port;
  await burst(MAX_TARGET);
  runSeries(async () => {
    target = 5 + rand(MAX_TARGET - 5); // the next interval's concurrency
    for (let i = 0; i < target; i++) client();
    await new Promise((r) => setTimeout(r, 600));
    return { live, target };
  });
});
// done after the last snapshot (the server and its clients would go on)
setInterval(() => { if (written() >= count) process.exit(0); }, 50).unref();
