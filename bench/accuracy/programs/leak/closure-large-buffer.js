// expect: leak
// holder: retryHandlers, body
// libs: none
// what: Failed uploads register a retry closure that captures the whole 32 KB upload body; the retry worker was disabled, so the closures (and the Buffers they hold, external memory) accumulate in retryHandlers.
'use strict';
const http = require('node:http');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/closure-large-buffer: retry closures capture each failed upload body (32 KB) and are never run');
const retryHandlers = [];
let retryWorkerEnabled = false;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (body.length > 0 && body[0] % 25 === 0) { // the storage backend rejected it
      retryHandlers.push(() => body.length); // closure keeps body
      res.statusCode = 503;
    }
    res.end();
  });
});
setInterval(() => { if (retryWorkerEnabled) while (retryHandlers.length) retryHandlers.shift()(); }, 1000);
listen(server).then((port) => {
  drive((i) => { const b = Buffer.alloc(32 * 1024, i % 256); return request(port, '/upload', { method: 'PUT', body: b }); }, { concurrency: 2, pauseMs: 60 });
});
