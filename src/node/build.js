#!/usr/bin/env node
'use strict';
// Builds the package's native parts (binding.gyp here) with node-gyp:
// the addon src/node/build/Release/leakscope.node and the command
// src/node/build/Release/leakscope. Run by `npm install` (the package's
// install script) and by `make build`.
//
// Offline-friendly: node-gyp needs Node's headers; when the running node
// has them next to it (<prefix>/include/node, true of Debian's nodejs and
// of the official tarballs) they are used instead of a download.
// Usage: node src/node/build.js [--rebuild]
// Env: LEAKSCOPE_NODEDIR (headers' prefix), LEAKSCOPE_NODE_GYP (node-gyp.js).
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const here = __dirname;

function nodeGyp() {
  const tries = [];
  if (process.env.LEAKSCOPE_NODE_GYP) tries.push(process.env.LEAKSCOPE_NODE_GYP);
  try {
    tries.push(require.resolve('node-gyp/bin/node-gyp.js', { paths: [here, process.cwd()] }));
  } catch { /* not a dependency here: npm's own below */ }
  if (process.env.npm_config_node_gyp) tries.push(process.env.npm_config_node_gyp);
  if (process.env.npm_execpath) {
    tries.push(path.join(path.dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  const prefix = path.dirname(path.dirname(process.execPath));
  tries.push(path.join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  tries.push('/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');
  tries.push('/usr/share/nodejs/npm/node_modules/node-gyp/bin/node-gyp.js');
  const found = tries.find((p) => p && fs.existsSync(p));
  if (!found) {
    process.stderr.write('leakscope: cannot find node-gyp (looked in:\n  ' + tries.join('\n  ') +
      ')\ninstall it (npm i -g node-gyp@12) or set LEAKSCOPE_NODE_GYP to its bin/node-gyp.js\n');
    process.exit(2);
  }
  return found;
}

function nodeDir() {
  if (process.env.LEAKSCOPE_NODEDIR) return process.env.LEAKSCOPE_NODEDIR;
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = path.dirname(path.dirname(process.execPath));
  if (fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) return prefix;
  return null; // node-gyp downloads the headers
}

const gyp = nodeGyp();
const dir = nodeDir();
// gyp reads the source lists (sources.js) only when it configures: a C file
// added or removed since then needs a new configure, or the addon would
// miss its symbols. The lists used are kept beside the Makefile.
const listed = spawnSync(process.execPath, [path.join(here, 'sources.js'), 'core', 'node', 'cli'], { encoding: 'utf8' }).stdout;
const listFile = path.join(here, 'build', 'sources.txt');
const configured = fs.existsSync(path.join(here, 'build', 'Makefile')) && fs.existsSync(listFile) &&
  fs.readFileSync(listFile, 'utf8') === listed;
const rebuild = process.argv.includes('--rebuild') || !configured;
// make rebuilds an archive only when one of its objects changed: after a
// file was removed it would keep the stale object
if (rebuild) {
  for (const a of ['Release/obj.target/leakscope_core.a', 'Release/leakscope_core.a']) {
    fs.rmSync(path.join(here, 'build', a), { force: true });
  }
}
// the session's preload, embedded into the C library (as the CMake build does)
{
  const out = path.join(here, 'build', 'gen', 'preload_js.c');
  const r = spawnSync(process.execPath, [path.join(here, '..', 'session', 'embed.js'),
    path.join(here, '..', 'session', 'preload.js'), out, 'ls__preload_js'], { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('leakscope: could not embed src/session/preload.js\n');
    process.exit(r.status || 1);
  }
}
const common = ['-C', here, ...(dir ? [`--nodedir=${dir}`] : []), '--loglevel=warn'];
const steps = rebuild ? [['configure', ...common], ['build', ...common]] : [['build', ...common]];
// Every source is C: link with the C compiler (gyp's Makefiles default to
// the C++ one, which a machine with only gcc does not have).
const env = { ...process.env, LINK: process.env.LINK || process.env.CC || 'cc' };
for (const args of steps) {
  const r = spawnSync(process.execPath, [gyp, ...args], { stdio: 'inherit', env });
  if (r.status !== 0) {
    process.stderr.write(`leakscope: node-gyp ${args[0]} failed (${r.error ? r.error.message : `exit ${r.status}`}); ` +
      `it needs ${require('../../lib/native').needs}\n`);
    process.exit(r.status || 1);
  }
  if (args[0] === 'configure') fs.writeFileSync(listFile, listed);
}
