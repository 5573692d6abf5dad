// expect: clean
// libs: semver
// what: A package-resolution service checks many version/range pairs with semver; semver caches parsed ranges in its own bounded LRU (1000 entries), and the ranges come from a large space, so the cache fills during warm-up and then rotates at a fixed size.
'use strict';
const http = require('node:http');
const semver = require('semver');
const { start, listen, request, drive } = require('../_lib/harness');

start('clean/semver-range-cache: semver.satisfies over thousands of ranges (semver\'s range cache is a bounded LRU)');
const server = http.createServer((req, res) => {
  const n = Number(req.url.slice(3));
  const range = `>=${n % 9}.${n % 17}.0 <${1 + (n % 9)}.${n % 23}.${n % 5} || ^${n % 4}.${(n >> 3) % 30}.x`;
  const versions = [`${n % 9}.${n % 20}.${n % 7}`, `${(n + 1) % 9}.0.0`, `${n % 4}.${(n >> 3) % 30}.9`];
  res.end(JSON.stringify({ range, max: semver.maxSatisfying(versions, range), ok: versions.map((v) => semver.satisfies(v, range)) }));
});
listen(server).then((port) => {
  drive((i) => request(port, `/r/${(i * 7919) % 20000}`), { concurrency: 4, pauseMs: 15 });
});
