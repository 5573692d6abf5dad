// expect: clean
// libs: async
// what: Webhook deliveries through an async.queue with 4 workers, like leak/async-queue-stalled, but every call has a 300 ms timeout, so a hung upstream only delays a worker and the queue drains.
'use strict';
const http = require('node:http');
const async = require('async');
const { start, listen, request } = require('../_lib/harness');

start('clean/async-queue-drain: async.queue workers with a request timeout; the queue keeps draining');
const receiver = http.createServer((req, res) => {
  req.resume();
  if (Math.random() < 0.02) return; // a hung upstream: never answers
  req.on('end', () => res.end('accepted'));
});
let failed = 0;
listen(receiver).then((port) => {
  const q = async.queue((job, done) => {
    request(port, '/hook', { method: 'POST', body: job, timeout: 300 }).then(() => done(), () => { failed++; done(); });
  }, 4);
  let n = 0;
  setInterval(() => {
    q.push({ id: n++, event: 'order.created', payload: { order: n, items: [n % 7, n % 11], note: 'x'.repeat(64) } });
  }, 10);
});
