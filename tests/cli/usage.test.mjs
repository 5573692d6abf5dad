// Usage: --help exits 0 and prints usage on stdout; bad usage exits 2 with a
// usage hint on stderr and nothing on stdout; text mode works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, runJson, describeRun, privateTmpDir, assertBinary } from '../js-helpers/leakscope.mjs';
import { miniSnapshot } from '../js-helpers/mini.mjs';

let tmp;
let mini;
before(() => {
  assertBinary();
  tmp = privateTmpDir('leakscope-usage-');
  mini = path.join(tmp.dir, 'mini.heapsnapshot');
  fs.writeFileSync(mini, miniSnapshot().text);
});
after(() => tmp?.cleanup());

for (const args of [['--help'], ['summary', '--help'], ['top', '--help'], ['summary', '--json', '--help'], ['top', '--json', '--help']]) {
  test(`leakscope ${args.join(' ')}: exit 0, usage on stdout`, () => {
    const r = runCli(args);
    assert.equal(r.signal, null, describeRun(r));
    assert.equal(r.status, 0, describeRun(r));
    assert.match(r.stdout, /usage/i, describeRun(r));
    if (args[0] === '--help') {
      assert.match(r.stdout, /\bsummary\b/, `lists the summary command: ${describeRun(r)}`);
      assert.match(r.stdout, /\btop\b/, `lists the top command: ${describeRun(r)}`);
    } else {
      assert.match(r.stdout, new RegExp(`leakscope ${args[0]}`), 'names the command');
      assert.match(r.stdout, /SNAPSHOT/, describeRun(r));
    }
    assert.equal(r.stderr, '', describeRun(r));
  });
}

function expectUsage(args, mention) {
  const r = runCli(args);
  const info = describeRun(r);
  assert.equal(r.signal, null, info);
  assert.equal(r.status, 2, `exit 2: ${info}`);
  assert.equal(r.stdout, '', `nothing on stdout: ${info}`);
  assert.match(r.stderr, /usage|--help/i, `a usage hint: ${info}`);
  if (mention) assert.ok(r.stderr.includes(mention), `stderr mentions ${mention}: ${info}`);
}

test('no command: exit 2 with a usage hint', () => expectUsage([]));
test('unknown command', () => expectUsage(['frobnicate', 'x'], 'frobnicate'));
test('unknown option', () => {
  expectUsage(['summary', '--frobnicate', mini], '--frobnicate');
  expectUsage(['top', '--json', '-q', mini], '-q');
});
test('missing SNAPSHOT', () => {
  expectUsage(['summary']);
  expectUsage(['summary', '--json']);
  expectUsage(['top', '-n', '5']);
});
test('two SNAPSHOTs', () => expectUsage(['summary', mini, mini]));
test('--top abc / -n -1 / missing numbers', () => {
  expectUsage(['summary', '--top', 'abc', mini], 'abc');
  expectUsage(['summary', '--json', '--top', '-3', mini]);
  expectUsage(['summary', '--top', '5x', mini], '5x');
  expectUsage(['top', '-n', '-1', mini], '-1');
  expectUsage(['top', '-n', 'abc', mini], 'abc');
  expectUsage(['top', '--json', mini, '-n']);
  expectUsage(['summary', mini, '--top']);
});

test('--top N limits the classes, class_count stays the total', () => {
  const all = runJson(['summary', '--json', mini]);
  const j = runJson(['summary', '--json', '--top', '1', mini]);
  assert.equal(j.classes.length, 1);
  assert.equal(j.class_count, all.class_count);
  assert.equal(all.class_count, 3);
  assert.deepEqual(j.classes[0], all.classes[0]);
  // a heap without a process object has no Node.js version
  assert.ok(!('node_version' in all.snapshot), JSON.stringify(all.snapshot));
  assert.deepEqual(all.classes.map((c) => [c.name, c.count, c.self_size, c.retained_size]),
    [['A', 1, 32, 48], ['B', 1, 24, 24], ['(string)', 1, 16, 16]]);
});

test('top -n N and its JSON', () => {
  const r = runCli(['top', '--json', '-n', '2', mini]);
  assert.equal(r.status, 0, describeRun(r));
  assert.deepEqual(JSON.parse(r.stdout).objects, [
    { id: 3, class: 'A', type: 'object', self_size: 32, retained_size: 48, distance: 1 },
    { id: 7, class: 'B', type: 'object', self_size: 24, retained_size: 24, distance: 1 },
  ]);
});

test('text mode: aligned table on stdout, exit 0', () => {
  for (const args of [['summary', mini], ['top', mini]]) {
    const r = runCli(args);
    assert.equal(r.status, 0, describeRun(r));
    assert.equal(r.stderr, '', 'no progress output when stderr is not a terminal');
    assert.throws(() => JSON.parse(r.stdout), 'text mode is not JSON');
    // table rows have the class as a column (padded); the unit in "72 B" is no row
    const lines = r.stdout.split('\n').filter((l) => /(^|\s)(A|B) {2,}\S/.test(l));
    assert.ok(lines.length >= 2, `rows for A and B:\n${r.stdout}`);
    // Aligned: the numbers of the A and B rows end in the same columns.
    const ends = (l) => [...l.matchAll(/\d[\d,.]*( ?[kKMG]?i?B)?(?=\s|$)/g)].map((m) => m.index + m[0].length);
    assert.deepEqual(ends(lines[0]), ends(lines[1]), `columns aligned:\n${r.stdout}`);
  }
});
