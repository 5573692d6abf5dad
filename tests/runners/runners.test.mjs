// assertNoLeak (leakscope/test) and toLeak (leakscope/matchers) under the
// runners people use: node:test, Jest, Vitest and Mocha, from npm, each
// run through its own command line on the fixture (tests/runners/fixture):
// a leaky file fails (exit status non-zero), naming the holder and, with
// allocations, the line of this file's function that allocated; a clean
// file passes (exit 0). Jest runs files through babel-jest in a vm
// context, Vitest through Vite in a block wrapper: the lines must still be
// the source's. An npm that cannot reach the registry skips these tests,
// saying so; any other failure to install them fails.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { repoRoot, privateTmpDir } from '../js-helpers/leakscope.mjs';
import { fixtureDir, installFixture } from './setup.mjs';

let setup = { skip: 'the fixture was not installed (before() did not run)' };
before(() => {
  setup = installFixture();
  if (setup.skip) console.log(`# tests/runners: SKIPPED: ${setup.skip}`);
  else console.log(`# tests/runners: fixture ${setup.installed ? 'installed by npm ci' : 'up to date'} (${setup.ms} ms)`);
});

// The runner's command on one file, never hanging; NODE_TEST_CONTEXT is
// this node:test's, which a nested `node --test` must not inherit.
function run(args, timeoutMs = 240_000) {
  const env = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', CI: 'true' };
  delete env.NODE_TEST_CONTEXT;
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, args, { cwd: fixtureDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, ms: Date.now() - t0, cmd: `node ${args.join(' ')}` });
    });
  });
}

const show = (r) => `${r.cmd} (in ${fixtureDir}): status ${r.status}, signal ${r.signal}, ${r.ms} ms\n` +
  `stdout: ${r.stdout.slice(-6000)}\nstderr: ${r.stderr.slice(-6000)}`;

// A failure as the runner reports it ("LeakError: message\n    at ..."):
// the message alone.
function messageOf(failure) {
  const text = String(failure ?? '');
  const lines = text.split('\n');
  const stackAt = lines.findIndex((l) => /^\s+at /.test(l));
  return (stackAt < 0 ? lines : lines.slice(0, stackAt)).join('\n').replace(/^(\w*Error): /, '').trimEnd();
}

// Each runner: its command for one file, and its report as
// [{ name, status: 'passed' | 'failed', message, raw }].
const jsonOut = () => path.join(privateTmpDir('leakscope-runners-').dir, 'report.json');
const readJson = (f) => {
  try {
    return JSON.parse(fs.readFileSync(f, 'utf8'));
  } finally {
    fs.rmSync(path.dirname(f), { recursive: true, force: true });
  }
};
const jestLike = (j) => j.testResults.flatMap((f) => f.assertionResults.map((a) => ({
  name: a.title, status: a.status, message: a.failureMessages.length ? messageOf(a.failureMessages[0]) : null,
  raw: a.failureMessages.join('\n'),
})));
const runners = {
  'node:test': {
    npm: false, // node's own
    files: { leaky: 'node-test/leaky.mjs', clean: 'node-test/clean.mjs' },
    async run(file) {
      const r = await run(['--test', '--test-reporter=./node-test/report.mjs', file]);
      r.tests = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => ({ ...JSON.parse(l), raw: l }));
      return r;
    },
  },
  jest: {
    files: { leaky: 'jest/leaky.spec.js', clean: 'jest/clean.spec.js' },
    async run(file) {
      const out = jsonOut();
      const r = await run(['node_modules/jest/bin/jest.js', '--ci', '--runTestsByPath', file, '--json', '--outputFile', out]);
      r.tests = fs.existsSync(out) ? jestLike(readJson(out)) : [];
      return r;
    },
  },
  vitest: {
    files: { leaky: 'vitest/leaky.spec.mjs', clean: 'vitest/clean.spec.mjs' },
    async run(file) {
      const out = jsonOut();
      const r = await run(['node_modules/vitest/vitest.mjs', 'run', file, '--reporter=json', '--outputFile', out]);
      r.tests = fs.existsSync(out) ? jestLike(readJson(out)) : [];
      return r;
    },
  },
  mocha: {
    files: { leaky: 'mocha/leaky.spec.js', clean: 'mocha/clean.spec.js' },
    async run(file) {
      const r = await run(['node_modules/mocha/bin/mocha.js', '--reporter', 'json', file]);
      const j = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
      r.tests = j.tests.map((t) => {
        const failed = t.err && Object.keys(t.err).length > 0;
        return { name: t.title, status: failed ? 'failed' : 'passed', message: failed ? t.err.message : null,
          raw: JSON.stringify(t.err) };
      });
      return r;
    },
  },
};

// What each file's tests must do (their names are the fixture's).
const expected = {
  'node:test': {
    leaky: { 'assertNoLeak finds what remember keeps': 'failed' },
    clean: { 'assertNoLeak passes touch': 'passed' },
  },
  jest: {
    leaky: { 'assertNoLeak finds what remember keeps': 'failed', 'expect(remember).not.toLeak()': 'failed',
      'expect(remember).toLeak()': 'passed' },
    clean: { 'assertNoLeak passes touch': 'passed', 'expect(touch).not.toLeak()': 'passed' },
  },
  mocha: {
    leaky: { 'does not leak': 'failed' },
    clean: { 'does not leak': 'passed' },
  },
};
expected.vitest = expected.jest;

// Where a function starts in a file (V8's site: its head, 1-based line and
// the column of its parameter list, or of `async` for an async arrow),
// from the file's text.
function headOf(file, marker, at) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(marker));
  assert.ok(i >= 0, `${marker} in ${file}`);
  return { line: i + 1, column: lines[i].indexOf(at, lines[i].indexOf(marker)) + 1 };
}

// The holder as the message shows it: a module-level `const sessions`.
// Vitest runs a file's top level inside a block (`{ ... }` in vite-node's
// wrapper), and V8 names no variable of a block scope: there the path ends
// with the function that holds that scope and a numbered slot.
function assertHolder(runner, message) {
  if (runner === 'vitest') {
    assert.match(message, /remember @\d+\n\s*└ internal context\s+→\s+system \/ Context @\d+\n\s*└ hidden \[\d+\]\s+→\s+Map @\d+/,
      `the holding function and its block scope's slot:\n${message}`);
  } else {
    assert.match(message, /└ variable sessions\s+→\s+Map @\d+/, `names the holder:\n${message}`);
  }
}

for (const [name, runner] of Object.entries(runners)) {
  test(`${name}: the leaky file fails, naming the holder and the line that allocates`, async (t) => {
    if (setup.skip && runner.npm !== false) return t.skip(setup.skip);
    const file = path.join(fixtureDir, runner.files.leaky);
    const r = await runner.run(runner.files.leaky);
    assert.equal(r.signal, null, show(r));
    assert.notEqual(r.status, 0, `a failing test is a failing run:\n${show(r)}`);
    const byName = Object.fromEntries(r.tests.map((x) => [x.name, x]));
    assert.deepEqual(Object.fromEntries(r.tests.map((x) => [x.name, x.status])), expected[name].leaky, show(r));

    // the direct assertNoLeak({ allocations: true }): LeakError, first line
    const direct = byName[Object.keys(expected[name].leaky)[0]];
    const m = direct.message;
    const first = m.match(/^leakscope: assertNoLeak: 1 thing kept growing over \d+ snapshots; allocated at remember \(([^()\n]+):(\d+):(\d+)\)$/m);
    assert.ok(first, `the LeakError's first line names the site:\n${direct.raw}`);
    assert.equal(m.indexOf(first[0]), 0, `the message is the LeakError's:\n${m.slice(0, 400)}`);
    const site = headOf(file, 'function remember(', '(');
    assert.equal(path.resolve(fixtureDir, first[1]), file, `the script is the test file: ${first[0]}`);
    assert.deepEqual({ line: Number(first[2]), column: Number(first[3]) }, site,
      `the source's line and column of remember (${runner.files.leaky}): ${first[0]}`);
    // the report agrees: every site of the suspects at that place, and the
    // caller is assertNoLeak's round in lib/test.js, at its source line too
    const sites = [...m.matchAll(/allocated at remember \(([^()\n]+)\)/g)].map((x) => x[1]);
    assert.ok(sites.length >= 1, m);
    assert.deepEqual([...new Set(sites)], [`${first[1]}:${first[2]}:${first[3]}`], 'the report shows the same site');
    const caller = [...m.matchAll(/called from round \(([^()\n]+):(\d+):(\d+)\)/g)];
    assert.ok(caller.length >= 1, m);
    const round = headOf(path.join(repoRoot, 'lib', 'test.js'), 'const round = async', 'async');
    for (const c of caller) {
      assert.equal(fs.realpathSync(path.resolve(fixtureDir, c[1])), path.join(repoRoot, 'lib', 'test.js'), c[0]);
      assert.deepEqual({ line: Number(c[2]), column: Number(c[3]) }, round, `lib/test.js's line: ${c[0]}`);
    }
    assertHolder(name, m);

    // the matcher: `.not.toLeak()` fails with the LeakError's message alone
    if (byName['expect(remember).not.toLeak()']) {
      const raw = byName['expect(remember).not.toLeak()'].raw;
      assert.match(raw, /^Error: leakscope: assertNoLeak: 1 thing kept growing over \d+ snapshots\nTrend over/, raw.slice(0, 400));
      assertHolder(name, raw);
    }
  });

  test(`${name}: the clean file passes`, async (t) => {
    if (setup.skip && runner.npm !== false) return t.skip(setup.skip);
    const r = await runner.run(runner.files.clean);
    assert.equal(r.signal, null, show(r));
    assert.equal(r.status, 0, show(r));
    assert.deepEqual(Object.fromEntries(r.tests.map((x) => [x.name, x.status])), expected[name].clean, show(r));
  });
}

// The skip is for an unreachable registry only: npm ci of the fixture's
// lock in a copy, with an empty cache and a registry on a closed port of
// this machine, skips; the same with a lock npm cannot read fails.
test('npm ci: an unreachable registry skips, any other failure fails', { timeout: 120_000 }, () => {
  const tmp = privateTmpDir('leakscope-runners-npm-');
  try {
    const dir = path.join(tmp.dir, 'fixture');
    fs.mkdirSync(dir);
    for (const f of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(fixtureDir, f), path.join(dir, f));
    const env = {
      npm_config_registry: 'http://127.0.0.1:9/', npm_config_cache: path.join(tmp.dir, 'cache'),
      npm_config_fetch_retries: '0', npm_config_offline: 'false', npm_config_prefer_offline: 'false',
    };
    const r = installFixture({ dir, env, timeoutMs: 90_000 });
    assert.ok(r.skip, `an unreachable registry is a skip: ${JSON.stringify(r)}`);
    assert.match(r.skip, /could not reach the npm registry .*ECONNREFUSED/);
    assert.equal(r.installed, false);
    assert.equal(fs.realpathSync(path.join(dir, 'node_modules', 'leakscope')), repoRoot, 'leakscope linked for node:test');
    assert.deepEqual(fs.readdirSync(path.join(dir, 'node_modules')), ['leakscope'], 'no runner installed');

    fs.writeFileSync(path.join(dir, 'package-lock.json'), '{ not json'); // npm ci refuses it before any download
    assert.throws(() => installFixture({ dir, env, timeoutMs: 90_000 }), /npm ci in .* failed \(exit/);
  } finally {
    tmp.cleanup();
  }
});

test('the fixture pins its runners, and git keeps its node_modules out', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'package.json'), 'utf8'));
  const lock = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'package-lock.json'), 'utf8'));
  for (const [n, v] of Object.entries(pkg.devDependencies)) {
    assert.match(v, /^\d+\.\d+\.\d+$/, `${n} is pinned`);
    assert.equal(lock.packages[`node_modules/${n}`]?.version, v, `${n} ${v} is the lock's`);
  }
  assert.deepEqual(Object.keys(pkg.devDependencies).sort(), ['jest', 'mocha', 'vite', 'vitest']);
  assert.match(fs.readFileSync(path.join(fixtureDir, '.gitignore'), 'utf8'), /^node_modules\/$/m);
});
