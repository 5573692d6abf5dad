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

// WeakMap ephemerons (the table's copy of the key→value edge is ignored) and
// page ownership (an edge from a node reached only through internal roots to
// a page-owned node is ignored).
const E = {
  nodes: [
    { type: 'synthetic', name: '', size: 0 },                          // 0 root
    { type: 'synthetic', name: '(GC roots)', size: 0 },                // 1
    { type: 'object', name: 'Window', size: 100 },                     // 2 id 5
    { type: 'object', name: 'WeakMap', size: 24 },                     // 3 id 7
    { type: 'array', name: 'system / EphemeronHashTable', size: 64, id: 1001 }, // 4 table
    { type: 'object', name: 'Key', size: 16 },                         // 5 id 11
    { type: 'object', name: 'Value', size: 32 },                       // 6 id 13
    { type: 'object', name: 'Value2', size: 48 },                      // 7 id 15: named for another table
    { type: 'object', name: 'Internal', size: 8 },                     // 8 id 17: reached from (GC roots) only
    { type: 'object', name: 'Page', size: 12 },                        // 9 id 19: page-owned, also held by Internal
  ],
  edges: [
    [0, 'shortcut', 'global', 2], [0, 'element', 2, 1], // root shortcut: Window is a page entry point
    [1, 'element', 1, 8],
    [2, 'property', 'wm', 3], [2, 'property', 'k', 5], [2, 'property', 'page', 9],
    [3, 'internal', 'table', 4],
    [4, 'internal', '1 / part of key (Key @11) -> value (Value @13) pair in WeakMap (table @1001)', 6],
    [4, 'internal', '2 / part of key (Key @11) -> value (Value2 @15) pair in WeakMap (table @999)', 7],
    [5, 'internal', '1 / part of key (Key @11) -> value (Value @13) pair in WeakMap (table @1001)', 6],
    [5, 'internal', '2 / part of key (Key @11) -> value (Value2 @15) pair in WeakMap (table @999)', 7],
    [8, 'property', 'p', 9],
  ],
};

test('hand-made graph: WeakMap ephemeron edges and page ownership as in DevTools', async (t) => {
  assertBinary();
  const tmp = privateTmpDir('leakscope-handmade-');
  t.after(tmp.cleanup);
  const file = path.join(tmp.dir, 'e.heapsnapshot');
  fs.writeFileSync(file, graphSnapshot(E));
  const o = await oracle(file);
  const json = runJson(['summary', '--json', file]);
  assertNoProblems(diffSummary(json, o), 'summary of the ephemeron graph');
  assertNoProblems(diffTop(runJson(['top', '--json', '-n', '100', file]), o, 100), 'top of the ephemeron graph');
  const row = (k) => json.classes.find((c) => cliKey(c) === k);
  assert.equal(row(',Key').retained_size, 16 + 32, 'the key dominates its value (the table\'s edge is ignored)');
  assert.equal(row(',Value2').retained_size, 48);
  assert.equal(row(',Key').retained_size + row(',WeakMap').retained_size + row(',Page').retained_size + 100 + 48,
    row(',Window').retained_size, 'Window retains everything but Internal');
  assert.equal(row(',Page').retained_size, 12, 'Page is dominated by Window: the edge from Internal is ignored');
});
