// expect: leak
// holder: queue, Queue
// libs: p-limit
// what: A notification sender runs jobs through p-limit with concurrency 2 while events arrive faster than two workers can send them; nothing applies back-pressure, so p-limit's internal queue (a linked list) grows without bound.
'use strict';
const pLimit = require('p-limit');
const { start, sleep, fail } = require('../_lib/harness');

start('leak/p-limit-backlog: events arrive faster than p-limit(2) can send them; the queue grows');
const limit = pLimit(2);
async function sendNotification(event) {
  await sleep(20); // the mail API takes ~20 ms
  return event.to.length;
}
let n = 0;
setInterval(() => {
  for (let k = 0; k < 2; k++) {
    const event = { id: n++, to: `user${n}@example.test`, subject: 'Your order shipped', body: `order ${n} is on its way` };
    limit(() => sendNotification(event)).catch(fail);
  }
}, 10);
