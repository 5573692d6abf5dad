// Leak beside a bounded cache: one holder keeps a cache with its room set
// aside (filling, bounded) and an audit list that only grows. The list is
// a leak whatever the cache does.
'use strict';
const { runSeries } = require('./_series.js');

const MAX = 100000, PER_STEP = 2000;
const store = { slots: new Array(MAX), audit: [] };
let n = 0;
runSeries(() => {
  for (let i = 0; i < PER_STEP; i++, n++) {
    store.slots[n % MAX] = { id: n, user: `u${n % 500}` };
    store.audit.push({ id: n, at: `t${n}` });
  }
  return { audit: store.audit.length };
});
