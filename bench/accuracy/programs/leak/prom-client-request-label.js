// expect: leak
// holder: hashMap, Counter
// libs: prom-client, express
// what: An express API counts requests with a prom-client Counter labelled by route, status and trace_id; the trace id is new on every request, so the counter keeps one series per request in its hashMap forever (unbounded label cardinality).
'use strict';
const http = require('node:http');
const crypto = require('node:crypto');
const express = require('express');
const client = require('prom-client');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/prom-client-request-label: prom-client counter with a per-request trace_id label (one series per request)');
const registry = new client.Registry();
const requests = new client.Counter({ name: 'http_requests_total', help: 'requests', labelNames: ['route', 'status', 'trace_id'], registers: [registry] });
const app = express();
app.use((req, res, next) => {
  const traceId = req.headers['x-trace-id'] || crypto.randomUUID();
  res.on('finish', () => requests.inc({ route: req.route ? req.route.path : req.path, status: res.statusCode, trace_id: traceId }));
  next();
});
app.get('/orders/:id', (req, res) => res.json({ id: req.params.id, total: 42, lines: [{ sku: 'a', qty: 2 }] }));
app.get('/health', (req, res) => res.send('ok'));
listen(http.createServer(app)).then((port) => {
  drive((i) => request(port, i % 2 ? `/orders/${i % 500}` : '/health'), { concurrency: 2, pauseMs: 20 });
});
