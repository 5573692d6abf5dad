#!/usr/bin/env node
'use strict';
// Turns a text file into a C source defining `const char NAME[]` (NUL-ended)
// and `const size_t NAME_len`, so leakscope carries its preload inside the
// binary. Run at build time by CMake and by src/node/build.js.
// Usage: node embed.js INPUT OUTPUT NAME
const fs = require('fs');
const [input, output, name] = process.argv.slice(2);
if (!input || !output || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name || '')) {
  process.stderr.write('usage: node embed.js INPUT OUTPUT C_NAME\n');
  process.exit(2);
}
const bytes = fs.readFileSync(input);
const lines = [];
for (let i = 0; i < bytes.length; i += 16) {
  lines.push('  ' + Array.from(bytes.subarray(i, i + 16), (b) => `0x${b.toString(16).padStart(2, '0')},`).join(' '));
}
const text = `/* Generated from ${require('path').basename(input)} by embed.js at build time: do not edit. */
#include <stddef.h>
const char ${name}[] = {
${lines.join('\n')}
  0x00};
const size_t ${name}_len = ${bytes.length};
`;
const tmp = `${output}.tmp${process.pid}`;
fs.mkdirSync(require('path').dirname(output), { recursive: true });
fs.writeFileSync(tmp, text);
fs.renameSync(tmp, output); // whole or not at all
