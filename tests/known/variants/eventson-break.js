// variant: for await over events.on with a long-lived signal, break after the first event
const { on, EventEmitter } = require('node:events');
const ee = new EventEmitter();
const ac = new AbortController();
async function consume() {
  for await (const [v] of on(ee, 'tick', { signal: ac.signal })) { if (v >= 0) break; }
}
setInterval(() => { for (let i = 0; i < 2; i++) { consume(); } ee.emit('tick', 1); }, 100);
