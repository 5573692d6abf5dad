// expect: leak
// holder: failedRequests
// libs: none
// what: Only requests that fail validation (about 1 in 40) leak: the error handler saves the request object and the error in failedRequests for later inspection, and nobody ever looks at or clears them.
'use strict';
const http = require('node:http');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/sometimes-error-path: ~1 in 40 requests fails and its req + error are kept forever');
const failedRequests = [];
const server = http.createServer((req, res) => {
  const qty = Number(new URL(req.url, 'http://x').searchParams.get('qty'));
  if (!(qty > 0)) {
    const err = new Error(`invalid quantity ${qty}`);
    failedRequests.push({ req, err, at: Date.now() });
    res.statusCode = 400;
    return res.end(err.message);
  }
  res.end(JSON.stringify({ ok: true, qty }));
});
listen(server).then((port) => {
  drive((i) => request(port, `/cart?qty=${i % 40 === 0 ? -1 : 1 + (i % 5)}`), { concurrency: 3, pauseMs: 15 });
});
