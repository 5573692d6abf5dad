'use strict';
// An array of closures: every request adds a callback, none is removed.
const every = require('./clock');

const callbacks = [];

function makeCallback(id) {
  const seen = { id, count: 0 };
  return () => { seen.count++; return id; };
}

function onRequest(i) {
  callbacks.push(makeCallback(i));
}

every(4000, onRequest);
