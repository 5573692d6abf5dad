// Leak: a per-request cache that is never trimmed.
//
// The service caches each rendered response under its request id, "so a
// retry is cheap". Request ids never repeat, so no entry is ever read again
// and the Map `service.responsesByRequestId` grows by every request, forever.
//
//   node examples/leaks/request-cache.js
//   leakscope run -- examples/leaks/request-cache.js
'use strict';

const service = {
  startedAt: Date.now(),
  served: 0,
  responsesByRequestId: new Map(), // the leak: set on every request, never deleted
};

function render(user) {
  return { status: 200, body: `<p>hello ${user}</p>`, at: Date.now() };
}

function handleRequest(requestId, user) {
  const response = render(user);
  service.responsesByRequestId.set(requestId, response);
  service.served++;
  return response.status;
}

console.log('request-cache: serving 2,000 requests/s and caching every response ' +
  'by request id (never evicted); stop with Ctrl-C');
let nextId = 0;
setInterval(() => {
  for (let i = 0; i < 200; i++) handleRequest(`req-${nextId++}`, `user${nextId % 97}`);
}, 100);
