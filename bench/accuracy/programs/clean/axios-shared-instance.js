// expect: clean
// libs: axios, express
// what: The same gateway as leak/axios-interceptor-per-request, but the shared axios instance gets its interceptor once at start-up and the caller id travels in each request's own config.
'use strict';
const http = require('node:http');
const express = require('express');
const axios = require('axios');
const { start, listen, request, drive } = require('../_lib/harness');

start('clean/axios-shared-instance: one axios instance, interceptors installed once');
async function main() {
  const backend = express();
  backend.use(express.json());
  backend.post('/session', (req, res) => res.json({ ok: true, user: req.body.user }));
  backend.get('/stock', (req, res) => res.json({ sku: req.query.sku, stock: 7 }));
  const backendPort = await listen(http.createServer(backend));
  const api = axios.create({ baseURL: `http://127.0.0.1:${backendPort}`, httpAgent: new http.Agent({ keepAlive: true }) });
  api.interceptors.request.use((config) => { if (config.caller) config.headers['x-caller'] = config.caller; return config; });
  const gateway = express();
  gateway.get('/login/:user', async (req, res, next) => {
    try { res.json((await api.post('/session', { user: req.params.user }, { caller: req.params.user })).data); } catch (e) { next(e); }
  });
  gateway.get('/stock/:sku', async (req, res, next) => {
    try { res.json((await api.get('/stock', { params: { sku: req.params.sku } })).data); } catch (e) { next(e); }
  });
  const port = await listen(http.createServer(gateway));
  drive((i) => request(port, i % 8 === 0 ? `/login/user${i}` : `/stock/${i % 30}`), { concurrency: 3, pauseMs: 15 });
}
main();
