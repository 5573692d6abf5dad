// expect: clean
// libs: handlebars
// what: A multi-tenant page renderer that compiles its page templates and shared partials once at start-up and only passes the tenant in the context; renders per request keep nothing.
'use strict';
const http = require('node:http');
const Handlebars = require('handlebars');
const { start, listen, request, drive } = require('../_lib/harness');

start('clean/handlebars-precompiled: Handlebars templates and partials compiled once, rendered per request');
Handlebars.registerPartial('header', '<header class="t-{{tenant}}"><h1>{{title}}</h1><nav>{{#each links}}<a href="{{this}}">{{this}}</a>{{/each}}</nav></header>');
Handlebars.registerHelper('upper', (s) => String(s).toUpperCase());
const pages = {
  home: Handlebars.compile('{{> header}}<main>{{upper body}}</main>'),
  list: Handlebars.compile('{{> header}}<ul>{{#each items}}<li>{{name}} - {{price}}</li>{{/each}}</ul>'),
};
const items = Array.from({ length: 30 }, (_, i) => ({ name: `item ${i}`, price: i * 1.5 }));
const server = http.createServer((req, res) => {
  const [, page, tenant] = req.url.split('/');
  res.setHeader('content-type', 'text/html');
  res.end((pages[page] || pages.home)({ tenant, title: `Tenant ${tenant}`, links: ['/', '/a', '/b'], body: 'hello', items }));
});
listen(server).then((port) => {
  drive((i) => request(port, `/${i % 2 ? 'home' : 'list'}/n${i}`), { concurrency: 3, pauseMs: 15 });
});
