// expect: clean
// libs: p-limit
// what: The notification sender of leak/p-limit-backlog with back-pressure: the producer waits whenever more than 200 jobs are pending in p-limit, so the queue length stays bounded although events keep coming.
'use strict';
const pLimit = require('p-limit');
const { start, sleep, fail } = require('../_lib/harness');

start('clean/p-limit-backpressure: p-limit(4) with the producer pausing above 200 pending jobs');
const limit = pLimit(4);
async function sendNotification(event) { await sleep(5 + (event.id % 20)); return event.to.length; }
let n = 0;
(async () => {
  for (;;) {
    while (limit.pendingCount > 200) await sleep(10);
    for (let k = 0; k < 4; k++) {
      const event = { id: n++, to: `user${n}@example.test`, subject: 'Your order shipped', body: `order ${n} is on its way` };
      limit(() => sendNotification(event)).catch(fail);
    }
    await sleep(5);
  }
})();
