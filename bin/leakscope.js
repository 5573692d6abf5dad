#!/usr/bin/env node
'use strict';
// The package's `leakscope` command: the C command-line tool built at
// install time (src/node/build/Release/leakscope), with its arguments,
// standard streams and exit status passed through.
const path = require('path');
const { spawnSync } = require('child_process');

const bin = path.join(__dirname, '..', 'src', 'node', 'build', 'Release', 'leakscope');
const r = spawnSync(bin, process.argv.slice(2), { stdio: 'inherit' });
if (r.error) {
  process.stderr.write(`leakscope: cannot run ${bin}: ${r.error.message}; ` +
    'build it with `npm rebuild leakscope` (npm 12 and later: `npm approve-scripts leakscope` first)\n');
  process.exit(2);
}
if (r.signal) process.kill(process.pid, r.signal);
process.exit(r.status);
