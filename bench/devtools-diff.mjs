#!/usr/bin/env node
// Benchmark baseline for `leakscope trend`: Chrome DevTools' Comparison view
// of two snapshots, run with DevTools' own code (the npm package
// heap-snapshot-toolkit, DevTools' worker code run in one thread). Both
// snapshots are loaded with parse() (dominators, retained sizes, distances),
// as the DevTools UI holds both, then diff(START, END) computes the
// Comparison view's per-class added / removed counts and sizes.
//
//   node [--max-old-space-size=MB] bench/devtools-diff.mjs START END
//
// Prints one JSON line so a run is seen to have done the work:
//   {"tool":"devtools-diff","nodes":[N1,N2],"classes":C,"grown":G,"count_delta":D,"size_delta":S}
// classes is the number of classes in the diff, grown how many of them have
// count_delta > 0, count_delta / size_delta their sums. gzip input is
// detected from its first two bytes, like leakscope. Exit 0 on success, 1 if
// DevTools' code fails, 2 on bad usage or an unreadable file.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { parse, diff } from 'heap-snapshot-toolkit';

function usage(code) {
  (code ? process.stderr : process.stdout).write(
    'usage: node bench/devtools-diff.mjs START END\n' +
    'Loads both snapshots with DevTools\' code (heap-snapshot-toolkit), computes\n' +
    'the Comparison view (diff) and prints {tool, nodes, classes, grown, ...}.\n');
  process.exit(code);
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) usage(0);
if (args.length !== 2) usage(2);

function openStream(file) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    process.stderr.write(`devtools-diff: ${file}: ${e.message}\n`);
    process.exit(2);
  }
  const head = Buffer.alloc(2);
  fs.readSync(fd, head, 0, 2, 0);
  fs.closeSync(fd);
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const s = fs.createReadStream(file).pipe(zlib.createGunzip());
    s.setEncoding('utf8');
    return s;
  }
  return fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
}

// check both files before the (long) first load
const streams = args.map(openStream);

// DevTools' loader neither throws nor settles on some bad input (node then
// exits 13, "unsettled top-level await"): say so on stderr.
let settled = false;
let stage = `loading ${args[0]}`;
process.on('exit', () => {
  if (!settled) process.stderr.write(`devtools-diff: ${stage}: never finished (bad input?)\n`);
});
let start, end, result;
try {
  start = await parse(streams[0]);
  stage = `loading ${args[1]}`;
  end = await parse(streams[1]);
  stage = 'diff';
  result = await diff(start, end);
} catch (e) {
  settled = true;
  process.stderr.write(`devtools-diff: ${stage}: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
}
settled = true;
let classes = 0;
let grown = 0;
let countDelta = 0;
let sizeDelta = 0;
for (const key of Object.keys(result)) {
  const c = result[key];
  classes++;
  if (c.countDelta > 0) grown++;
  countDelta += c.countDelta;
  sizeDelta += c.sizeDelta;
}
process.stdout.write(JSON.stringify({
  tool: 'devtools-diff',
  nodes: [start.nodeCount, end.nodeCount],
  classes,
  grown,
  count_delta: countDelta,
  size_delta: sizeDelta,
}) + '\n');
