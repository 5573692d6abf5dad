// assertNoLeak({ allocations: true }) in code a transform made: the sites
// in the LeakError (its first line, the report, the analysis) are the
// source's lines, through the script's source map, inline (a data: URL,
// as babel-jest and Vitest write it) or in a file beside the script; V8's
// own position stays in `generated`, and a script with no map keeps it.
// (tests/runners checks the same under Jest's and Vitest's own transforms.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot, privateTmpDir } from '../js-helpers/leakscope.mjs';

// Base64 VLQ, as source maps write numbers
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function vlq(n) {
  let v = n < 0 ? (-n << 1) | 1 : n << 1, out = '';
  do {
    let d = v & 31;
    v >>>= 5;
    if (v) d |= 32;
    out += B64[d];
  } while (v);
  return out;
}

// A "transform": `pre` lines put before the source, every line otherwise
// as it was. The map has a segment at the start of each line and at each
// "(" (where V8 places a function), relative as the format wants.
function transform(source, pre) {
  const lines = source.split('\n');
  const out = [];
  let prevLine = 0, prevCol = 0;
  for (let g = 0; g < pre + lines.length; g++) {
    if (g < pre) { out.push(''); continue; }
    const o = g - pre;
    const cols = [0, ...[...lines[o]].flatMap((c, i) => (c === '(' ? [i] : []))];
    let prevGen = 0;
    out.push(cols.map((c) => {
      const seg = vlq(c - prevGen) + vlq(0) + vlq(o - prevLine) + vlq(c - prevCol);
      prevGen = c; prevLine = o; prevCol = c;
      return seg;
    }).join(','));
  }
  const code = `${Array.from({ length: pre }, (_, i) => `/* preamble ${i} */`).join('\n')}\n${source}`;
  return { code, mappings: out.join(';') };
}

const source = [
  '// the source a person wrote',
  'const sessions = new Map();',
  '',
  'function remember(i) { sessions.set(sessions.size, { id: i, user: `u${i}` }); }',
  'module.exports = remember;',
  '',
].join('\n');
const headLine = source.split('\n').findIndex((l) => l.startsWith('function remember(')) + 1;
const headColumn = source.split('\n')[headLine - 1].indexOf('(') + 1;

function runIn(dir, main) {
  fs.writeFileSync(path.join(dir, 'main.cjs'), main);
  const r = spawnSync(process.execPath, ['main.cjs'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  assert.ok(!out.clean, `a leak: ${r.stdout}`);
  return out;
}
const report = `
  const { assertNoLeak } = require(${JSON.stringify(path.join(repoRoot, 'lib', 'test.js'))});
  assertNoLeak(remember, { allocations: true, rounds: 4, iterations: 300 }).then(
    () => console.log(JSON.stringify({ clean: true })),
    (e) => console.log(JSON.stringify({ first: e.message.split('\\n')[0], message: e.message,
      site: e.result.suspects[0].allocations[0], text: e.result.text })));
`;

test('an inline source map (data: URL): the source line, in the message and the analysis', () => {
  const tmp = privateTmpDir('leakscope-srcmap-');
  try {
    const { code, mappings } = transform(source, 3);
    const map = { version: 3, sources: ['app.js'], names: [], mappings };
    const gen = `${code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${
      Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
    // run as a runner does: compiled under the source's own name
    const out = runIn(tmp.dir, `
      const vm = require('vm'); const path = require('path');
      const mod = { exports: {} };
      vm.runInThisContext('(function (module) {' + ${JSON.stringify(gen)} + '\\n})',
        { filename: path.join(__dirname, 'app.js') })(mod);
      const remember = mod.exports;
      ${report}`);
    assert.equal(out.first.split('; allocated at ')[1], `remember (app.js:${headLine}:${headColumn})`, out.first);
    assert.deepEqual([out.site.script, out.site.line, out.site.column], [path.join(tmp.dir, 'app.js'), headLine, headColumn]);
    assert.equal(out.site.generated.line, headLine + 3, 'V8\'s own line is kept');
    const shown = [...out.message.matchAll(/allocated at remember \(([^()\n]+)\)/g)].map((m) => m[1]);
    assert.ok(shown.length >= 1);
    assert.deepEqual([...new Set(shown)], [`app.js:${headLine}:${headColumn}`], 'the report says the same');
    assert.equal(out.text.trimEnd(), out.message.slice(out.message.indexOf('\n') + 1), 'result.text is the message\'s report');
    // lib/test.js has no map: its frame is V8's
    const round = fs.readFileSync(path.join(repoRoot, 'lib', 'test.js'), 'utf8').split('\n')
      .findIndex((l) => l.includes('const round = async')) + 1;
    assert.match(out.message, new RegExp(`called from round \\(${path.join(repoRoot, 'lib', 'test.js')}:${round}:\\d+\\)`));
  } finally {
    tmp.cleanup();
  }
});

test('a source map in a file beside the script names another source file', () => {
  const tmp = privateTmpDir('leakscope-srcmap-');
  try {
    const { code, mappings } = transform(source, 5);
    fs.mkdirSync(path.join(tmp.dir, 'dist'));
    fs.mkdirSync(path.join(tmp.dir, 'src'));
    fs.writeFileSync(path.join(tmp.dir, 'src', 'app.ts'), source);
    fs.writeFileSync(path.join(tmp.dir, 'dist', 'app.cjs'), `${code}\n//# sourceMappingURL=app.cjs.map\n`);
    fs.writeFileSync(path.join(tmp.dir, 'dist', 'app.cjs.map'),
      JSON.stringify({ version: 3, sourceRoot: '../src', sources: ['app.ts'], names: [], mappings }));
    const out = runIn(tmp.dir, `const remember = require('./dist/app.cjs');\n${report}`);
    assert.equal(out.first.split('; allocated at ')[1], `remember (src/app.ts:${headLine}:${headColumn})`, out.first);
    assert.deepEqual(out.site.generated, { script: path.join(tmp.dir, 'dist', 'app.cjs'), line: headLine + 5, column: headColumn });
  } finally {
    tmp.cleanup();
  }
});

test('a script with no source map keeps V8\'s positions', () => {
  const tmp = privateTmpDir('leakscope-srcmap-');
  try {
    fs.writeFileSync(path.join(tmp.dir, 'app.cjs'), source);
    const out = runIn(tmp.dir, `const remember = require('./app.cjs');\n${report}`);
    assert.equal(out.first.split('; allocated at ')[1], `remember (app.cjs:${headLine}:${headColumn})`, out.first);
    assert.equal(out.site.generated, undefined);
  } finally {
    tmp.cleanup();
  }
});
