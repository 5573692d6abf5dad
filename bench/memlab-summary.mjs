#!/usr/bin/env node
// Benchmark baseline: memlab (npm package memlab, pinned in package.json)
// loads SNAPSHOT the way its heap analyses do — getFullHeapFromFile(), which
// parses the file, builds the node id index and computes dominators and
// retained sizes — then a class summary is made by walking every node and
// grouping by node.name (count, self size).
//
//   node [--max-old-space-size=MB] bench/memlab-summary.mjs SNAPSHOT
//
// Prints one JSON line so a run is seen to have done the work:
//   {"tool":"memlab","nodes":N,"classes":C,"total_self":S}
// memlab's own messages go to stderr. memlab groups by raw node name,
// not DevTools' class rules, so "classes" differs from leakscope/DevTools;
// "nodes" and (close to) "total_self" are comparable. Exit 0 on success, 2 on
// bad usage or an unreadable file.
import fs from 'node:fs';
import memlab from 'memlab';

function usage(code) {
  (code ? process.stderr : process.stdout).write(
    'usage: node bench/memlab-summary.mjs SNAPSHOT\n' +
    'Loads SNAPSHOT with memlab\'s getFullHeapFromFile(), groups nodes by name\n' +
    'and prints {tool, nodes, classes, total_self}.\n');
  process.exit(code);
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) usage(0);
if (args.length !== 1) usage(2);
const file = args[0];
try {
  fs.accessSync(file, fs.constants.R_OK);
} catch (e) {
  process.stderr.write(`memlab-summary: ${file}: ${e.message}\n`);
  process.exit(2);
}

// memlab logs progress (and, before exiting 1 on a bad file, its error) to
// stdout: send all of that to stderr so stdout holds only the JSON line.
const stdoutWrite = process.stdout.write;
process.stdout.write = function (...a) { return process.stderr.write(...a); };
let heap;
try {
  heap = await memlab.getFullHeapFromFile(file);
} catch (e) {
  process.stderr.write(`memlab-summary: ${file}: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
}
process.stdout.write = stdoutWrite;
const byName = new Map();
let nodes = 0;
let totalSelf = 0;
heap.nodes.forEach((node) => {
  nodes++;
  const size = node.self_size;
  totalSelf += size;
  const e = byName.get(node.name);
  if (e) {
    e.count++;
    e.self += size;
  } else {
    byName.set(node.name, { count: 1, self: size });
  }
});
process.stdout.write(JSON.stringify({
  tool: 'memlab',
  nodes,
  classes: byName.size,
  total_self: totalSelf,
}) + '\n');
// memlab may leave handles open (timers, console hooks): do not wait for them.
process.exit(0);
