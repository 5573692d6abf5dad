// expect: leak
// holder: recent
// libs: koa, @koa/router
// what: A koa audit middleware keeps recent order requests (the whole ctx) for a debug page and means to keep only the last 100, but its trim computes recent.slice(-100) without assigning it, so every audited ctx with its request and response stays reachable.
'use strict';
const http = require('node:http');
const Koa = require('koa');
const Router = require('@koa/router');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/koa-ctx-audit: koa middleware keeps every audited ctx (its trim is a no-op)');
const app = new Koa();
const router = new Router();
let recent = [];
app.use(async (ctx, next) => {
  await next();
  if (ctx.method === 'POST') {
    recent.push({ ctx, at: Date.now() });
    if (recent.length > 100) recent.slice(-100); // bug: result dropped
  }
});
router.get('/debug/recent', (ctx) => { ctx.body = recent.slice(-10).map((r) => ({ url: r.ctx.url, at: r.at })); });
router.get('/products/:id', (ctx) => { ctx.body = { id: ctx.params.id, name: `product ${ctx.params.id}` }; });
router.post('/orders', (ctx) => { ctx.status = 201; ctx.body = { ok: true }; });
app.use(router.routes()).use(router.allowedMethods());
listen(http.createServer(app.callback())).then((port) => {
  drive((i) => (i % 10 === 0 ? request(port, '/orders', { method: 'POST', body: { sku: i } }) : request(port, `/products/${i % 40}`)), { concurrency: 3, pauseMs: 15 });
});
