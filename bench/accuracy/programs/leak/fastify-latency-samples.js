// expect: leak
// holder: samples
// libs: fastify
// what: A fastify onResponse hook records every request's latency in a module-level array so a timer can log p50/p99 every 10 s; the report reads the array but nothing ever trims it.
'use strict';
const Fastify = require('fastify');
const { start, request, drive } = require('../_lib/harness');

start('leak/fastify-latency-samples: fastify hook appends every latency sample to an array that is never trimmed');
const samples = [];
const app = Fastify({ logger: false });
app.addHook('onResponse', async (req, reply) => { samples.push({ route: req.routeOptions.url, status: reply.statusCode, ms: reply.elapsedTime, at: Date.now() }); });
app.get('/users/:id', async (req) => ({ id: req.params.id, name: `user ${req.params.id}` }));
app.get('/health', async () => 'ok');
let p99 = 0;
setInterval(() => { const s = samples.slice(-2000).map((x) => x.ms).sort((a, b) => a - b); p99 = s[Math.floor(s.length * 0.99)] || 0; }, 10_000);
app.listen({ port: 0, host: '127.0.0.1' }).then(() => {
  const port = app.server.address().port;
  drive((i) => request(port, i % 3 ? `/users/${i % 100}` : '/health'), { concurrency: 3, pauseMs: 15 });
});
