// expect: leak
// holder: children, Module
// libs: none
// what: A "hot reload" of a pricing plugin deletes it from require.cache and requires it again every 200 ms; Node adds each fresh Module to the parent module's children array, which nothing prunes, so every old copy of the plugin and its exports stays reachable.
'use strict';
const path = require('node:path');
const { start } = require('../_lib/harness');

start('leak/require-cache-reload: delete require.cache + require again; module.children keeps every copy');
const pluginPath = path.join(__dirname, '..', '_lib', 'pricing-plugin.js');
let plugin = require(pluginPath);
let total = 0;
setInterval(() => {
  delete require.cache[require.resolve(pluginPath)];
  plugin = require(pluginPath);
}, 200);
setInterval(() => { for (let i = 0; i < 100; i++) total += plugin.price('sku-' + (i % 50), 1 + (i % 3)); }, 10);
