// expect: clean
// libs: none
// what: An export endpoint streams a generated CSV through zlib gzip into the response with stream.pipeline, and the client gunzips and counts the lines; streams, zlib buffers and back-pressure on every request, all released when the stream ends.
'use strict';
const http = require('node:http');
const zlib = require('node:zlib');
const { Readable, pipeline } = require('node:stream');
const { start, listen, drive, agent } = require('../_lib/harness');

start('clean/stream-gzip-pipeline: CSV export streamed through gzip per request');
function csv(rows) {
  let i = 0;
  return new Readable({ read() { if (i >= rows) return this.push(null); let chunk = ''; for (let k = 0; k < 100 && i < rows; k++, i++) chunk += `${i},customer-${i % 97},${(i * 13) % 1000}.50,shipped\n`; this.push(chunk); } });
}
const server = http.createServer((req, res) => {
  res.setHeader('content-encoding', 'gzip');
  pipeline(csv(2000 + (Number(req.url.slice(8)) % 2000)), zlib.createGzip(), res, () => {});
});
listen(server).then((port) => {
  drive((i) => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: `/export/${i}`, agent }, (res) => {
      let lines = 0;
      pipeline(res, zlib.createGunzip().on('data', (d) => { for (const b of d) if (b === 10) lines++; }), (err) => (err ? reject(err) : resolve(lines)));
    }).on('error', reject);
  }), { concurrency: 3, pauseMs: 15 });
});
