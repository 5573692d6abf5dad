// For tests/attach: a program that handles SIGUSR1 itself. Its listener
// takes the signal from Node (libuv installs its own handler), so Node's
// inspector never opens on it. Prints "ready", "tick N" lines, and
// "SIGUSR1 handled" each time the signal arrives.
'use strict';
process.on('SIGUSR1', () => process.stdout.write('SIGUSR1 handled\n'));
let ticks = 0;
setInterval(() => process.stdout.write(`tick ${++ticks}\n`), 200);
process.stdout.write('ready\n');
