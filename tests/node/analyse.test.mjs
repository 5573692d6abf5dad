// The analyser from JavaScript (require('leakscope')): each function gives
// the same object as the CLI's --json on the same files, errors carry the
// CLI's message and a code, bad arguments throw at once, the event loop
// keeps turning while a large snapshot loads, it works in a Worker, and
// repeated use does not grow the process.
// Runs on whichever node runs the tests (the README's test command runs
// this folder on Node 20 and on Node 22).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { repoRoot, assertBinary, runCli, describeRun, privateTmpDir } from '../js-helpers/leakscope.mjs';
import { makeSeries } from '../js-helpers/series.mjs';
import { node22Path } from '../js-helpers/cache.mjs';

const require = createRequire(import.meta.url);
const leakscope = require(path.join(repoRoot, 'lib', 'index.js'));

let tmp;
let snap;     // one small snapshot of a real program
let series;   // a leaking series (map-cache)
before(async () => {
  assertBinary();
  tmp = privateTmpDir('leakscope-node-analyse-');
  snap = path.join(tmp.dir, 'small.heapsnapshot');
  const r = spawnSync(process.execPath, ['-e',
    `const m = new Map(); for (let i = 0; i < 500; i++) m.set('k' + i, { i, tag: 'entry' });
     globalThis.keep = m; require('v8').writeHeapSnapshot(${JSON.stringify(snap)});`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  series = await makeSeries({ script: path.join(repoRoot, 'tests', 'trend', 'programs', 'map-cache.js'), count: 5 });
});
after(() => {
  tmp?.cleanup();
  series?.cleanup();
});

function cliJson(args) {
  const r = runCli(args, { timeoutMs: 60_000 });
  assert.ok(r.status === 0 || r.status === 1, describeRun(r));
  return JSON.parse(r.stdout);
}

test('summary(): the CLI\'s summary --json, all classes or { top }', async () => {
  assert.deepEqual(await leakscope.summary(snap), cliJson(['summary', '--json', snap]));
  const top = await leakscope.summary(snap, { top: 3 });
  assert.deepEqual(top, cliJson(['summary', '--json', '--top', '3', snap]));
  assert.equal(top.classes.length, 3);
});

test('paths(), handles(), diff(): the CLI\'s --json', async () => {
  assert.deepEqual(await leakscope.paths(snap, 'Map', { n: 2 }), cliJson(['paths', '--json', '-n', '2', snap, 'Map']));
  assert.deepEqual(await leakscope.paths(snap, 'Object'), cliJson(['paths', '--json', snap, 'Object']), 'same default n');
  const some = (await leakscope.paths(snap, 'Map')).paths[0].id;
  assert.deepEqual(await leakscope.paths(snap, some), cliJson(['paths', '--json', snap, `@${some}`]),
    'a number is the object with that id');
  const h = await leakscope.handles(snap);
  assert.deepEqual({ ...h, leak: undefined }, { ...cliJson(['handles', '--json', snap]), leak: undefined });
  assert.equal(h.leak, false);
  const [a, b] = [series.paths[0], series.paths[4]];
  assert.deepEqual(await leakscope.diff(a, b), cliJson(['diff', '--json', a, b]));
});

test('trend(): the CLI\'s trend --json, from files or a folder, with leak = (verdict is leak)', async () => {
  const cli = cliJson(['trend', '--json', ...series.paths]);
  const t = await leakscope.trend(series.paths);
  assert.equal(t.leak, true);
  assert.deepEqual({ ...t, leak: undefined }, { ...cli, leak: undefined });
  const fromDir = await leakscope.trend(series.dir, { max: 1 });
  assert.equal(fromDir.verdict, 'leak');
  assert.deepEqual(fromDir.snapshots, cli.snapshots);
  assert.ok(fromDir.suspects.filter((s) => s.group === -1).length <= 1, 'max: at most one leading suspect');
});

test('errors reject with the CLI\'s message and a code', async () => {
  const missing = path.join(tmp.dir, 'nope.heapsnapshot');
  await assert.rejects(leakscope.summary(missing), (e) => {
    assert.equal(e.code, 'LS_ERR_IO');
    assert.equal(e.message, `${missing}: cannot open: No such file or directory`);
    return true;
  });
  const bad = path.join(tmp.dir, 'bad.heapsnapshot');
  fs.writeFileSync(bad, '{"snapshot": {"meta": 3}}');
  const cli = runCli(['summary', bad]);
  assert.equal(cli.status, 2);
  await assert.rejects(leakscope.handles(bad), (e) => {
    assert.equal(e.code, 'LS_ERR_PARSE');
    assert.equal(`leakscope: ${e.message}\n`, cli.stderr, 'the same words as the CLI');
    assert.match(e.message, /byte \d+/);
    return true;
  });
  // trend: the message names the file and the byte once, as the CLI's does
  const cut = path.join(tmp.dir, 'cut.heapsnapshot');
  fs.writeFileSync(cut, fs.readFileSync(snap).subarray(0, 5000));
  const cliTrend = runCli(['trend', snap, snap, cut]);
  assert.equal(cliTrend.status, 2);
  await assert.rejects(leakscope.trend([snap, snap, cut]), (e) => {
    assert.equal(e.code, 'LS_ERR_PARSE');
    assert.equal(`leakscope: ${e.message}\n`, cliTrend.stderr);
    assert.equal(e.message.match(/byte \d+/g).length, 1, e.message);
    return true;
  });
  await assert.rejects(leakscope.paths(snap, '@1234567890123'), (e) => e.code === 'LS_ERR_INVALID_ARG' && /1234567890123/.test(e.message));
  // a folder's contents are data: problems reject, like a file's
  const nodir = path.join(tmp.dir, 'no-such-dir');
  await assert.rejects(leakscope.trend(nodir), { code: 'LS_ERR_IO', message: `${nodir}: cannot open: No such file or directory` });
  const two = path.join(tmp.dir, 'two');
  fs.mkdirSync(two);
  fs.copyFileSync(snap, path.join(two, 'a.heapsnapshot'));
  fs.copyFileSync(snap, path.join(two, 'b.heapsnapshot'));
  fs.writeFileSync(path.join(two, 'notes.txt'), 'not a snapshot');
  await assert.rejects(leakscope.trend(two), (e) => {
    assert.equal(e.code, 'LS_ERR_INVALID_ARG');
    assert.match(e.message, /: 2 \.heapsnapshot files in the directory: a trend needs at least 3/);
    return true;
  });
  await assert.rejects(leakscope.diff(snap, missing), { code: 'LS_ERR_IO' });
});

test('bad arguments throw at once (nothing starts)', () => {
  assert.throws(() => leakscope.summary(), TypeError);
  assert.throws(() => leakscope.summary(42), TypeError);
  assert.throws(() => leakscope.summary(snap, { top: 0 }), RangeError);
  assert.throws(() => leakscope.summary(snap, { top: 1.5 }), RangeError);
  assert.throws(() => leakscope.summary(snap, 'top'), TypeError);
  assert.throws(() => leakscope.diff(snap), TypeError);
  assert.throws(() => leakscope.trend([snap, snap]), /at least 3/);
  assert.throws(() => leakscope.trend(snap), TypeError, 'a file is not a series');
  assert.throws(() => leakscope.trend({}), TypeError);
  assert.throws(() => leakscope.paths(snap), TypeError);
  assert.throws(() => leakscope.paths(snap, 'Map', { n: -1 }), RangeError);
  assert.throws(() => leakscope.handles(null), TypeError);
  assert.equal(require(path.join(repoRoot, 'lib', 'addon.js')).pending(), 0, 'no work was queued');
});

test('an addon that is not built: a clear error saying how to build it', () => {
  const r = spawnSync(process.execPath, ['-e', `
    try { require(${JSON.stringify(path.join(repoRoot, 'lib', 'index.js'))}); console.log('loaded'); }
    catch (e) { console.log(e.code); console.log(e.message); }`],
  { encoding: 'utf8', env: { ...process.env, LEAKSCOPE_ADDON: path.join(tmp.dir, 'missing.node') } });
  assert.equal(r.status, 0, r.stderr);
  const [code, message] = r.stdout.split('\n');
  assert.equal(code, 'LS_ERR_ADDON');
  assert.match(message, /missing\.node \(not found\); build it with `npm rebuild leakscope --build-from-source`.*npm approve-scripts leakscope/);
});

test('the event loop keeps turning while a large snapshot loads off the main thread', async () => {
  // ~120 MB of snapshot, written quickly by Node 22 (Node 20 is slow at it)
  const big = path.join(tmp.dir, 'big.heapsnapshot');
  const g = spawnSync(node22Path(), [path.join(repoRoot, 'bench', 'gen-snapshots.mjs'), '--units', '60000', '--file', big],
    { encoding: 'utf8', timeout: 300_000 });
  assert.equal(g.status, 0, g.stderr);
  let ticks = 0;
  const timer = setInterval(() => { ticks++; }, 5);
  const t0 = performance.now();
  const s = await leakscope.summary(big, { top: 5 });
  const ms = performance.now() - t0;
  clearInterval(timer);
  assert.ok(s.snapshot.node_count > 1_000_000, `a large heap: ${s.snapshot.node_count} nodes`);
  // a blocked loop would give 0 or 1 tick; a free one about ms/5
  assert.ok(ms > 50, `loading took ${ms} ms`);
  assert.ok(ticks >= Math.floor(ms / 5 / 4), `${ticks} timer ticks in ${ms.toFixed(0)} ms`);
});

test('works in worker_threads; terminating a Worker with work in flight is safe', async () => {
  const code = `
    const { parentPort, workerData } = require('worker_threads');
    const l = require(workerData.lib);
    l.summary(workerData.snap, { top: 1 }).then((s) => parentPort.postMessage(s.classes[0].name));`;
  const names = await Promise.all([0, 1, 2].map(() => new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { lib: path.join(repoRoot, 'lib', 'index.js'), snap } });
    w.once('message', resolve);
    w.once('error', reject);
  })));
  const main = await leakscope.summary(snap, { top: 1 });
  assert.deepEqual(names, [main.classes[0].name, main.classes[0].name, main.classes[0].name]);
  // terminate while analyses run: no crash, the process goes on
  const killer = `
    const { workerData } = require('worker_threads');
    const l = require(workerData.lib);
    for (let i = 0; i < 4; i++) l.summary(workerData.snap);`;
  for (let i = 0; i < 5; i++) {
    const w = new Worker(killer, { eval: true, workerData: { lib: path.join(repoRoot, 'lib', 'index.js'), snap } });
    await new Promise((r) => w.once('online', r));
    await w.terminate();
  }
  assert.equal((await leakscope.summary(snap, { top: 1 })).classes[0].name, main.classes[0].name);
});

test('environments that load the addon and end leave nothing behind', async () => {
  // each Worker loads the addon (its own instance data, TickLoop state and
  // cleanup hooks), analyses, runs a loop, and exits; what a teardown
  // forgot to free would pile up over the Workers
  const code = `
    const { parentPort, workerData } = require('worker_threads');
    const l = require(workerData.lib);
    const loop = new l.TickLoop();
    loop.add(() => {});
    loop.runSync(1000);
    l.summary(workerData.snap, { top: 1 }).then(() => parentPort.postMessage('done'));`;
  const one = () => new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { lib: path.join(repoRoot, 'lib', 'index.js'), snap } });
    w.once('error', reject);
    w.once('exit', resolve);
    w.once('message', () => {});
  });
  for (let i = 0; i < 10; i++) await one(); // warm-up: allocator pools
  if (global.gc) global.gc();
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 60; i++) await one();
  if (global.gc) global.gc();
  const grown = process.memoryUsage().rss - before;
  // a Worker's heap is several MB: 60 leaked environments would be hundreds
  assert.ok(grown < 48 << 20, `RSS grew ${(grown / 1048576).toFixed(1)} MiB over 60 Workers`);
});

test('repeated analyses do not grow the process', async () => {
  const round = async () => {
    for (let i = 0; i < 20; i++) {
      await leakscope.summary(snap);
      await leakscope.paths(snap, 'Map');
      await leakscope.summary(path.join(tmp.dir, 'missing')).catch(() => {});
    }
  };
  await round(); // warm-up: allocator pools, code
  if (global.gc) global.gc();
  const before = process.memoryUsage().rss;
  for (let k = 0; k < 5; k++) await round();
  if (global.gc) global.gc();
  const grown = process.memoryUsage().rss - before;
  // 300 analyses of a ~1 MB snapshot: a leak of the heap per call would be
  // hundreds of MB; allow allocator noise
  assert.ok(grown < 24 << 20, `RSS grew ${(grown / 1048576).toFixed(1)} MiB over 300 analyses`);
});
