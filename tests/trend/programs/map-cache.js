// Leak: a module-level Map used as a session cache, one entry per simulated
// request, never evicted. The holder is the module variable `sessionCache`
// (a context slot of the module function, reached through handleRequest).
'use strict';
const { runSeries } = require('./_series.js');

const PER_STEP = Number(process.env.LS_PER_STEP || 1500);

class Session {
  constructor(id, user) {
    this.id = id;
    this.user = user;
    this.createdAt = Date.now();
    this.cart = [];
    this.flags = { admin: false, beta: id % 7 === 0 };
  }
}

const sessionCache = new Map();

function handleRequest(n) {
  const sid = `sid-${n.toString(36)}-${(n * 2654435761 >>> 0).toString(16)}`;
  let s = sessionCache.get(sid);
  if (!s) {
    s = new Session(n, `user${n % 977}`);
    sessionCache.set(sid, s);
  }
  s.cart.push({ sku: n % 100, qty: 1 });
  // per-request garbage
  const body = JSON.stringify({ sid, items: s.cart, t: s.createdAt });
  return body.length;
}

let n = 0;
let bytes = 0;
runSeries(() => {
  for (let i = 0; i < PER_STEP; i++) bytes += handleRequest(n++);
  return { requests: n, sessions: sessionCache.size, bytes };
});
