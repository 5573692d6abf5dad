'use strict';
// Loads the native addon built by src/node/build.js (npm install does it).
// LEAKSCOPE_ADDON may name another build of leakscope.node (tests use it).
const path = require('path');

const built = path.join(__dirname, '..', 'src', 'node', 'build', 'Release', 'leakscope.node');
const file = process.env.LEAKSCOPE_ADDON || built;
try {
  module.exports = require(file);
} catch (e) {
  const why = e.code === 'MODULE_NOT_FOUND' ? 'not built' : String(e.message).split('\n')[0];
  const err = new Error(`leakscope: cannot load the native addon ${file} (${why}); ` +
    'build it with `npm rebuild leakscope` (needs python3, make, a C compiler and zlib headers; ' +
    'npm 12 and later skip dependencies\' install scripts until approved: `npm approve-scripts leakscope` first)');
  err.code = 'LS_ERR_ADDON';
  err.cause = e;
  throw err;
}
