// expect: leak
// holder: templateCache
// libs: mustache
// what: A greeting page concatenates the user's name into the mustache template text instead of passing it in the view; mustache caches the parsed tokens of every distinct template string, so each new user adds a cache entry that is never dropped.
'use strict';
const http = require('node:http');
const Mustache = require('mustache');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/mustache-dynamic-templates: user names baked into the template string; mustache caches every distinct template');
const items = Array.from({ length: 5 }, (_, i) => ({ name: `item ${i}`, price: i * 2 }));
const server = http.createServer((req, res) => {
  const user = decodeURIComponent(req.url.slice(7));
  const template = `<h1>Welcome back, ${user}!</h1><ul>{{#items}}<li>{{name}}: {{price}}</li>{{/items}}</ul><p>{{footer}}</p>`;
  res.setHeader('content-type', 'text/html');
  res.end(Mustache.render(template, { items, footer: 'thanks for shopping' }));
});
listen(server).then((port) => {
  drive((i) => request(port, `/hello/${encodeURIComponent('customer-' + (i % 4 === 0 ? i : i % 10))}`), { concurrency: 3, pauseMs: 20 });
});
