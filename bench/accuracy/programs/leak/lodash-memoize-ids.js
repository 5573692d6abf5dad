// expect: leak
// holder: MapCache, Hash, __data__
// libs: lodash
// what: A pricing helper is wrapped in _.memoize, which keys on its first argument only; callers pass the order id first, so every order adds an entry to the memoize cache (a lodash MapCache), which has no limit.
'use strict';
const http = require('node:http');
const _ = require('lodash');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/lodash-memoize-ids: _.memoize keyed by order id (first argument), cache never cleared');
const priceOrder = _.memoize((orderId, lines) => ({
  orderId,
  total: _.sumBy(lines, (l) => l.qty * l.price),
  tax: _.round(_.sumBy(lines, (l) => l.qty * l.price) * 0.2, 2),
  lines: lines.map((l) => ({ ...l, subtotal: l.qty * l.price })),
}));
const server = http.createServer((req, res) => {
  const id = req.url.slice(8);
  const lines = _.times(3, (k) => ({ sku: `sku-${k}`, qty: k + 1, price: 9.5 }));
  res.end(JSON.stringify(priceOrder(`order-${id}`, lines).total));
});
listen(server).then((port) => {
  drive((i) => request(port, `/orders/${i}`), { concurrency: 2, pauseMs: 30 });
});
