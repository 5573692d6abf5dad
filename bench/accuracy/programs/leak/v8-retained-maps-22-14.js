// expect: leak
// holder: retained_maps
// libs: none
// node: 22.14.0
// what: the V8 retained_maps repro of examples/retained-maps (nodejs/node#57412) under Node.js 22.14.0, which has the bug: the native context's retained_maps list grows while optimised code is made.
'use strict';
const { round } = require('../../../../examples/retained-maps/repro.js');
require('../_lib/harness').start(`v8-retained-maps: Node ${process.version}, the loop of examples/retained-maps/repro.js`);
// the repro's own loop: rounds in 50 ms slices, then back to the event loop
const work = () => {
  const end = Date.now() + 50;
  while (Date.now() < end) round();
  setImmediate(work);
};
work();
