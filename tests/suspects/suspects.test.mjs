// leakscope suspects: leak suspects from one snapshot. Small programs of
// several leak shapes write a snapshot once the leak dominates their heap;
// the first suspect's accumulation point must name the holder (the
// variable or property), its retained sizes must be DevTools' own, and a
// clean program has no suspect.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { runCli, describeRun, privateTmpDir } from '../js-helpers/leakscope.mjs';
import { oracle } from '../js-helpers/oracle.mjs';

const tmp = privateTmpDir('leakscope-suspects-');
test.after(() => tmp.cleanup());

const N = 15000;
const SECRET = 'SECRET-token-7f3a9c'; // a string value that must never be printed
const head = `
const v8 = require('v8');
const { EventEmitter } = require('events');
class Session { constructor(i) { this.id = i; this.token = '${SECRET}' + i; this.tags = [i, i + 1]; } }
const N = ${N};
`;
const tail = `\nv8.writeHeapSnapshot(process.argv[2]);\n`;

// shape -> [program body, what the point is, the edge holding it, the
// class of what accumulates there]
const shapes = {
  map: [`const sessionCache = new Map();
for (let i = 0; i < N; i++) sessionCache.set('s' + i, new Session(i));
globalThis.lookup = (k) => sessionCache.get(k);`, 'Map', 'sessionCache', 'Session'],
  array: [`globalThis.app = { requests: [] };
for (let i = 0; i < N; i++) globalThis.app.requests.push(new Session(i));`, 'Array', 'requests', 'Session'],
  listeners: [`const bus = new EventEmitter();
bus.setMaxListeners(0);
for (let i = 0; i < N; i++) { const s = new Session(i); bus.on('tick', () => s.id); }
globalThis.bus = bus;`, 'Array', 'tick', 'Function'],
  closures: [`const handlers = [];
for (let i = 0; i < N; i++) { const s = new Session(i); handlers.push(() => s.id); }
globalThis.runAll = () => handlers.forEach((h) => h());`, 'Array', 'handlers', 'Function'],
  // a library's internal store: a private field of a class instance
  'private-field': [`class Registry { #items = []; add(x) { this.#items.push(x); } get size() { return this.#items.length; } }
const registry = new Registry();
for (let i = 0; i < N; i++) registry.add(new Session(i));
globalThis.lib = { registry };`, 'Array', '#items', 'Session'],
  // ... and one in a closure (a factory's local variable)
  'closure-store': [`function makeStore() { const entries = []; return { put(x) { entries.push(x); }, count: () => entries.length }; }
const store = makeStore();
for (let i = 0; i < N; i++) store.put(new Session(i));
globalThis.store = store;`, 'Array', 'entries', 'Session'],
  // a known runtime leak (node-abort-any-persistent): composites of
  // AbortSignal.any() with an abort listener stay in Node's module-level
  // gcPersistentSignals Set on the versions that have the bug
  persistent: [`const root = new AbortController();
for (let i = 0; i < 8000; i++) AbortSignal.any([root.signal]).addEventListener('abort', () => {});
globalThis.root = root;`],
  // no leak: a compiler's working set, a syntax tree that is the heap's
  // largest structure while it is used; its real accumulation point is
  // the statement list
  ast: [`class AstNode { constructor(type, kids = []) { this.type = type; this.kids = kids; this.loc = { line: 1 }; } }
const program = new AstNode('Program');
program.body = [];
for (let i = 0; i < N; i++) program.body.push(new AstNode('ExpressionStatement',
  [new AstNode('CallExpression', [new AstNode('Identifier'), new AstNode('Literal')])]));
globalThis.compile = () => program.body.length;`, 'Array', 'body', 'AstNode'],
  // steady state, small: nothing dominates
  clean: [`const recent = new Map();
for (let i = 0; i < 2000; i++) { recent.set(i % 20, new Session(i)); }
globalThis.recent = () => recent.size;`],
};

function run(prog, out) {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [prog, out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d) => { err += d; });
    c.on('error', reject);
    c.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${prog}: exit ${code}\n${err}`))));
  });
}

// the snapshots, two programs at a time (Node 20 writes them slowly)
const snaps = {};
const names = Object.keys(shapes);
for (let i = 0; i < names.length; i += 2) {
  await Promise.all(names.slice(i, i + 2).map((name) => {
    const prog = path.join(tmp.dir, `${name}.js`);
    fs.writeFileSync(prog, head + shapes[name][0] + tail);
    snaps[name] = path.join(tmp.dir, `${name}.heapsnapshot`);
    return run(prog, snaps[name]);
  }));
}

function suspectsJson(args, status) {
  const r = runCli(['suspects', '--json', ...args]);
  assert.equal(r.signal, null, describeRun(r));
  assert.equal(r.status, status, describeRun(r));
  assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET), 'no string value printed');
  return JSON.parse(r.stdout);
}

for (const [name, [, pointName, edge, accClass]] of Object.entries(shapes)) {
  if (name === 'clean' || name === 'persistent') continue;
  test(`${name}: the first suspect's accumulation point is the ${pointName} held by ${edge}`, () => {
    const j = suspectsJson([snaps[name]], 1);
    assert.equal(j.threshold, 0.1);
    assert.ok(j.suspects.length >= 1);
    const x = j.suspects[0];
    assert.ok(x.share >= j.threshold, `share ${x.share}`);
    assert.ok(Math.abs(x.share - x.retained_size / j.heap_size) < 1e-6);
    const ap = x.accumulation_point;
    const last = ap.path.at(-1);
    assert.equal(last.id, ap.id);
    assert.equal(ap.name, pointName, JSON.stringify(ap.path));
    assert.equal(last.edge, edge, JSON.stringify(ap.path.map((s) => s.edge)));
    assert.ok(['property', 'context'].includes(last.edge_type), last.edge_type);
    assert.ok(ap.retained_size <= x.retained_size);
    assert.ok(ap.retained_size >= 0.7 * x.retained_size, 'the point holds most of the suspect');
    const acc = x.accumulated.find((a) => a.class === accClass);
    assert.ok(acc && acc.count >= N, JSON.stringify(x.accumulated));
    assert.ok(x.accumulated.length <= 10);
    // text: the same, in words, with the path's edge names
    const r = runCli(['suspects', snaps[name]]);
    assert.equal(r.status, 1, describeRun(r));
    assert.ok(!r.stdout.includes(SECRET));
    assert.match(r.stdout, new RegExp(`accumulation point: ${pointName} @${ap.id} `));
    assert.ok(r.stdout.includes(edge), r.stdout);
    assert.match(r.stdout, /held by \(shortest path from a root\):/);
  });
}

test('clean program: exit 0 and no suspect', () => {
  const j = suspectsJson([snaps.clean], 0);
  assert.deepEqual(j.suspects, []);
  const r = runCli(['suspects', snaps.clean]);
  assert.equal(r.status, 0, describeRun(r));
  assert.match(r.stdout, /No leak suspect/);
});

// Node.js versions with the gcPersistentSignals leak (src/analyses/trend/known.c)
function hasPersistentLeak([major, minor]) {
  return (major === 18 && minor >= 17) || (major === 20 && minor >= 3) || major === 21 ||
    (major === 22 && minor < 13) || (major === 23 && minor < 5);
}

test('a known runtime leak is named: Node\'s gcPersistentSignals (on the versions with the bug)', () => {
  const version = process.versions.node.split('.').map(Number);
  const r = runCli(['suspects', '--json', snaps.persistent]);
  const j = JSON.parse(r.stdout);
  const held = j.suspects.filter((x) => x.accumulation_point.path.at(-1)?.edge === 'gcPersistentSignals');
  if (hasPersistentLeak(version)) {
    assert.equal(r.status, 1, describeRun(r));
    assert.equal(held.length, 1, JSON.stringify(j.suspects.map((x) => x.accumulation_point.path.at(-1))));
    const x = held[0];
    assert.equal(j.suspects[0], x, 'it is the largest');
    assert.equal(x.accumulation_point.name, 'Set');
    assert.equal(x.known?.id, 'node-abort-any-persistent');
    assert.match(x.known.reference, /^https:\/\//);
    const t = runCli(['suspects', snaps.persistent]);
    assert.match(t.stdout, /KNOWN RUNTIME LEAK: .*\(node-abort-any-persistent\)/);
  } else {
    // fixed: while their source lives the composites stay, and that is the
    // program's own doing: it only resembles the known leak
    assert.equal(r.status, 1, describeRun(r));
    assert.equal(held.length, 1, JSON.stringify(j.suspects.map((x) => x.accumulation_point.path.at(-1))));
    assert.equal(held[0].known, undefined);
    assert.equal(held[0].resembles?.id, 'node-abort-any-persistent');
  }
});

test('--threshold: a percentage; above the share there is no suspect', () => {
  const j = suspectsJson(['--threshold', '10%', snaps.map], 1);
  assert.equal(j.threshold, 0.1);
  const share = j.suspects[0].share;
  const above = Math.ceil(share * 100 + 1);
  const none = suspectsJson([`--threshold=${above}`, snaps.map], 0);
  assert.equal(none.threshold, above / 100);
  assert.deepEqual(none.suspects, []);
  const low = suspectsJson(['--threshold', '2.5', snaps.map], 1);
  assert.equal(low.threshold, 0.025);
  assert.ok(low.suspects.length >= j.suspects.length);
});

test('oracle: retained sizes of suspects and accumulation points are DevTools\'', async () => {
  for (const name of ['map', 'listeners', 'private-field', 'ast']) {
    const j = suspectsJson([snaps[name]], 1);
    const o = await oracle(snaps[name]);
    const s = o.snap;
    const byId = new Map();
    const node = s.createNode(0);
    for (let i = 0; i < s.nodeCount; i++) {
      node.nodeIndex = i * s.nodeFieldCount;
      byId.set(node.id(), i);
    }
    for (const x of j.suspects) {
      if (x.kind === 'object') assert.equal(x.retained_size, s.retainedSizes[byId.get(x.id)], `${name} suspect @${x.id}`);
      const ap = x.accumulation_point;
      assert.equal(ap.retained_size, s.retainedSizes[byId.get(ap.id)], `${name} point @${ap.id}`);
    }
  }
});

test('CLI contract: --help, bad threshold, missing file, usage, --html 0600', () => {
  let r = runCli(['suspects', '--help']);
  assert.equal(r.status, 0, describeRun(r));
  assert.match(r.stdout, /^Usage: leakscope suspects /);
  assert.match(r.stdout, /--threshold PCT/);
  for (const bad of ['0', '101', 'abc', '-5', '', '10%%', '1e1', '.', 'nan', '50x']) {
    r = runCli(['suspects', '--threshold', bad, snaps.map]);
    assert.equal(r.status, 2, `--threshold '${bad}': ${describeRun(r)}`);
    assert.match(r.stderr, /--threshold/);
    assert.equal(r.stdout, '');
  }
  r = runCli(['suspects', '--threshold']);
  assert.equal(r.status, 2, describeRun(r));
  r = runCli(['suspects', path.join(tmp.dir, 'missing.heapsnapshot')]);
  assert.equal(r.status, 2, describeRun(r));
  assert.match(r.stderr, /missing\.heapsnapshot/);
  assert.equal(r.stdout, '');
  r = runCli(['suspects']);
  assert.equal(r.status, 2, describeRun(r));
  assert.match(r.stderr, /missing SNAPSHOT/);
  r = runCli(['suspects', '--bogus', snaps.map]);
  assert.equal(r.status, 2, describeRun(r));
  const bad = path.join(tmp.dir, 'bad.heapsnapshot');
  fs.writeFileSync(bad, '{"snapshot": [1, 2');
  r = runCli(['suspects', bad]);
  assert.equal(r.status, 2, describeRun(r));
  assert.match(r.stderr, /bad\.heapsnapshot: byte \d+/);
  // --html: a private file with the same suspects
  const html = path.join(tmp.dir, 'report.html');
  r = runCli(['suspects', '--json', '--html', html, snaps.listeners]);
  assert.equal(r.status, 1, describeRun(r));
  const j = JSON.parse(r.stdout);
  assert.equal(fs.statSync(html).mode & 0o777, 0o600);
  const page = fs.readFileSync(html, 'utf8');
  assert.match(page, /^<!DOCTYPE html>/);
  assert.ok(page.includes(`@${j.suspects[0].accumulation_point.id}`));
  assert.ok(page.includes('Accumulation point'));
  assert.ok(!page.includes(SECRET));
  assert.ok(!page.includes('<script'));
  r = runCli(['suspects', '--html', tmp.dir, snaps.map]);
  assert.equal(r.status, 2, describeRun(r));
});

test('--json shape', () => {
  const j = suspectsJson([snaps.listeners], 1);
  for (const k of ['path', 'node_count', 'edge_count', 'total_size']) assert.ok(k in j.snapshot, k);
  assert.equal(typeof j.heap_size, 'number');
  for (const [i, x] of j.suspects.entries()) {
    assert.ok(['object', 'class'].includes(x.kind));
    assert.equal(typeof x.name, 'string');
    assert.equal('id' in x, x.kind === 'object');
    for (const k of ['retained_size', 'share', 'count']) assert.equal(typeof x[k], 'number', k);
    const ap = x.accumulation_point;
    for (const k of ['id', 'name', 'retained_size', 'path']) assert.ok(k in ap, k);
    assert.equal(ap.path[0].edge, null);
    for (const st of ap.path) for (const k of ['name', 'type', 'id', 'edge', 'edge_type']) assert.ok(k in st, k);
    for (const a of x.accumulated) assert.deepEqual(Object.keys(a), ['class', 'count', 'self_size', 'retained_size']);
    assert.ok(Array.isArray(x.related));
    for (const r of x.related) assert.ok(r !== i && r < j.suspects.length);
    if (i) assert.ok(j.suspects[i - 1].retained_size >= x.retained_size);
  }
});
