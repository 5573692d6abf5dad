// expect: leak
// holder: handlers, InterceptorManager
// libs: axios, express
// what: An express gateway forwards logins to a local backend through one shared axios instance, and adds a request interceptor (to set the caller's id header) on every login instead of once; the interceptors, each holding the caller's profile, pile up in the instance's handlers list.
'use strict';
const http = require('node:http');
const express = require('express');
const axios = require('axios');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/axios-interceptor-per-request: a shared axios instance gets one more request interceptor on every login');
async function main() {
  const backend = express();
  backend.use(express.json());
  backend.post('/session', (req, res) => res.json({ ok: true, user: req.body.user }));
  backend.get('/stock', (req, res) => res.json({ sku: req.query.sku, stock: 7 }));
  const backendPort = await listen(http.createServer(backend));
  const api = axios.create({ baseURL: `http://127.0.0.1:${backendPort}`, httpAgent: new http.Agent({ keepAlive: true }) });
  const gateway = express();
  gateway.get('/login/:user', async (req, res, next) => {
    try {
      const profile = { user: req.params.user, prefs: { theme: 'dark', lang: 'en' }, history: new Array(40).fill(req.params.user) };
      api.interceptors.request.use((config) => { config.headers['x-caller'] = profile.user; return config; });
      const r = await api.post('/session', { user: profile.user });
      res.json(r.data);
    } catch (e) { next(e); }
  });
  gateway.get('/stock/:sku', async (req, res, next) => {
    try { res.json((await api.get('/stock', { params: { sku: req.params.sku } })).data); } catch (e) { next(e); }
  });
  const port = await listen(http.createServer(gateway));
  drive((i) => request(port, i % 8 === 0 ? `/login/user${i}` : `/stock/${i % 30}`), { concurrency: 3, pauseMs: 15 });
}
main();
