'use strict';
// Where the package's native parts are: the Node-API addon and the
// command-line tool. In order:
//   1. a build from source, src/node/build/Release/ (npm's install script
//      makes it when no prebuild fits; a checkout's `make build` too);
//   2. the prebuild for this platform, prebuilds/<platform>-<arch>/ in the
//      layout prebuildify and node-gyp-build use: node.napi.<libc>.node
//      (Node-API, so one file serves every Node.js from 18 on) and the
//      command beside it, with the shared libraries both need.
// Nothing here builds or downloads anything.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const built = path.join(root, 'src', 'node', 'build', 'Release');

// 'glibc' or 'musl' on Linux (prebuilds are tagged by it), '' elsewhere
function libc() {
  if (process.platform !== 'linux') return '';
  try {
    const header = process.report.getReport().header;
    return header.glibcVersionRuntime ? 'glibc' : 'musl';
  } catch {
    return 'glibc';
  }
}

const platform = `${process.platform}-${process.arch}`;
const tag = libc();
const prebuildDir = path.join(root, 'prebuilds', platform);
const prebuildAddon = path.join(prebuildDir, `node.napi${tag ? `.${tag}` : ''}.node`);

// The first place holding `name`, with where it came from; null if none.
function find(builtName, prebuiltFile) {
  const b = path.join(built, builtName);
  if (fs.existsSync(b)) return { file: b, from: 'build' };
  if (fs.existsSync(prebuiltFile)) return { file: prebuiltFile, from: 'prebuild' };
  return null;
}

const addon = () => find('leakscope.node', prebuildAddon);
const command = () => find('leakscope', path.join(prebuildDir, 'leakscope'));

// How to build from source, and the message when no prebuild fits
const needs = 'python3, make, a C compiler and the zlib and wslay headers (Debian: zlib1g-dev libwslay-dev)';
const rebuild = 'build it with `npm rebuild leakscope --build-from-source` ' +
  `(it needs ${needs}; ` +
  'npm 12 and later skip dependencies\' install scripts until approved: `npm approve-scripts leakscope` first, ' +
  'or `--allow-scripts=leakscope` for a global install)';
const howToBuild = `no prebuilt binary fits ${platform}${tag ? ` (${tag})` : ''}: ${rebuild}`;

module.exports = { addon, command, platform, libc: tag, prebuildDir, prebuildAddon, built, needs, rebuild, howToBuild };
