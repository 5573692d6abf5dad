// expect: clean
// libs: koa, @koa/router
// what: A koa app with @koa/router whose large admin router (600 routes) is built lazily on the first admin request, about 12 s after start; memory steps up once and then stays flat under steady traffic.
'use strict';
const http = require('node:http');
const Koa = require('koa');
const Router = require('@koa/router');
const { start, listen, request, drive } = require('../_lib/harness');

start('clean/koa-lazy-router: a 600-route admin router built on first use (~12 s in), then steady');
const app = new Koa();
const router = new Router();
let admin = null;
function buildAdmin() {
  const r = new Router({ prefix: '/admin' });
  for (let i = 0; i < 600; i++) r.get(`/section${i}/:id`, (ctx) => { ctx.body = { section: i, id: ctx.params.id }; });
  return r;
}
router.get('/products/:id', (ctx) => { ctx.body = { id: ctx.params.id, name: `product ${ctx.params.id}` }; });
app.use(router.routes());
app.use(async (ctx, next) => {
  if (!ctx.path.startsWith('/admin')) return next();
  if (!admin) admin = buildAdmin().routes();
  return admin(ctx, next);
});
const t0 = Date.now();
listen(http.createServer(app.callback())).then((port) => {
  drive((i) => request(port, Date.now() - t0 > 12_000 && i % 4 === 0 ? `/admin/section${i % 600}/${i}` : `/products/${i % 50}`), { concurrency: 3, pauseMs: 15 });
});
