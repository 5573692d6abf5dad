'use strict';
// A small plugin module for leak/require-cache-reload (reloaded over and over).
const table = {};
for (let i = 0; i < 50; i++) table[`sku-${i}`] = { base: 1 + i * 0.25, currency: 'EUR', name: `product number ${i}` };
exports.loadedAt = Date.now();
exports.table = table;
exports.price = (sku, qty) => (table[sku] ? table[sku].base * qty : 0);
