#!/usr/bin/env node
'use strict';
// `make package`: the npm tarball with the prebuilt addon and command for
// this platform (linux-x64, glibc), so that installing it needs no
// compiler, make or Python.
//
//   1. npm pack of the checkout (the files package.json lists);
//   2. that tarball unpacked and built there from its own sources
//      (src/node/build.js), so the prebuild is made of exactly what ships;
//   3. prebuilds/linux-x64/: node.napi.glibc.node (one Node-API addon for
//      every Node.js from 18 on), the command `leakscope`, and the shared
//      libraries both load from beside themselves (RUNPATH $ORIGIN):
//      libwslay.so.1 (not installed on most machines) and libz.so.1, with
//      their licences in THIRD-PARTY-NOTICES;
//   4. npm pack of that folder, without the build's own files.
// The checkout's own build (src/node/build) is not touched.
// Usage: node scripts/package.js [--out DIR]   (default build/package)
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.join(__dirname, '..');
const argv = process.argv.slice(2);
let out = path.join(root, 'build', 'package');
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--out' && argv[i + 1]) out = path.resolve(argv[++i]);
  else {
    process.stderr.write(`package.js: unknown argument ${argv[i]}\nusage: node scripts/package.js [--out DIR]\n`);
    process.exit(2);
  }
}
const fail = (msg) => {
  process.stderr.write(`package.js: ${msg}\n`);
  process.exit(1);
};
if (process.platform !== 'linux' || process.arch !== 'x64') fail(`prebuilds are made on linux-x64, this is ${process.platform}-${process.arch}`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.status !== 0) {
    fail(`\`${cmd} ${args.join(' ')}\` failed (${r.error ? r.error.message : `exit ${r.status}`})\n${r.stdout || ''}${r.stderr || ''}`);
  }
  return r.stdout;
}
const npm = (args, cwd) => JSON.parse(run('npm', [...args, '--json', '--loglevel=error'], { cwd,
  env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } }))[0];

fs.mkdirSync(out, { recursive: true, mode: 0o700 });
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-package-'));
try {
  // 1, 2: the sources as they ship, built in place
  const src = npm(['pack', '--ignore-scripts', '--pack-destination', work], root);
  run('tar', ['xzf', path.join(work, src.filename), '-C', work]);
  const pkg = path.join(work, 'package');
  run(process.execPath, [path.join(pkg, 'src', 'node', 'build.js'), '--rebuild'], { cwd: pkg, stdio: ['ignore', 'ignore', 'inherit'] });
  const release = path.join(pkg, 'src', 'node', 'build', 'Release');

  // 3: the prebuild folder
  const dir = path.join(pkg, 'prebuilds', 'linux-x64');
  fs.mkdirSync(dir, { recursive: true });
  const put = (from, name, mode) => {
    const to = path.join(dir, name);
    fs.copyFileSync(from, to);
    fs.chmodSync(to, mode);
    return to;
  };
  const addon = put(path.join(release, 'leakscope.node'), 'node.napi.glibc.node', 0o755);
  const cmd = put(path.join(release, 'leakscope'), 'leakscope', 0o755);
  run('strip', ['--strip-debug', addon, cmd]);
  // the libraries the two need beyond glibc's own, found where this
  // machine's loader finds them
  const libs = new Map();
  for (const line of run('ldd', [addon, cmd]).split('\n')) {
    const m = line.match(/^\s*(lib(?:wslay|z)\.so\.\d+) => (\S+)/);
    if (m) libs.set(m[1], m[2]);
  }
  for (const need of ['libwslay.so.1', 'libz.so.1']) if (!libs.has(need)) fail(`ldd names no ${need} for the built binaries`);
  const notices = ['Third-party libraries in this folder, and their licences.\n'];
  for (const [name, file] of libs) {
    put(fs.realpathSync(file), name, 0o644);
    // Debian's copyright file of the package that holds the library
    const owner = run('dpkg', ['-S', path.basename(fs.realpathSync(file))]).split(':')[0];
    const copyright = `/usr/share/doc/${owner}/copyright`;
    if (!fs.existsSync(copyright)) fail(`no licence file ${copyright} for ${name}`);
    notices.push(`\n===== ${name} (Debian package ${owner}) =====\n\n${fs.readFileSync(copyright, 'utf8')}`);
  }
  fs.writeFileSync(path.join(dir, 'THIRD-PARTY-NOTICES'), notices.join(''));
  // what ships must work from there alone: the command, and the addon
  // loaded by the package's own resolver once the build is gone
  fs.rmSync(path.join(pkg, 'src', 'node', 'build'), { recursive: true, force: true });
  run(cmd, ['--version']);
  run(process.execPath, ['-e', `const n = require(${JSON.stringify(path.join(pkg, 'lib', 'native.js'))});
    if (n.addon().from !== 'prebuild') throw new Error('not the prebuild: ' + n.addon().file);
    require(${JSON.stringify(path.join(pkg, 'lib', 'addon.js'))});`]);

  // 4: the tarball
  const res = npm(['pack', '--ignore-scripts', '--pack-destination', out], pkg);
  const tgz = path.join(out, res.filename);
  fs.chmodSync(tgz, 0o644);
  process.stdout.write(`${tgz}\n`);
  process.stderr.write(`package.js: ${res.filename}: ${res.entryCount} files, ${(res.size / 1e6).toFixed(2)} MB ` +
    `(prebuilds/linux-x64: ${fs.readdirSync(dir).join(', ')})\n`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
