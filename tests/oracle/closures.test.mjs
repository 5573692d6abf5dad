// Oracle case "closures": see heaps/closures.js for the heap it builds. leakscope's
// summary and top must equal DevTools' numbers (heap-snapshot-toolkit), on
// snapshots written by this Node and by Node 22 (16 node types).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oracleCase, assertFacts, classesNamed } from '../js-helpers/cases.mjs';
import { node22Path, NODE22_VERSION } from '../js-helpers/cache.mjs';

function caseFacts(json) {
  assert.equal(classesNamed(json, 'Function').length, 1, 'one Function row');
  assert.ok(classesNamed(json, 'system / Context')[0].count >= 300, 'closure contexts are listed');
}

test('closures: summary and top match DevTools (snapshot by ' + process.version + ')', async (t) => {
  const r = await oracleCase(t, 'closures');
  assertFacts(r.json, r.facts);
  caseFacts(r.json);
  // the version of the process that wrote it, from its process object
  assert.equal(r.json.snapshot.node_version, process.version.slice(1));
});

test('closures: summary and top match DevTools (snapshot by Node 22)', { timeout: 300_000 }, async (t) => {
  const r = await oracleCase(t, 'closures', { node: node22Path() });
  assertFacts(r.json, r.facts);
  caseFacts(r.json);
  assert.equal(r.json.snapshot.node_version, NODE22_VERSION);
});
