#!/usr/bin/env node
// Benchmark baseline: Chrome DevTools' own heap snapshot code (the npm
// package heap-snapshot-toolkit, DevTools' worker code run in one thread)
// loads SNAPSHOT and computes the Summary view's class aggregates
// (aggregatesWithFilter({}): count, self size, retained size per class).
//
//   node [--max-old-space-size=MB] bench/devtools-summary.mjs SNAPSHOT
//
// Prints one JSON line so a run is seen to have done the work:
//   {"tool":"devtools","nodes":N,"classes":C,"total_self":S}
// total_self is the sum of the classes' self sizes. gzip input is detected
// from its first two bytes, like leakscope. Exit 0 on success, 2 on bad usage
// or an unreadable file.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { parse } from 'heap-snapshot-toolkit';

function usage(code) {
  (code ? process.stderr : process.stdout).write(
    'usage: node bench/devtools-summary.mjs SNAPSHOT\n' +
    'Loads SNAPSHOT with DevTools\' code (heap-snapshot-toolkit), computes the\n' +
    'Summary view\'s class aggregates and prints {tool, nodes, classes, total_self}.\n');
  process.exit(code);
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) usage(0);
if (args.length !== 1) usage(2);
const file = args[0];

let fd;
try {
  fd = fs.openSync(file, 'r');
} catch (e) {
  process.stderr.write(`devtools-summary: ${file}: ${e.message}\n`);
  process.exit(2);
}
const head = Buffer.alloc(2);
fs.readSync(fd, head, 0, 2, 0);
fs.closeSync(fd);

let stream;
if (head[0] === 0x1f && head[1] === 0x8b) {
  stream = fs.createReadStream(file).pipe(zlib.createGunzip());
  stream.setEncoding('utf8');
} else {
  stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
}

// DevTools' loader neither throws nor settles on some bad input (node then
// exits 13, "unsettled top-level await"): say so on stderr.
let settled = false;
process.on('exit', () => {
  if (!settled) process.stderr.write(`devtools-summary: ${file}: the snapshot loader never finished (bad input?)\n`);
});
let snap, agg;
try {
  snap = await parse(stream);
  agg = snap.aggregatesWithFilter({});
} catch (e) {
  settled = true;
  process.stderr.write(`devtools-summary: ${file}: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
}
settled = true;
let classes = 0;
let totalSelf = 0;
for (const key of Object.keys(agg)) {
  classes++;
  totalSelf += agg[key].self;
}
process.stdout.write(JSON.stringify({
  tool: 'devtools',
  nodes: snap.nodeCount,
  classes,
  total_self: totalSelf,
}) + '\n');
