// Gzip snapshots (detected by content, whatever the name) give the same
// output as the plain file; also through standard input ('-').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { runJson, runCli, makeSnapshot, privateTmpDir, describeRun } from '../js-helpers/leakscope.mjs';

function withoutPath(j) {
  return { ...j, snapshot: { ...j.snapshot, path: undefined } };
}

test('gzip: compressed snapshot gives identical JSON (summary, top), by content not name', async (t) => {
  const tmp = privateTmpDir('leakscope-gzip-');
  t.after(tmp.cleanup);
  const plain = path.join(tmp.dir, 'c.heapsnapshot');
  makeSnapshot('collections', plain);
  const data = fs.readFileSync(plain);
  const gz = path.join(tmp.dir, 'c.heapsnapshot.gz');
  const gzNoExt = path.join(tmp.dir, 'c-compressed.heapsnapshot');
  fs.writeFileSync(gz, zlib.gzipSync(data));
  fs.writeFileSync(gzNoExt, zlib.gzipSync(data, { level: 1 }));
  const plainGzName = path.join(tmp.dir, 'plain.gz');
  fs.copyFileSync(plain, plainGzName);

  for (const cmd of [['summary', '--json'], ['top', '--json', '-n', '50']]) {
    const a = runJson([...cmd, plain]);
    for (const f of [gz, gzNoExt, plainGzName]) {
      const b = runJson([...cmd, f]);
      assert.equal(b.snapshot.path, f);
      assert.deepEqual(withoutPath(b), withoutPath(a), `${cmd[0]} of ${path.basename(f)} equals the plain file's`);
    }
    // Standard input, compressed and not.
    for (const input of [data, zlib.gzipSync(data)]) {
      const r = runCli([...cmd, '-'], { input });
      assert.equal(r.status, 0, describeRun(r));
      assert.deepEqual(withoutPath(JSON.parse(r.stdout)), withoutPath(a), `${cmd[0]} from stdin`);
    }
  }
});
