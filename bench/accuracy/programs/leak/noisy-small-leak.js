// expect: leak
// holder: summaries
// libs: none
// what: A batch importer parses a ~1 MB JSON payload every 200 ms and drops it (large short-lived allocations), but keeps a ~1 KB summary of every batch in a history array that is never trimmed: a small steady leak under a lot of noise.
'use strict';
const { start } = require('../_lib/harness');

start('leak/noisy-small-leak: big short-lived JSON batches every 200 ms around a ~1 KB/batch leak');
const history = { summaries: [] };
function makePayload(n) {
  const rows = [];
  for (let i = 0; i < 6000; i++) rows.push({ id: n * 10000 + i, name: `row ${i}`, price: i % 97, tags: ['a', 'b'] });
  return JSON.stringify({ batch: n, rows });
}
let n = 0;
setInterval(() => {
  const batch = JSON.parse(makePayload(n++));
  let total = 0;
  for (const r of batch.rows) total += r.price;
  history.summaries.push({ batch: batch.batch, total, count: batch.rows.length, sample: batch.rows.slice(0, 12).map((r) => ({ id: r.id, name: r.name })), at: new Date().toISOString() });
}, 200);
