// Clean: an HTTP server with a client whose concurrency changes all the
// time, snapshots taken while requests are in flight, so the request and
// socket objects alive at each snapshot go up and down (and may rise a few
// times in a row) while nothing accumulates.
'use strict';
const http = require('http');
const { runSeries, count, written } = require('./_series.js');

let seed = 12345;
const rand = (n) => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
const server = http.createServer((req, res) => {
  const body = JSON.stringify({ url: req.url, at: Date.now(), pad: 'x'.repeat(200 + rand(2000)) });
  setTimeout(() => res.end(body), 5 + rand(30));
});
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

server.listen(0, '127.0.0.1', () => {
  port = server.address().port;
  runSeries(async () => {
    target = 5 + rand(150); // the next interval's concurrency
    for (let i = 0; i < target; i++) client();
    await new Promise((r) => setTimeout(r, 600));
    return { live, target };
  });
});
// done after the last snapshot (the server and its clients would go on)
setInterval(() => { if (written() >= count) process.exit(0); }, 50).unref();
