'use strict';
// The busy program of bench/alloc-overhead.mjs: an HTTP server (node:http)
// and a keep-alive client in one process. The client POSTs a medium JSON
// order (~3 kB) per request, CONCURRENCY requests in flight; the server
// parses it, looks the customer up in a bounded Map cache (oldest entry
// evicted past CACHE entries, ~60 % hits), builds a text receipt and a
// response object, stringifies it; the client parses the answer.
//
//   node bench/alloc-overhead-app.js [REQUESTS [WARMUP [CONCURRENCY]]]
//   (defaults 20000, 2000, 4)
//
// On exit it prints one JSON line to stdout:
//   {"requests":N,"warmup":W,"concurrency":C,"wall_ms":…,"total_ms":…,
//    "per_req_ms":…,"mean_ms":…,"p50_ms":…,"p99_ms":…,"max_rss_kb":…,…}
// wall_ms is the measured phase (after WARMUP requests); total_ms the whole
// process from its start; per_req_ms = wall_ms / N (throughput); mean/p50/p99
// are the latencies of the N measured requests, client side; max_rss_kb is
// process.resourceUsage().maxRSS (whole process, kB).
const http = require('node:http');

const REQUESTS = Number(process.argv[2] ?? 20000);
const WARMUP = Number(process.argv[3] ?? 2000);
const CONCURRENCY = Number(process.argv[4] ?? 4);
const CACHE = 3000;
const KEYS = 5000;

// deterministic PRNG (mulberry32)
let seed = 0x5eed;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
function makeOrder(i) {
  const items = [];
  const n = 12 + (i % 9);
  for (let k = 0; k < n; k++) {
    items.push({
      sku: `SKU-${(i * 31 + k * 7) % 100000}`,
      name: `${WORDS[k % 10]} ${WORDS[(i + k) % 10]} widget`,
      qty: 1 + ((i + k) % 5),
      price: Math.round(rand() * 10000) / 100,
      tags: [WORDS[(i + 2 * k) % 10], WORDS[(i + 3 * k) % 10]],
    });
  }
  return {
    id: i,
    customer: `cust-${Math.floor(rand() * KEYS)}`,
    createdAt: new Date(1700000000000 + i * 1000).toISOString(),
    shipping: { street: `${i % 999} Main Street`, city: WORDS[i % 10], zip: String(10000 + (i % 89999)) },
    items,
    notes: 'Leave at the door. '.repeat(1 + (i % 4)),
  };
}

// ---- server ----
const cache = new Map();
let hits = 0, misses = 0;
function customer(key) {
  let c = cache.get(key);
  if (c) { hits++; return c; }
  misses++;
  c = { key, tier: WORDS[key.length % 10], since: 2000 + (key.charCodeAt(key.length - 1) % 25),
    history: Array.from({ length: 8 }, (_, k) => ({ order: k, total: k * 12.5 })) };
  cache.set(key, c);
  if (cache.size > CACHE) cache.delete(cache.keys().next().value);
  return c;
}

function handle(body) {
  const order = JSON.parse(body);
  const cust = customer(order.customer);
  let total = 0;
  let receipt = `Order ${order.id} for ${cust.key} (${cust.tier}, since ${cust.since})\n`;
  for (const it of order.items) {
    const line = it.qty * it.price;
    total += line;
    receipt += `  ${it.sku.padEnd(10)} ${it.name.padEnd(28)} ${String(it.qty).padStart(3)} x ${it.price.toFixed(2)} = ${line.toFixed(2)}\n`;
  }
  receipt += `Total ${total.toFixed(2)} to ${order.shipping.street}, ${order.shipping.city.toUpperCase()} ${order.shipping.zip}\n`;
  return JSON.stringify({ ok: true, id: order.id, total: Math.round(total * 100) / 100,
    lines: order.items.length, receipt, tags: [...new Set(order.items.flatMap((x) => x.tags))] });
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const out = handle(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});

// ---- client ----
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const lat = new Float64Array(REQUESTS);
let started = 0, done = 0, t0 = 0n, bytes = 0;
const TOTAL = WARMUP + REQUESTS;

function one(port) {
  if (started >= TOTAL) return;
  const i = started++;
  const body = JSON.stringify(makeOrder(i));
  const s = process.hrtime.bigint();
  const req = http.request({ port, method: 'POST', path: `/orders/${i}`, agent,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (d) => { text += d; });
    res.on('end', () => {
      const r = JSON.parse(text);
      if (!r.ok || r.id !== i) throw new Error(`bad answer to ${i}`);
      bytes += text.length;
      if (i >= WARMUP) lat[i - WARMUP] = Number(process.hrtime.bigint() - s) / 1e6;
      done++;
      if (done === WARMUP) t0 = process.hrtime.bigint();
      if (done === TOTAL) finish();
      else one(port);
    });
  });
  req.on('error', (e) => { console.error(e); process.exit(2); });
  req.end(body);
}

function finish() {
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const total = performance.now();
  const sorted = Float64Array.from(lat).sort();
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  let sum = 0;
  for (const v of lat) sum += v;
  // a preload may hang a hook here (the sampling variant reports its samples)
  const extra = typeof globalThis.__lsBenchEnd === 'function' ? globalThis.__lsBenchEnd() : {};
  const ru = process.resourceUsage();
  process.stdout.write(JSON.stringify({
    requests: REQUESTS, warmup: WARMUP, concurrency: CONCURRENCY, node: process.version,
    wall_ms: +wall.toFixed(1), total_ms: +total.toFixed(1), per_req_ms: +(wall / REQUESTS).toFixed(4),
    mean_ms: +(sum / REQUESTS).toFixed(4), p50_ms: +q(0.5).toFixed(4), p99_ms: +q(0.99).toFixed(4),
    max_rss_kb: ru.maxRSS, heap_used_kb: Math.round(process.memoryUsage().heapUsed / 1024),
    cpu_ms: Math.round((ru.userCPUTime + ru.systemCPUTime) / 1000),
    cache_hits: hits, cache_misses: misses, bytes, ...extra,
  }) + '\n');
  agent.destroy();
  server.close();
}

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  if (WARMUP === 0) t0 = process.hrtime.bigint();
  for (let k = 0; k < CONCURRENCY; k++) one(port);
});
