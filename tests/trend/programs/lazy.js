// Clean: a service that loads modules and compiles code lazily during
// warm-up (the first snapshot interval), then serves requests from a steady
// state. Loaded modules, compiled functions and their caches stay, but stop
// growing after warm-up.
'use strict';
const { runSeries } = require('./_series.js');

const PER_STEP = Number(process.env.LS_PER_STEP || 2000);

let deps = null;
function load() { // lazy requires: what a server does on its first requests
  if (!deps) {
    deps = {
      zlib: require('zlib'),
      url: require('url'),
      util: require('util'),
      crypto: require('crypto'),
      querystring: require('querystring'),
    };
  }
  return deps;
}

// handlers compiled on first use (eval'd once, cached by name)
const handlers = new Map();
function handler(name) {
  let h = handlers.get(name);
  if (!h) {
    h = new Function('q', 'util', `return util.format('%s:%s', ${JSON.stringify(name)}, q.id || '');`);
    handlers.set(name, h);
  }
  return h;
}
const ROUTES = ['users', 'orders', 'items', 'search', 'stats', 'health', 'login', 'logout'];

function request(i) {
  const d = load();
  const u = new d.url.URL(`http://localhost/${ROUTES[i % ROUTES.length]}?id=${i}`);
  const q = d.querystring.parse(u.search.slice(1));
  const out = handler(u.pathname.slice(1))(q, d.util);
  return d.crypto.createHash('sha1').update(out).digest('hex').length;
}

let n = 0;
runSeries((k) => {
  if (k === 1) return { phase: 'cold' };
  for (let i = 0; i < PER_STEP; i++) request(n++);
  return { requests: n, handlers: handlers.size };
});
