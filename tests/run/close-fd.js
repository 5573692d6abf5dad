// A program that closes file descriptor 3 (some daemons close every fd they
// did not open): leakscope's preload can no longer be asked for snapshots,
// which leakscope must say instead of waiting forever.
'use strict';
setTimeout(() => require('fs').closeSync(3), 50);
setInterval(() => {}, 1000);
