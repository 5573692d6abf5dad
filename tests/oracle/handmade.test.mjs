// Hand-made graphs for DevTools' rules one at a time (weak edges, self
// edges, shortcut edges, size transfer to single owners, synthetic owners,
// zero-size objects, unreachable objects, location keys), compared with
// DevTools' code, plus the numbers worked out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runJson, privateTmpDir, assertBinary } from '../js-helpers/leakscope.mjs';
import { graphSnapshot } from '../js-helpers/mini.mjs';
import { oracle, diffSummary, diffTop, cliKey } from '../js-helpers/oracle.mjs';
import { assertNoProblems } from '../js-helpers/cases.mjs';

const G = {
  nodes: [
    { type: 'synthetic', name: '', size: 0 },            // 0 root
    { type: 'synthetic', name: '(GC roots)', size: 0 },  // 1
    { type: 'object', name: 'Window', size: 100 },       // 2 user root (global)
    { type: 'object', name: 'A', size: 10 },             // 3
    { type: 'object', name: 'W', size: 20 },             // 4 only weakly held
    { type: 'object', name: 'B', size: 30 },             // 5 held by A, shortcut from Window
    { type: 'hidden', name: 'system / H', size: 40 },    // 6 one owner (A): moves onto A
    { type: 'hidden', name: 'system / H2', size: 50 },   // 7 two owners: stays
    { type: 'array', name: '', size: 60 },               // 8 owned by synthetic (GC roots): stays
    { type: 'object', name: 'Z', size: 0 },              // 9 size 0: not counted
    { type: 'object', name: 'U', size: 70 },             // 10 unreachable
    { type: 'object', name: 'Dup', size: 5 },            // 11 location 1
    { type: 'object', name: 'Dup', size: 6 },            // 12 location 2
    { type: 'object', name: 'Dup', size: 7 },            // 13 location 1 again, held by 11
    { type: 'array', name: '', size: 80 },               // 14 elements of A and weakly of Window: moves onto A
    { type: 'object', name: 'Object', size: 16 },        // 15 plain object {p}
  ],
  edges: [
    [0, 'element', 1, 2], [0, 'element', 2, 1],
    [1, 'element', 1, 8],
    [2, 'property', 'a', 3], [2, 'weak', 'w', 4], [2, 'shortcut', 's', 5], [2, 'property', 'z', 9],
    [2, 'property', 'd1', 11], [2, 'property', 'd2', 12], [2, 'weak', 'arr', 14], [2, 'property', 'o', 15],
    [3, 'property', 'self', 3], [3, 'property', 'b', 5], [3, 'internal', 'h', 6], [3, 'internal', 'h2', 7],
    [3, 'internal', 'elements', 14],
    [5, 'internal', 'h2', 7],
    [11, 'property', 'next', 13],
    [15, 'property', 'p', 3],
    [10, 'property', 'a', 3],
  ],
  locations: [[11, 7, 1, 2], [12, 8, 3, 4], [13, 7, 1, 2]],
};

test('hand-made graph: DevTools\' rules for weak, self, shortcut edges, owners and locations', async (t) => {
  assertBinary();
  const tmp = privateTmpDir('leakscope-handmade-');
  t.after(tmp.cleanup);
  const file = path.join(tmp.dir, 'g.heapsnapshot');
  fs.writeFileSync(file, graphSnapshot(G));
  const o = await oracle(file);
  const json = runJson(['summary', '--json', file]);
  assertNoProblems(diffSummary(json, o), 'summary of the hand-made graph');
  assertNoProblems(diffTop(runJson(['top', '--json', '-n', '100', file]), o, 100), 'top of the hand-made graph');

  // The same numbers, worked out by hand from DevTools' rules.
  const row = (k) => json.classes.find((c) => cliKey(c) === k);
  assert.deepEqual(row(',A') && [row(',A').count, row(',A').self_size, row(',A').retained_size], [1, 10 + 40 + 80, 130 + 30 + 50],
    'A owns H and its elements store (sizes moved) and dominates B and H2 (H2 keeps its size: two owners)');
  assert.equal(row(',W').retained_size, 20, 'W, only weakly held, hangs from the root');
  assert.equal(row(',Z'), undefined, 'objects of size 0 are not counted');
  assert.equal(row(',(system)').self_size, 50, 'H2 with two owners keeps its size');
  assert.equal(row(',(array)').self_size, 60, 'an array owned by a synthetic node keeps its size');
  const dups = json.classes.filter((c) => c.name === 'Dup').map((c) => [c.location, c.count, c.self_size, c.retained_size]);
  dups.sort();
  assert.deepEqual(dups, [['7,1,2', 2, 12, 12], ['8,3,4', 1, 6, 6]], 'Dup keyed by location; class retained size counts 13 once');
  assert.equal(json.snapshot.node_count, G.nodes.length);
  assert.equal(json.snapshot.edge_count, G.edges.length);
});
