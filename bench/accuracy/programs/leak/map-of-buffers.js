// expect: leak
// holder: uploads
// libs: none
// what: An image service keeps each uploaded thumbnail (an 8 KB Buffer) in a Map by upload id so a duplicate upload can be answered at once; ids are never repeated and entries never deleted, so the Map's Buffers (external memory) grow.
'use strict';
const http = require('node:http');
const crypto = require('node:crypto');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/map-of-buffers: every uploaded thumbnail Buffer kept in a Map by id, never deleted');
const uploads = new Map();
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const id = req.headers['x-upload-id'];
    if (uploads.has(id)) return res.end('duplicate');
    const thumb = Buffer.concat(chunks).subarray(0, 8192);
    uploads.set(id, Buffer.from(thumb)); // a copy of the first 8 KB
    res.end(crypto.createHash('sha1').update(thumb).digest('hex'));
  });
});
listen(server).then((port) => {
  drive((i) => request(port, '/upload', { method: 'POST', body: crypto.randomBytes(12 * 1024), headers: { 'x-upload-id': `up-${i}` } }), { concurrency: 2, pauseMs: 120 });
});
