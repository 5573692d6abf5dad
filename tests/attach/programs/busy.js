// For tests/attach: steady clean work (short-lived garbage only). Writes
// its pid to env LS_PID_FILE; ends after argv[2] ms when given (a process
// that exits while attach watches it).
'use strict';
const fs = require('fs');

let sum = 0;
setInterval(() => {
  const garbage = [];
  for (let i = 0; i < 2000; i++) garbage.push({ i, text: `tick ${i}` });
  sum += garbage.length;
}, 10);
let ticks = 0;
setInterval(() => process.stdout.write(`tick ${++ticks}\n`), 200);
if (process.env.LS_PID_FILE) fs.writeFileSync(process.env.LS_PID_FILE, String(process.pid));
if (process.argv[2]) setTimeout(() => process.exit(0), Number(process.argv[2]));
