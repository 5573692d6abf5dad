// expect: leak
// holder: config, change
// libs: none
// what: Each request builds a formatter that subscribes to the app-wide config emitter's 'change' event to pick up new locales, and the subscription is never removed when the request ends; listeners and their formatters pile up on the config emitter.
'use strict';
const http = require('node:http');
const { EventEmitter } = require('node:events');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/emitter-config-listeners: a config.on("change") listener per request, never removed');
const config = new EventEmitter();
config.setMaxListeners(0);
config.locale = 'en-GB';
function makeFormatter() {
  const f = { fmt: new Intl.NumberFormat(config.locale, { style: 'currency', currency: 'EUR' }), cache: new Array(20).fill(0) };
  config.on('change', () => { f.fmt = new Intl.NumberFormat(config.locale, { style: 'currency', currency: 'EUR' }); });
  return f;
}
const server = http.createServer((req, res) => {
  const f = makeFormatter();
  res.end(f.fmt.format(Number(req.url.slice(7)) || 0));
});
listen(server).then((port) => {
  drive((i) => request(port, `/price/${i % 1000}`), { concurrency: 2, pauseMs: 20 });
});
