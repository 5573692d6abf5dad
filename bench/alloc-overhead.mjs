#!/usr/bin/env node
// The cost of allocation sites on a busy program: what `leakscope run
// --allocations` does to the target (V8's exact allocation tracker, inlining
// off) against plain node, tracking alone, and V8's sampling heap profiler.
//
// The program is bench/alloc-overhead-app.js (an in-process node:http server
// hit by an in-process keep-alive client: JSON parse/stringify of a ~3 kB
// order, string building, a bounded Map cache). Each variant runs it in a
// process of its own under /usr/bin/time -v (when there), interleaved
// (A B C ... A B C ...) for LS_BENCH_ROUNDS rounds, so a machine that
// drifts weighs on each alike:
//
//   baseline      node app.js
//   allocations   node --track-heap-objects --no-turbo-inlining [--no-maglev-inlining] app.js
//                 (exactly what --allocations adds; --no-maglev-inlining on Node >= 20)
//   track-only    node --track-heap-objects app.js
//   sampling      node --require PRELOAD app.js, the preload opening an in-process
//                 node:inspector Session and posting HeapProfiler.startSampling
//                 (samplingInterval 32768, V8's default)
//   sampling-4k   the same with samplingInterval 4096
//
// Figures are whole-process: time per request is the measured phase's wall
// time / requests (after the warm-up requests), latencies are client side,
// process wall / CPU / peak RSS are /usr/bin/time -v's (peak RSS falls back
// to the program's own process.resourceUsage().maxRSS without it).
//
//   node bench/alloc-overhead.mjs [--node PATH]... [--json FILE]
//        [--requests N] [--warmup N] [--concurrency C] [--variants a,b,...] [--smoke]
//   env: LS_BENCH_ROUNDS (3), LS_BENCH_REQUESTS (5000), LS_BENCH_WARMUP (1000),
//        LS_BENCH_CONCURRENCY (4), LS_BENCH_TIMEOUT (300 s per run)
// Several --node: each node is benched in turn, with a table of its own.
// --smoke: 300 requests, 50 warm-up, 1 round (a quick check that it all runs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const app = path.join(here, 'alloc-overhead-app.js');
const env = (k, d) => process.env[k] ?? d;

function usage(code) {
  (code ? process.stderr : process.stdout).write(
    'usage: node bench/alloc-overhead.mjs [--node PATH]... [--json FILE] [--requests N] [--warmup N]\n' +
    '         [--concurrency C] [--variants baseline,allocations,track-only,sampling,sampling-4k] [--smoke]\n' +
    '       env LS_BENCH_ROUNDS (3), LS_BENCH_REQUESTS, LS_BENCH_WARMUP, LS_BENCH_CONCURRENCY, LS_BENCH_TIMEOUT\n');
  process.exit(code);
}

const opt = { nodes: [], json: null, smoke: false, variants: null,
  requests: Number(env('LS_BENCH_REQUESTS', 5000)), warmup: Number(env('LS_BENCH_WARMUP', 1000)),
  concurrency: Number(env('LS_BENCH_CONCURRENCY', 4)), rounds: Number(env('LS_BENCH_ROUNDS', 3)) };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => { if (i + 1 >= argv.length) usage(2); return argv[++i]; };
  if (a === '--node') opt.nodes.push(val());
  else if (a === '--json') opt.json = val();
  else if (a === '--requests') opt.requests = Number(val());
  else if (a === '--warmup') opt.warmup = Number(val());
  else if (a === '--concurrency') opt.concurrency = Number(val());
  else if (a === '--variants') opt.variants = val().split(',');
  else if (a === '--smoke') opt.smoke = true;
  else if (a === '--help' || a === '-h') usage(0);
  else { process.stderr.write(`alloc-overhead: unknown argument ${a}\n`); usage(2); }
}
if (opt.smoke) { opt.requests = 300; opt.warmup = 50; opt.rounds = 1; }
for (const k of ['requests', 'warmup', 'concurrency', 'rounds']) {
  if (!Number.isInteger(opt[k]) || opt[k] < (k === 'warmup' ? 0 : 1)) {
    process.stderr.write(`alloc-overhead: bad ${k}: ${opt[k]}\n`); process.exit(2);
  }
}
if (opt.nodes.length === 0) opt.nodes.push('node');
const timeoutMs = Number(env('LS_BENCH_TIMEOUT', 300)) * 1000;
const haveTime = fs.existsSync('/usr/bin/time');

// the sampling preload: an in-process inspector session, as leakscope's own
// preload would open one
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ls-alloc-bench-'));
const preload = path.join(tmp, 'sampling-preload.cjs');
fs.writeFileSync(preload, `'use strict';
const inspector = require('node:inspector');
const session = new inspector.Session();
session.connect();
const samplingInterval = Number(process.env.LS_BENCH_SAMPLING_INTERVAL || 32768);
session.post('HeapProfiler.enable', (e) => { if (e) throw new Error('HeapProfiler.enable: ' + e.message); });
session.post('HeapProfiler.startSampling', { samplingInterval }, (e) => {
  if (e) throw new Error('HeapProfiler.startSampling: ' + e.message);
});
globalThis.__lsBenchSession = session;
// called by the app once its measured phase is over: proves sampling ran
globalThis.__lsBenchEnd = () => {
  const out = { sampling_interval: samplingInterval };
  session.post('HeapProfiler.getSamplingProfile', (e, r) => {
    if (e) { out.sampling_error = e.message; return; }
    let nodes = 0;
    const walk = (n) => { nodes++; for (const c of n.children) walk(c); };
    walk(r.profile.head);
    out.samples = r.profile.samples.length;
    out.profile_nodes = nodes;
  });
  return out;
};
`, { mode: 0o600 });
const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
process.on('exit', cleanup);
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => { cleanup(); process.exit(130); });

function variantsFor(major) {
  const all = [
    { name: 'baseline', what: 'node app.js', flags: [] },
    { name: 'allocations', what: 'what --allocations adds',
      flags: ['--track-heap-objects', '--no-turbo-inlining', ...(major >= 20 ? ['--no-maglev-inlining'] : [])] },
    { name: 'track-only', what: 'tracking, inlining on', flags: ['--track-heap-objects'] },
    { name: 'sampling', what: 'sampling profiler, 32 KiB', flags: ['--require', preload],
      env: { LS_BENCH_SAMPLING_INTERVAL: '32768' } },
    { name: 'sampling-4k', what: 'sampling profiler, 4 KiB', flags: ['--require', preload],
      env: { LS_BENCH_SAMPLING_INTERVAL: '4096' } },
  ];
  if (!opt.variants) return all;
  const bad = opt.variants.filter((v) => !all.some((x) => x.name === v));
  if (bad.length) { process.stderr.write(`alloc-overhead: unknown variant ${bad.join(',')}\n`); process.exit(2); }
  return all.filter((x) => opt.variants.includes(x.name));
}

function elapsed(s) { // time -v: "h:mm:ss" or "m:ss.cc"
  return s.split(':').reduce((acc, p) => acc * 60 + Number(p), 0);
}

function once(node, v) {
  return new Promise((resolve) => {
    const cmd = [node, ...v.flags, app, String(opt.requests), String(opt.warmup), String(opt.concurrency)];
    const [bin, args] = haveTime ? ['/usr/bin/time', ['-v', ...cmd]] : [cmd[0], cmd.slice(1)];
    const load = os.loadavg()[0];
    const t0 = process.hrtime.bigint();
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true,
      env: { ...process.env, ...(v.env ?? {}) } });
    let stdout = '', stderr = '', timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { timedOut = true; try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } },
      timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const outer = Number(process.hrtime.bigint() - t0) / 1e9;
      const r = { variant: v.name, load1: +load.toFixed(2), exit: code, outer_wall_s: +outer.toFixed(2) };
      try { Object.assign(r, JSON.parse(stdout.trim().split('\n').pop())); } catch { /* below */ }
      const m = (re) => re.exec(stderr)?.[1];
      if (haveTime) {
        r.time_max_rss_kb = Number(m(/Maximum resident set size \(kbytes\): (\d+)/) ?? NaN);
        r.time_wall_s = elapsed(m(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/) ?? 'NaN');
        r.time_cpu_s = +(Number(m(/User time \(seconds\): (\S+)/)) + Number(m(/System time \(seconds\): (\S+)/))).toFixed(2);
      }
      r.ok = !timedOut && code === 0 && Number.isFinite(r.per_req_ms);
      if (!r.ok) {
        const tail = stderr.split('\n').filter((l) => l && !/^\s/.test(l) && !/Command (being timed|exited)/.test(l)).pop();
        r.error = timedOut ? `timeout (${timeoutMs / 1000} s)` : `exit ${code}${tail ? ': ' + tail : ''}`;
      }
      resolve(r);
    });
  });
}

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const fmt = (x, d) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const range = (xs, d) => {
  const s = xs.filter(Number.isFinite);
  return s.length > 1 ? ` (${fmt(Math.min(...s), d)}–${fmt(Math.max(...s), d)})` : '';
};

function summarize(variants, runs) {
  const rows = [];
  for (const v of variants) {
    const ok = runs.filter((r) => r.variant === v.name && r.ok);
    const col = (k) => ok.map((r) => r[k]);
    const rss = ok.map((r) => (Number.isFinite(r.time_max_rss_kb) ? r.time_max_rss_kb : r.max_rss_kb) / 1024);
    rows.push({ name: v.name, what: v.what, flags: v.flags.map((f) => (f === preload ? 'PRELOAD' : f)).join(' '),
      runs: ok.length, failed: runs.filter((r) => r.variant === v.name && !r.ok).map((r) => r.error),
      per_req_ms: col('per_req_ms'), p50_ms: col('p50_ms'), p99_ms: col('p99_ms'),
      wall_s: ok.map((r) => (haveTime ? r.time_wall_s : r.outer_wall_s)), cpu_s: col('time_cpu_s'),
      rss_mb: rss, samples: col('samples') });
  }
  const base = rows.find((r) => r.name === 'baseline');
  for (const r of rows) {
    r.median = { per_req_ms: median(r.per_req_ms), p50_ms: median(r.p50_ms), p99_ms: median(r.p99_ms),
      wall_s: median(r.wall_s), cpu_s: median(r.cpu_s), rss_mb: median(r.rss_mb), samples: median(r.samples) };
  }
  for (const r of rows) {
    r.ratio = base ? { per_req: r.median.per_req_ms / base.median.per_req_ms, wall: r.median.wall_s / base.median.wall_s,
      cpu: r.median.cpu_s / base.median.cpu_s, rss: r.median.rss_mb / base.median.rss_mb } : {};
  }
  return rows;
}

function table(rows) {
  const out = [
    '| variant | time/request ms (min–max) | × base | latency p50 / p99 ms | process wall s (min–max) | × base | process CPU s | × base | peak RSS MB (min–max) | × base |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const m = r.median;
    out.push(`| ${r.name} | ${fmt(m.per_req_ms, 3)}${range(r.per_req_ms, 3)} | ${fmt(r.ratio.per_req, 2)} | ` +
      `${fmt(m.p50_ms, 2)} / ${fmt(m.p99_ms, 2)} | ${fmt(m.wall_s, 2)}${range(r.wall_s, 2)} | ${fmt(r.ratio.wall, 2)} | ` +
      `${fmt(m.cpu_s, 2)} | ${fmt(r.ratio.cpu, 2)} | ${fmt(m.rss_mb, 1)}${range(r.rss_mb, 1)} | ${fmt(r.ratio.rss, 2)} |` +
      (r.failed.length ? ` failed: ${r.failed.join('; ')}` : ''));
  }
  return out.join('\n');
}

const report = { date: new Date().toISOString(), host: { cpus: os.cpus().length, platform: `${os.platform()} ${os.release()}` },
  params: { requests: opt.requests, warmup: opt.warmup, concurrency: opt.concurrency, rounds: opt.rounds,
    time_v: haveTime }, results: [] };
let failed = 0;
for (const node of opt.nodes) {
  let version;
  try { version = execFileSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).trim(); }
  catch (e) { process.stderr.write(`alloc-overhead: cannot run ${node}: ${e.message}\n`); failed++; continue; }
  const major = Number(/^v(\d+)/.exec(version)[1]);
  const variants = variantsFor(major);
  process.stderr.write(`alloc-overhead: ${node} (${version}), ${variants.length} variants × ${opt.rounds} rounds, ` +
    `${opt.requests} requests (+${opt.warmup} warm-up), ${opt.concurrency} in flight\n`);
  const runs = [];
  for (let round = 1; round <= opt.rounds; round++) {
    for (const v of variants) {
      const r = await once(node, v);
      r.round = round;
      runs.push(r);
      if (!r.ok) failed++;
      process.stderr.write(`  round ${round} ${v.name.padEnd(12)} ` + (r.ok
        ? `${r.per_req_ms.toFixed(3)} ms/req, p99 ${r.p99_ms.toFixed(2)} ms, wall ${fmt(r.time_wall_s ?? r.outer_wall_s, 2)} s, ` +
          `peak RSS ${((r.time_max_rss_kb || r.max_rss_kb) / 1024).toFixed(1)} MB (own maxRSS ${(r.max_rss_kb / 1024).toFixed(1)})` +
          (r.samples != null ? `, ${r.samples} samples` : '') + `, load ${r.load1}`
        : r.error) + '\n');
    }
  }
  const rows = summarize(variants, runs);
  const loads = runs.map((r) => r.load1);
  const head = `Node ${version} (${node}): ${opt.requests} requests after ${opt.warmup} warm-up, ${opt.concurrency} in flight, ` +
    `medians of ${opt.rounds} interleaved round(s); 1-min load average ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}`;
  process.stdout.write(`\n${head}\n\n${table(rows)}\n`);
  report.results.push({ node, version, load1: [Math.min(...loads), Math.max(...loads)], summary: rows, runs });
}
if (opt.json) {
  fs.writeFileSync(opt.json, JSON.stringify(report, null, 1) + '\n', { mode: 0o600 });
  process.stderr.write(`alloc-overhead: wrote ${opt.json}\n`);
}
process.exit(failed ? 1 : 0);
