// expect: clean
// libs: none
// what: Besides steady request traffic, a nightly-style batch job runs every 12 s: it builds ~100k order objects (about 10 MB), aggregates them into a small report and drops them; the heap jumps during each batch and falls back after it.
'use strict';
const http = require('node:http');
const { start, listen, request, drive, sleep } = require('../_lib/harness');

start('clean/batch-job-periodic: a batch job every 12 s allocates ~10 MB in chunks, aggregates and frees it');
let lastReport = null;
async function batch(run) {
  const orders = [];
  for (let chunk = 0; chunk < 20; chunk++) { // yield between chunks to keep the loop turning
    for (let i = 0; i < 5000; i++) orders.push({ id: run * 1e6 + chunk * 5000 + i, customer: `c${i % 500}`, total: (i % 100) + 0.5, lines: [i % 7, i % 11] });
    await sleep(1);
  }
  const byCustomer = new Map();
  for (const o of orders) byCustomer.set(o.customer, (byCustomer.get(o.customer) || 0) + o.total);
  lastReport = { run, customers: byCustomer.size, top: [...byCustomer.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5) };
}
let run = 0;
setInterval(() => { batch(run++); }, 12_000);
const server = http.createServer((req, res) => res.end(JSON.stringify(lastReport || { pending: true })));
listen(server).then((port) => { drive(() => request(port, '/report'), { concurrency: 3, pauseMs: 15 }); });
