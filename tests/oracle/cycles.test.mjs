// Oracle case "cycles": see heaps/cycles.js for the heap it builds. leakscope's
// summary and top must equal DevTools' numbers (heap-snapshot-toolkit), on
// snapshots written by this Node and by Node 22 (16 node types).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oracleCase, assertFacts, classesNamed } from '../js-helpers/cases.mjs';
import { node22Path } from '../js-helpers/cache.mjs';

function caseFacts(json) {
  const [selfRef] = classesNamed(json, 'SelfRef');
  assert.ok(selfRef.retained_size > selfRef.self_size, 'a self-referencing object retains its payload array');
  const [ring] = classesNamed(json, 'RingNode');
  assert.equal(ring.retained_size, ring.self_size, 'ring nodes hold only Smis and each other');
  const [leaky] = classesNamed(json, 'Leaky');
  assert.ok(leaky.retained_size > leaky.self_size, 'the Leaky ring retains its data arrays');
}

test('cycles: summary and top match DevTools (snapshot by ' + process.version + ')', async (t) => {
  const r = await oracleCase(t, 'cycles');
  assertFacts(r.json, r.facts);
  caseFacts(r.json);
});

test('cycles: summary and top match DevTools (snapshot by Node 22)', { timeout: 300_000 }, async (t) => {
  const r = await oracleCase(t, 'cycles', { node: node22Path() });
  assertFacts(r.json, r.facts);
  caseFacts(r.json);
});
