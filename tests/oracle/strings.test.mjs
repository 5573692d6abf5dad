// Oracle case "strings": see heaps/strings.js for the heap it builds. leakscope's
// summary and top must equal DevTools' numbers (heap-snapshot-toolkit), on
// snapshots written by this Node and by Node 22 (16 node types).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oracleCase, assertFacts, classesNamed } from '../js-helpers/cases.mjs';
import { node22Path } from '../js-helpers/cache.mjs';

function caseFacts(json) {
  for (const n of ['(string)', '(concatenated string)', '(sliced string)']) {
    assert.equal(classesNamed(json, n).length, 1, `one ${n} row`);
    assert.ok(classesNamed(json, n)[0].count > 0, `${n} count > 0`);
  }
}

test('strings: summary and top match DevTools (snapshot by ' + process.version + ')', async (t) => {
  const r = await oracleCase(t, 'strings');
  assertFacts(r.json, r.facts);
  caseFacts(r.json);
});

test('strings: summary and top match DevTools (snapshot by Node 22)', { timeout: 300_000 }, async (t) => {
  const r = await oracleCase(t, 'strings', { node: node22Path() });
  assertFacts(r.json, r.facts);
  caseFacts(r.json);
});
