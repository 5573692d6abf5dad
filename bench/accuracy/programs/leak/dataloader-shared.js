// expect: leak
// holder: _cacheMap, DataLoader
// libs: dataloader, express
// what: A GraphQL-style express API batches user look-ups with one DataLoader created at start-up and shared by all requests; DataLoader memoises every key forever, and new users keep arriving, so its cache map grows without bound (the fix is a loader per request).
'use strict';
const http = require('node:http');
const express = require('express');
const DataLoader = require('dataloader');
const { start, listen, request, drive, sleep } = require('../_lib/harness');

start('leak/dataloader-shared: one DataLoader shared by all requests caches every user id ever seen');
async function batchUsers(ids) {
  await sleep(1);
  return ids.map((id) => ({ id, name: `user ${id}`, email: `user${id}@example.test`, roles: ['reader'], createdAt: new Date(1e12 + id * 1000).toISOString() }));
}
const users = new DataLoader(batchUsers); // shared: never cleared
let newest = 0;
const app = express();
app.get('/feed', async (req, res, next) => {
  try {
    const authorIds = [newest++, newest % 50, (newest * 7) % 50];
    const authors = await users.loadMany(authorIds);
    res.json(authors.map((a, k) => ({ post: k, author: a.name })));
  } catch (e) { next(e); }
});
listen(http.createServer(app)).then((port) => {
  drive(() => request(port, '/feed'), { concurrency: 3, pauseMs: 15 });
});
