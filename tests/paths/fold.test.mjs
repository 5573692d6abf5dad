// leakscope paths: an object held through a 5,000-node linked list has a
// short path: the repeated .next steps are folded into one marker step.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { repoRoot, runCli, runJson, describeRun, privateTmpDir } from '../js-helpers/leakscope.mjs';

const tmp = privateTmpDir('leakscope-fold-');
test.after(() => tmp.cleanup());

const LENGTH = 5000;
const snap = path.join(tmp.dir, 'list.heapsnapshot');
// Only globalThis.list holds the list (built in a function: no variable
// keeps a node); the Target hangs from the last node.
const program = `
class ListNode { constructor(next) { this.next = next; } }
class Target { constructor() { this.x = 1; } }
(function () {
  let head = new ListNode(null);
  head.target = new Target();
  for (let i = 1; i < ${LENGTH}; i++) head = new ListNode(head);
  globalThis.list = head;
})();
gc();
require('v8').writeHeapSnapshot(process.argv[1]);
`;
const made = spawnSync(process.execPath, ['--expose-gc', '-e', program, snap], { encoding: 'utf8' });
assert.equal(made.status, 0, made.stderr);

test('a path through a 5,000-node list: a few steps, one marker for the rest', () => {
  const j = runJson(['paths', '--json', snap, 'Target']);
  assert.equal(j.match_count, 1);
  const steps = j.paths[0].path;
  assert.ok(steps.length < 50, `${steps.length} steps: ${JSON.stringify(steps).slice(0, 2000)}`);
  assert.equal(steps[0].name, 'global');
  assert.equal(steps[1].edge, 'list');
  assert.equal(steps.at(-1).name, 'Target');
  assert.equal(steps.at(-1).edge, 'target');
  assert.equal(steps.at(-1).id, j.paths[0].id);
  const markers = steps.filter((s) => 'repeat' in s);
  assert.equal(markers.length, 1, JSON.stringify(steps));
  const m = markers[0];
  assert.equal(m.unit, 1);
  assert.equal(m.edge, 'next');
  assert.equal(m.edge_type, 'property');
  assert.equal(m.name, 'ListNode');
  assert.ok(m.repeat > LENGTH - 10, `repeat ${m.repeat}`);
  // ordinary steps have neither key
  for (const s of steps) if (s !== m) assert.ok(!('repeat' in s) && !('unit' in s), JSON.stringify(s));
  // the unit (the step before the marker) repeats: first and last kept
  const i = steps.indexOf(m);
  assert.equal(steps[i - 1].edge, 'next');
  assert.equal(steps[i + 1].edge, 'next');
  // explicit steps plus the marker's repeat: the true depth, global and
  // the list's 5,000 nodes and the Target
  const depth = steps.length - 1 + m.repeat;
  assert.equal(depth, LENGTH + 2);
  // 4,999 .next edges in all
  assert.equal(steps.filter((s) => s.edge === 'next' && s !== m).length + m.repeat, LENGTH - 1);

  // the text form: one line for the marker, grouped digits
  const r = runCli(['paths', snap, 'Target']);
  assert.equal(r.status, 0, describeRun(r));
  const count = m.repeat.toLocaleString('en-US');
  const line = r.stdout.split('\n').find((l) => l.includes('…'));
  assert.ok(line, r.stdout);
  assert.match(line, new RegExp(`^\\s+… ${count} × \\.next → ListNode$`), r.stdout);
  assert.ok(r.stdout.split('\n').length < 60, r.stdout);
  assert.ok(r.stdout.includes('.target  →  Target @'), r.stdout);
});

test('the Node package gives the same folded path', async () => {
  const require = createRequire(import.meta.url);
  const leakscope = require(path.join(repoRoot, 'lib', 'index.js'));
  const cli = runJson(['paths', '--json', snap, 'Target']);
  assert.deepEqual(await leakscope.paths(snap, 'Target'), cli);
});
