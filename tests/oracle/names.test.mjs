// Oracle case "names": see heaps/names.js. Same-named classes from different
// functions and scripts are separate rows keyed by location; plain objects
// are named by DevTools' inferred interfaces ({a, b}); property names with
// commas, quotes, braces and symbols; very many properties.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oracleCase, assertFacts, classesNamed } from '../js-helpers/cases.mjs';
import { cliKey } from '../js-helpers/oracle.mjs';

test('names: summary and top match DevTools; class-name edge cases', async (t) => {
  const { json, o, facts } = await oracleCase(t, 'names');
  assertFacts(json, facts);

  const dups = classesNamed(json, 'Dup');
  assert.equal(dups.length, 3, `three distinct Dup classes (two functions, one vm script): ${JSON.stringify(dups)}`);
  assert.deepEqual(dups.map((c) => c.count).sort((a, b) => a - b), facts.dup);
  const locs = new Set(dups.map((c) => c.location));
  assert.equal(locs.size, 3, 'each Dup has its own location');
  for (const l of locs) assert.match(l ?? '', /^\d+,\d+,\d+$/);
  assert.equal(new Set(dups.map((c) => c.location.split(',')[0])).size, 2, 'Dup classes come from two scripts');

  // Interface names, exactly as DevTools' Summary shows them.
  const expectNames = ['{a, b}', '{a, b, c}', '{x, y}', '{<symbol s1>, <symbol global-sym>, plain}',
    '{", ", "}", "{"}', '{"a,b", "\\"q\\"", "{brace}", back\\slash, nl\n}'];
  for (const n of expectNames) {
    assert.ok(o.agg[',' + n], `DevTools names a class ${JSON.stringify(n)} (heap program out of date?)`);
    const rows = classesNamed(json, n);
    assert.equal(rows.length, 1, `one row named ${JSON.stringify(n)}`);
    assert.equal(rows[0].location, undefined, `${JSON.stringify(n)} has no location`);
    assert.equal(cliKey(rows[0]), ',' + n);
  }
  assert.ok(classesNamed(json, '{a, b}')[0].count >= 300);
  const odd = classesNamed(json, 'Odd, "Name" {x}');
  assert.equal(odd.length, 1, 'a constructor name with comma, quotes and braces is kept whole');
  assert.equal(odd[0].count, 15);
});
