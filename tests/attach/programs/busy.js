// For tests/attach: steady clean work (short-lived garbage only). Prints
// "ready", then "tick N" lines on stdout; ends after argv[2] ms when given
// (a process that exits while attach watches it).
'use strict';
let sum = 0;
setInterval(() => {
  const garbage = [];
  for (let i = 0; i < 2000; i++) garbage.push({ i, text: `tick ${i}` });
  sum += garbage.length;
}, 10);
let ticks = 0;
setInterval(() => process.stdout.write(`tick ${++ticks}\n`), 200);
process.stdout.write('ready\n');
if (process.argv[2]) setTimeout(() => process.exit(0), Number(process.argv[2]));
