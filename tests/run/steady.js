// For tests/run: steady clean work (short-lived garbage only), optionally
//   - writing its pid to env LS_PID_FILE,
//   - echoing its stdin on stdout ("stdin: ..."),
//   - holding a large heap (env LS_BIG_HEAP objects) so a snapshot takes a while,
//   - exiting with code argv[3] after argv[2] ms.
'use strict';
const fs = require('fs');

if (process.env.LS_PID_FILE) fs.writeFileSync(process.env.LS_PID_FILE, String(process.pid));
process.stdout.write('steady: started\n');
process.stderr.write('steady: a line on stderr\n');

const big = [];
for (let i = 0; i < Number(process.env.LS_BIG_HEAP || 0); i++) big.push({ i, s: `item-${i}` });
globalThis.keep = big;

if (process.env.LS_READ_STDIN) {
  let input = '';
  process.stdin.setEncoding('utf8').on('data', (d) => { input += d; });
  process.stdin.on('end', () => process.stdout.write(`stdin: ${input.trim()}\n`));
}

let sum = 0;
setInterval(() => {
  const garbage = [];
  for (let i = 0; i < 1000; i++) garbage.push({ i, text: `tick ${i}` });
  sum += garbage.length;
}, 20);

if (process.argv[2]) setTimeout(() => process.exit(Number(process.argv[3] || 0)), Number(process.argv[2]));
