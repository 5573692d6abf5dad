// Known runtime leak 3: AbortSignal.any() composites with an 'abort'
// listener are pinned in the module-level Set gcPersistentSignals (so they
// can still fire), and were never removed when all their sources died, i.e.
// when they could never abort any more (nodejs/node#55328, PR #56001: the
// sources' finalizer now drops them). Here each op makes a short-lived
// controller, a composite of its signal with a listener, and drops both.
//   node tests/known/repros/abort-any-persistent.js
'use strict';
const slices = require('./_slices.js');
const onAbort = () => {};
slices('abort-any-persistent: AbortSignal.any([shortLivedSignal]) + abort listener per op, all dropped',
  10, () => {
    const c = new AbortController();
    AbortSignal.any([c.signal]).addEventListener('abort', onAbort);
  });
