// For `leakscope run --html`: a server-like loop that keeps every request
// record in a module-level array (never trimmed) until it is stopped.
'use strict';
const records = [];
let n = 0;
setInterval(() => {
  for (let i = 0; i < 3000; i++, n++) records.push({ n, at: Date.now(), tags: [n % 7] });
}, 20);
