#!/usr/bin/env node
'use strict';
// The package's `leakscope` command: the C command-line tool (a build from
// source, else the prebuild for this platform: lib/native.js), with its
// arguments, standard streams and exit status passed through.
const { spawnSync } = require('child_process');
const native = require('../lib/native');

const found = native.command();
if (!found) {
  process.stderr.write(`leakscope: cannot find the command: ${native.howToBuild}\n`);
  process.exit(2);
}
const r = spawnSync(found.file, process.argv.slice(2), { stdio: 'inherit' });
if (r.error) {
  process.stderr.write(`leakscope: cannot run ${found.file}: ${r.error.message}; ${native.howToBuild}\n`);
  process.exit(2);
}
if (r.signal) process.kill(process.pid, r.signal);
process.exit(r.status);
