// `leakscope attach PID` end to end, on real processes started with plain
// `node program.js` (tests/attach/programs): the verdict and the holder of
// a leak, a clean program, the process left as it was (still running, the
// inspector attach opened closed again, one that was open left open), no
// snapshot file written, a process that dies in the middle of a snapshot,
// the bad cases (no such pid, not Node.js, --disable-sigusr1, a taken port,
// a non-loopback --inspect, another user's process), an inspector on IPv6
// loopback, a program that handles SIGUSR1 itself, Node 18 and Node 24,
// and attach() from JavaScript.
//
// Schedules are short and fixed (snapshots 0.5 or 1 s apart). The
// tests run one at a time: SIGUSR1 opens every Node's inspector on the
// same port, 9229.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { repoRoot, assertBinary, privateTmpDir, describeRun, runCliAsync } from '../js-helpers/leakscope.mjs';
import { node22Path, nodeVersionPath } from '../js-helpers/cache.mjs';

const programs = path.join(repoRoot, 'tests', 'attach', 'programs');
const FIXED = ['--warmup', '1', '--every', '1', '--count', '6'];
const started = new Set();

after(() => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

// Starts `node [nodeArgs] programs/NAME args` and resolves once it printed
// "ready". `p.ticks` counts its "tick" lines; `p.stderr` is its stderr.
function startProgram(name, { args = [], nodeArgs = [], node = process.execPath, cwd } = {}) {
  const child = spawn(node, [...nodeArgs, path.join(programs, name), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'], cwd,
  });
  started.add(child);
  const p = { child, pid: child.pid, ticks: 0, stderr: '' };
  child.stderr.setEncoding('utf8').on('data', (d) => { p.stderr += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${p.stderr}`)), 20_000);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      p.ticks += (d.match(/^tick /gm) || []).length;
      if (/^SIGUSR1 handled$/m.test(d)) p.sawUsr1 = true;
      if (/^ready$/m.test(out)) {
        clearTimeout(timer);
        resolve(p);
      }
    });
    child.on('exit', () => { clearTimeout(timer); reject(new Error(`${name} ended early: ${p.stderr}`)); });
  });
}

const alive = (p) => p.child.exitCode === null && p.child.signalCode === null;

// Runs leakscope without blocking the event loop (the programs' pipes
// must keep draining); killed after timeoutMs.
function runAttach(args, { timeoutMs = 90_000, ...opts } = {}) {
  return runCliAsync(['attach', ...args], { timeoutMs, ...opts });
}

// Does anything accept connections on 127.0.0.1:port (or host:port)?
function listening(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.on('connect', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Can we listen on ::1? (an error message when not)
function ipv6Loopback() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', (e) => resolve(`${e.code || e.message}`));
    s.listen(0, '::1', () => s.close(() => resolve(null)));
  });
}

// A cached Node binary, downloaded when missing; a reason to skip when it
// cannot be had (offline).
function cachedNode(version) {
  try {
    return { node: nodeVersionPath(version) };
  } catch (e) {
    return { why: `Node ${version} is not in the cache and could not be downloaded: ${e.message.split('\n')[0]}` };
  }
}

// Ticks go on: the program still runs, its event loop turning.
async function assertStillRunning(p) {
  const before = p.ticks;
  await sleep(700);
  assert.ok(alive(p), `the program still runs (exit ${p.child.exitCode}, signal ${p.child.signalCode}; stderr: ${p.stderr})`);
  assert.ok(p.ticks > before, `its event loop still turns (${before} -> ${p.ticks} ticks)`);
}

// The folder holds no file at all (TMPDIR or the folder it ran in)
function assertEmpty(dir, what) {
  assert.deepEqual(fs.readdirSync(dir), [], `${what} (${dir}) is left empty`);
}

describe('attach', { concurrency: 1 }, () => {
  test('a leaky program started with plain node: exit 1 naming the holder; it keeps running, its inspector closed again, no file written', async () => {
    const tmp = privateTmpDir('leakscope-attach-');
    try {
      const work = path.join(tmp.dir, 'cwd');
      const tdir = path.join(tmp.dir, 'tmp');
      fs.mkdirSync(work);
      fs.mkdirSync(tdir);
      const p = await startProgram('leaky.js', { cwd: work });
      assert.equal(await listening(9229), false, 'no inspector before attach');
      const r = await runAttach([...FIXED, '--json', String(p.pid)], { env: { TMPDIR: tdir }, cwd: work });
      assert.equal(r.status, 1, describeRun(r));
      const t = JSON.parse(r.stdout);
      assert.equal(t.verdict, 'leak');
      assert.equal(t.snapshots.length, 6);
      const edges = t.suspects.flatMap((s) => s.path.map((step) => step.edge));
      assert.ok(edges.includes('sessions'), `a suspect is held by .sessions: ${JSON.stringify(t.suspects[0].path)}`);
      assert.match(r.stderr, /closed the inspector it had opened: 127\.0\.0\.1:9229 is closed again/);
      assert.match(p.stderr, /Debugger listening on ws:\/\/127\.0\.0\.1:9229\//, 'SIGUSR1 opened it');
      assert.equal(await listening(9229), false, 'the inspector port is closed again');
      await assertStillRunning(p);
      // closed after attach had gone: close() found no session to wait for
      assert.match(p.stderr, /Debugger ending on ws:\/\/127\.0\.0\.1:9229\//);
      assert.doesNotMatch(p.stderr, /Waiting for the debugger to disconnect/);
      assertEmpty(tdir, 'TMPDIR');
      assertEmpty(work, 'the working folders');
      p.child.kill();
    } finally {
      tmp.cleanup();
    }
  });

  test('a clean busy program: exit 0, and it keeps running', async () => {
    const p = await startProgram('busy.js');
    const r = await runAttach(['--warmup', '0.5', '--every', '0.5', '--count', '5', String(p.pid)]);
    assert.equal(r.status, 0, describeRun(r));
    assert.match(r.stdout, /Verdict: clean/);
    assert.equal(await listening(9229), false);
    await assertStillRunning(p);
    p.child.kill();
  });

  test('an inspector that was open already is found, used and left open (with and without --inspect)', async () => {
    const p = await startProgram('busy.js', { nodeArgs: ['--inspect=127.0.0.1:0'] });
    const port = Number(/ws:\/\/127\.0\.0\.1:(\d+)\//.exec(p.stderr)?.[1]);
    assert.ok(port > 0, `the inspector's port in: ${p.stderr}`);
    const quick = ['--warmup', '0', '--every', '0.5', '--count', '3'];
    for (const extra of [[], ['--inspect', `127.0.0.1:${port}`]]) {
      const r = await runAttach([...quick, ...extra, String(p.pid)]);
      assert.ok(r.status === 0 || r.status === 4, describeRun(r));
      assert.match(r.stderr, new RegExp(`inspector is open already \\(127\\.0\\.0\\.1:${port}, Node\\.js v[0-9.]+\\): it stays open`));
      assert.equal(await listening(port), true, 'still open');
    }
    await assertStillRunning(p);
    p.child.kill();
  });

  test('--out keeps a copy of each snapshot (0700 folder, 0600 files), complete; --html writes the report', async () => {
    const tmp = privateTmpDir('leakscope-attach-out-');
    try {
      const out = path.join(tmp.dir, 'snaps');
      const p = await startProgram('busy.js');
      const html = path.join(tmp.dir, 'report.html');
      const r = await runAttach(['--warmup', '0', '--every', '0.5', '--count', '3', '--json', '--out', out,
        '--html', html, String(p.pid)]);
      assert.equal(r.status, 0, describeRun(r));
      assert.match(fs.readFileSync(html, 'utf8'), /^<!DOCTYPE html>/i, 'the HTML report too');
      assert.equal(fs.statSync(html).mode & 0o777, 0o600);
      const files = fs.readdirSync(out);
      assert.deepEqual(files, ['snap-01.heapsnapshot', 'snap-02.heapsnapshot', 'snap-03.heapsnapshot']);
      assert.equal(fs.statSync(out).mode & 0o777, 0o700);
      for (const f of files) {
        const file = path.join(out, f);
        assert.equal(fs.statSync(file).mode & 0o777, 0o600);
        const text = fs.readFileSync(file, 'utf8');
        assert.ok(JSON.parse(text).snapshot.node_count > 1000, `${f} is a whole snapshot`);
      }
      assert.deepEqual(JSON.parse(r.stdout).snapshots.map((s) => path.basename(s.path)), files);
      p.child.kill();
    } finally {
      tmp.cleanup();
    }
  });

  test('the process dies in the middle of snapshot 4: the 3 before are judged; in snapshot 2: exit 2', async () => {
    const p = await startProgram('dies.js', { args: ['4'] });
    const r = await runAttach(['--warmup', '0.5', '--every', '0.5', '--count', '6', '--json', String(p.pid)]);
    assert.ok([0, 1, 4].includes(r.status), describeRun(r));
    assert.match(r.stderr, new RegExp(`pid ${p.pid} ended while a snapshot was being taken \\(that one is dropped\\) after 3 snapshots; analysing those`));
    assert.equal(JSON.parse(r.stdout).snapshots.length, 3);
    assert.equal(p.child.signalCode ?? (await new Promise((res) => p.child.on('exit', (c, s) => res(s)))), 'SIGKILL');

    const q = await startProgram('dies.js', { args: ['2'] });
    const r2 = await runAttach(['--warmup', '0.5', '--every', '0.5', '--count', '6', String(q.pid)]);
    assert.equal(r2.status, 2, describeRun(r2));
    assert.match(r2.stderr, new RegExp(`pid ${q.pid} ended while a snapshot was being taken after 1 snapshot; a trend needs 3`));
  });

  test('bad cases: each a clear message and exit 2, the target unharmed', async (t) => {
    const bad = async (args, re) => {
      const r = await runAttach(args, { timeoutMs: 30_000 });
      assert.equal(r.status, 2, describeRun(r));
      assert.match(r.stderr, re);
      assert.equal(r.stdout, '');
      return r;
    };
    await t.test('usage', async () => {
      const help = await runAttach(['--help']);
      assert.equal(help.status, 0);
      assert.match(help.stdout, /^Usage: leakscope attach/);
      await bad([], /missing PID/);
      await bad(['12ab'], /PID must be a process id/);
      await bad(['--count', '2', '1'], /at least 3 snapshots/);
      await bad(['--signal', '1'], /--signal is for run/);
    });
    await t.test('no such pid', async () => {
      const gone = spawn('true');
      await new Promise((r) => gone.on('exit', r));
      await bad([String(gone.pid)], new RegExp(`no process with pid ${gone.pid}`));
    });
    await t.test('not a Node.js process (sleep): not signalled', async () => {
      const s = spawn('sleep', ['30'], { stdio: 'ignore' });
      started.add(s);
      await sleep(200); // exec'd
      await bad([String(s.pid)], new RegExp(`pid ${s.pid} is not a Node\\.js process \\(its program is [^)]*sleep\\)`));
      assert.equal(s.exitCode, null, 'sleep still runs');
      s.kill();
    });
    await t.test('a non-loopback --inspect host is refused before anything is sent', async () => {
      await bad(['--inspect', '192.0.2.1:9229', String(process.pid)], /192\.0\.2\.1 is not a loopback address/);
      await bad(['--inspect', 'example.com:9229', String(process.pid)], /not a loopback address/);
      await bad(['--inspect', '127.0.0.1', String(process.pid)], /expected HOST:PORT/);
    });
    await t.test('node --disable-sigusr1: SIGUSR1 would end it, so it is not sent', async () => {
      const p = await startProgram('busy.js', { node: node22Path(), nodeArgs: ['--disable-sigusr1'] });
      await bad([String(p.pid)], /was started with --disable-sigusr1, so it cannot be asked to open its inspector \(SIGUSR1 would end it: not sent\)/);
      await assertStillRunning(p);
      p.child.kill();
    });
    await t.test('port 9229 taken by another process: not signalled', async () => {
      const server = net.createServer();
      await new Promise((r) => server.listen(9229, '127.0.0.1', r));
      try {
        const p = await startProgram('busy.js');
        await bad([String(p.pid)], new RegExp(`port 9229 is in use by another process \\(pid ${process.pid}\\)`));
        await assertStillRunning(p);
        assert.doesNotMatch(p.stderr, /inspector|Debugger/i, 'no SIGUSR1 was sent');
        p.child.kill();
      } finally {
        server.close();
      }
    });
    await t.test("another user's process", async (st) => {
      if (process.getuid() !== 0) {
        st.skip('needs root, to run leakscope as another user (uid 65534)');
        return;
      }
      const probe = await runAttach(['--help'], { uid: 65534, gid: 65534 }).catch((e) => ({ status: e.code }));
      if (probe.status !== 0) {
        st.skip(`uid 65534 cannot run ${assertBinary()} here (${probe.status}: a folder on its path is private)`);
        return;
      }
      const p = await startProgram('busy.js');
      const r = await runAttach([String(p.pid)], { uid: 65534, gid: 65534, timeoutMs: 30_000 });
      assert.equal(r.status, 2, describeRun(r));
      assert.match(r.stderr, new RegExp(`pid ${p.pid} belongs to uid 0, and we are uid 65534: only its owner or root may attach`));
      await assertStillRunning(p);
      assert.doesNotMatch(p.stderr, /Debugger/);
      p.child.kill();
    });
  });

  test('an inspector on IPv6 loopback (--inspect=[::1]:0) is found from /proc/PID/net/tcp6, used and left open', async (t) => {
    const why = await ipv6Loopback();
    if (why) {
      t.skip(`no IPv6 loopback on this machine (listening on ::1 failed: ${why})`);
      return;
    }
    const p = await startProgram('busy.js', { nodeArgs: ['--inspect=[::1]:0'] });
    const port = Number(/ws:\/\/\[::1\]:(\d+)\//.exec(p.stderr)?.[1]);
    assert.ok(port > 0, `the inspector's port in: ${p.stderr}`);
    const quick = ['--warmup', '0', '--every', '0.5', '--count', '3'];
    for (const extra of [[], ['--inspect', `[::1]:${port}`], ['--inspect', `::1:${port}`]]) {
      const r = await runAttach([...quick, ...extra, String(p.pid)], { timeoutMs: 30_000 });
      assert.ok(r.status === 0 || r.status === 4, describeRun(r));
      assert.match(r.stderr, new RegExp(`inspector is open already \\(\\[::1\\]:${port}, Node\\.js v[0-9.]+\\): it stays open`));
      assert.equal(await listening(port, '::1'), true, 'still open');
    }
    assert.doesNotMatch(p.stderr, /127\.0\.0\.1:9229/, 'no SIGUSR1 was sent: the open inspector was found');
    await assertStillRunning(p);
    p.child.kill();
  });

  test("a program that handles SIGUSR1 itself: its handler runs, no inspector opens; exit 2 within 5 s and a clear message", async () => {
    const p = await startProgram('own-usr1.js');
    const r = await runAttach(['--warmup', '0', '--every', '0.5', '--count', '3', String(p.pid)], { timeoutMs: 30_000 });
    assert.equal(r.status, 2, describeRun(r));
    assert.equal(r.signal, null);
    assert.ok(r.ms < 9000, `bounded: ${r.ms.toFixed(0)} ms`);
    assert.match(r.stderr, new RegExp(`pid ${p.pid} did not open an inspector within 5 s of SIGUSR1 \\(does the program handle SIGUSR1 itself\\? a process\\.on\\('SIGUSR1'\\) listener`));
    assert.equal(r.stdout, '');
    await assertStillRunning(p);
    // its own listener ran (stdout is read as it comes: wait for the line)
    assert.equal(p.sawUsr1, true, 'its SIGUSR1 listener ran');
    assert.doesNotMatch(p.stderr, /Debugger listening/, 'Node opened no inspector');
    assert.equal(await listening(9229), false);
    p.child.kill();
  });

  for (const version of ['18.20.8', '24.16.0']) {
    test(`Node ${version}: opened with SIGUSR1, snapshots taken, closed again, still running`, async (t) => {
      const { node, why } = cachedNode(version);
      if (!node) {
        t.skip(why);
        return;
      }
      const p = await startProgram('busy.js', { node });
      const r = await runAttach(['--warmup', '0', '--every', '0.5', '--count', '3', '--json', String(p.pid)], { timeoutMs: 60_000 });
      assert.ok(r.status === 0 || r.status === 4, describeRun(r));
      const j = JSON.parse(r.stdout);
      assert.equal(j.snapshots.length, 3);
      assert.match(p.stderr, /Debugger listening on ws:\/\/127\.0\.0\.1:9229\//, 'SIGUSR1 opened it');
      assert.equal(execFileSync(node, ['--version'], { encoding: 'utf8' }).trim(), `v${version}`);
      assert.match(r.stderr, /closed the inspector it had opened: 127\.0\.0\.1:9229 is closed again/);
      assert.equal(await listening(9229), false, 'the inspector port is closed again');
      await assertStillRunning(p);
      assert.match(p.stderr, /Debugger ending on ws:\/\/127\.0\.0\.1:9229\//);
      p.child.kill();
    });
  }

  test('attach() from JavaScript: the verdict of a leaky program; bad arguments throw, bad pids reject', async () => {
    const require = createRequire(import.meta.url);
    const leakscope = require(path.join(repoRoot, 'lib', 'index.js'));
    assert.throws(() => leakscope.attach(0), RangeError);
    assert.throws(() => leakscope.attach(1, { count: 2 }), RangeError);
    assert.throws(() => leakscope.attach(1, { inspect: 5 }), TypeError);
    const s = spawn('sleep', ['30'], { stdio: 'ignore' });
    started.add(s);
    await sleep(200);
    await assert.rejects(leakscope.attach(s.pid), (e) => e.code === 'LS_ERR_INVALID_ARG' && /not a Node\.js process/.test(e.message));
    s.kill();
    await assert.rejects(leakscope.attach(1, { inspect: '10.0.0.1:9229' }), (e) => e.code === 'LS_ERR_INVALID_ARG' && /not a loopback address/.test(e.message));

    const p = await startProgram('leaky.js');
    let turns = 0;
    const timer = setInterval(() => turns++, 100);
    const t = await leakscope.attach(p.pid, { warmup: 1, every: 1, count: 6 });
    clearInterval(timer);
    assert.equal(t.verdict, 'leak');
    assert.equal(t.leak, true);
    assert.ok(t.suspects.some((x) => x.path.some((step) => step.edge === 'sessions')));
    assert.ok(turns > 20, `the event loop stayed free while attached (${turns} turns)`);
    assert.equal(await listening(9229), false);
    await assertStillRunning(p);
    p.child.kill();
  });
});
