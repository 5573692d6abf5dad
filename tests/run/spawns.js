// For tests/run: a small steady leak that also starts a child process once
// and prints the child's open fds ("child fds: 0 1 2 ..."), so a test can
// check that the preload's fds (3: requests, 4: the snapshot pipe) are not
// passed on. Exits by itself after argv[2] ms when given.
'use strict';
const { spawn } = require('child_process');

const kept = [];
setInterval(() => { for (let i = 0; i < 200; i++) kept.push({ i, s: `row ${kept.length}` }); }, 20);

setTimeout(() => {
  // ls lists its own fds (one is the folder it reads): what a child of the
  // program inherits, as "fd -> target"
  const c = spawn('sh', ['-c', 'exec ls -l /proc/self/fd'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  c.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
  c.on('close', () => {
    const fds = out.split('\n').map((l) => / (\d+) -> (.*)$/.exec(l)).filter(Boolean).map((m) => `${m[1]}->${m[2]}`);
    process.stderr.write(`child fds: ${JSON.stringify(fds)}\n`);
  });
  c.on('error', (e) => process.stderr.write(`spawn failed: ${e.message}\n`));
}, 300);

if (process.argv[2]) setTimeout(() => process.exit(0), Number(process.argv[2]));
