// The handle-scope audit on the case it was made for (DESIGN.md, case 1):
// a Node-API addon (loop.c, compiled here with gcc) calls a JS callback from
// a C loop, with or without a handle scope per iteration; the callback
// writes a heap snapshot mid-loop and `leakscope handles` must see ~3 live
// handles per call made so far without scopes, and a few dozen with them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli, describeRun, privateTmpDir, assertBinary } from '../js-helpers/leakscope.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const CALLS = 30_000; // calls of the loop
const AT = 20_000; // the call that writes the snapshot
const FEW = 1_000; // "few" handles: a JS-only process holds a few dozen

// Node's headers: next to the running node first (nvm, tarballs), then the
// system's.
function nodeIncludeDir() {
  const candidates = [
    path.resolve(path.dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ];
  const dir = candidates.find((d) => fs.existsSync(path.join(d, 'node_api.h')));
  if (!dir) throw new Error(`node_api.h not found in ${candidates.join(', ')}: install Node's headers (e.g. apt-get install libnode-dev)`);
  return dir;
}

let tmp;
let addon;

before(() => {
  assertBinary();
  tmp = privateTmpDir('leakscope-handles-');
  addon = path.join(tmp.dir, 'loop.node');
  const cc = process.env.CC || 'gcc';
  const r = spawnSync(cc, ['-shared', '-fPIC', '-O2', '-Wall', '-Wextra', `-I${nodeIncludeDir()}`,
    '-o', addon, path.join(here, 'loop.c')], { encoding: 'utf8', timeout: 60_000 });
  if (r.error || r.status !== 0) {
    throw new Error(`compiling tests/handles/loop.c with ${cc} failed: ${r.error?.message ?? ''}\n${r.stderr}`);
  }
});

after(() => tmp?.cleanup());

// Run the loop in a fresh node; the callback writes `out` at call AT.
const driver = `
const v8 = require('node:v8');
const [addon, out, scoped, n, at] = process.argv.slice(1);
const { run } = require(addon);
let calls = 0, callsBefore = -1, ms = 0;
run(Number(n), () => {
  if (++calls === Number(at)) {
    callsBefore = calls - 1;
    const t0 = Date.now();
    v8.writeHeapSnapshot(out);
    ms = Date.now() - t0;
  }
}, scoped === '1');
console.log(JSON.stringify({ calls, callsBefore, ms }));
`;

function loopSnapshot(name, scoped) {
  const out = path.join(tmp.dir, `${name}.heapsnapshot`);
  const r = spawnSync(process.execPath, ['-e', driver, addon, out, scoped ? '1' : '0', String(CALLS), String(AT)],
    { encoding: 'utf8', timeout: 120_000 });
  if (r.error || r.status !== 0 || !fs.existsSync(out)) {
    throw new Error(`loop (${name}) failed: ${r.error?.message ?? ''} status=${r.status} signal=${r.signal}\n${r.stderr}`);
  }
  const facts = JSON.parse(r.stdout.trim().split('\n').pop());
  assert.equal(facts.calls, CALLS, 'the addon loaded and ran every call');
  assert.equal(facts.callsBefore, AT - 1);
  return { out, ...facts };
}

function handleScope(j) {
  const r = j.roots.find((x) => x.name === '(Handle scope)');
  assert.ok(r, `a (Handle scope) root in ${JSON.stringify(j.roots.map((x) => x.name))}`);
  return r;
}

test('handles: unscoped native loop leaks ~3 handles per call and is reported with the fix', (t) => {
  const snap = loopSnapshot('unscoped', false);
  const r = runCli(['handles', '--json', snap.out]);
  assert.equal(r.signal, null, describeRun(r));
  assert.equal(r.status, 1, `exit 1 on a leak\n${describeRun(r)}`);
  const j = JSON.parse(r.stdout);
  assert.equal(j.snapshot.path, snap.out);
  assert.equal(j.verdict, 'leak');
  assert.equal(j.threshold, 10000);
  assert.equal(j.roots[0].name, '(Handle scope)', 'the local handles come first');
  const hs = handleScope(j);
  // The snapshot is written inside call AT: calls 1..AT-1 left 3 handles
  // each, call AT its function and receiver so far.
  const perCall = hs.handles / AT;
  t.diagnostic(`(Handle scope) ${hs.handles} handles after ${AT} calls: ${perCall.toFixed(4)} per call; ` +
    `snapshot written in ${snap.ms} ms`);
  assert.ok(hs.handles >= 2.5 * AT && hs.handles <= 3.5 * AT, `handles ${hs.handles} ≈ 3 × ${AT}`);
  const fn = hs.by_class.find((c) => c.name === 'Function');
  assert.ok(fn && fn.count >= AT - 1, `one function handle per call: ${JSON.stringify(hs.by_class.slice(0, 5))}`);
  const sum = hs.by_class.reduce((a, c) => a + c.count, 0);
  assert.equal(sum, hs.handles, 'by_class counts every handle');
  for (let i = 1; i < hs.by_class.length; i++) {
    assert.ok(hs.by_class[i - 1].count >= hs.by_class[i].count, 'by_class: most first');
  }
  assert.ok(j.roots.some((x) => x.name === '(Global handles)'));
  assert.match(j.message, /napi_open_handle_scope/);
  assert.match(j.message, /napi_close_handle_scope/);

  const txt = runCli(['handles', snap.out]);
  assert.equal(txt.status, 1, describeRun(txt));
  assert.match(txt.stdout, /\(Handle scope\)/);
  assert.match(txt.stdout, /LEAK/);
  assert.match(txt.stdout, /napi_open_handle_scope/);
  assert.match(txt.stdout, /Napi::HandleScope/);
  assert.equal(txt.stderr, '');
});

test('handles: a handle scope per iteration keeps a few handles and is clean', (t) => {
  const snap = loopSnapshot('scoped', true);
  const r = runCli(['handles', '--json', snap.out]);
  assert.equal(r.status, 0, describeRun(r));
  const j = JSON.parse(r.stdout);
  assert.equal(j.verdict, 'clean');
  const hs = handleScope(j);
  t.diagnostic(`(Handle scope) ${hs.handles} handles with a scope per iteration (after ${AT} calls)`);
  assert.ok(hs.handles < FEW, `few handles with scopes: ${hs.handles}`);
  assert.match(j.message, /no handle-scope leak/);

  const txt = runCli(['handles', snap.out]);
  assert.equal(txt.status, 0, describeRun(txt));
  assert.match(txt.stdout, /no handle-scope leak/);
  assert.doesNotMatch(txt.stdout, /LEAK/);
});

test('handles: usage', () => {
  const help = runCli(['handles', '--help']);
  assert.equal(help.status, 0, describeRun(help));
  assert.match(help.stdout, /^Usage: leakscope handles \[--json\] SNAPSHOT/);
  for (const args of [['handles'], ['handles', '-n', '3', 'x.heapsnapshot'], ['handles', '--raw-sizes', 'x.heapsnapshot']]) {
    const r = runCli(args);
    assert.equal(r.status, 2, describeRun(r));
    assert.equal(r.stdout, '');
  }
  const missing = runCli(['handles', path.join(tmp.dir, 'missing.heapsnapshot')]);
  assert.equal(missing.status, 2, describeRun(missing));
  assert.match(missing.stderr, /missing\.heapsnapshot/);
});
