// expect: leak
// holder: BatchTransport
// libs: winston, winston-transport
// what: A winston logger with a custom batching transport that keeps entries until it has a connection to its log collector; the collector is never configured in this deployment, so the transport's buffer grows with every log line.
'use strict';
const http = require('node:http');
const { Writable } = require('node:stream');
const winston = require('winston');
const Transport = require('winston-transport');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/winston-buffering-transport: winston transport buffers entries until a collector connects, which never happens');
class BatchTransport extends Transport {
  constructor(opts) { super(opts); this.buffer = []; this.connected = false; this.batchSize = 100; }
  log(info, callback) {
    this.buffer.push(info);
    if (this.connected && this.buffer.length >= this.batchSize) this.flush();
    callback();
  }
  flush() { this.buffer = []; }
}
const sink = new Writable({ write(chunk, enc, cb) { cb(); } });
const logger = winston.createLogger({
  format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
  transports: [new winston.transports.Stream({ stream: sink }), new BatchTransport()],
});
const server = http.createServer((req, res) => {
  logger.info('request', { method: req.method, url: req.url, ua: req.headers['user-agent'] || 'bench' });
  res.end('ok');
});
listen(server).then((port) => {
  drive((i) => request(port, `/items/${i % 100}`), { concurrency: 2, pauseMs: 20 });
});
