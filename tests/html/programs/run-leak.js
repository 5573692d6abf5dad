// For `leakscope run --html`: a server-like loop that keeps every request
// record in a module-level array (never trimmed) until it is stopped:
// 15,000 a second, a clear leak in 0.5 s that keeps the heaps small (the
// ASan build of leakscope reads each streamed snapshot while it waits).
// By the clock, as requests queue while a snapshot pauses a server: a
// timer that loses the paused ticks would do less in each interval as the
// pauses grow, and look like a leak slowing down ("not sure yet").
'use strict';
const records = [];
let n = 0;
let last = Date.now();
setInterval(() => {
  const now = Date.now();
  const due = Math.min(now - last, 5000) * 15; // at most 5 s behind: bounded
  last = now;
  for (let i = 0; i < due; i++, n++) records.push({ n, at: now, tags: [n % 7] });
}, 20);
