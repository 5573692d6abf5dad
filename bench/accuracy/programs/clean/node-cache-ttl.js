// expect: clean
// libs: node-cache
// what: A report service caches each report in node-cache with stdTTL 5 s and a 1 s check period; expired reports are deleted by node-cache's own timer, so the cache holds about five seconds of reports.
'use strict';
const http = require('node:http');
const NodeCache = require('node-cache');
const { start, listen, request, drive } = require('../_lib/harness');

start('clean/node-cache-ttl: node-cache with stdTTL 5 s, expired keys swept every second');
const reports = new NodeCache({ stdTTL: 5, checkperiod: 1, useClones: false });
let next = 0;
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/report')) {
    const id = `r-${next++}`;
    const report = { id, rows: Array.from({ length: 8 }, (_, k) => ({ k, v: Math.round(Math.random() * 1000) })), at: Date.now() };
    reports.set(id, report);
    res.end(JSON.stringify({ id, rows: report.rows.length, cached: reports.keys().length }));
  } else res.end('ok');
});
listen(server).then((port) => {
  drive((i) => request(port, i % 3 === 0 ? '/report' : '/ping'), { concurrency: 4, pauseMs: 15 });
});
