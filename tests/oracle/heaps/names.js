// Case 6: class-name edge cases: two different classes with the same name
// from different scripts and functions (DevTools keys them by location),
// plain objects with popular property sets (named `{a, b}` by DevTools),
// property names with commas, quotes and braces, Symbol keys, very many
// properties, anonymous classes, names with odd characters.
'use strict';
const v8 = require('v8');
const vm = require('vm');

function factoryA() { return class Dup { constructor() { this.fromA = 1; } }; }
function factoryB() { return class Dup { constructor() { this.fromB = 2; } }; }
const DupScript = vm.runInThisContext('(class Dup { constructor() { this.fromScript = 3; } })', { filename: 'other-script.js' });
const DupA = factoryA();
const DupB = factoryB();
const keep = {};
keep.dupA = Array.from({ length: 11 }, () => new DupA());
keep.dupB = Array.from({ length: 12 }, () => new DupB());
keep.dupS = Array.from({ length: 13 }, () => new DupScript());
// Popular property sets. V8 writes no edge for a Smi-valued field, so the
// values are heap objects (strings, arrays) to make the names visible.
const v = (i) => 's' + i;
keep.ab = Array.from({ length: 300 }, (_, i) => ({ a: v(i), b: [i] }));
keep.abc = Array.from({ length: 200 }, (_, i) => ({ a: v(i), b: v(i), c: v(i) }));
keep.xy = Array.from({ length: 150 }, (_, i) => ({ x: [i], y: String(i) }));
// Odd property names.
keep.odd = Array.from({ length: 120 }, (_, i) => ({ 'a,b': v(i), '"q"': v(i), '{brace}': v(i), 'back\\slash': v(i), 'nl\n': v(i) }));
keep.commaObjs = Array.from({ length: 110 }, (_, i) => ({ ', ': v(i), '}': v(i), '{': v(i) }));
// Symbol keys.
const s1 = Symbol('s1'); const s2 = Symbol.for('global-sym');
keep.syms = Array.from({ length: 130 }, (_, i) => ({ [s1]: v(i), [s2]: v(i), plain: v(i) }));
// Very many properties (dictionary mode) and many distinct shapes.
keep.many = {}; for (let i = 0; i < 20000; i++) keep.many['p' + i] = v(i);
keep.manyFast = Array.from({ length: 100 }, (_, j) => { const o = {}; for (let i = 0; i < 60; i++) o['f' + i] = v(i + j); return o; });
keep.shapes = Array.from({ length: 500 }, (_, i) => ({ ['k' + (i % 50)]: v(i) }));
// Anonymous class and odd constructor names.
const Anon = (() => class {})();
keep.anon = Array.from({ length: 14 }, () => new Anon());
const Odd = { 'Odd, "Name" {x}': class { } }['Odd, "Name" {x}'];
keep.oddName = Array.from({ length: 15 }, () => new Odd());
class Leaky { constructor(i) { this.i = i; } }
keep.leaky = Array.from({ length: 1000 }, (_, i) => new Leaky(i));
keep.nullProto = Array.from({ length: 16 }, () => Object.create(null));
globalThis.__keep = keep;
global.gc();
v8.writeHeapSnapshot(process.argv[2]);
console.log(JSON.stringify({ counts: { Leaky: 1000 }, dup: [11, 12, 13] }));
