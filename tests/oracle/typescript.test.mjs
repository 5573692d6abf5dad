// Oracle case "typescript": a real program of tens of MB (the TypeScript
// compiler after createProgram + type check), snapshot written by Node 22
// (Node 20's writer is too slow on this heap). Downloads Node 22 and
// typescript@5 into the cache on first run (LS_CACHE_DIR or build/cache);
// fails with a clear message when they cannot be downloaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { oracleCase, classesNamed } from '../js-helpers/cases.mjs';
import { node22Path, typescriptDir } from '../js-helpers/cache.mjs';

test('typescript: tens-of-MB real heap matches DevTools', { timeout: 300_000 }, async (t) => {
  const node = node22Path();
  const ts = typescriptDir();
  const r = await oracleCase(t, 'typescript', { node, args: [ts], snapshotTimeoutMs: 150_000, cliTimeoutMs: 120_000 });
  const size = fs.statSync(r.file).size;
  assert.ok(size > 20e6, `snapshot is tens of MB (${size} bytes)`);
  assert.ok(r.json.snapshot.total_size > 20e6, 'heap is tens of MB');
  assert.equal(r.facts.diagnostics, 0, 'the generated sources type-check');
  for (const n of ['NodeObject', 'SymbolObject', 'TypeObject']) {
    const rows = classesNamed(r.json, n);
    assert.ok(rows.length >= 1 && rows[0].count > 1000, `many TypeScript ${n}s`);
  }
});
