// expect: clean
// libs: prom-client, express
// what: An express API records a prom-client histogram and counter with a fixed label set (route pattern, method, status) plus the default process metrics, and a scraper pulls /metrics every 5 s; the number of series is bounded by the routes and statuses.
'use strict';
const http = require('node:http');
const express = require('express');
const client = require('prom-client');
const { start, listen, request, drive } = require('../_lib/harness');

start('clean/prom-client-fixed-labels: prom-client metrics with bounded labels, scraped every 5 s');
const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });
const duration = new client.Histogram({ name: 'http_request_duration_seconds', help: 'latency', labelNames: ['route', 'method', 'status'], buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5], registers: [registry] });
const total = new client.Counter({ name: 'http_requests_total', help: 'requests', labelNames: ['route', 'status'], registers: [registry] });
const app = express();
app.use((req, res, next) => {
  const end = duration.startTimer();
  res.on('finish', () => { const route = req.route ? req.route.path : 'unmatched'; end({ route, method: req.method, status: res.statusCode }); total.inc({ route, status: res.statusCode }); });
  next();
});
app.get('/orders/:id', (req, res) => (Number(req.params.id) % 13 === 0 ? res.status(404).json({ error: 'not found' }) : res.json({ id: req.params.id, total: 42 })));
app.get('/metrics', async (req, res) => { res.set('content-type', registry.contentType); res.end(await registry.metrics()); });
listen(http.createServer(app)).then((port) => {
  drive((i) => request(port, i % 7 === 0 ? `/nope/${i}` : `/orders/${i}`), { concurrency: 4, pauseMs: 15 });
  setInterval(() => request(port, '/metrics').catch(() => {}), 5000);
});
