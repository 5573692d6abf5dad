// `leakscope diff`: two snapshots of ONE node process made at test time,
// checked for the known allocations and against DevTools' own Comparison
// code (heap-snapshot-toolkit's diff(), rows merged by class name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { parse, diff as devtoolsDiff } from 'heap-snapshot-toolkit';
import { runCli, runJson, privateTmpDir, describeRun } from '../js-helpers/leakscope.mjs';

// Between the two snapshots: 300 Leaky objects are kept, the 200 Freed
// objects of the first snapshot are dropped, and some churn happens (plain
// objects, strings, arrays, two same-named classes from two places, which
// DevTools keeps apart by location and the diff merges by name).
const PROGRAM = `
const v8 = require('v8');
class Leaky { constructor(i) { this.i = i; this.tag = 'leaky'; } }
class Freed { constructor(i) { this.i = i; } }
const DupA = class Dup { constructor() { this.a = 1; } };
const DupB = (() => class Dup { constructor() { this.b = 2; } })();
let freed = [];
for (let i = 0; i < 200; i++) freed.push(new Freed(i));
globalThis.keepFreed = freed;
globalThis.churn = [];
for (let i = 0; i < 500; i++) globalThis.churn.push({ x: i, y: 's' + i });
gc();
v8.writeHeapSnapshot(process.argv[2]);
globalThis.keepFreed = null;
freed = null;
globalThis.churn.length = 250;
for (let i = 0; i < 400; i++) globalThis.churn.push({ x: i, y: 'later ' + i, z: [i] });
globalThis.leaky = [];
for (let i = 0; i < 300; i++) globalThis.leaky.push(new Leaky(i));
globalThis.dups = [];
for (let i = 0; i < 10; i++) globalThis.dups.push(new DupA(), new DupB());
gc();
v8.writeHeapSnapshot(process.argv[3]);
`;

function makePair(dir) {
  const prog = path.join(dir, 'prog.js');
  fs.writeFileSync(prog, PROGRAM, { mode: 0o600 });
  const oldFile = path.join(dir, 'old.heapsnapshot');
  const newFile = path.join(dir, 'new.heapsnapshot');
  const r = spawnSync(process.execPath, ['--expose-gc', prog, oldFile, newFile], {
    encoding: 'utf8', timeout: 120_000,
  });
  if (r.error || r.status !== 0 || !fs.existsSync(newFile)) {
    throw new Error(`snapshot program failed: ${r.error?.message ?? ''} status=${r.status}\n${r.stderr}`);
  }
  return { oldFile, newFile };
}

// DevTools' Comparison of the two files, merged by class name.
async function devtoolsByName(oldFile, newFile) {
  const a = await parse(fs.createReadStream(oldFile));
  const b = await parse(fs.createReadStream(newFile));
  const d = await devtoolsDiff(a, b);
  const byName = new Map();
  for (const row of Object.values(d)) {
    const o = byName.get(row.name) ?? { added: 0, removed: 0, added_size: 0, removed_size: 0 };
    o.added += row.addedCount;
    o.removed += row.removedCount;
    o.added_size += row.addedSize;
    o.removed_size += row.removedSize;
    byName.set(row.name, o);
  }
  for (const o of byName.values()) {
    o.count_delta = o.added - o.removed;
    o.size_delta = o.added_size - o.removed_size;
  }
  return byName;
}

function byName(json) {
  const m = new Map();
  for (const c of json.classes) {
    assert.ok(!m.has(c.name), `class ${JSON.stringify(c.name)} listed twice`);
    m.set(c.name, c);
  }
  return m;
}

let pair;
let tmp;
function setup(t) {
  if (!pair) {
    tmp = privateTmpDir('leakscope-diff-');
    pair = makePair(tmp.dir);
  }
  return pair;
}
test.after(() => tmp?.cleanup());

test('diff: Leaky added 300, Freed removed 200, JSON shape and order', (t) => {
  const { oldFile, newFile } = setup(t);
  const r = runCli(['diff', '--json', oldFile, newFile]);
  assert.equal(r.status, 0, describeRun(r));
  assert.equal(r.stderr, '', 'no warning for two snapshots of one process in order');
  assert.deepEqual(JSON.parse(r.stdout).warnings, [], 'none in the JSON either');
  const j = JSON.parse(r.stdout);
  const rows = byName(j);
  const leaky = rows.get('Leaky');
  assert.ok(leaky, 'a Leaky row');
  assert.equal(leaky.added, 300);
  assert.equal(leaky.removed, 0);
  assert.equal(leaky.count_delta, 300);
  assert.ok(leaky.added_size >= 300 * 12, `Leaky added_size ${leaky.added_size}`);
  assert.equal(leaky.size_delta, leaky.added_size);
  const freed = rows.get('Freed');
  assert.ok(freed, 'a Freed row');
  assert.equal(freed.removed, 200);
  assert.equal(freed.added, 0);
  assert.equal(freed.count_delta, -200);
  assert.equal(freed.size_delta, -freed.removed_size);
  assert.equal(rows.get('Dup')?.added, 20, 'both classes named Dup in one row');

  for (const c of j.classes) {
    assert.deepEqual(Object.keys(c),
      ['name', 'added', 'removed', 'count_delta', 'added_size', 'removed_size', 'size_delta']);
    assert.ok(c.added || c.removed, `${c.name}: listed without a change`);
    assert.equal(c.count_delta, c.added - c.removed);
    assert.equal(c.size_delta, c.added_size - c.removed_size);
  }
  for (let i = 1; i < j.classes.length; i++) {
    const p = j.classes[i - 1], q = j.classes[i];
    const ok = Math.abs(p.size_delta) > Math.abs(q.size_delta) ||
      (Math.abs(p.size_delta) === Math.abs(q.size_delta) && Buffer.compare(Buffer.from(p.name), Buffer.from(q.name)) < 0);
    assert.ok(ok, `order at ${i}: ${p.name} (${p.size_delta}) before ${q.name} (${q.size_delta})`);
  }
  // old/new headers equal what summary says of each file
  for (const [key, file] of [['old', oldFile], ['new', newFile]]) {
    const s = runJson(['summary', '--json', '--top', '1', file]).snapshot;
    assert.deepEqual(j[key], s, `${key} header`);
  }
});

test('diff: per-class numbers equal DevTools\' Comparison (heap-snapshot-toolkit diff, merged by name)', async (t) => {
  const { oldFile, newFile } = setup(t);
  const j = runJson(['diff', '--json', oldFile, newFile]);
  const got = byName(j);
  const exp = await devtoolsByName(oldFile, newFile);
  const problems = [];
  for (const name of new Set([...exp.keys(), ...got.keys()])) {
    const e = exp.get(name);
    const g = got.get(name);
    const fields = ['added', 'removed', 'count_delta', 'added_size', 'removed_size', 'size_delta'];
    if (!e || !g || fields.some((f) => e[f] !== g[f])) {
      problems.push(`${JSON.stringify(name)}: DevTools ${JSON.stringify(e)} leakscope ${JSON.stringify(g && Object.fromEntries(fields.map((f) => [f, g[f]])))}`);
    }
  }
  assert.ok(exp.size > 5, `DevTools found ${exp.size} changed classes`);
  assert.deepEqual(problems, [], `${problems.length} of ${exp.size} classes differ:\n${problems.slice(0, 20).join('\n')}`);
});

test('diff: swapped files warn on stderr and still diff (mirrored)', (t) => {
  const { oldFile, newFile } = setup(t);
  const fwd = byName(runJson(['diff', '--json', oldFile, newFile]));
  const r = runCli(['diff', '--json', newFile, oldFile]);
  assert.equal(r.status, 0, describeRun(r));
  assert.match(r.stderr, /warning: the files look swapped/);
  assert.deepEqual(JSON.parse(r.stdout).warnings, ['swapped'], 'and in the JSON');
  const back = byName(JSON.parse(r.stdout));
  assert.equal(back.size, fwd.size);
  for (const [name, c] of fwd) {
    const b = back.get(name);
    assert.ok(b, name);
    assert.equal(b.added, c.removed, `${name} added`);
    assert.equal(b.removed, c.added, `${name} removed`);
    assert.equal(b.size_delta + c.size_delta, 0, `${name} size_delta`);
  }
});

test('diff: snapshots of two different programs: warning on stderr', (t) => {
  const { oldFile } = setup(t);
  const other = path.join(tmp.dir, 'other.heapsnapshot');
  const r0 = spawnSync(process.execPath, ['-e',
    `const m = []; for (let i = 0; i < 50000; i++) m.push({ i }); require('v8').writeHeapSnapshot(${JSON.stringify(other)})`],
  { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r0.status, 0, r0.stderr);
  const r = runCli(['diff', '--json', oldFile, other]);
  assert.equal(r.status, 0, describeRun(r));
  assert.match(r.stderr, /probably from different processes/);
  const w = JSON.parse(r.stdout).warnings;
  assert.equal(w.length, 1, `one "different processes" warning in the JSON: ${w}`);
  assert.ok(['few_shared_ids', 'changed_classes'].includes(w[0]), w[0]);
});

test('diff: gzip and standard input give the same result; text table', (t) => {
  const { oldFile, newFile } = setup(t);
  const plain = runJson(['diff', '--json', oldFile, newFile]);
  const gz = path.join(tmp.dir, 'new.gz');
  fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(newFile)), { mode: 0o600 });
  const z = runJson(['diff', '--json', oldFile, gz]);
  assert.deepEqual(z.classes, plain.classes);
  const r = runCli(['diff', '--json', '-', newFile], { input: fs.readFileSync(oldFile) });
  assert.equal(r.status, 0, describeRun(r));
  assert.deepEqual(JSON.parse(r.stdout).classes, plain.classes);
  assert.equal(JSON.parse(r.stdout).old.path, '-');

  const txt = runCli(['diff', oldFile, newFile]);
  assert.equal(txt.status, 0, describeRun(txt));
  assert.match(txt.stdout, /^Old .*old\.heapsnapshot\n/);
  assert.match(txt.stdout, /\nNew .*new\.heapsnapshot\n/);
  const line = txt.stdout.split('\n').find((l) => /^\s+\d+\s+Leaky\s/.test(l));
  assert.ok(line, `a Leaky line in:\n${txt.stdout}`);
  assert.match(line, /\s300\s+0\s+\+300\s/);
});

test('diff: usage errors exit 2, --help exits 0', (t) => {
  const { oldFile } = setup(t);
  const help = runCli(['diff', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: leakscope diff \[--json\] OLD NEW/);
  for (const args of [['diff'], ['diff', oldFile], ['diff', '--json', oldFile], ['diff', '-', '-'],
    ['diff', '--bogus', oldFile, oldFile], ['diff', oldFile, oldFile, oldFile]]) {
    const r = runCli(args, { input: '' });
    assert.equal(r.status, 2, describeRun(r));
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /leakscope diff: /);
  }
  const missing = path.join(tmp.dir, 'missing.heapsnapshot');
  for (const args of [['diff', missing, oldFile], ['diff', oldFile, missing]]) {
    const r = runCli(args);
    assert.equal(r.status, 2, describeRun(r));
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.includes(missing), r.stderr);
  }
  const bad = path.join(tmp.dir, 'bad.heapsnapshot');
  fs.writeFileSync(bad, '{"snapshot": [', { mode: 0o600 });
  const r = runCli(['diff', oldFile, bad]);
  assert.equal(r.status, 2, describeRun(r));
  assert.match(r.stderr, /bad\.heapsnapshot: byte \d+/);
});
