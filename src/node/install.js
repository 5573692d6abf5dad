#!/usr/bin/env node
'use strict';
// The package's install script. When a prebuild fits this machine (the
// addon loads in this node, the command runs) there is nothing to do: no
// compiler, make or Python is needed. Otherwise, or when asked
// (`npm install --build-from-source`, LEAKSCOPE_BUILD_FROM_SOURCE=1), it
// builds from source with build.js and, if that fails, says how to.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const native = require('../../lib/native');

const say = (s) => process.stderr.write(`leakscope: ${s}\n`);
const yes = (v) => /^(1|true|yes)$/i.test(v || '');
const fromSource = yes(process.env.npm_config_build_from_source) || yes(process.env.LEAKSCOPE_BUILD_FROM_SOURCE);

// Why the prebuild does not fit, or '' when it does
function prebuildMisfit() {
  const cmd = path.join(native.prebuildDir, 'leakscope');
  if (!fs.existsSync(native.prebuildAddon) || !fs.existsSync(cmd)) return `the package has no prebuild for ${native.platform}${native.libc ? ` (${native.libc})` : ''}`;
  // in a child: a prebuild that needs a newer glibc fails to load, and a
  // failed dlopen must not take this script with it
  const load = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(native.prebuildAddon)})`], { encoding: 'utf8', timeout: 60_000 });
  if (load.status !== 0) return `its prebuilt addon does not load here: ${(load.stderr || load.error?.message || '').trim().split('\n').find((l) => /rror/.test(l)) || `exit ${load.status}`}`;
  const run = spawnSync(cmd, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) return `its prebuilt command does not run here: ${(run.stderr || run.error?.message || '').trim().split('\n')[0] || `exit ${run.status}`}`;
  return '';
}

if (!fromSource) {
  const misfit = prebuildMisfit();
  if (!misfit) process.exit(0);
  say(`${misfit}; building from source`);
} else {
  say('building from source (as asked)');
}
const r = spawnSync(process.execPath, [path.join(__dirname, 'build.js'), '--rebuild'], { stdio: 'inherit' });
if (r.status !== 0) {
  say(`the build from source failed (${r.error ? r.error.message : `exit ${r.status}`}); ${native.rebuild.replace(/^build it with/, 'retry with')}`);
  process.exit(r.status || 1);
}
