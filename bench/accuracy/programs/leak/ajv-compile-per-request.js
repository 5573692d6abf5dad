// expect: leak
// holder: _cache, Ajv
// libs: ajv
// what: An import endpoint builds its JSON schema as a fresh object literal on each request and calls ajv.compile on it; Ajv caches every compiled validator keyed by the schema object, so each request adds one more compiled function to its cache.
'use strict';
const http = require('node:http');
const Ajv = require('ajv');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/ajv-compile-per-request: ajv.compile on a fresh schema object per import request (ajv caches each one)');
const ajv = new Ajv({ allErrors: true });
function importSchema(kind) {
  return {
    type: 'object',
    required: ['id', 'kind', 'rows'],
    properties: {
      id: { type: 'integer', minimum: 0 },
      kind: { const: kind },
      rows: { type: 'array', maxItems: 100, items: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 64 }, qty: { type: 'number' } } } },
    },
  };
}
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/import') {
      const body = JSON.parse(Buffer.concat(chunks).toString());
      const validate = ajv.compile(importSchema(body.kind)); // per request
      res.statusCode = validate(body) ? 200 : 400;
      res.end(res.statusCode === 200 ? 'imported' : JSON.stringify(validate.errors));
    } else {
      res.end('ok');
    }
  });
});
listen(server).then((port) => {
  drive((i) => (i % 20 === 0
    ? request(port, '/import', { method: 'POST', body: { id: i, kind: 'orders', rows: [{ name: 'a', qty: 1 }, { name: 'b', qty: 2 }] } })
    : request(port, '/status')), { concurrency: 3, pauseMs: 20 });
});
