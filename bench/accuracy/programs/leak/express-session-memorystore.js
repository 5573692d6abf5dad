// expect: leak
// holder: sessions, MemoryStore
// libs: express, express-session
// what: An express shop whose clients never keep cookies (bots, health checkers); every cart request without a cookie creates a new session in express-session's default MemoryStore, which has no maxAge here and never prunes, so its sessions object grows forever.
'use strict';
const http = require('node:http');
const express = require('express');
const session = require('express-session');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/express-session-memorystore: express + express-session default MemoryStore; cookie-less clients create sessions that are never pruned');
const products = Array.from({ length: 60 }, (_, i) => ({ id: i, name: `product ${i}`, price: (i * 37) % 100 }));
const app = express();
app.use(session({ secret: 'accuracy-bench', resave: false, saveUninitialized: false }));
app.get('/products', (req, res) => res.json(products.slice(0, 20)));
app.get('/cart/add/:id', (req, res) => {
  const cart = req.session.cart || (req.session.cart = []);
  cart.push({ id: Number(req.params.id), qty: 1, added: Date.now() });
  res.json({ items: cart.length });
});
listen(http.createServer(app)).then((port) => {
  drive((i) => request(port, i % 6 === 0 ? `/cart/add/${i % 60}` : '/products'), { concurrency: 4, pauseMs: 15 });
});
