// expect: leak
// holder: pending
// libs: none
// what: A publisher waits for an acknowledgement of each message with a promise whose resolver is kept in a pending Map; about 1 in 10 acks is lost and there is no timeout, so those promises never settle and their entries (with the message) stay forever.
'use strict';
const { start, fail } = require('../_lib/harness');

start('leak/promise-never-settled: ~10% of publish() promises wait forever for a lost ack');
const pending = new Map();
let seq = 0;
function publish(payload) {
  const id = ++seq;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, payload, sentAt: Date.now() });
    setTimeout(() => { if (Math.random() < 0.9) ack(id); }, 5); // the broker acks (mostly)
  });
}
function ack(id) { const p = pending.get(id); if (p) { pending.delete(id); p.resolve(id); } }
let delivered = 0;
setInterval(() => {
  for (let k = 0; k < 4; k++) publish({ topic: 'orders', body: { n: seq, text: `message ${seq}`, attrs: { a: 1, b: 2 } } }).then(() => { delivered++; }, fail);
}, 10);
