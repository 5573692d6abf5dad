// expect: clean
// libs: express, express-session, memorystore
// what: The same cookie-less shop traffic as leak/express-session-memorystore, but sessions have a 10 s maxAge and live in memorystore, which prunes expired sessions every 5 s; the number of live sessions levels off at about rate x 15 s.
'use strict';
const http = require('node:http');
const express = require('express');
const session = require('express-session');
const MemoryStore = require('memorystore')(session);
const { start, listen, request, drive } = require('../_lib/harness');

start('clean/express-session-expiring: express-session + memorystore, 10 s maxAge, pruned every 5 s');
const products = Array.from({ length: 60 }, (_, i) => ({ id: i, name: `product ${i}`, price: (i * 37) % 100 }));
const app = express();
app.use(session({ secret: 'accuracy-bench', resave: false, saveUninitialized: false, cookie: { maxAge: 10_000 }, store: new MemoryStore({ checkPeriod: 5_000 }) }));
app.get('/products', (req, res) => res.json(products.slice(0, 20)));
app.get('/cart/add/:id', (req, res) => {
  const cart = req.session.cart || (req.session.cart = []);
  cart.push({ id: Number(req.params.id), qty: 1, added: Date.now() });
  res.json({ items: cart.length });
});
listen(http.createServer(app)).then((port) => {
  drive((i) => request(port, i % 6 === 0 ? `/cart/add/${i % 60}` : '/products'), { concurrency: 4, pauseMs: 15 });
});
