// expect: clean
// libs: winston
// what: A busy HTTP service logs every request through winston (timestamp + JSON format, a child logger per request) to a stream that ships lines out at once; nothing is kept after it is written.
'use strict';
const http = require('node:http');
const { Writable } = require('node:stream');
const winston = require('winston');
const { start, listen, request, drive } = require('../_lib/harness');

start('clean/winston-logging: winston JSON logs with a child logger per request, written straight out');
let shipped = 0;
const sink = new Writable({ write(chunk, enc, cb) { shipped += chunk.length; setImmediate(cb); } });
const logger = winston.createLogger({ level: 'info', format: winston.format.combine(winston.format.timestamp(), winston.format.json()), transports: [new winston.transports.Stream({ stream: sink })] });
let rid = 0;
const server = http.createServer((req, res) => {
  const log = logger.child({ requestId: ++rid, path: req.url });
  log.info('request start');
  res.on('finish', () => log.info('request end', { status: res.statusCode }));
  if (rid % 50 === 0) log.warn('slow client', { ua: req.headers['user-agent'] || 'bench' });
  res.end('ok');
});
listen(server).then((port) => {
  drive((i) => request(port, `/items/${i % 100}`), { concurrency: 3, pauseMs: 15 });
});
