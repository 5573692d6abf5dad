// expect: leak
// holder: NodeCache
// libs: node-cache
// what: A report service caches each generated report in node-cache under the request's report id with the default stdTTL 0 (never expires) and no maxKeys; ids are never reused, so node-cache's data object only grows.
'use strict';
const http = require('node:http');
const NodeCache = require('node-cache');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/node-cache-no-ttl: node-cache with stdTTL 0 keyed by ever-new report ids');
const reports = new NodeCache({ useClones: false });
let next = 0;
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/report')) {
    const id = `r-${next++}`;
    const report = { id, rows: Array.from({ length: 8 }, (_, k) => ({ k, v: Math.round(Math.random() * 1000) })), at: Date.now() };
    reports.set(id, report);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id, rows: report.rows.length }));
  } else {
    res.end('ok');
  }
});
listen(server).then((port) => {
  drive((i) => request(port, i % 3 === 0 ? '/report' : '/ping'), { concurrency: 4, pauseMs: 15 });
});
