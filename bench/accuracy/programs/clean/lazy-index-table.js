// expect: clean
// libs: none
// what: A search service builds its inverted index of 20,000 product descriptions lazily on the first search, about 10 s after start (earlier requests only browse), and a spell-check table on the first typo about 25 s in; memory steps up twice and is flat afterwards.
'use strict';
const http = require('node:http');
const { start, listen, request, drive } = require('../_lib/harness');

start('clean/lazy-index-table: an inverted index built on first search (~10 s) and a table on first typo (~25 s), then flat');
const words = ['red', 'blue', 'green', 'steel', 'wood', 'chair', 'table', 'lamp', 'desk', 'sofa', 'small', 'large', 'oak', 'pine', 'glass', 'metal'];
let index = null;
let spell = null;
function buildIndex() {
  const idx = new Map();
  for (let id = 0; id < 20000; id++) for (let k = 0; k < 4; k++) { const w = words[(id * (k + 3)) % words.length] + (id % 50); let l = idx.get(w); if (!l) idx.set(w, (l = [])); l.push(id); }
  return idx;
}
function buildSpell() { const t = new Map(); for (const w of words) for (let n = 0; n < 50; n++) t.set((w + n).split('').reverse().join(''), w + n); return t; }
const server = http.createServer((req, res) => {
  const [, kind, term] = req.url.split('/');
  if (kind === 'search') { index ||= buildIndex(); return res.end(String((index.get(term) || []).length)); }
  if (kind === 'typo') { spell ||= buildSpell(); return res.end(spell.get(term) || '?'); }
  res.end('browse');
});
const t0 = Date.now();
listen(server).then((port) => {
  drive((i) => {
    const age = Date.now() - t0;
    if (age > 25_000 && i % 7 === 0) return request(port, `/typo/${(words[i % 16] + (i % 50)).split('').reverse().join('')}`);
    if (age > 10_000 && i % 2 === 0) return request(port, `/search/${words[i % 16]}${i % 50}`);
    return request(port, `/browse/${i % 100}`);
  }, { concurrency: 3, pauseMs: 15 });
});
