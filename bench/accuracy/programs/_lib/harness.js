'use strict';
// Shared plumbing for the corpus programs: a start line, quiet exit on
// SIGTERM/SIGINT, listening on 127.0.0.1 port 0, a keep-alive HTTP client
// and a self-driving client loop with a fixed concurrency.
const http = require('node:http');

function start(what) {
  console.log(what);
  for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function request(port, path, { method = 'GET', body, headers = {}, timeout = 0 } = {}) {
  return new Promise((resolve, reject) => {
    let data;
    if (body !== undefined) {
      data = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers };
    }
    const req = http.request({ host: '127.0.0.1', port, path, method, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    if (timeout) req.setTimeout(timeout, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(data);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let reported = 0;
function fail(err) {
  if (reported++ === 0) console.error('error:', (err && err.stack) || err);
}

// Runs fn(i) over and over from `concurrency` workers, each pausing pauseMs
// between calls; i counts calls over all workers.
function drive(fn, { concurrency = 4, pauseMs = 15 } = {}) {
  let i = 0;
  const worker = async () => {
    for (;;) {
      try { await fn(i++); } catch (e) { fail(e); }
      await sleep(pauseMs);
    }
  };
  for (let k = 0; k < concurrency; k++) worker();
}

const pick = (arr, i) => arr[i % arr.length];

module.exports = { start, listen, request, drive, sleep, fail, pick, agent };
