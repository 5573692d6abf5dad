// For `leakscope run --html`: a server-like loop that keeps every request
// record in a module-level array (never trimmed) until it is stopped:
// 15,000 a second, a clear leak in 0.5 s that keeps the heaps small (the
// ASan build of leakscope reads each streamed snapshot while it waits)
'use strict';
const records = [];
let n = 0;
setInterval(() => {
  for (let i = 0; i < 300; i++, n++) records.push({ n, at: Date.now(), tags: [n % 7] });
}, 20);
