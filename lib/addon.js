'use strict';
// Loads the native addon: a build from source if there is one, else the
// prebuild for this platform (lib/native.js says where each lives).
// LEAKSCOPE_ADDON may name another build of leakscope.node (tests use it).
const native = require('./native');

const found = process.env.LEAKSCOPE_ADDON ? { file: process.env.LEAKSCOPE_ADDON, from: 'LEAKSCOPE_ADDON' } : native.addon();
if (!found) {
  const err = new Error(`leakscope: cannot load the native addon: ${native.howToBuild}`);
  err.code = 'LS_ERR_ADDON';
  throw err;
}
try {
  module.exports = require(found.file);
} catch (e) {
  const why = e.code === 'MODULE_NOT_FOUND' ? 'not found' : String(e.message).split('\n')[0];
  const err = new Error(`leakscope: cannot load the native addon ${found.file} (${why}); ` +
    native.rebuild);
  err.code = 'LS_ERR_ADDON';
  err.cause = e;
  throw err;
}
