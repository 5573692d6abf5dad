// expect: clean
// libs: ajv
// what: The import endpoint of leak/ajv-compile-per-request, written the intended way: the schemas are compiled once at start-up and each request only runs the compiled validator.
'use strict';
const http = require('node:http');
const Ajv = require('ajv');
const { start, listen, request, drive } = require('../_lib/harness');

start('clean/ajv-compile-once: ajv validators compiled once, run per request');
const ajv = new Ajv({ allErrors: true });
const validators = {};
for (const kind of ['orders', 'refunds', 'customers']) {
  validators[kind] = ajv.compile({
    type: 'object', required: ['id', 'kind', 'rows'],
    properties: { id: { type: 'integer', minimum: 0 }, kind: { const: kind }, rows: { type: 'array', maxItems: 100, items: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 64 }, qty: { type: 'number' } } } } },
  });
}
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
    const validate = validators[body.kind] || validators.orders;
    res.statusCode = validate(body) ? 200 : 400;
    res.end(res.statusCode === 200 ? 'imported' : JSON.stringify(validate.errors));
  });
});
const kinds = ['orders', 'refunds', 'customers'];
listen(server).then((port) => {
  drive((i) => request(port, '/import', { method: 'POST', body: { id: i % 17 ? i : -1, kind: kinds[i % 3], rows: [{ name: 'a', qty: 1 }, { name: 'b', qty: 2 }] } }), { concurrency: 4, pauseMs: 15 });
});
