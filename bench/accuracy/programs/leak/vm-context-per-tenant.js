// expect: leak
// holder: sandboxes
// libs: none
// what: A rules engine creates a vm context per tenant to run its pricing rule and caches it in a Map by tenant id, forever; tenants keep arriving, so contexts (each a whole JS realm) accumulate.
'use strict';
const vm = require('node:vm');
const { start } = require('../_lib/harness');

start('leak/vm-context-per-tenant: a vm context per tenant cached forever');
const sandboxes = new Map();
const rule = new vm.Script('result = items.reduce((s, i) => s + i.price * i.qty, 0) * (1 - discount)');
let tenants = 0;
let runs = 0;
setInterval(() => {
  const id = runs % 100 === 0 ? `tenant-${tenants++}` : `tenant-${runs % Math.max(1, tenants)}`;
  runs++;
  let ctx = sandboxes.get(id);
  if (!ctx) { ctx = vm.createContext({ items: [], discount: 0.1, result: 0 }); sandboxes.set(id, ctx); }
  ctx.items = [{ price: 3, qty: 2 }, { price: 5, qty: 1 }];
  rule.runInContext(ctx);
}, 25);
