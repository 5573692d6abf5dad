// expect: clean
// libs: pino
// what: An HTTP service logs with pino (async destination to /dev/null) and a child logger per request carrying the request id; child loggers are dropped with their request.
'use strict';
const http = require('node:http');
const pino = require('pino');
const { start, listen, request, drive } = require('../_lib/harness');

start('clean/pino-child-loggers: pino with a child logger per request, async destination');
const logger = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false, minLength: 4096 }));
let rid = 0;
const server = http.createServer((req, res) => {
  const log = logger.child({ reqId: ++rid, method: req.method });
  log.info({ url: req.url }, 'incoming request');
  const body = JSON.stringify({ id: rid, ok: true });
  res.on('finish', () => log.info({ status: res.statusCode, bytes: body.length }, 'request completed'));
  res.end(body);
});
listen(server).then((port) => {
  drive((i) => request(port, `/api/${i % 50}`), { concurrency: 4, pauseMs: 15 });
});
