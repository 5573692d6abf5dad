// expect: clean
// libs: fastify
// what: A fastify service receives ~200 KB JSON order batches, validates and aggregates them and answers with a large JSON report; lots of parse/stringify of big payloads, nothing kept after the response.
'use strict';
const Fastify = require('fastify');
const { start, request, drive } = require('../_lib/harness');

start('clean/fastify-big-json: fastify parsing ~200 KB JSON bodies and answering big JSON reports');
const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
app.post('/batch', async (req) => {
  const byCustomer = {};
  for (const o of req.body.orders) (byCustomer[o.customer] ||= { customer: o.customer, n: 0, total: 0, skus: [] }).n++, byCustomer[o.customer].total += o.total, byCustomer[o.customer].skus.push(o.sku);
  return { batch: req.body.batch, customers: Object.values(byCustomer) };
});
const batch = (n) => ({ batch: n, orders: Array.from({ length: 2000 }, (_, i) => ({ id: n * 2000 + i, customer: `c${i % 97}`, sku: `sku-${(i * 31) % 500}`, total: (i % 50) + 0.99, note: 'deliver to the back door' })) });
app.listen({ port: 0, host: '127.0.0.1' }).then(() => {
  const port = app.server.address().port;
  drive(async (i) => JSON.parse((await request(port, '/batch', { method: 'POST', body: batch(i) })).body).customers.length, { concurrency: 2, pauseMs: 30 });
});
