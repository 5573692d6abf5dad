// --raw-sizes: per-class self sizes are the sums of the self sizes V8 wrote
// (computed here straight from the file), grouped by DevTools' class keys;
// they differ from the default (DevTools' owner transfer) on a heap with
// arrays whose backing stores move onto their owners.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runJson, makeSnapshot, privateTmpDir } from '../js-helpers/leakscope.mjs';
import { oracle, cliKey } from '../js-helpers/oracle.mjs';

test('--raw-sizes: self sizes are raw V8 sizes; default moves them like DevTools', async (t) => {
  const tmp = privateTmpDir('leakscope-raw-');
  t.after(tmp.cleanup);
  const file = path.join(tmp.dir, 'c.heapsnapshot');
  makeSnapshot('collections', file);

  // Raw sizes from the file itself.
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  const fields = raw.snapshot.meta.node_fields;
  const nf = fields.length;
  const selfOff = fields.indexOf('self_size');
  assert.ok(selfOff >= 0);
  const o = await oracle(file);
  const s = o.snap;
  assert.equal(raw.nodes.length / nf, s.nodeCount);
  const rawByKey = new Map();
  let rawTotal = 0;
  const node = s.createNode(0);
  for (let i = 0; i < s.nodeCount; i++) {
    node.nodeIndex = i * nf;
    const size = raw.nodes[i * nf + selfOff];
    rawTotal += size;
    if (!size) continue;
    const key = s.classKeyFromClassKeyInternal(node.classKeyInternal());
    rawByKey.set(key, (rawByKey.get(key) ?? 0) + size);
  }

  const def = runJson(['summary', '--json', file]);
  const rawJson = runJson(['summary', '--json', '--raw-sizes', file]);
  assert.deepEqual(rawJson.snapshot, def.snapshot, 'snapshot numbers do not depend on --raw-sizes');

  const got = new Map(rawJson.classes.map((c) => [cliKey(c), c]));
  const bad = [];
  for (const [k, size] of rawByKey) {
    const g = got.get(k);
    if (!g || g.self_size !== size) bad.push(`${JSON.stringify(k)}: raw ${size}, got ${g ? g.self_size : 'missing'}`);
  }
  for (const [k, g] of got) {
    if (g.self_size && !rawByKey.has(k)) bad.push(`${JSON.stringify(k)}: not a class with raw size, got ${g.self_size}`);
  }
  assert.deepEqual(bad.slice(0, 20), [], `--raw-sizes self sizes differ from V8's (${bad.length} classes)`);
  const sumRaw = rawJson.classes.reduce((a, c) => a + c.self_size, 0);
  const sumDef = def.classes.reduce((a, c) => a + c.self_size, 0);
  assert.equal(sumRaw, rawTotal, 'raw self sizes add up to the sum of all node self sizes');
  assert.equal(sumDef, sumRaw, 'moving sizes onto owners keeps the total');

  // The transfer is visible: arrays' backing stores move onto their JSArray owners.
  const cls = (j, k) => j.classes.find((c) => cliKey(c) === k);
  assert.ok(cls(rawJson, ',(array)').self_size > cls(def, ',(array)').self_size,
    `(array) is larger with raw sizes (${cls(rawJson, ',(array)').self_size} vs ${cls(def, ',(array)').self_size})`);
  assert.ok(cls(rawJson, ',Array').self_size < cls(def, ',Array').self_size,
    'Array is smaller with raw sizes: its elements stores are not moved onto it');
  assert.ok(cls(def, ',Array').self_size - cls(rawJson, ',Array').self_size >= 50 * 2000 * 8,
    'at least the Holders\' 50 × 2000-element stores moved onto Array');
  assert.equal(cls(def, ',Array').self_size, o.agg[',Array'].self, 'default equals DevTools');
});
