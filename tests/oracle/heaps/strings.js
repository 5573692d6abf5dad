// Case 5: strings of every kind: one-byte, two-byte (UTF-16) incl. emoji
// surrogate pairs and lone surrogates, cons (concatenated) strings, sliced
// strings, internalized strings, quotes, backslashes, newlines, control
// characters, NUL, long strings, and class/property names made of them.
'use strict';
const v8 = require('v8');

class StringBox { constructor(s) { this.s = s; } }
const keep = [];
const base = 'abcdefghij'.repeat(100);
const kinds = [
  'plain one-byte', 'latin1 éàü ÿ', 'two-byte Ω Ж 中文', 'emoji 😀 👩‍👩‍👧 🏳️‍🌈', 'lone \ud800 high', 'lone \udc00 low',
  'quote " and \' and `', 'back\\slash \\\\ \\u0041', 'new\nline\r\n tab\t', 'ctrl \u0001\u0002\u001f\u007f',
  'nul \u0000 inside', '\u0000', '', 'json-ish {"a":[1,2]}', '</script><!--', '\u2028\u2029', '\ufeffbom',
  'x'.repeat(100000), '中'.repeat(50000),
];
for (const k of kinds) keep.push(new StringBox(k));
// Cons strings (built at run time, long enough not to be flattened).
for (let i = 0; i < 50; i++) keep.push(new StringBox(base + String(i) + base));
keep.push(new StringBox('😀'.repeat(20) + base + '\u0000'));
// Sliced strings (substring of a long string).
for (let i = 0; i < 50; i++) keep.push(new StringBox(base.substring(i, i + 500)));
// Internalized strings: property names and symbols' descriptions.
const weird = {};
for (const k of kinds.slice(0, 17)) weird[k] = k.length;
weird[Symbol('sym "quoted" \\ \n 😀')] = 1;
keep.push(weird);
globalThis.__keep = keep;
global.gc();
v8.writeHeapSnapshot(process.argv[2]);
console.log(JSON.stringify({ counts: { StringBox: keep.length - 1 } }));
