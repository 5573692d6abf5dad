// expect: leak
// holder: seen
// libs: none
// what: A message consumer de-duplicates deliveries by remembering every message id in a Set; ids are UUIDs that never repeat and the set is never pruned, so it grows by one string per message.
'use strict';
const crypto = require('node:crypto');
const { EventEmitter } = require('node:events');
const { start } = require('../_lib/harness');

start('leak/set-of-strings: a Set of every message id ever seen, for de-duplication');
const broker = new EventEmitter();
const consumer = { seen: new Set(), processed: 0 };
broker.on('message', (msg) => {
  if (consumer.seen.has(msg.id)) return;
  consumer.seen.add(msg.id);
  consumer.processed += JSON.parse(msg.body).n;
});
let n = 0;
setInterval(() => {
  for (let k = 0; k < 1; k++) broker.emit('message', { id: crypto.randomUUID(), body: JSON.stringify({ n: n++, kind: 'order' }) });
}, 10);
