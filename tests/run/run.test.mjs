// `leakscope run` end to end: the examples (examples/leaks, examples/clean,
// examples/retained-maps) give the right verdict and name the right suspect
// and the property that holds it; bad usage, a crashing or early-ending
// program, Ctrl-C, a program killed while it writes a snapshot (as the OOM
// killer would), pass-through of stdin/stdout/stderr/exit status, private
// files, and --signal mode.
//
// Schedules are short (snapshots 1 s apart after a 1 s warm-up) but give the
// trend rule what it needs (README "How trend decides"): at least 3
// snapshots, one warm-up step, then rises. Tests run 3 at a time: most of
// the time is spent waiting for the programs.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { repoRoot, assertBinary, privateTmpDir, runCli, describeRun } from '../js-helpers/leakscope.mjs';
import { nodeBinary } from '../js-helpers/series.mjs';

const examples = path.join(repoRoot, 'examples');
const programs = path.join(repoRoot, 'tests', 'run');
// The examples' leak tests use the default, adaptive schedule: on a busy
// machine a short fixed one (6 snapshots 1 s apart) may not tell (a
// program starved in its last seconds grows more slowly by the wall
// clock: "slowing", exit 4), while the adaptive one watches until it can.
const DEFAULT_RUN = { timeoutMs: 200_000 };

// snap-01 .. snap-N, in order, nothing else
function assertSeries(files, n) {
  assert.deepEqual(files, Array.from({ length: n }, (_, i) => `snap-${String(i + 1).padStart(2, '0')}.heapsnapshot`));
}

// Runs leakscope without blocking the event loop (tests run concurrently).
// onStart(child) may watch it; the run is killed after timeoutMs.
function run(args, { input, env, cwd, timeoutMs = 120_000, detached = false, onStart, prefix = [] } = {}) {
  const bin = assertBinary();
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    // prefix: a command that runs leakscope (taskset, nice)
    const child = spawn(prefix.length ? prefix[0] : bin, prefix.length ? [...prefix.slice(1), bin, ...args] : args, {
      env: { ...process.env, ...env }, detached, cwd,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    if (input !== undefined) child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      resolve({ status, signal, stdout, stderr, ms,
        cmd: `${bin} ${args.map((a) => JSON.stringify(a)).join(' ')}` });
    });
    if (onStart) onStart(child);
  });
}

// With --json, stdout carries the report alone (the program's own stdout
// goes to stderr), so it parses whole, as `run --json | jq` would.
function trendJson(r) {
  try {
    return JSON.parse(r.stdout);
  } catch (e) {
    assert.fail(`invalid JSON (${e.message}):\n${describeRun(r)}`);
  }
}

function showSuspects(t) {
  return t.suspects.map((s, i) => `  ${i}${s.group >= 0 ? ` (in ${s.group})` : ''} ${s.kind} ${s.name} ` +
    `${s.metric} +${s.growth_bytes} B: ${s.path.map((p) => `${p.edge ?? ''}>${p.name}`).join(' / ')}`).join('\n');
}

const edges = (s) => s.path.map((p) => p.edge);

function assertPrivate(dir) {
  assert.equal(fs.statSync(dir).mode & 0o777, 0o700, `${dir} is 0700`);
  const files = fs.readdirSync(dir);
  for (const f of files) assert.equal(fs.statSync(path.join(dir, f)).mode & 0o777, 0o600, `${f} is 0600`);
  return files;
}

// A complete V8 heap snapshot ends with its strings array: `]}`.
function assertComplete(file) {
  const tail = fs.readFileSync(file, 'latin1').slice(-64).trimEnd();
  assert.ok(tail.endsWith(']}'), `${file} is a complete snapshot (ends with "]}", got ...${JSON.stringify(tail.slice(-16))})`);
}

const snapFiles = (dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot')).sort();

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitFor(what, cond, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = cond();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const tmp = [];
function tmpDir(prefix) {
  const t = privateTmpDir(`leakscope-run-test-${prefix}-`);
  tmp.push(t);
  return t.dir;
}
after(() => { for (const t of tmp) t.cleanup(); });

describe('leakscope run', { concurrency: 3 }, () => {
  // ------------------------------------------------------------------ examples

  test('examples/leaks/request-cache.js: leak, the Map held by service.responsesByRequestId', async () => {
    const out = path.join(tmpDir('cache'), 'snaps');
    const r = await run(['run', '--json', '--out', out, '--', path.join(examples, 'leaks', 'request-cache.js')], DEFAULT_RUN);
    assert.equal(r.status, 1, describeRun(r));
    assert.match(r.stderr, /^request-cache: serving/m, 'with --json the program\'s stdout passes through to stderr');
    const t = trendJson(r);
    assert.equal(t.verdict, 'leak');
    assert.ok(t.snapshots.length >= 5, `${t.snapshots.length} snapshots`);
    const lead = t.suspects[0];
    assert.equal(lead.kind, 'object', showSuspects(t));
    assert.equal(lead.name, 'Map', showSuspects(t));
    assert.deepEqual(edges(lead).slice(-2), ['service', 'responsesByRequestId'], showSuspects(t));
    assert.ok(t.suspects.some((s) => s.group === 0 && s.kind === 'class'), `its growing classes are grouped under it:\n${showSuspects(t)}`);
    assertSeries(assertPrivate(out), t.snapshots.length); // --out keeps them all
  });

  test('examples/leaks/listeners.js: leak, the listener Array of settings._events.change (text output)', async () => {
    const out = path.join(tmpDir('listeners'), 'snaps');
    const r = await run(['run', '--out', out, '--', path.join(examples, 'leaks', 'listeners.js')], DEFAULT_RUN);
    assert.equal(r.status, 1, describeRun(r));
    assert.match(r.stdout, /^listeners: serving/m, 'without --json the program\'s stdout passes to stdout');
    assert.match(r.stdout, /LEAK SUSPECTED/, describeRun(r));
    assert.match(r.stdout, /1\. Array @\d+: its number of references grows/, describeRun(r));
    assert.match(r.stdout, /variable settings\s+→\s+EventEmitter/, describeRun(r));
    assert.match(r.stdout, /\._events\s+→\s+Object[^\n]*\n[^\n]*\.change\s+→\s+Array/, describeRun(r));
    // the same snapshots through trend --json: the structured answer
    const tr = runCli(['trend', '--json', out], { timeoutMs: 60_000 });
    assert.equal(tr.status, 1, describeRun(tr));
    const t = JSON.parse(tr.stdout);
    const lead = t.suspects[0];
    assert.equal(lead.name, 'Array', showSuspects(t));
    assert.deepEqual(edges(lead).slice(-3), ['settings', '_events', 'change'], showSuspects(t));
    assert.ok(t.suspects.some((s) => s.group === 0 && s.name === 'RequestState'),
      `the requests' state is held by the listeners:\n${showSuspects(t)}`);
  });

  test('examples/leaks/closures.js: leak, the undoLog Array, its closures holding `rows`', async () => {
    const r = await run(['run', '--json', '--', path.join(examples, 'leaks', 'closures.js')], DEFAULT_RUN);
    assert.equal(r.status, 1, describeRun(r));
    const t = trendJson(r);
    const lead = t.suspects[0];
    assert.equal(lead.name, 'Array', showSuspects(t));
    assert.equal(edges(lead).at(-1), 'undoLog', showSuspects(t));
    assert.ok(t.suspects.some((s) => s.group === 0 && edges(s).includes('rows')),
      `a grouped class is reached through the closures' context variable rows:\n${showSuspects(t)}`);
    // streamed: no file was written, so none is kept (--out keeps copies)
    assert.doesNotMatch(r.stderr, /kept in/);
    for (const s of t.snapshots) assert.equal(s.path, null);
  });

  // The default, adaptive schedule: it stops when the verdict is settled
  // (a clean series of 6 snapshots over 60 s), within its 120 s budget.
  test('examples/clean/server.js with the default schedule: clean (exit 0), settled, no snapshot file', async () => {
    const r = await run(['run', '--json', '--', path.join(examples, 'clean', 'server.js')], { timeoutMs: 200_000 });
    assert.equal(r.status, 0, describeRun(r));
    assert.ok(r.ms < 150_000, `took ${r.ms} ms`);
    const t = trendJson(r);
    assert.equal(t.verdict, 'clean', showSuspects(t));
    assert.equal(t.settled, true, 'it stopped because the verdict was settled');
    assert.ok(t.snapshots.length >= 6, `${t.snapshots.length} snapshots`);
    // growing gaps: the i-th at least 2 s x 1.3^i (README "run"), longer
    // when a slow write asks for four times its length
    const times = t.snapshots.map((s) => s.time);
    assert.ok(times.every((x) => typeof x === 'number'), 'run gives every snapshot its time');
    const gaps = times.slice(1).map((x, i) => x - times[i]);
    assert.ok(gaps.every((g, i) => g >= 0.95 * 2 * 1.3 ** i), `the gaps grow: ${gaps.map((g) => g.toFixed(1))}`);
    assert.deepEqual(t.suspects, []);
    assert.doesNotMatch(r.stderr, /kept in/);
    for (const s of t.snapshots) assert.equal(s.path, null, 'streamed: no file, no path');
  });

  // V8's own bookkeeping ((system): maps' dependent-code lists) keeps growing
  // for minutes while the JIT optimises more of the server: not a leak.
  // The flake that the old rule had (three rising steps of in-flight
  // requests after a warm-up step): a short fixed schedule on the busy server.
  test('examples/clean/server.js, a short fixed schedule: clean', async () => {
    const r = await run(['run', '--json', '--warmup', '2', '--every', '1', '--count', '6', '--',
      path.join(examples, 'clean', 'server.js')]);
    assert.equal(r.status, 0, describeRun(r));
    assert.equal(trendJson(r).verdict, 'clean', showSuspects(trendJson(r)));
  });

  test('examples/clean/server.js over 30 s: still clean', async () => {
    const r = await run(['run', '--json', '--warmup', '1', '--every', '3', '--count', '10', '--',
      path.join(examples, 'clean', 'server.js')]);
    assert.equal(r.status, 0, describeRun(r));
    assert.equal(trendJson(r).verdict, 'clean', showSuspects(trendJson(r)));
  });

  test('--signal mode on examples/leaks/request-cache.js: leak, text names the Map and its property', async () => {
    const out = path.join(tmpDir('signal'), 'snaps');
    const r = await run(['run', '--signal', '--out', out, '--', path.join(examples, 'leaks', 'request-cache.js')], DEFAULT_RUN);
    assert.equal(r.status, 1, describeRun(r));
    assert.match(r.stdout, /1\. Map @\d+/, describeRun(r));
    assert.match(r.stdout, /variable service\s+→\s+Object[^\n]*\n[^\n]*\.responsesByRequestId\s+→\s+Map/, describeRun(r));
    const n = Number(/Trend over (\d+) snapshots/.exec(r.stdout)?.[1]);
    assert.ok(n >= 5, describeRun(r));
    assertSeries(assertPrivate(out), n);
  });

  // node sets up --heapsnapshot-signal's SIGUSR2 handler while it starts; a
  // SIGUSR2 before that ends the program (its default action). With no
  // warm-up the first snapshot is due at once: leakscope must wait until
  // the program catches the signal (it was killed 3 times in 3 before).
  test('--signal --warmup 0: the first SIGUSR2 waits until node catches it, the program is not killed', async () => {
    const out = path.join(tmpDir('signal0'), 'snaps');
    const r = await run(['run', '--json', '--signal', '--warmup', '0', '--every', '0.3', '--count', '3', '--out', out, '--',
      path.join(programs, 'steady.js')]);
    assert.doesNotMatch(r.stderr, /killed by signal 12/, describeRun(r));
    assert.ok([0, 4].includes(r.status), describeRun(r)); // a verdict on 3 snapshots
    assert.equal(trendJson(r).snapshots.length, 3);
    assertSeries(assertPrivate(out), 3);
  });

  // On a busy CPU a program does less in a second: a leak is watched until
  // it had LS_TREND_LEAK_SECONDS (30 s) of its own running, not 30 s of wall
  // time. A busy loop shares CPU 0 with the program, which leaves it at most
  // half of the CPU it wants (less when other tests run there too; the
  // budget is raised so that slow writes still leave room for a verdict).
  test('a leak on a busy CPU is watched for 30 s of its own running, then called', async (t) => {
    const which = spawnSync('sh', ['-c', 'command -v taskset']);
    if (which.status !== 0) return t.skip('needs taskset (util-linux)');
    const hogs = [spawn('taskset', ['-c', '0', 'sh', '-c', 'while :; do :; done'], { stdio: 'ignore' })];
    try {
      const r = await run(['run', '--json', '--max-time', '300', '--', path.join(examples, 'leaks', 'request-cache.js')],
        { prefix: ['taskset', '-c', '0'], env: { LEAKSCOPE_TIMINGS: '1' }, timeoutMs: 400_000 });
      assert.equal(r.status, 1, describeRun(r));
      const j = trendJson(r);
      assert.equal(j.verdict, 'leak', showSuspects(j));
      assert.match(r.stderr, /the machine is busy \(the program got \d+% of the CPU time it wanted\)/, describeRun(r));
      const span = j.snapshots.at(-1).time - j.snapshots[0].time;
      assert.ok(span >= 40, `watched ${span.toFixed(1)} s of wall time: more than 30 s are needed at a third of the CPU`);
    } finally {
      for (const h of hogs) h.kill('SIGKILL');
    }
  });

  // A fixed schedule too short to tell: unsure (exit 4), the snapshots kept.
  test('examples/leaks/request-cache.js with 3 snapshots: unsure (exit 4), says what would settle it, keeps them', async () => {
    const r = await run(['run', '--json', '--warmup', '1', '--every', '1', '--count', '3', '--',
      path.join(examples, 'leaks', 'request-cache.js')]);
    assert.equal(r.status, 4, describeRun(r));
    const t = trendJson(r);
    assert.equal(t.verdict, 'unsure', showSuspects(t));
    // too few snapshots; or, when the Map's table kept its capacity over all
    // three (a busy machine serves fewer requests), storage that may still
    // fill and stop: either way more snapshots settle it
    assert.ok(['few', 'filling'].includes(t.unsure.reason), JSON.stringify(t.unsure));
    assert.ok(t.unsure.more_snapshots >= 1 && t.unsure.more_seconds > 0, JSON.stringify(t.unsure));
    assert.doesNotMatch(r.stderr, /kept in/, 'streamed: nothing to keep');
  });

  // ---------------------------------------------------- V8 retained_maps (DESIGN case 2)
  // With the default schedule (adaptive, within its 120 s budget).
  const RM = [];
  const rmRepro = path.join(examples, 'retained-maps', 'repro.js');
  const nodes = {};
  before(() => {
    nodes['22.14.0'] = nodeBinary('22.14.0');
    nodes['22.15.0'] = nodeBinary('22.15.0');
  });

  test('retained_maps repro on Node 22.14.0, default schedule: leak, the known v8-retained-maps, within its budget', async () => {
    const r = await run(['run', '--json', '--node', nodes['22.14.0'], ...RM, '--', rmRepro], { timeoutMs: 200_000 });
    assert.ok(r.ms < 130_000, `took ${r.ms} ms`);
    assert.equal(r.status, 1, describeRun(r));
    assert.match(r.stderr, /retained-maps: Node v22\.14\.0/);
    const t = trendJson(r);
    const rm = t.suspects[0];
    assert.equal(rm.known?.id, 'v8-retained-maps', `the first suspect is the known V8 leak:\n${showSuspects(t)}`);
    assert.equal(rm.kind, 'object');
    assert.equal(rm.path.at(-1).edge, 'retained_maps');
    assert.equal(rm.path.at(-1).name, 'system / WeakArrayList');
    assert.equal(rm.path.at(-2).name, 'system / NativeContext');
    assert.match(rm.known.fixed_in, /22\.15\.0/);
    for (const s of t.snapshots) assert.equal(s.path, null, 'streamed: no file to keep, even for a leak');
  });

  test('retained_maps repro on Node 22.15.0 (fixed), default schedule: clean, within its budget', async () => {
    const r = await run(['run', '--json', '--node', nodes['22.15.0'], ...RM, '--', rmRepro], { timeoutMs: 200_000 });
    assert.ok(r.ms < 130_000, `took ${r.ms} ms`);
    assert.equal(r.status, 0, describeRun(r));
    assert.equal(trendJson(r).verdict, 'clean');
  });

  // ---------------------------------------------------------------- bad usage

  const steady = path.join(programs, 'steady.js');
  const usage = [
    ['no script', [], /missing SCRIPT/],
    ['a script that does not exist', ['--', '/nonexistent/app.js'], /\/nonexistent\/app\.js: No such file or directory/],
    ['a folder as the script', ['--', programs], /not a regular file/],
    ['--every 0', ['--every', '0', '--', steady], /--every expects seconds above 0, got '0'/],
    ['--every without a value', ['--every'], /--every needs a value/],
    ['--count 2', ['--count', '2', '--', steady], /--count 2: a trend needs at least 3 snapshots/],
    ['--max-time 0', ['--max-time', '0', '--', steady], /--max-time expects seconds above 0, got '0'/],
    ['--max-time abc', ['--max-time=abc', '--', steady], /--max-time expects seconds above 0, got 'abc'/],
    ['--node /bin/true', ['--node', '/bin/true', '--', steady], /--node \/bin\/true: not a Node\.js binary/],
    ['--node that does not exist', ['--node', '/nonexistent/node', '--', steady], /not a Node\.js binary/],
    ['an unknown option', ['--evry', '1', '--', steady], /unknown option '--evry'/],
  ];
  for (const [what, args, message] of usage) {
    test(`bad usage: ${what} → exit 2 with a message`, async () => {
      const r = await run(['run', ...args], { timeoutMs: 20_000 });
      assert.equal(r.status, 2, describeRun(r));
      assert.match(r.stderr, message, describeRun(r));
      assert.equal(r.stdout, '', 'nothing on stdout');
    });
  }

  test('bad usage: --node a text file → exit 2 with a message', async () => {
    const dir = tmpDir('textnode');
    const file = path.join(dir, 'node.txt');
    fs.writeFileSync(file, 'this is not node\n');
    for (const mode of [0o600, 0o700]) { // not executable; executable (sh runs it)
      fs.chmodSync(file, mode);
      const r = await run(['run', '--node', file, '--', steady], { timeoutMs: 20_000 });
      assert.equal(r.status, 2, describeRun(r));
      assert.match(r.stderr, /not a Node\.js binary \(expected '.*node\.txt --version' to print vNN\.N\.N\)/, describeRun(r));
    }
  });

  // ------------------------------------------------------- the program's end

  test('a program that throws before the first snapshot: exit 2, its status and stderr', async () => {
    const r = await run(['run', '--warmup', '2', '--', path.join(programs, 'crash.js')]);
    assert.equal(r.status, 2, describeRun(r));
    assert.match(r.stderr, /crash\.js ended \(exit code 1\) before the first snapshot; the end of its stderr:\n/, describeRun(r));
    const ours = r.stderr.slice(r.stderr.indexOf('leakscope run:'));
    assert.match(ours, /Error: crash-test: cannot reach the database/, 'the tail names the error');
  });

  test('a program that throws after its first snapshot: exit 2, its status and stderr', async () => {
    const out = path.join(tmpDir('crash1'), 'snaps');
    const r = await run(['run', '--warmup', '0.1', '--every', '3', '--out', out, '--',
      path.join(programs, 'crash.js'), '1500']);
    assert.equal(r.status, 2, describeRun(r));
    assert.match(r.stderr, /crash\.js (ended \(exit code 1\) before the first snapshot|ended after [12] snapshots? \(exit code 1\); a trend needs 3)/, describeRun(r));
    const ours = r.stderr.slice(r.stderr.indexOf('leakscope run:'));
    assert.match(ours, /the end of its stderr:\n[^]*Error: crash-test: cannot reach the database/, describeRun(r));
    for (const f of snapFiles(out)) assertComplete(path.join(out, f));
  });

  test('pass-through: stdin, stdout, stderr; a program that exits (code 7) after 3+ snapshots is analysed', async () => {
    const r = await run(['run', '--json', '--warmup', '0.2', '--every', '0.3', '--count', '50', '--', steady, '5000', '7'],
      { input: 'hello from the test\n', env: { LS_READ_STDIN: '1' } });
    assert.equal(r.status, 0, describeRun(r));
    // with --json the program's stdout is passed to stderr
    assert.match(r.stderr, /^steady: started$/m);
    assert.match(r.stderr, /^stdin: hello from the test$/m, 'stdin reaches the program');
    assert.match(r.stderr, /^steady: a line on stderr$/m, 'its stderr passes through');
    assert.match(r.stderr, /steady\.js ended \(exit code 7\) after \d+ of 50 snapshots; analysing those/, describeRun(r));
    const t = trendJson(r);
    assert.equal(t.verdict, 'clean', showSuspects(t));
    assert.ok(t.snapshots.length >= 3 && t.snapshots.length < 50, `${t.snapshots.length} snapshots`);
  });

  test('a program that closes fd 3 (the preload\'s channel): exit 2 within seconds, says so, suggests --signal', async () => {
    const r = await run(['run', '--warmup', '0.3', '--every', '0.3', '--count', '3', '--', path.join(programs, 'close-fd.js')],
      { timeoutMs: 30_000 });
    assert.equal(r.status, 2, describeRun(r));
    assert.match(r.stderr, /closed file descriptor 3[^\n]*try --signal/, describeRun(r));
    assert.ok(r.ms < 15_000, `took ${r.ms} ms`);
  });

  // ------------------------------------------------ streamed, not written
  // Without --out the snapshots go from the program to leakscope over a
  // pipe: no file anywhere (the old preload wrote each one to a temporary
  // folder in /tmp). Watched while it runs: TMPDIR, the program's cwd and
  // /tmp (for leakscope's folders) stay without a snapshot.
  test('run without --out writes no snapshot file anywhere; the program\'s children get neither fd 3 nor 4', async () => {
    const dir = tmpDir('nofile');
    const tmpd = path.join(dir, 'tmp'), cwd = path.join(dir, 'cwd');
    fs.mkdirSync(tmpd, { mode: 0o700 });
    fs.mkdirSync(cwd, { mode: 0o700 });
    const ours = (f) => /^leakscope-run-[A-Za-z0-9]{6}$/.test(f); // mkdtemp's, not the tests' folders
    const before = new Set(fs.readdirSync('/tmp').filter(ours));
    const seen = [];
    let watching = true;
    const watch = (async () => {
      while (watching) {
        for (const f of fs.readdirSync('/tmp').filter(ours)) if (!before.has(f)) seen.push(`/tmp/${f}`);
        for (const d of [tmpd, cwd]) for (const f of fs.readdirSync(d)) seen.push(path.join(d, f));
        await sleep(10);
      }
    })();
    const r = await run(['run', '--json', '--warmup', '0.5', '--every', '0.5', '--count', '3', '--',
      path.join(programs, 'spawns.js')], { env: { TMPDIR: tmpd }, cwd });
    watching = false;
    await watch;
    assert.deepEqual([...new Set(seen)], [], 'no file or folder appeared');
    assert.ok([0, 1, 4].includes(r.status), describeRun(r));
    const t = trendJson(r);
    assert.equal(t.snapshots.length, 3);
    for (const s of t.snapshots) assert.equal(s.path, null);
    // beyond its stdio, the child has only the folder ls reads: no socket
    // (fd 3, leakscope's requests) and no pipe (fd 4, the snapshots)
    const fds = /child fds: (.*)/.exec(r.stderr);
    assert.ok(fds, describeRun(r));
    // (fds that this test process has too came from outside: left out)
    const outside = new Set();
    for (const f of fs.readdirSync('/proc/self/fd')) {
      try { outside.add(fs.readlinkSync(`/proc/self/fd/${f}`)); } catch { /* closed meanwhile */ }
    }
    const extra = JSON.parse(fds[1]).filter((f) => !/^[012]->/.test(f) && !outside.has(f.replace(/^\d+->/, '')));
    assert.ok(extra.length >= 1 && extra.every((f) => !/socket:|pipe:/.test(f)), `the child's fds: ${fds[1]}`);
  });

  test('run --out DIR: every snapshot saved complete (0600 in a 0700 folder), and summary reads it', async () => {
    const out = path.join(tmpDir('tee'), 'snaps');
    const r = await run(['run', '--json', '--warmup', '0.5', '--every', '0.5', '--count', '3', '--out', out, '--',
      path.join(programs, 'spawns.js')]);
    assert.ok([0, 1, 4].includes(r.status), describeRun(r));
    const t = trendJson(r);
    assertSeries(assertPrivate(out), 3);
    assert.deepEqual(t.snapshots.map((s) => s.path), assertPrivate(out).map((f) => path.join(out, f)));
    for (const [i, f] of snapFiles(out).entries()) {
      assertComplete(path.join(out, f));
      const s = runCli(['summary', '--json', path.join(out, f)], { timeoutMs: 60_000 });
      assert.equal(s.status, 0, describeRun(s));
      assert.equal(JSON.parse(s.stdout).snapshot.node_count, t.snapshots[i].node_count, 'the file is the snapshot judged');
    }
  });

  // V8 writes each snapshot straight into the pipe (no inspector session in
  // the program); LEAKSCOPE_STREAM=inspector takes it through an in-process
  // inspector session instead. Both stream complete snapshots; the
  // session shows in the heap only in the second.
  for (const how of ['pipe', 'inspector']) {
    test(`snapshots streamed ${how === 'pipe' ? 'by V8 into the pipe (default): no inspector session in the program'
      : 'through an inspector session (LEAKSCOPE_STREAM=inspector)'}`, async () => {
      const out = path.join(tmpDir(`how-${how}`), 'snaps');
      const r = await run(['run', '--json', '--warmup', '0.5', '--every', '0.5', '--count', '3', '--out', out, '--',
        path.join(programs, 'spawns.js')], how === 'inspector' ? { env: { LEAKSCOPE_STREAM: how } } : {});
      assert.ok([0, 1, 4].includes(r.status), describeRun(r));
      assert.equal(trendJson(r).snapshots.length, 3);
      for (const f of snapFiles(out)) {
        assertComplete(path.join(out, f));
        const s = runCli(['summary', '--json', path.join(out, f)], { timeoutMs: 60_000 });
        assert.equal(s.status, 0, describeRun(s));
        const sessions = JSON.parse(s.stdout).classes.filter((c) => c.name === 'Node / InspectorSession');
        assert.equal(sessions.length, how === 'inspector' ? 1 : 0, JSON.stringify(sessions));
      }
    });
  }

  test('a program that replaces v8.writeHeapSnapshot still gets its snapshots (the preload took it first)', async () => {
    const r = await run(['run', '--json', '--warmup', '0.5', '--every', '0.5', '--count', '3', '--',
      path.join(programs, 'patches-v8.js')]);
    assert.ok([0, 1, 4].includes(r.status), describeRun(r));
    assert.equal(trendJson(r).snapshots.length, 3);
  });

  // The oldest Node run supports and the newest LTS: the same streaming
  // (their writeHeapSnapshot on a pipe path), no file.
  for (const v of ['18.20.8', '24.16.0']) {
    test(`streams on Node ${v}: 3 snapshots of that version, no file`, async () => {
      const r = await run(['run', '--json', '--warmup', '0.5', '--every', '0.5', '--count', '3', '--node', nodeBinary(v),
        '--', path.join(programs, 'spawns.js')]);
      assert.ok([0, 1, 4].includes(r.status), describeRun(r));
      const t = trendJson(r);
      assert.equal(t.snapshots.length, 3);
      for (const s of t.snapshots) {
        assert.equal(s.path, null);
        assert.equal(s.node_version, v);
        assert.ok(s.node_count > 10000, `${s.node_count} nodes`);
      }
    });
  }

  test('a program that exits by itself mid-run: the verdict from the snapshots taken, nothing written', async () => {
    const r = await run(['run', '--json', '--warmup', '0.3', '--every', '0.3', '--count', '30', '--',
      path.join(programs, 'spawns.js'), '8000']);
    assert.ok([0, 1, 4].includes(r.status), describeRun(r));
    const t = trendJson(r);
    assert.ok(t.snapshots.length >= 3 && t.snapshots.length < 30, `${t.snapshots.length} snapshots`);
    assert.match(r.stderr, /spawns\.js ended \(exit code 0\)[^\n]* after \d+ of 30 snapshots; analysing those/, describeRun(r));
    for (const s of t.snapshots) assert.equal(s.path, null);
  });

  // ---------------------------------------------------------------- Ctrl-C

  test('Ctrl-C (SIGINT to the process group) after 3 snapshots: analysed, snapshots kept in --out, program gone', async () => {
    const dir = tmpDir('ctrlc');
    const out = path.join(dir, 'snaps');
    const pidFile = path.join(dir, 'pid');
    const r = await run(['run', '--json', '--warmup', '0.2', '--every', '0.3', '--count', '100', '--out', out, '--', steady],
      { detached: true, env: { LS_PID_FILE: pidFile }, onStart: async (child) => {
        await waitFor('snapshot 4 to start', () => fs.existsSync(path.join(out, 'snap-04.heapsnapshot')));
        process.kill(-child.pid, 'SIGINT'); // what a terminal's Ctrl-C does
      } });
    assert.equal(r.status, 0, describeRun(r));
    const t = trendJson(r);
    assert.ok(t.snapshots.length >= 3, `${t.snapshots.length} snapshots`);
    const files = assertPrivate(out);
    assert.equal(files.length, t.snapshots.length, `the analysed snapshots are kept, nothing else: ${files}`);
    for (const f of files) assertComplete(path.join(out, f));
    assert.ok(!alive(Number(fs.readFileSync(pidFile, 'utf8'))), 'the program is stopped');
  });

  test('SIGINT to leakscope alone before 3 snapshots: exit 2, the snapshots taken are kept, program stopped', async () => {
    const dir = tmpDir('sigint');
    const out = path.join(dir, 'snaps');
    const pidFile = path.join(dir, 'pid');
    const r = await run(['run', '--warmup', '0.2', '--every', '30', '--out', out, '--', steady],
      { env: { LS_PID_FILE: pidFile }, onStart: async (child) => {
        // its copy in --out is written as it streams: complete, then judged
        const f = path.join(out, 'snap-01.heapsnapshot');
        await waitFor('snapshot 1', () => fs.existsSync(f) && fs.readFileSync(f, 'latin1').trimEnd().endsWith(']}'));
        await sleep(1500); // added to the series (a small heap takes well under a second)
        child.kill('SIGINT');
      } });
    assert.equal(r.status, 2, describeRun(r));
    assert.match(r.stderr, /steady\.js was interrupted after 1 snapshot \(/, describeRun(r));
    assert.deepEqual(assertPrivate(out), ['snap-01.heapsnapshot']);
    assertComplete(path.join(out, 'snap-01.heapsnapshot'));
    assert.ok(!alive(Number(fs.readFileSync(pidFile, 'utf8'))), 'the program is stopped');
  });

  // ------------------------------------------- killed while writing a snapshot
  // As the OOM killer would: SIGKILL while the snapshot file is being written
  // (a heap of ~300,000 objects takes a while to write). The cut file must
  // never count as a snapshot.
  const BIG = { LS_BIG_HEAP: '300000' };
  async function killDuring(k, { signalMode = false } = {}) {
    const dir = tmpDir(`kill${k}${signalMode ? 's' : ''}`);
    const out = path.join(dir, 'snaps');
    const pidFile = path.join(dir, 'pid');
    let killedWhile = null;
    const r = await run(['run', '--json', ...(signalMode ? ['--signal'] : []), '--warmup', '0.5', '--every', '0.5',
      '--count', '10', '--out', out, '--', steady], { env: { ...BIG, LS_PID_FILE: pidFile }, timeoutMs: 200_000,
    onStart: async () => {
      // streamed: its copy snap-0K in --out grows as it streams; --signal:
      // node writes Heap.* and leakscope renames it to snap-0K when complete
      const writing = () => fs.existsSync(out) && (signalMode
        ? snapFiles(out).filter((f) => f.startsWith('snap-')).length === k - 1 &&
          fs.readdirSync(out).find((f) => f.startsWith('Heap.'))
        : fs.existsSync(path.join(out, `snap-${String(k).padStart(2, '0')}.heapsnapshot`)));
      const f = await waitFor(`snapshot ${k} to start`, writing, 150_000); // a busy machine is slow
      const file = path.join(out, signalMode ? f : `snap-${String(k).padStart(2, '0')}.heapsnapshot`);
      await waitFor('some bytes written', () => { try { return fs.statSync(file).size > 0; } catch { return true; } });
      process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGKILL');
      try { killedWhile = fs.readFileSync(file, 'latin1').trimEnd().endsWith(']}') ? 'complete' : 'partial'; } catch { killedWhile = 'gone'; }
    } });
    return { r, out, killedWhile };
  }

  test('killed (SIGKILL) while writing snapshot 1: exit 2 saying so, no file left', async () => {
    const { r, out, killedWhile } = await killDuring(1);
    assert.equal(killedWhile, 'partial', 'the kill landed while the file was being written');
    assert.equal(r.status, 2, describeRun(r));
    assert.match(r.stderr, /steady\.js was killed by signal 9 \(Killed\) while writing snapshot 1: a snapshot needs up to about twice the heap in memory/, describeRun(r));
    assert.deepEqual(snapFiles(out), []);
  });

  for (const signalMode of [false, true]) {
    test(`killed (SIGKILL) while writing snapshot 4${signalMode ? ' (--signal)' : ''}: the 3 complete ones are analysed, the cut file removed`, async () => {
      const { r, out, killedWhile } = await killDuring(4, { signalMode });
      assert.equal(killedWhile, 'partial', `the kill landed while the file was being written; ${describeRun(r)}`);
      assert.ok([0, 1, 4].includes(r.status), describeRun(r)); // a verdict, whichever
      assert.match(r.stderr, /steady\.js ended \(killed by signal 9 \(Killed\)\) while writing the next snapshot \(its partial file is removed\) after 3 of 10 snapshots; analysing those/, describeRun(r));
      const t = trendJson(r);
      assert.equal(t.snapshots.length, 3);
      assert.deepEqual(fs.readdirSync(out).sort(), ['snap-01.heapsnapshot', 'snap-02.heapsnapshot', 'snap-03.heapsnapshot']);
      for (const f of fs.readdirSync(out)) assertComplete(path.join(out, f));
    });
  }
});
