// Leak: closures that keep a large context alive.
//
// Each job registers an "undo" callback in a long-lived registry in case it
// has to be rolled back. The callback itself only uses the job's id, but V8
// gives all closures created in one scope a single shared context: `describe`
// uses `rows`, so `rows` lives in that context, and the undo callback keeps
// the context, and with it the job's whole input, alive. Jobs are never
// rolled back and the registry (`undoLog`) is never cleared.
//
//   node examples/leaks/closures.js
//   leakscope run -- examples/leaks/closures.js
'use strict';

const undoLog = []; // the leak: one closure per job, never removed

function loadRows(id) {
  const rows = [];
  for (let i = 0; i < 20; i++) rows.push({ id: `${id}-${i}`, amount: i * 3 });
  return rows;
}

function runJob(id) {
  const rows = loadRows(id);
  const describe = () => `job ${id}: ${rows.length} rows`;
  undoLog.push(() => `undo job ${id}`); // shares describe's context: holds rows
  return describe().length;
}

console.log('closures: running 500 jobs/s, each keeps an undo closure (and so ' +
  'its 20 input rows) in undoLog forever; stop with Ctrl-C');
let nextId = 0;
setInterval(() => {
  for (let i = 0; i < 50; i++) runJob(nextId++);
}, 100);
