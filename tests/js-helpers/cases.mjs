// One oracle case: make a snapshot with a heap program, run
// `leakscope summary --json` and `top --json`, compare with DevTools' code.
import assert from 'node:assert/strict';
import path from 'node:path';
import { runJson, makeSnapshot, privateTmpDir, assertBinary } from './leakscope.mjs';
import { oracle, diffSummary, diffTop } from './oracle.mjs';

export const TOP_N = 20;

export function assertNoProblems(problems, what) {
  if (problems.length) assert.fail(`${what}: leakscope disagrees with DevTools\n${problems.join('\n')}`);
}

// Runs the whole comparison; returns { json, top, o, facts, file } for extra
// assertions. The temp dir is removed when the test ends.
export async function oracleCase(t, name, { node, nodeArgs, args, snapshotTimeoutMs, cliTimeoutMs = 20_000 } = {}) {
  assertBinary();
  const tmp = privateTmpDir(`leakscope-${name}-`);
  t.after(tmp.cleanup);
  const file = path.join(tmp.dir, `${name}.heapsnapshot`);
  const facts = makeSnapshot(name, file, { node, nodeArgs, args, timeoutMs: snapshotTimeoutMs });
  const json = runJson(['summary', '--json', file], { timeoutMs: cliTimeoutMs });
  const top = runJson(['top', '--json', '-n', String(TOP_N), file], { timeoutMs: cliTimeoutMs });
  const o = await oracle(file);
  assert.equal(o.nodeCount, o.metaNodeCount, 'snapshot meta node_count agrees with the nodes array');
  assert.equal(o.edgeCount, o.edgeCountFromArray, 'snapshot meta edge_count agrees with the edges array');
  assert.equal(json.snapshot.path, file, 'snapshot.path is the path given');
  assert.equal(top.snapshot.path, file);
  assert.deepEqual(top.snapshot, json.snapshot, 'top and summary describe the snapshot alike');
  assertNoProblems(diffSummary(json, o), `summary of ${name}`);
  assertNoProblems(diffTop(top, o, TOP_N), `top -n ${TOP_N} of ${name}`);
  return { json, top, o, facts, file, dir: tmp.dir };
}

export function classesNamed(json, name) {
  return json.classes.filter((c) => c.name === name);
}

// Facts printed by the heap program: {counts: {Class: exact}, atLeast: {Class: n}}.
// Each named class is a user class: one row, keyed by its constructor location.
export function assertFacts(json, facts) {
  for (const [name, n] of Object.entries(facts.counts ?? {})) {
    const rows = classesNamed(json, name);
    assert.equal(rows.length, 1, `exactly one class row named ${name}: ${JSON.stringify(rows)}`);
    const [c] = rows;
    assert.equal(c.count, n, `${name} has exactly ${n} instances`);
    assert.ok(c.self_size > 0, `${name} self size > 0`);
    assert.ok(c.retained_size >= c.self_size, `${name} retained >= self`);
    assert.match(c.location ?? '', /^\d+,\d+,\d+$/, `${name} is keyed by its constructor location`);
  }
  for (const [name, n] of Object.entries(facts.atLeast ?? {})) {
    const rows = classesNamed(json, name);
    assert.equal(rows.length, 1, `exactly one class row named ${name}`);
    assert.ok(rows[0].count >= n, `${name} has at least ${n} instances (got ${rows[0].count})`);
  }
}
