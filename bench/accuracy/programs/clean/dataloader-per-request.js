// expect: clean
// libs: dataloader, express
// what: The same feed API as leak/dataloader-shared, but a new DataLoader is created for each request (the documented pattern), so its cache lives only as long as the request.
'use strict';
const http = require('node:http');
const express = require('express');
const DataLoader = require('dataloader');
const { start, listen, request, drive, sleep } = require('../_lib/harness');

start('clean/dataloader-per-request: a DataLoader per request; the cache dies with the request');
async function batchUsers(ids) {
  await sleep(1);
  return ids.map((id) => ({ id, name: `user ${id}`, email: `user${id}@example.test`, roles: ['reader'], createdAt: new Date(1e12 + id * 1000).toISOString() }));
}
let newest = 0;
const app = express();
app.use((req, res, next) => { req.loaders = { users: new DataLoader(batchUsers) }; next(); });
app.get('/feed', async (req, res, next) => {
  try {
    const authors = await req.loaders.users.loadMany([newest++, newest % 50, (newest * 7) % 50, newest % 50]);
    res.json(authors.map((a, k) => ({ post: k, author: a.name })));
  } catch (e) { next(e); }
});
listen(http.createServer(app)).then((port) => {
  drive(() => request(port, '/feed'), { concurrency: 4, pauseMs: 15 });
});
