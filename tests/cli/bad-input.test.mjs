// Bad input: every broken, missing or unreadable snapshot ends with exit
// status 2 (never a signal, never a hang), stderr naming the file, for
// content errors the byte offset (`byte N`) and what was expected, and
// nothing on stdout (no partial JSON).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { runCli, runJson, describeRun, makeSnapshot, privateTmpDir, assertBinary } from '../js-helpers/leakscope.mjs';
import { miniSnapshot, MINI, V8_META } from '../js-helpers/mini.mjs';
import { oracle, diffSummary, diffTop } from '../js-helpers/oracle.mjs';

let tmp;
let real; // a real snapshot (text) made by node
let realFile;
before(() => {
  assertBinary();
  tmp = privateTmpDir('leakscope-cli-');
  realFile = path.join(tmp.dir, 'real.heapsnapshot');
  makeSnapshot('cycles', realFile);
  real = fs.readFileSync(realFile);
});
after(() => tmp?.cleanup());

function write(name, data) {
  const p = path.join(tmp.dir, name);
  fs.writeFileSync(p, data);
  return p;
}

// Run summary and top, with and without --json; all must fail the same way.
// byte: undefined = no offset required; 'any' = some `byte N` required;
// [lo, hi] = `byte N` required with lo <= N <= hi.
function expectBad(file, { byte, words = [], label = path.basename(file), run = {} } = {}) {
  const offsets = [];
  for (const args of [['summary', '--json'], ['summary'], ['top', '--json'], ['top', '-n', '3']]) {
    const r = runCli([...args, file], run);
    const info = `${label}: ${describeRun(r)}`;
    assert.equal(r.signal, null, `no signal/crash/hang: ${info}`);
    assert.notEqual(r.status, null, info);
    assert.equal(r.status, 2, `exit status 2: ${info}`);
    assert.equal(r.stdout, '', `nothing on stdout on error: ${info}`);
    assert.ok(r.stderr.includes(file), `stderr names the file: ${info}`);
    assert.ok(!/Segmentation|Aborted|AddressSanitizer|runtime error/.test(r.stderr), `no crash report: ${info}`);
    const msg = r.stderr.split(file).join('<FILE>'); // words must not match the file name itself
    for (const w of words) assert.match(msg, w, `stderr says what was expected (${w}): ${info}`);
    if (byte !== undefined) {
      const m = /byte (\d+)/.exec(msg);
      assert.ok(m, `stderr gives the byte offset as "byte N": ${info}`);
      const n = Number(m[1]);
      if (Array.isArray(byte)) {
        assert.ok(n >= byte[0] && n <= byte[1], `byte ${n} within [${byte[0]}, ${byte[1]}]: ${info}`);
      }
      offsets.push(n);
    }
  }
  if (offsets.length) assert.equal(new Set(offsets).size, 1, `same offset from every command: ${offsets}`);
  return offsets[0];
}

const EXPECTED = /expect/i;

test('the unbroken mini snapshot is accepted and matches DevTools (so the broken ones fail for the stated reason)', async () => {
  const f = write('mini.heapsnapshot', miniSnapshot().text);
  const o = await oracle(f);
  const s = runJson(['summary', '--json', f]);
  assert.deepEqual(diffSummary(s, o), []);
  assert.deepEqual(diffTop(runJson(['top', '--json', '-n', '3', f]), o, 3), []);
  assert.deepEqual(s.snapshot, { path: f, node_count: 4, edge_count: 3, total_size: 72 });
});

// Where the token containing byte `cut` starts (for a cut inside a number or
// a string the reader may report the token's start or the end of input).
function tokenStart(buf, cut) {
  const text = buf.toString('latin1');
  const strStart = text.indexOf('"strings":[');
  if (cut > strStart + 11) {
    let inStr = false;
    let start = -1;
    for (let i = strStart + 11; i < cut; i++) {
      const c = text.charCodeAt(i);
      if (inStr) {
        if (c === 0x5c) i++;
        else if (c === 0x22) inStr = false;
      } else if (c === 0x22) { inStr = true; start = i; }
    }
    if (inStr) return start;
  }
  let i = cut;
  while (i > 0 && /[0-9.eE+-]/.test(text[i - 1])) i--;
  return i;
}

test('truncated real snapshot: exit 2 with the offset of the cut', () => {
  const text = real.toString('latin1');
  const at = (s) => { const i = text.indexOf(s); assert.ok(i > 0, s); return i + s.length; };
  const nodes = at('"nodes":[');
  const edges = at('"edges":[');
  const strings = at('"strings":[');
  let inString = strings + Math.floor((real.length - strings) / 2);
  while (real[inString - 1] !== 0x22 || real[inString] === 0x2c) inString++; // just after a quote …
  inString += 1; // … one byte into the string's text
  const cuts = {
    'after {': 1,
    'in meta': at('"node_fields":['),
    'at nodes start': nodes,
    'mid nodes': nodes + Math.floor((edges - nodes) / 2),
    'mid edges': edges + Math.floor((strings - edges) / 2),
    'at strings start': strings,
    'inside a string': inString,
    'before the last }': real.length - 1,
  };
  for (const [label, cut] of Object.entries(cuts)) {
    const data = real.subarray(0, cut);
    const f = write(`cut-${label.replace(/\W+/g, '-')}.heapsnapshot`, data);
    const n = expectBad(f, { byte: [tokenStart(data, cut), cut], words: [EXPECTED], label: `cut ${label} at ${cut}` });
    // The same bytes gzip-compressed: same error, offset in decompressed text.
    const gz = write(`cut-${label.replace(/\W+/g, '-')}.gz`, zlib.gzipSync(data));
    assert.equal(expectBad(gz, { byte: 'any', words: [EXPECTED], label: `gz cut ${label}` }), n,
      'a compressed file reports the same offset (in the decompressed text)');
  }
});

test('empty file: byte 0', () => {
  expectBad(write('empty.heapsnapshot', ''), { byte: [0, 0], words: [EXPECTED] });
});

test('not JSON ("hello"): byte 0', () => {
  expectBad(write('hello.heapsnapshot', 'hello'), { byte: [0, 0], words: [EXPECTED] });
  expectBad(write('hello-nl.heapsnapshot', '  \n hello'), { byte: [4, 4], words: [EXPECTED] });
});

test('JSON but not a snapshot ({} and [])', () => {
  expectBad(write('obj.heapsnapshot', '{}'), { byte: [0, 2], words: [/snapshot/i] });
  expectBad(write('arr.heapsnapshot', '[]'), { byte: [0, 0], words: [EXPECTED] });
  expectBad(write('num.heapsnapshot', '42\n'), { byte: [0, 0], words: [EXPECTED] });
});

test('missing meta', () => {
  expectBad(write('nometa.heapsnapshot', miniSnapshot({ meta: null }).text), { byte: 'any', words: [/meta/] });
});

test('wrong meta: node_fields without id', () => {
  const meta = { ...V8_META, node_fields: V8_META.node_fields.filter((f) => f !== 'id'),
    node_types: V8_META.node_types.filter((_, i) => i !== 2) };
  const nodes = MINI.nodes.filter((_, i) => i % 7 !== 2);
  const edges = MINI.edges.map((v, i) => (i % 3 === 2 ? (v / 7) * 6 : v));
  expectBad(write('noid.heapsnapshot', miniSnapshot({ meta, nodes, edges }).text), { byte: 'any', words: [/\bid\b/] });
});

test('node_count disagreeing with the nodes array', () => {
  expectBad(write('nc-more.heapsnapshot', miniSnapshot({ nodeCount: 5 }).text), { byte: 'any', words: [/node/i] });
  expectBad(write('nc-less.heapsnapshot', miniSnapshot({ nodeCount: 3 }).text), { byte: 'any', words: [/node/i] });
  // Not a multiple of the node field count.
  expectBad(write('nc-partial.heapsnapshot', miniSnapshot({ nodes: MINI.nodes.slice(0, -1), nodeCount: 4 }).text),
    { byte: 'any', words: [/node/i] });
});

test('edge_count disagreeing with the edges array (and with the nodes\' edge counts)', () => {
  expectBad(write('ec-more.heapsnapshot', miniSnapshot({ edgeCount: 4 }).text), { byte: 'any', words: [/edge/i] });
  expectBad(write('ec-less.heapsnapshot', miniSnapshot({ edgeCount: 2 }).text), { byte: 'any', words: [/edge/i] });
  const nodes = MINI.nodes.slice();
  nodes[4] = 3; // root claims 3 edges: the nodes' edge counts sum to 4, edges has 3
  expectBad(write('ec-sum.heapsnapshot', miniSnapshot({ nodes }).text), { byte: 'any', words: [/edge/i] });
});

test('edge to_node outside the node array or not a multiple of the node field count: byte of that value', () => {
  for (const [label, value] of [['outside', 28], ['far-outside', 7000000], ['not-multiple', 8], ['negative', -7]]) {
    const edges = MINI.edges.slice();
    edges[5] = value; // to_node of the second edge
    const { text, off } = miniSnapshot({ edges });
    const [lo, hi] = off.edges[5];
    expectBad(write(`to-${label}.heapsnapshot`, text), { byte: [lo, hi], words: [/node/i], label: `to_node ${value}` });
  }
});

test('a string index out of range: byte of that value', () => {
  // node name
  let nodes = MINI.nodes.slice();
  nodes[7 + 1] = 5; // A's name → strings has 5 entries (0..4)
  let s = miniSnapshot({ nodes });
  expectBad(write('name-oob.heapsnapshot', s.text), { byte: [s.off.nodes[8][0], s.off.nodes[8][1]], words: [/string/i] });
  nodes = MINI.nodes.slice();
  nodes[1] = 1000000;
  s = miniSnapshot({ nodes });
  expectBad(write('name-oob2.heapsnapshot', s.text), { byte: [s.off.nodes[1][0], s.off.nodes[1][1]], words: [/string/i] });
  // property edge name
  const edges = MINI.edges.slice();
  edges[7] = 99;
  s = miniSnapshot({ edges });
  expectBad(write('edge-name-oob.heapsnapshot', s.text), { byte: [s.off.edges[7][0], s.off.edges[7][1]], words: [/string/i] });
});

test('node type index outside meta.node_types: byte of that value', () => {
  const nodes = MINI.nodes.slice();
  nodes[14] = 99;
  const s = miniSnapshot({ nodes });
  expectBad(write('type-oob.heapsnapshot', s.text), { byte: [s.off.nodes[14][0], s.off.nodes[14][1]], words: [/type/i] });
});

test('broken gzip: valid header + garbage, and gzip cut in half', () => {
  const header = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]);
  const garbage = Buffer.from('this is not deflate data at all \x00\xff\xfe'.repeat(20), 'latin1');
  const gzWords = [/gzip|compress|deflate|zlib|inflate/i];
  expectBad(write('garbage.heapsnapshot.gz', Buffer.concat([header, garbage])), { words: gzWords });
  expectBad(write('header-only.gz', header), { words: gzWords });
  const gz = zlib.gzipSync(real);
  expectBad(write('half.heapsnapshot.gz', gz.subarray(0, gz.length >> 1)), { words: gzWords });
  // Whole deflate stream but the trailer (CRC, size) cut off or wrong.
  expectBad(write('no-trailer.gz', gz.subarray(0, gz.length - 8)), { words: gzWords });
  const badCrc = Buffer.from(gz);
  badCrc[badCrc.length - 8] ^= 0xff;
  expectBad(write('bad-crc.gz', badCrc), { words: gzWords });
});

test('a directory', () => {
  expectBad(tmp.dir, { words: [/director/i] });
});

test('a missing file', () => {
  expectBad(path.join(tmp.dir, 'does-not-exist.heapsnapshot'), { words: [/no such file|not found|does not exist|cannot open/i] });
});

test('an unreadable file (mode 000)', (t) => {
  // As root a mode-000 file is readable, so then the CLI runs as user
  // nobody (65534) on a file in a world-traversable folder.
  const asRoot = process.getuid && process.getuid() === 0;
  const run = asRoot ? { uid: 65534, gid: 65534 } : {};
  if (asRoot) {
    const probe = runCli(['--help'], run);
    if (probe.status !== 0) {
      t.skip(`running as root and user nobody cannot run ${probe.cmd} (status ${probe.status}: ${probe.stderr.trim()}), ` +
        'so a mode-000 file cannot be made unreadable to the CLI');
      return;
    }
  }
  const dir = fs.mkdtempSync(path.join(tmp.dir, '..', 'leakscope-unreadable-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.chmodSync(dir, 0o755);
  const f = path.join(dir, 'unreadable.heapsnapshot');
  fs.writeFileSync(f, miniSnapshot().text);
  fs.chmodSync(f, 0o000);
  expectBad(f, { words: [/permission|denied|cannot/i], run });
});
