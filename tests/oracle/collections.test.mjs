// Oracle case "collections": see heaps/collections.js for the heap it builds. leakscope's
// summary and top must equal DevTools' numbers (heap-snapshot-toolkit), on
// snapshots written by this Node and by Node 22 (16 node types).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oracleCase, assertFacts, classesNamed } from '../js-helpers/cases.mjs';
import { node22Path } from '../js-helpers/cache.mjs';

function caseFacts(json) {
  const [holder] = classesNamed(json, 'Holder');
  assert.ok(holder.retained_size >= 50 * 2000 * 8, `50 Holders retain their 2000-element arrays (got ${holder.retained_size})`);
  assert.ok(classesNamed(json, 'Map').length === 1 && classesNamed(json, 'Set').length === 1, 'one Map row and one Set row');
  assert.ok(classesNamed(json, 'Uint8Array')[0].retained_size >= 1 << 20, 'the 1 MiB Uint8Array is retained');
}

test('collections: summary and top match DevTools (snapshot by ' + process.version + ')', async (t) => {
  const r = await oracleCase(t, 'collections');
  assertFacts(r.json, r.facts);
  caseFacts(r.json);
});

test('collections: summary and top match DevTools (snapshot by Node 22)', { timeout: 300_000 }, async (t) => {
  const r = await oracleCase(t, 'collections', { node: node22Path() });
  assertFacts(r.json, r.facts);
  caseFacts(r.json);
});
