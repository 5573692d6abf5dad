// expect: leak
// holder: shutdown, AbortSignal
// libs: undici
// what: An API proxies to a local upstream with undici and links each request's AbortController to a process-wide shutdown signal with addEventListener('abort'), but never removes that listener after the request ends; the shutdown signal collects one listener (and its controller) per request.
'use strict';
const http = require('node:http');
const { request: undiciRequest, Agent } = require('undici');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/undici-abort-listeners: an abort listener per request on a process-wide shutdown signal, never removed');
const shutdown = new AbortController();
process.setMaxListeners(0);
require('node:events').setMaxListeners(0, shutdown.signal);
async function main() {
  const upstream = http.createServer((req, res) => res.end(JSON.stringify({ ok: true, path: req.url })));
  const upPort = await listen(upstream);
  const dispatcher = new Agent({ connections: 8 });
  const api = http.createServer(async (req, res) => {
    const perRequest = new AbortController();
    shutdown.signal.addEventListener('abort', () => perRequest.abort(), { once: true });
    try {
      const r = await undiciRequest(`http://127.0.0.1:${upPort}${req.url}`, { dispatcher, signal: perRequest.signal });
      res.end(await r.body.text());
    } catch (e) { res.statusCode = 502; res.end(String(e)); }
  });
  const port = await listen(api);
  drive((i) => request(port, `/items/${i % 50}`), { concurrency: 2, pauseMs: 20 });
}
main();
