// expect: clean
// libs: none
// what: A rules engine that generates 400 pricing functions at start-up and calls them in rotation with objects of several shapes, so V8 keeps optimising (and deoptimising) many functions for a while; the set of functions and shapes is fixed.
'use strict';
const { start } = require('../_lib/harness');

start('clean/jit-many-functions: 400 generated functions called with several object shapes (JIT churn, fixed code)');
const rules = [];
for (let i = 0; i < 400; i++) {
  rules.push(new Function('o', `
    let s = o.base * ${1 + (i % 7)} + (o.qty || 0) * ${i % 13};
    if (o.discount) s -= s * o.discount;
    for (let k = 0; k < ${2 + (i % 5)}; k++) s += (o.tags ? o.tags.length : 0) + k * ${i % 3};
    return Math.round(s * 100) / 100;`));
}
const shapes = [
  (n) => ({ base: n % 10, qty: n % 3 }),
  (n) => ({ base: n % 10, qty: n % 3, discount: 0.1 }),
  (n) => ({ qty: n % 5, base: 2, tags: ['a'] }),
  (n) => ({ base: 1, tags: ['a', 'b'], discount: 0.2, extra: n }),
  (n) => ({ base: n % 4, qty: 1, tags: [], discount: 0, region: 'eu', n }),
];
let n = 0;
let total = 0;
setInterval(() => {
  for (let k = 0; k < 2000; k++, n++) total += rules[n % 400](shapes[(n >> 8) % shapes.length](n));
}, 10);
