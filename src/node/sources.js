'use strict';
// Prints the C sources of the given groups, relative to this folder, for
// binding.gyp (gyp has no globs). The groups are the folders CMakeLists.txt
// globs, so both builds compile the same files.
// Usage: node sources.js core node|cli
const fs = require('fs');
const path = require('path');

const groups = {
  core: ['reader', 'graph', 'algorithms', 'analyses', 'analyses/trend', 'render', 'session'],
  node: ['node'],
  cli: ['cli'],
};
const out = [];
for (const g of process.argv.slice(2)) {
  if (!groups[g]) {
    process.stderr.write(`sources.js: unknown group ${g}\n`);
    process.exit(2);
  }
  for (const dir of groups[g]) {
    const abs = path.join(__dirname, '..', dir);
    for (const f of fs.readdirSync(abs).sort())
      if (f.endsWith('.c')) out.push(path.posix.join('..', dir, f));
  }
}
process.stdout.write(out.join('\n') + '\n');
