// expect: leak
// holder: auditTrail
// libs: none
// what: A busy HTTP service appends one small audit record about every 100 ms (only admin actions are audited) to an in-memory trail that is never flushed; a slow leak of about 2 KB/s under plenty of clean traffic.
'use strict';
const http = require('node:http');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/slow-audit-trail: a slow leak (~10 small records/s) in an audit trail under busy clean traffic');
const auditTrail = { events: [] };
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/admin')) auditTrail.events.push({ at: Date.now(), user: 'admin', action: req.url.slice(7), ip: req.socket.remoteAddress });
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ path: req.url, items: [1, 2, 3, 4, 5].map((n) => ({ n, label: `item ${n}` })) }));
});
listen(server).then((port) => {
  drive((i) => request(port, `/catalog/${i % 30}`), { concurrency: 3, pauseMs: 15 });
  setInterval(() => request(port, `/admin/change-${Math.random() * 1000 | 0}`).catch(() => {}), 100);
});
