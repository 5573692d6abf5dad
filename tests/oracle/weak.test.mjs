// Oracle case "weak": see heaps/weak.js for the heap it builds. leakscope's
// summary and top must equal DevTools' numbers (heap-snapshot-toolkit), on
// snapshots written by this Node and by Node 22 (16 node types).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oracleCase, assertFacts, classesNamed } from '../js-helpers/cases.mjs';
import { node22Path } from '../js-helpers/cache.mjs';

function caseFacts(json) {
  const [v] = classesNamed(json, 'WMValue');
  assert.ok(v.retained_size > v.self_size, 'WeakMap values retain their arrays');
}

test('weak: summary and top match DevTools (snapshot by ' + process.version + ')', async (t) => {
  const r = await oracleCase(t, 'weak');
  assertFacts(r.json, r.facts);
  caseFacts(r.json);
});

test('weak: summary and top match DevTools (snapshot by Node 22)', { timeout: 300_000 }, async (t) => {
  const r = await oracleCase(t, 'weak', { node: node22Path() });
  assertFacts(r.json, r.facts);
  caseFacts(r.json);
});
