// For tests/attach: a server-like program that leaks: every request's
// session is kept in a Map that is never pruned (the holder attach must
// name: `sessions`). Started with plain `node leaky.js`; prints "ready",
// then "tick N" lines on stdout, so a test sees it still runs.
'use strict';
class Session {
  constructor(id) {
    this.id = id;
    this.payload = 'x'.repeat(200) + id;
    this.items = new Array(50).fill(id);
  }
}
const sessions = new Map();
globalThis.sessions = sessions;
// Requests arrive at a steady 3,000 a second of wall time; those that came
// while the process was paused (a snapshot) are served right after, as a
// server's queue would, so what it keeps follows the clock.
const start = Date.now();
let n = 0;
setInterval(() => {
  for (const due = (Date.now() - start) * 3; n < due; n++) sessions.set(n, new Session(n));
}, 20);
let ticks = 0;
setInterval(() => process.stdout.write(`tick ${++ticks}\n`), 200);
process.stdout.write('ready\n');
