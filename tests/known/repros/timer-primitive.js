// Known runtime leak 4: a Timeout converted to a primitive (+timer, or
// timer[Symbol.toPrimitive]()) is put in the object knownTimersById (so
// clearTimeout(id) works), and removed only by clearTimeout, not when the
// timer fires: every fired timer stays (nodejs/node#53335).
//   node tests/known/repros/timer-primitive.js
'use strict';
const slices = require('./_slices.js');
const noop = () => {};
let sum = 0;
slices('timer-primitive: +setTimeout(noop, 1) per op, timers fire and are dropped',
  100, () => { sum += +setTimeout(noop, 1); });
