// For tests/versions: a program that is "unsure" on its first run on a
// version and clean on the next. It fills storage with its room set aside
// (a preallocated array): the trend says it may stop when full
// ("filling"), whatever the machine's speed. The first run on a version V
// leaves the file LS_MARK-V behind, so the next run on V does steady clean
// work; on the versions in env LS_UNSURE (comma-separated) it fills on
// every run.
'use strict';
const fs = require('fs');

const version = process.env.LS_FAKE_NODE || process.versions.node;
let fills = (process.env.LS_UNSURE || '').split(',').includes(version);
if (!fills && process.env.LS_MARK) {
  try {
    fs.writeFileSync(`${process.env.LS_MARK}-${version}`, 'ran\n', { flag: 'wx' });
    fills = true;
  } catch { /* ran before */ }
}
process.stderr.write(`unsure-first: ${version} ${fills ? 'fills' : 'is clean'}\n`);

// storage with its room set aside at once, filled a little at a time
globalThis.unsureFirstRoom = new Array(200000); // holes: no entries yet
let n = 0;
setInterval(() => {
  for (let i = 0; i < 400; i++, n++) {
    const item = { id: n, name: `item-${n}`, tags: ['a', 'b'] };
    if (fills) globalThis.unsureFirstRoom[n % 200000] = item;
    else item.name.length;
  }
}, 100);
