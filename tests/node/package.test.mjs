// The npm package: `npm pack` gives a tarball that holds what the build
// needs and nothing of the repository's tests or build outputs; installed
// into an empty folder it builds itself (node-gyp, offline from nodejs.org)
// and works: require('leakscope'), require('leakscope/test'), the
// `leakscope` command. Slow (a full C build): one test does it all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot, privateTmpDir } from '../js-helpers/leakscope.mjs';

let tmp;
before(() => { tmp = privateTmpDir('leakscope-node-package-'); });
after(() => tmp?.cleanup());

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20, ...opts });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} (in ${opts.cwd ?? process.cwd()}): ` +
    `status ${r.status} ${r.error?.message ?? ''}\n${(r.stdout || '').slice(-3000)}\n${(r.stderr || '').slice(-3000)}`);
  return r;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// npm of the node that runs the tests (the Node 22 from npm has no npm:
// the system npm then installs, with its own node)
// An empty user config: the build must find Node's headers by itself, as on
// a fresh machine (a user's ~/.npmrc may set nodedir)
const npmEnv = () => {
  const userconfig = path.join(tmp.dir, 'npmrc');
  fs.writeFileSync(userconfig, '');
  const env = { ...process.env, npm_config_userconfig: userconfig, npm_config_audit: 'false',
    npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  for (const k of Object.keys(env)) if (/^npm_config_nodedir$/i.test(k)) delete env[k];
  return env;
};

test('npm pack: the tarball installs into an empty folder, builds, and works', () => {
  const packDir = path.join(tmp.dir, 'pack');
  fs.mkdirSync(packDir);
  const p = run(npm, ['pack', '--json', '--pack-destination', packDir], { cwd: repoRoot, env: npmEnv() });
  const info = JSON.parse(p.stdout)[0];
  const files = info.files.map((f) => f.path);
  for (const need of ['package.json', 'lib/index.js', 'lib/test.js', 'lib/addon.js', 'lib/tickloop.js', 'bin/leakscope.js',
    'include/leakscope.h', 'src/node/binding.gyp', 'src/node/build.js', 'src/node/sources.js', 'src/node/addon.c',
    'src/node/tickloop.c', 'src/reader/json.c', 'src/cli/main.c', 'README.md']) {
    assert.ok(files.includes(need), `the tarball has ${need}`);
  }
  for (const f of files) {
    assert.doesNotMatch(f, /^(tests|bench|build|fuzz|examples|node_modules|scripts)\/|^src\/node\/build\/|\.heapsnapshot|\.node$/,
      `the tarball holds no ${f}`);
  }
  assert.ok(info.size < 400_000, `tarball of ${info.size} bytes`);
  const tgz = path.join(packDir, info.filename);
  assert.equal(fs.statSync(tgz).isFile(), true);

  const app = path.join(tmp.dir, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), '{"name":"app","version":"1.0.0","private":true}\n');
  run(npm, ['install', '--no-save', '--offline', tgz], { cwd: app, env: npmEnv() });
  const mod = path.join(app, 'node_modules', 'leakscope');
  assert.ok(fs.existsSync(path.join(mod, 'src', 'node', 'build', 'Release', 'leakscope.node')), 'the addon was built');
  const gypi = fs.readFileSync(path.join(mod, 'src', 'node', 'build', 'config.gypi'), 'utf8');
  const nodedir = gypi.match(/"nodedir": "([^"]+)"/)?.[1];
  assert.ok(nodedir && fs.existsSync(path.join(nodedir, 'include', 'node', 'node_api.h')) && !/node-gyp/.test(nodedir),
    `built against the headers beside node, not a download: ${nodedir}`);

  // the analyser, the test helper and TickLoop through the package name
  const snap = path.join(app, 's.heapsnapshot');
  const script = `
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
      console.log(JSON.stringify({ classes: s.classes.length, nodes: s.snapshot.node_count, n, leak }));
    })();`;
  const r = run(process.execPath, ['-e', script], { cwd: app });
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  assert.deepEqual({ ...out, nodes: out.nodes > 1000 }, { classes: 1, nodes: true, n: 10, leak: true });

  // the `leakscope` command of the package (node_modules/.bin)
  const bin = path.join(app, 'node_modules', '.bin', 'leakscope');
  const help = run(bin, ['--help'], { cwd: app });
  assert.match(help.stdout, /Usage: leakscope COMMAND[^]*summary/);
  const cli = run(bin, ['summary', '--json', '--top', '1', snap], { cwd: app });
  assert.equal(JSON.parse(cli.stdout).classes.length, 1);
  const bad = spawnSync(bin, ['summary', path.join(app, 'missing')], { encoding: 'utf8' });
  assert.equal(bad.status, 2, 'exit codes pass through');
  assert.match(bad.stderr, /cannot open/);
});
