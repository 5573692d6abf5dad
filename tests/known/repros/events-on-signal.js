// Known runtime leak 5: events.on(emitter, name, { signal }) adds an 'abort'
// listener to the signal per iterator and did not remove it when the
// iterator ended (return(), break out of for await): a long-lived signal
// collects one listener (and the iterator's whole state) per call
// (nodejs/node#51010). Each leaked iterator keeps two FixedQueues
// (2 x 2048 slots, about 33 KB), so one op every other slice is plenty.
//   node tests/known/repros/events-on-signal.js
'use strict';
const { EventEmitter, on } = require('events');
const slices = require('./_slices.js');
const emitter = new EventEmitter();
const { signal } = new AbortController(); // lives as long as the process
slices('events-on-signal: events.on(emitter, "data", { signal }) + return() per op',
  0.5, () => { on(emitter, 'data', { signal }).return(); });
