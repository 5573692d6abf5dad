// expect: clean
// libs: express, express-session
// what: An express app with express-session's default MemoryStore (saveUninitialized false) used by 20 clients that keep their session cookie, plus anonymous traffic that never touches the session; the store holds at most 20 sessions however long it runs.
'use strict';
const http = require('node:http');
const express = require('express');
const session = require('express-session');
const { start, listen, request, drive } = require('../_lib/harness');

start('clean/express-session-cookie-clients: default MemoryStore, 20 cookie-keeping clients, anonymous requests create no session');
const app = express();
app.use(session({ secret: 'accuracy-bench', resave: false, saveUninitialized: false }));
app.get('/login/:user', (req, res) => { req.session.user = req.params.user; req.session.views = (req.session.views || 0) + 1; res.json({ views: req.session.views }); });
app.get('/me', (req, res) => { if (req.session.user) req.session.views++; res.json({ user: req.session.user || null }); });
app.get('/news', (req, res) => res.json(Array.from({ length: 10 }, (_, i) => ({ i, title: `headline ${i}` }))));
const jars = Array.from({ length: 20 }, () => ({ cookie: '' }));
listen(http.createServer(app)).then((port) => {
  drive(async (i) => {
    if (i % 3) return request(port, '/news');
    const jar = jars[i % jars.length];
    const r = await request(port, jar.cookie ? '/me' : `/login/u${i % jars.length}`, { headers: jar.cookie ? { cookie: jar.cookie } : {} });
    const set = r.headers['set-cookie'];
    if (set) jar.cookie = set[0].split(';')[0];
    return r;
  }, { concurrency: 4, pauseMs: 15 });
});
