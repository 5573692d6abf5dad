// expect: clean
// libs: none
// node: 22.15.0
// what: the same V8 retained_maps repro (examples/retained-maps) under Node.js 22.15.0, which has the fix: the list is compacted and stays bounded.
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
