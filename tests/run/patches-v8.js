// A program that replaces v8.writeHeapSnapshot (to forbid it) once it runs,
// and keeps allocating: leakscope's preload took the function before.
'use strict';
const v8 = require('v8');
v8.writeHeapSnapshot = () => { throw new Error('snapshots are forbidden by this program'); };
globalThis.keep = [];
setInterval(() => { for (let i = 0; i < 200; i++) globalThis.keep.push({ i }); }, 20);
