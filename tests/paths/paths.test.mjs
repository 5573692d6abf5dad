// leakscope paths: retainer paths name the variable and property that hold
// an object, on a snapshot made at test time.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli, runJson, describeRun, privateTmpDir } from '../js-helpers/leakscope.mjs';

const tmp = privateTmpDir('leakscope-paths-');
test.after(() => tmp.cleanup());

// A module-level Map (a closure context variable), a property chain from
// the global object, and an object only a WeakRef holds (freed by the GC
// that writing a snapshot runs).
const program = `
const v8 = require('v8');
class Session { constructor(i) { this.i = i; } }
class Order { constructor(i) { this.i = i; } }
class Ghost { constructor() { this.x = 1; } }
const sessionCache = new Map();
for (let i = 0; i < 50; i++) sessionCache.set('s' + i, new Session(i));
globalThis.shop = { orders: [] };
for (let i = 0; i < 20; i++) globalThis.shop.orders.push(new Order(i));
globalThis.ghostRef = new WeakRef(new Ghost());
function keep() { return sessionCache.size; }
globalThis.keep = keep;
// a WeakRef's target is kept strongly until the current job ends: write the
// snapshot from a later one
setImmediate(() => v8.writeHeapSnapshot(process.argv[2]));
`;
const prog = path.join(tmp.dir, 'prog.js');
const snap = path.join(tmp.dir, 'paths.heapsnapshot');
fs.writeFileSync(prog, program);
const made = spawnSync(process.execPath, [prog, snap], { encoding: 'utf8' });
assert.equal(made.status, 0, made.stderr);

test('a class in a Map held by a module variable: the path names the variable', () => {
  const j = runJson(['paths', '--json', '-n', '2', snap, 'Session']);
  assert.equal(j.query, 'Session');
  assert.equal(j.match_count, 50);
  assert.equal(j.paths.length, 2);
  for (const p of j.paths) {
    assert.ok(p.reachable);
    const steps = p.path;
    assert.equal(steps[0].edge, null, 'the first step is a root');
    assert.equal(steps.at(-1).id, p.id);
    assert.equal(steps.at(-1).name, 'Session');
    const v = steps.findIndex((s) => s.edge === 'sessionCache');
    assert.ok(v > 0, `a step through the variable sessionCache: ${JSON.stringify(steps)}`);
    assert.equal(steps[v].edge_type, 'context');
    assert.equal(steps[v].name, 'Map');
  }
});

test('properties from the global object: .shop.orders[i]', () => {
  const j = runJson(['paths', '--json', snap, 'Order']);
  const steps = j.paths[0].path;
  assert.equal(steps[0].name, 'global');
  const edges = steps.map((s) => s.edge);
  assert.ok(edges.includes('shop') && edges.includes('orders'), JSON.stringify(edges));
  // the same object by @ID gives the same path
  const byId = runJson(['paths', '--json', snap, `@${j.paths[0].id}`]);
  assert.equal(byId.match_count, 1);
  assert.deepEqual(byId.paths[0].path, steps);
  // text: one step per line, naming the properties, root first
  const r = runCli(['paths', snap, `@${j.paths[0].id}`]);
  assert.equal(r.status, 0, describeRun(r));
  const lines = r.stdout.split('\n');
  const g = lines.findIndex((l) => /^\s+global @\d+/.test(l));
  const s = lines.findIndex((l) => l.includes('.shop'));
  const o = lines.findIndex((l) => l.includes('.orders'));
  assert.ok(g >= 0 && g < s && s < o, r.stdout);
});

test('weakly held objects are gone; the root is its own one-step path', () => {
  // the snapshot's own GC frees what only the WeakRef held
  const r = runCli(['paths', snap, 'Ghost']);
  assert.equal(r.status, 2, describeRun(r));
  const j = runJson(['paths', '--json', snap, '@1']); // V8's root node
  assert.equal(j.paths[0].reachable, true);
  assert.equal(j.paths[0].path.length, 1);
  assert.equal(j.paths[0].path[0].edge, null);
});

test('unknown id or class, missing query: exit 2 with a message', () => {
  for (const [args, word] of [[['paths', snap, '@999999999'], 'no object with id'],
    [['paths', snap, 'NoSuchClass'], 'no class named'],
    [['paths', snap], 'missing'],
    [['paths', snap, 'Session', '-n', '0'], 'positive']]) {
    const r = runCli(args);
    assert.equal(r.status, 2, describeRun(r));
    assert.match(r.stderr, new RegExp(word));
    assert.equal(r.stdout, '');
  }
});
