'use strict';
// require('leakscope/test'): assertNoLeak(fn, options) for any test runner.
//
// Runs `fn` (sync or async) `iterations` times per round: first `warmup`
// rounds with no snapshot (caches fill, code is compiled), then `rounds`
// rounds each followed by a heap snapshot of this process. The series goes
// through leakscope's trend analysis (README "How trend decides"); when
// something keeps growing, it throws a LeakError naming the suspects and
// the paths that hold them, else it resolves with the analysis.
//
// With options.allocations, V8 records where each object is allocated
// while assertNoLeak runs (an inspector session in this process, and
// inlining off, so a site is the function that allocated: README
// "Allocation sites"); the suspects then carry their allocation sites and
// the LeakError's first line names the first one.
//
// Positions are those of the source a person wrote: a test file that a
// runner transformed (Jest's babel-jest, Vitest) runs generated code, and
// V8's lines and columns are mapped back through its source map
// (lib/sourcemap.js) in the message and in the analysis it carries.
//
// Snapshots are written to a private folder (0700, files 0600) under the
// system's temporary folder (or options.dir) and removed at the end,
// whatever happens. Writing one pauses the process and needs memory of
// about twice the heap.
const fs = require('fs');
const os = require('os');
const path = require('path');
const v8 = require('v8');
const { trend } = require('./index');
const { scriptMaps } = require('./sourcemap');

class LeakError extends Error {
  constructor(message, result) {
    super(message);
    this.name = 'LeakError';
    // LS_LEAK: something grows; LS_UNSURE: it may, and maxRounds did not settle it
    this.code = result && result.verdict === 'unsure' ? 'LS_UNSURE' : 'LS_LEAK';
    this.result = result; // the trend analysis: verdict, snapshots, suspects
  }
}

const DEFAULTS = { rounds: 6, iterations: 200, warmup: 1, maxRounds: 12 };

// The functions under test, held from the global object while they run:
// what they leak is then reachable from a user root and its retainer path
// goes through their own variables ("variable cache → Map"). Otherwise a
// plain script's function is held only by the running frame, and the path
// shown would go through V8's handle scope instead.
// One Set for every copy of this module in the realm (a runner may load it
// twice: Vitest inlines an import of it while a require of it is Node's),
// else the copy that defined it last would hide the others' functions.
const RUNNING = Symbol.for('leakscope.assertNoLeak');
const running = globalThis[RUNNING] instanceof Set ? globalThis[RUNNING] : new Set();
if (globalThis[RUNNING] !== running) {
  Object.defineProperty(globalThis, RUNNING, { value: running, configurable: true });
}

function whole(v, name, min) {
  if (!Number.isSafeInteger(v) || v < min) {
    throw new RangeError(`assertNoLeak: ${name} must be a whole number >= ${min}, got ${v}`);
  }
  return v;
}

// A script as the text report shows it (src/render/alloc.c): relative to
// the current folder when it is under it, a file:// URL as its path.
function place(script) {
  const sc = script || '(no script)';
  const cwd = process.cwd();
  const p = sc.startsWith('file://') ? sc.slice(7) : sc;
  if (cwd !== '/' && p.startsWith(`${cwd}/`) && p.length > cwd.length + 1) return p.slice(cwd.length + 1);
  return sc;
}
const where = (f) => `${place(f.script)}${f.line ? `:${f.line}:${f.column}` : ''}`;

// Sites and constructor locations in code a transform made, moved to the
// source the map names, in the analysis (V8's own position kept as
// `generated`) and in its text report.
function toSource(result) {
  const frames = [];
  for (const s of result.suspects || []) {
    for (const a of s.allocations || []) frames.push(a, ...(a.stack || []));
    if (s.location) frames.push(s.location);
  }
  const scripts = new Set(frames.map((f) => f.script).filter(Boolean));
  const at = scripts.size ? scriptMaps(scripts) : null;
  if (!at) return;
  const moved = new Map(); // the report's "place:line:column" -> the source's
  for (const f of frames) {
    const m = at(f.script, f.line, f.column);
    if (!m) continue;
    const before = where(f);
    f.generated = { script: f.script, line: f.line, column: f.column };
    Object.assign(f, m);
    moved.set(before, where(f));
  }
  // one pass: a moved place is never moved again
  const text = (result.text || '').replace(/\(([^()\n]+)\)|(constructor at )([^\n]+)$/gm,
    (all, inParens, ctor, loc) => (inParens !== undefined
      ? (moved.has(inParens) ? `(${moved.get(inParens)})` : all)
      : (moved.has(loc) ? `${ctor}${moved.get(loc)}` : all)));
  if (result.text !== undefined) Object.defineProperty(result, 'text', { value: text, configurable: true });
}

// The message: the command's own text report of the trend (the C
// renderer: one wording for sizes and paths), under one line saying what
// assertNoLeak found.
function describe(result) {
  toSource(result);
  const lead = result.suspects.filter((s) => s.group === -1).length;
  const first = result.suspects.find((s) => s.allocations && s.allocations.length);
  const site = first ? first.allocations[0] : null;
  const at = site ? `; allocated at ${site.function || '(anonymous)'} (${where(site)})` : '';
  const head = result.verdict === 'unsure'
    ? `leakscope: assertNoLeak: not sure after ${result.snapshots.length} snapshots (maxRounds): ` +
      `${lead} thing${lead === 1 ? '' : 's'} may be growing`
    : `leakscope: assertNoLeak: ${lead} thing${lead === 1 ? '' : 's'} kept growing over ` +
      `${result.snapshots.length} snapshots`;
  return `${head}${at}\n${result.text || ''}`.trimEnd();
}

// Allocation tracking for the test's time: a session of this process's
// inspector (it answers at once), inlining off (an inlined call has no
// frame of its own). Returns the function that puts both back.
function trackAllocations() {
  let inspector;
  try {
    inspector = require('inspector');
  } catch (e) {
    throw new Error(`assertNoLeak: allocations need node:inspector, which this Node.js lacks (${e.message})`);
  }
  const session = new inspector.Session();
  session.connect();
  let failed = null;
  session.post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true }, (e) => { failed = e; });
  if (failed) {
    session.disconnect();
    throw new Error(`assertNoLeak: could not start allocation tracking: ${failed.message}`);
  }
  const major = Number(process.versions.node.split('.')[0]);
  v8.setFlagsFromString('--no-turbo-inlining');
  if (major >= 20) v8.setFlagsFromString('--no-maglev-inlining');
  return () => {
    session.disconnect(); // V8 stops tracking with the session
    v8.setFlagsFromString('--turbo-inlining');
    if (major >= 22) v8.setFlagsFromString('--maglev-inlining'); // 22's default
  };
}

async function assertNoLeak(fn, options = {}) {
  if (typeof fn !== 'function') throw new TypeError('assertNoLeak: fn must be a function');
  if (options === null || typeof options !== 'object') throw new TypeError('assertNoLeak: options must be an object');
  const o = { ...DEFAULTS, ...options };
  whole(o.rounds, 'rounds', 3);
  whole(o.iterations, 'iterations', 1);
  whole(o.warmup, 'warmup', 0);
  whole(o.maxRounds, 'maxRounds', o.rounds);
  if (o.allocations !== undefined && typeof o.allocations !== 'boolean') {
    throw new TypeError('assertNoLeak: allocations must be true or false');
  }

  const base = o.dir || os.tmpdir();
  const dir = fs.mkdtempSync(path.join(base, 'leakscope-assert-'));
  fs.chmodSync(dir, 0o700);
  const files = [];
  running.add(fn);
  const untrack = o.allocations ? trackAllocations() : null;
  try {
    const round = async () => {
      for (let i = 0; i < o.iterations; i++) {
        const r = fn(i);
        if (r && typeof r.then === 'function') await r;
      }
    };
    const snapshotRound = async () => {
      await round();
      // a fresh macrotask: fn's last frames are gone from the stack
      await new Promise((resolve) => setImmediate(resolve));
      const file = path.join(dir, `round-${String(files.length + 1).padStart(3, '0')}.heapsnapshot`);
      v8.writeHeapSnapshot(file);
      fs.chmodSync(file, 0o600);
      files.push(file);
    };
    for (let w = 0; w < o.warmup; w++) await round();
    for (let k = 1; k <= o.rounds; k++) await snapshotRound();
    let result = await trend(files, o.max ? { max: o.max } : undefined);
    // not sure yet: one more round at a time, up to maxRounds
    while (result.verdict === 'unsure' && files.length < o.maxRounds) {
      await snapshotRound();
      result = await trend(files, o.max ? { max: o.max } : undefined);
    }
    if (result.verdict !== 'clean') throw new LeakError(describe(result), result);
    return result;
  } finally {
    if (untrack) untrack();
    running.delete(fn);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { assertNoLeak, LeakError };
