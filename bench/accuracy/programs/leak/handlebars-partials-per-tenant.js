// expect: leak
// holder: partials
// libs: handlebars
// what: A multi-tenant page renderer registers each tenant's header as a global Handlebars partial named after the tenant on every first visit; new tenants keep signing up and partials are never unregistered, so Handlebars.partials keeps growing (with each partial's compiled template).
'use strict';
const http = require('node:http');
const Handlebars = require('handlebars');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/handlebars-partials-per-tenant: a global Handlebars partial per tenant, never unregistered');
const pages = new Map();
function pageFor(tenant) {
  const name = `header_${tenant}`;
  if (!Handlebars.partials[name]) Handlebars.registerPartial(name, `<header class="t-${tenant}"><h1>{{title}}</h1><nav>{{#each links}}<a href="{{this}}">{{this}}</a>{{/each}}</nav></header>`);
  return Handlebars.compile(`{{> ${name}}}<main>{{body}}</main>`);
}
const server = http.createServer((req, res) => {
  const tenant = req.url.slice(3);
  res.setHeader('content-type', 'text/html');
  res.end(pageFor(tenant)({ title: `Tenant ${tenant}`, links: ['/', '/a', '/b'], body: 'hello' }));
});
listen(server).then((port) => {
  drive((i) => request(port, `/t/${i % 15 === 0 ? 'n' + i : 'main' + (i % 5)}`), { concurrency: 2, pauseMs: 20 });
});
