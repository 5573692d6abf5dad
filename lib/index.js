'use strict';
// require('leakscope'): the analyser, the session (run, attach) and TickLoop.
//
// Every analysis runs on libuv's thread pool (the event loop stays free
// while a snapshot loads) and resolves with a plain object carrying the
// keys of the CLI's --json output (README.md, "JSON"). Failures reject
// with an Error whose message is the CLI's ("FILE: byte N: what was
// expected") and whose `code` is LS_ERR_IO, LS_ERR_PARSE, LS_ERR_NOMEM,
// LS_ERR_LIMIT or LS_ERR_INVALID_ARG. Wrong arguments throw at once
// (TypeError, RangeError): nothing is started.
const fs = require('fs');
const native = require('./addon');

function file(v, what) {
  if (typeof v !== 'string' || v === '') {
    throw new TypeError(`leakscope: ${what} must be a file name (a non-empty string), got ${typeof v}`);
  }
  return v;
}

function count(v, what) {
  if (v === undefined) return 0;
  if (!Number.isSafeInteger(v) || v < 1) {
    throw new RangeError(`leakscope: ${what} must be a whole number >= 1, got ${v}`);
  }
  return v;
}

function opts(o, what) {
  if (o === undefined) return {};
  if (o === null || typeof o !== 'object') throw new TypeError(`leakscope: ${what} options must be an object`);
  return o;
}

const parse = (text) => JSON.parse(text);

// Runs a native analysis, which calls back (err, json) from its async work,
// as a promise of the parsed JSON. The native function is called outside the
// promise's executor so that its argument errors throw at once.
function call(fn, ...args) {
  let resolve, reject;
  const p = new Promise((res, rej) => { resolve = res; reject = rej; });
  fn(...args, (err, json, text) => {
    if (err) reject(err);
    else {
      try {
        const r = parse(json);
        // trend and run: the command's text report, for messages (not a
        // JSON key: the object stays the command's --json)
        if (text !== undefined) Object.defineProperty(r, 'text', { value: text, configurable: true });
        resolve(r);
      } catch (e) { reject(e); }
    }
  });
  return p;
}

// summary(path, { top }) -> { snapshot, class_count, classes[...] }
function summary(snapshot, options) {
  const o = opts(options, 'summary');
  return call(native.summary, file(snapshot, 'summary: the snapshot'), count(o.top, 'summary: top'));
}

// diff(old, new) -> { old, new, classes[...] }
function diff(oldSnapshot, newSnapshot) {
  return call(native.diff, file(oldSnapshot, 'diff: the old snapshot'), file(newSnapshot, 'diff: the new snapshot'));
}

// A rejected promise of an analysis error (a runtime condition of the
// files, not a wrong argument: those throw).
function failure(code, message) {
  return Promise.reject(Object.assign(new Error(message), { code }));
}

const MIN_SNAPSHOTS = native.MIN_SNAPSHOTS; // the library's LS_TREND_MIN_SNAPSHOTS

const strerror = (e) => ({ ENOENT: 'No such file or directory', EACCES: 'Permission denied', ENOTDIR: 'Not a directory' })[e.code] ||
  e.message;

// trend(paths | dir, { max }) -> { verdict, snapshots, suspects[...] }, plus
// `leak` (true when the verdict is "leak": a CLI would exit 1; "unsure"
// exits 4 there). A folder is read like the command reads it (the library
// lists its .heapsnapshot(.gz) files; trend puts them in process order).
function trend(series, options) {
  const o = opts(options, 'trend');
  const max = count(o.max, 'trend: max');
  let files;
  if (typeof series === 'string' && series !== '') {
    let st;
    try {
      st = fs.statSync(series);
    } catch (e) {
      return failure('LS_ERR_IO', `${series}: cannot open: ${strerror(e)}`);
    }
    if (!st.isDirectory()) {
      throw new TypeError('leakscope: trend needs an array of snapshot files or a folder of them');
    }
    files = [series];
  } else if (Array.isArray(series)) {
    files = series.map((p, i) => file(p, `trend: snapshot ${i + 1}`));
    if (files.length < MIN_SNAPSHOTS) {
      throw new RangeError(`leakscope: trend: ${files.length} snapshot${files.length === 1 ? '' : 's'} given: ` +
        `a trend needs at least ${MIN_SNAPSHOTS} of one process (to compare two, use diff)`);
    }
  } else {
    throw new TypeError('leakscope: trend needs an array of snapshot files or a folder of them');
  }
  return call(native.trend, files, max).then((t) => {
    t.leak = t.verdict === 'leak'; // `text` (not enumerable): the command's text report
    return t;
  });
}

function seconds(v, what, cmd) {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v >= 0) || v > 86400 * 30) {
    throw new RangeError(`leakscope: ${cmd}: ${what} must be a number of seconds (0 or more), got ${v}`);
  }
  return v;
}

// run's and attach's options alike, as the commands check theirs: the
// schedule, and `strings` (their names) non-empty strings when given.
function checkSession(o, cmd, strings) {
  if (o.count !== undefined && (!Number.isSafeInteger(o.count) || o.count < MIN_SNAPSHOTS)) {
    throw new RangeError(`leakscope: ${cmd}: count must be a whole number >= ${MIN_SNAPSHOTS}, got ${o.count}`);
  }
  if (o.every !== undefined && !(o.every > 0)) {
    throw new RangeError(`leakscope: ${cmd}: every must be a number of seconds above 0, got ${o.every}`);
  }
  if (o.maxTime !== undefined && !(o.maxTime > 0)) {
    throw new RangeError(`leakscope: ${cmd}: maxTime must be a number of seconds above 0, got ${o.maxTime}`);
  }
  if (o.allocations !== undefined && typeof o.allocations !== 'boolean') {
    throw new TypeError(`leakscope: ${cmd}: allocations must be true or false`);
  }
  for (const k of strings) {
    if (o[k] !== undefined && (typeof o[k] !== 'string' || o[k] === '')) {
      throw new TypeError(`leakscope: ${cmd}: ${k} must be a non-empty string`);
    }
  }
}

// The session's last arguments (native.run's and native.attach's): warmup,
// every, count, maxTime, max, allocations. A fixed schedule when every or
// count is given, as the command's --every/--count.
function schedule(o, cmd) {
  const fixed = o.every !== undefined || o.count !== undefined;
  return [seconds(o.warmup, 'warmup', cmd), fixed ? (o.every ?? 10) : undefined,
    fixed ? (o.count ?? 5) : undefined, seconds(o.maxTime, 'maxTime', cmd), count(o.max, `${cmd}: max`),
    o.allocations === true];
}

// `leak`: the verdict as a flag (the command's exit code 1)
function withLeak(t) {
  t.leak = t.verdict === 'leak';
  return t;
}

// run(script, { args, warmup, every, count, maxTime, node, out, max,
// allocations }) ->
// the `leakscope run --json` object, plus `leak`. The same session as the
// command (src/session/run.c) on libuv's thread pool: it starts node on the
// script with leakscope's preload (its stdin, stdout and stderr are this
// process's), takes snapshots (adaptive unless every/count), stops it and
// judges the series. Snapshots are streamed from the program, not written:
// `out` (a folder) also saves them as snap-NN.heapsnapshot, and then
// snapshots[].path names each file; without it every path is null. A program that fails or ends before 3 snapshots
// rejects with code LS_ERR_PROGRAM.
function run(script, options) {
  const o = opts(options, 'run');
  file(script, 'run: the script');
  const args = o.args === undefined ? [] : o.args;
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
    throw new TypeError('leakscope: run: args must be an array of strings');
  }
  checkSession(o, 'run', ['node', 'out']);
  return call(native.run, [script, ...args], o.node, o.out, ...schedule(o, 'run')).then(withLeak);
}

// attach(pid, { warmup, every, count, maxTime, inspect, out, max,
// allocations }) -> the
// `leakscope attach --json` object, plus `leak`. The same session as the
// command (src/session/attach.c) on libuv's thread pool: it opens the
// process's inspector (SIGUSR1) unless it is open, takes snapshots over it
// (adaptive unless every/count), closes the inspector again if it opened
// it, and judges the series; the process keeps running. No such process,
// not Node.js, another user's, a non-loopback `inspect`: rejects with
// LS_ERR_INVALID_ARG; no inspector could be opened, or the process ended
// before 3 snapshots: LS_ERR_PROGRAM.
function attach(pid, options) {
  const o = opts(options, 'attach');
  if (!Number.isSafeInteger(pid) || pid < 1 || pid > 2147483647) {
    throw new RangeError(`leakscope: attach: pid must be a process id (a whole number >= 1), got ${pid}`);
  }
  checkSession(o, 'attach', ['inspect', 'out']);
  return call(native.attach, pid, o.inspect, o.out, ...schedule(o, 'attach')).then(withLeak);
}

// paths(path, '@ID' | 'Class', { n }) -> { snapshot, query, match_count, paths[...] }
function paths(snapshot, target, options) {
  const o = opts(options, 'paths');
  if (typeof target === 'number' && Number.isSafeInteger(target) && target >= 0) target = `@${target}`;
  if (typeof target !== 'string' || target === '') {
    throw new TypeError('leakscope: paths: the target must be "@ID", an id number or a class name');
  }
  // like the command: paths for up to 3 instances of a class by default
  const n = o.n === undefined ? native.DEFAULT_PATHS : count(o.n, 'paths: n');
  return call(native.paths, file(snapshot, 'paths: the snapshot'), target, n);
}

// handles(path) -> { snapshot, verdict, threshold, roots[...], message }, plus `leak`
function handles(snapshot) {
  return call(native.handles, file(snapshot, 'handles: the snapshot')).then((h) => {
    h.leak = h.verdict === 'leak';
    return h;
  });
}

// suspects(path, { threshold }) -> { snapshot, threshold, heap_size, suspects[...] }
// (leak suspects of one snapshot), plus `leak`: some suspect reaches the
// threshold, a share of the heap in (0, 1] (default 0.1: 10%).
function suspects(snapshot, options) {
  const o = opts(options, 'suspects');
  const t = o.threshold;
  if (t !== undefined && (typeof t !== 'number' || !(t > 0 && t <= 1))) {
    throw new RangeError(`leakscope: suspects: threshold must be a share of the heap above 0 and at most 1 (0.1 for 10%), got ${t}`);
  }
  return call(native.suspects, file(snapshot, 'suspects: the snapshot'), t).then((r) => {
    r.leak = r.suspects.length > 0;
    return r;
  });
}

module.exports = { summary, diff, trend, paths, handles, suspects, run, attach, TickLoop: require('./tickloop') };
