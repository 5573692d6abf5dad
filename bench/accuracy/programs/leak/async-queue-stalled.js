// expect: leak
// holder: _tasks, DLL
// libs: async
// what: Webhook deliveries go through an async.queue with 4 workers that call a local endpoint without a timeout; that endpoint sometimes never answers, so the workers get stuck one by one and the queue's task list (a linked list) grows with every new delivery.
'use strict';
const http = require('node:http');
const async = require('async');
const { start, listen, request, fail } = require('../_lib/harness');

start('leak/async-queue-stalled: async.queue workers hang on requests without a timeout; the task list grows');
const receiver = http.createServer((req, res) => {
  if (Math.random() < 0.02) return; // a hung upstream: never answers
  req.resume();
  req.on('end', () => res.end('accepted'));
});
listen(receiver).then((port) => {
  const q = async.queue((job, done) => {
    request(port, '/hook', { method: 'POST', body: job }).then(() => done(), done);
  }, 4);
  let n = 0;
  setInterval(() => {
    q.push({ id: n++, event: 'order.created', payload: { order: n, items: [n % 7, n % 11], note: 'x'.repeat(64) } }, (err) => { if (err) fail(err); });
  }, 10);
});
