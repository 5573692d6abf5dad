#!/usr/bin/env node
// Accuracy benchmark runner: runs `leakscope run` on every corpus program
// under two schedules, scores the verdicts against each program's header,
// runs memlab's leak finder on the fixed schedule's snapshots side by side,
// and prints a confusion matrix and a per-program table.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { HERE, listPrograms, pool, median } from './corpus.mjs';
import { nodeVersionPath } from '../../tests/js-helpers/cache.mjs';

const CI_SET = ['set-of-strings', 'express-session-memorystore', 'express-session-expiring', 'timers-cleared'];
const SCHEDULES = {
  default: [],                                   // the tool's own (adaptive) schedule
  fixed: ['--warmup', '3', '--every', '3', '--count', '6'],
};

const HELP = `usage: node bench/accuracy/run.mjs [options]

Runs \`leakscope run --json --out DIR [SCHEDULE] -- PROGRAM\` on the corpus in
bench/accuracy/programs/ (install its libraries first:
npm ci --prefix bench/accuracy) and scores each verdict:
  leak program:  found (verdict leak and a holder word of the header is an
                 edge or class name on the path of one of the first 3 leading
                 suspects or of a suspect in their groups), found-wrong-holder,
                 missed (verdict clean), unsure, error
  clean program: right (verdict clean), false-alarm (verdict leak), unsure, error
Schedules: default = no schedule options (the tool decides when to stop),
fixed = --warmup 3 --every 3 --count 6. For every fixed run memlab's leak
finder (@memlab/api findLeaksBySnapshotFilePaths) also reads the 1st, 3rd and
6th snapshot, twice: with memlab's shipped leak filter (memlab find-leaks) and
with the filter off (memlab find-leaks --trace-all-objects). Clean programs run --repeat times per schedule, leaks once.

options:
  --only a,b        only these programs (names without .js)
  --group G         only leak or clean programs
  --ci              the fixed CI subset (${CI_SET.join(', ')}),
                    --repeat 1 unless given: about 4 minutes with --jobs 2
  --schedule S      default, fixed or both (default both)
  --repeat N        runs per schedule of each clean program (default 3)
  --jobs J          leakscope runs at a time (default 2)
  --node PATH       passed to leakscope run as --node PATH
  --nice N          run leakscope under nice -n N (default 10; 0 = no nice)
  --timeout S       kill a leakscope run after S seconds (default 300)
  --no-memlab       skip memlab
  --memlab-timeout S  per memlab call (default 120)
  --report FILE     also write the results as JSON to FILE (0600)
  --keep            keep the snapshot folders (their path is printed)
  --help

env: LEAKSCOPE_BIN (default: ../../build/leakscope from this folder).
Exit code: 0 when every run was right (found / right), 1 otherwise, 2 on
usage errors (or when leakscope or the corpus is missing), 130 when
interrupted (SIGINT/SIGTERM: running runs are stopped, the report covers
the runs that finished; a second signal quits at once).
`;

function usage(msg) { process.stderr.write(`run.mjs: ${msg}\n\n${HELP}`); process.exit(2); }

const opt = { schedule: 'both', jobs: 2, nice: 10, timeout: 300, memlab: true, memlabTimeout: 120, keep: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
  const int = (min) => { const s = val(); const v = Number(s); if (!Number.isInteger(v) || v < min) usage(`${a}: expected an integer >= ${min}, got ${s}`); return v; };
  switch (a) {
    case '--help': case '-h': process.stdout.write(HELP); process.exit(0);
    case '--only': opt.only = val().split(',').map((s) => s.trim()).filter(Boolean); break;
    case '--group': opt.group = val(); if (!['leak', 'clean'].includes(opt.group)) usage('--group is leak or clean'); break;
    case '--ci': opt.ci = true; break;
    case '--schedule': opt.schedule = val(); if (!['default', 'fixed', 'both'].includes(opt.schedule)) usage('--schedule is default, fixed or both'); break;
    case '--repeat': opt.repeat = int(1); break;
    case '--jobs': opt.jobs = int(1); break;
    case '--node': opt.node = val(); break;
    case '--nice': opt.nice = int(0); break;
    case '--timeout': opt.timeout = int(10); break;
    case '--no-memlab': opt.memlab = false; break;
    case '--memlab-timeout': opt.memlabTimeout = int(5); break;
    case '--report': opt.report = val(); break;
    case '--keep': opt.keep = true; break;
    default: usage(`unknown argument ${a}`);
  }
}
if (opt.ci && opt.only) usage('--ci and --only do not go together');
if (opt.repeat === undefined) opt.repeat = opt.ci ? 1 : 3;
const BIN = process.env.LEAKSCOPE_BIN || path.resolve(HERE, '..', '..', 'build', 'leakscope');
try { fs.accessSync(BIN, fs.constants.X_OK); } catch { usage(`leakscope binary not found or not executable: ${BIN} (build it with make, or set LEAKSCOPE_BIN)`); }
if (!fs.existsSync(path.join(HERE, 'node_modules'))) usage('the corpus libraries are not installed: run npm ci --prefix bench/accuracy');

let programs;
try { programs = listPrograms({ only: opt.ci ? CI_SET : opt.only, group: opt.group }); } catch (e) { usage(e.message); }
if (!programs.length) usage('no programs selected');
const schedules = opt.schedule === 'both' ? ['default', 'fixed'] : [opt.schedule];

// one private folder for everything this run writes
const ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'leakscope-accuracy-'));
fs.chmodSync(ROOT, 0o700);
let cleaning = false;
function cleanup() { if (!opt.keep && !cleaning) { cleaning = true; fs.rmSync(ROOT, { recursive: true, force: true }); } }
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => {
  if (interrupted) { cleanup(); process.exit(130); }
  interrupted = true; // stop starting runs; end the running ones; report what finished
  process.stderr.write(`run.mjs: ${sig}: stopping (again to quit at once)\n`);
  for (const c of children) c.kill('SIGTERM');
});
const children = new Set();

// spawn, collect stdout/stderr, kill after timeoutSec
function exec(bin, args, { timeoutSec, env, cwd } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env || process.env, cwd });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { if (stderr.length < 65536) stderr += d; });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGTERM'); setTimeout(() => child.kill('SIGKILL'), 5000).unref(); }, timeoutSec * 1000);
    child.on('error', (e) => { stderr += String(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, signal, stdout, stderr, timedOut, seconds: (Date.now() - t0) / 1000 });
    });
  });
}
const niced = (bin, args) => (opt.nice > 0 ? ['nice', ['-n', String(opt.nice), bin, ...args]] : [bin, args]);

const EXIT_VERDICT = { 0: 'clean', 1: 'leak', 4: 'unsure' };

function normName(s) {
  if (typeof s !== 'string') return '';
  let t = s.trim();
  const m = /^<symbol\s+(.*)>$/.exec(t) || /^Symbol\((.*)\)$/.exec(t);
  if (m) t = m[1];
  return t.replace(/^#/, '');
}

// the holder words named on the path of a suspect: edge names and class names
function pathNames(suspect) {
  const names = new Set();
  for (const step of suspect.path || []) { names.add(normName(step.edge)); names.add(normName(step.name)); }
  names.add(normName(suspect.name));
  return names;
}

// leaders (group == -1) in rank order, each with its members; a report
// without groups makes every suspect a leader
function leaders(suspects) {
  const hasGroups = suspects.some((s) => typeof s.group === 'number');
  const out = [];
  suspects.forEach((s, i) => {
    if (!hasGroups || s.group === -1) out.push({ leader: s, members: hasGroups ? suspects.filter((m) => m.group === i) : [] });
  });
  return out;
}

function holderHit(suspects, words) {
  const want = new Set(words.map(normName));
  for (const { leader, members } of leaders(suspects).slice(0, 3)) {
    for (const s of [leader, ...members]) for (const n of pathNames(s)) if (want.has(n)) return { suspect: s.name, word: n };
  }
  return null;
}

function describeSuspect(s) {
  if (!s) return '';
  const p = s.path || [];
  const last = p[p.length - 1];
  const holder = p.length > 1 ? p[p.length - 1].edge : null;
  return `${s.name}${holder ? ` (.${holder})` : ''}${last && last.repeat ? '' : ''}`;
}

// The lead suspect's judged series with the snapshot times: what a wrong
// verdict rested on
const METRIC_FIELD = { retained_size: 'retained', self_size: 'sizes', edges: 'counts', count: 'counts', used: 'used' };
function evidence(report, s) {
  const field = METRIC_FIELD[s.metric] || 'retained';
  return {
    suspect: describeSuspect(s), metric: s.metric || null, verdict: s.verdict || null,
    times: (report.snapshots || []).map((x) => (typeof x.time === 'number' ? x.time : null)),
    values: Array.isArray(s[field]) ? s[field] : [],
  };
}
function fmtEvidence(e) {
  const pts = e.values.map((v, i) => `${e.times[i] === null || e.times[i] === undefined ? '?' : e.times[i].toFixed(1)}s:${v === null ? '-' : v}`);
  return `${e.suspect}, ${e.metric}: ${pts.join(' ')}`;
}

function score(prog, verdict) {
  if (prog.expect === 'leak') {
    if (verdict.verdict === 'leak') return verdict.holder ? 'found' : 'found-wrong-holder';
    if (verdict.verdict === 'clean') return 'missed';
    if (verdict.verdict === 'unsure') return 'unsure';
    return 'error';
  }
  if (verdict.verdict === 'clean') return 'right';
  if (verdict.verdict === 'leak') return 'false-alarm';
  if (verdict.verdict === 'unsure') return 'unsure';
  return 'error';
}
const RIGHT = new Set(['found', 'right']);

const MEMLAB_MODES = { default: 'default', trace_all: 'trace-all' };

async function runMemlab(dir, prog, mode) {
  const snaps = fs.readdirSync(dir).filter((f) => /\.heapsnapshot$/.test(f)).sort();
  if (snaps.length < 3) return { error: `only ${snaps.length} snapshots kept` };
  const picks = [snaps[0], snaps[Math.min(2, snaps.length - 2)], snaps[snaps.length - 1]].map((f) => path.join(dir, f));
  const tmp = fs.mkdtempSync(path.join(ROOT, 'memlab-'));
  const [bin, args] = niced(process.execPath, [path.join(HERE, 'memlab-find.cjs'), ...picks, prog.holderWords.join(',')]);
  const r = await exec(bin, args, { timeoutSec: opt.memlabTimeout, env: { ...process.env, TMPDIR: tmp, MEMLAB_MODE: mode } });
  fs.rmSync(tmp, { recursive: true, force: true });
  if (r.timedOut) return { error: `timed out after ${opt.memlabTimeout} s`, seconds: r.seconds };
  try {
    const j = JSON.parse(r.stdout.trim().split('\n').pop());
    return j.error ? { error: j.error, seconds: r.seconds } : { traces: j.traces, names_holder: j.names_holder, seconds: j.ms / 1000 };
  } catch { return { error: `memlab exited ${r.code}: ${r.stderr.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trim().split('\n').pop() || 'no output'}`, seconds: r.seconds }; }
}

async function runOne(job) {
  const { prog, schedule, rep } = job;
  if (interrupted) return { program: prog.name, group: prog.group, expect: prog.expect, schedule, rep, verdict: 'skipped', outcome: 'skipped', seconds: 0 };
  const dir = fs.mkdtempSync(path.join(ROOT, `${prog.name}-${schedule}-${rep}-`));
  fs.chmodSync(dir, 0o700);
  // a program that names its Node.js version runs on that official build
  // (fetched once into the tests' cache), else on --node or leakscope's default
  const node = prog.node ? nodeVersionPath(prog.node) : opt.node;
  const args = ['run', ...SCHEDULES[schedule], '--json', '--out', dir, ...(node ? ['--node', node] : []), '--', prog.file];
  const [bin, a] = niced(BIN, args);
  const r = await exec(bin, a, { timeoutSec: opt.timeout, cwd: HERE });
  const run = { program: prog.name, group: prog.group, expect: prog.expect, schedule, rep, exit_code: r.code, seconds: Math.round(r.seconds * 10) / 10 };
  let report = null;
  try { report = JSON.parse(r.stdout); } catch {}
  if (r.timedOut) run.error = `killed after ${opt.timeout} s`;
  else if (!report || typeof report !== 'object') run.error = `no JSON on stdout (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-2).join(' | ').slice(0, 300)}`;
  const verdict = report && typeof report.verdict === 'string' ? report.verdict : (!run.error && EXIT_VERDICT[r.code]) || 'error';
  run.verdict = run.error ? 'error' : verdict;
  if (!run.error && EXIT_VERDICT[r.code] && EXIT_VERDICT[r.code] !== verdict) run.warning = `exit code ${r.code} but verdict ${verdict}`;
  if (!run.error && r.code !== null && !(r.code in EXIT_VERDICT)) run.error = `exit ${r.code}: ${r.stderr.trim().split('\n').slice(-2).join(' | ').slice(0, 300)}`, run.verdict = 'error';
  const suspects = (report && Array.isArray(report.suspects)) ? report.suspects : [];
  run.suspects = suspects.length;
  run.snapshots = report && Array.isArray(report.snapshots) ? report.snapshots.length : 0;
  const lead = leaders(suspects)[0];
  run.top_suspect = lead ? describeSuspect(lead.leader) : null;
  if (lead && lead.leader.known) run.known = lead.leader.known.id || true;
  if (prog.expect === 'leak' && run.verdict === 'leak') {
    const hit = holderHit(suspects, prog.holderWords);
    run.holder = hit ? hit.word : null;
  }
  run.outcome = score(prog, { verdict: run.verdict, holder: run.holder });
  // a wrong verdict keeps the series it rested on (numbers only, no string
  // of the heap) so a failure seen once, e.g. in CI, can be studied
  if (!RIGHT.has(run.outcome) && lead && report) run.evidence = evidence(report, lead.leader);
  if (schedule === 'fixed' && opt.memlab && !run.error) {
    run.memlab = {};
    for (const [k, mode] of Object.entries(MEMLAB_MODES)) run.memlab[k] = await runMemlab(dir, prog, mode);
  }
  if (opt.keep) run.out = dir; else fs.rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`run.mjs: ${prog.group}/${prog.name} ${schedule}#${rep}: ${run.verdict} -> ${run.outcome} (${run.seconds} s)` +
    `${run.memlab ? '; memlab ' + Object.entries(run.memlab).map(([k, m]) => `${k}: ${m.error ? 'error: ' + m.error : m.traces + ' traces'}`).join(', ') : ''}${run.error ? ' — ' + run.error : ''}\n`);
  if (run.evidence) process.stderr.write(`run.mjs:   its lead suspect's series: ${fmtEvidence(run.evidence)}\n`);
  return run;
}

const fmtS = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');

function summarize(runs) {
  const out = {};
  for (const sch of schedules) {
    const rs = runs.filter((r) => r.schedule === sch);
    const c = (grp, o) => rs.filter((r) => r.expect === grp && r.outcome === o).length;
    const clean = rs.filter((r) => r.expect === 'clean');
    const times = {};
    for (const v of ['leak', 'clean', 'unsure', 'error']) {
      const t = rs.filter((r) => r.verdict === v).map((r) => r.seconds);
      if (t.length) times[v] = { runs: t.length, median_s: median(t), max_s: Math.max(...t) };
    }
    const mlSummary = (k) => {
      const ml = rs.filter((r) => r.memlab && r.memlab[k]);
      if (!ml.length) return null;
      const m = (r) => r.memlab[k];
      return {
        runs: ml.length,
        errors: ml.filter((r) => m(r).error).length,
        leak_runs_with_traces: ml.filter((r) => r.expect === 'leak' && m(r).traces > 0).length,
        leak_runs_naming_holder: ml.filter((r) => r.expect === 'leak' && m(r).names_holder).length,
        clean_runs_with_traces: ml.filter((r) => r.expect === 'clean' && m(r).traces > 0).length,
        median_s: median(ml.filter((r) => !m(r).error).map((r) => m(r).seconds)),
        max_s: Math.max(0, ...ml.filter((r) => !m(r).error).map((r) => m(r).seconds)),
      };
    };
    out[sch] = {
      leak: { runs: rs.filter((r) => r.expect === 'leak').length, found: c('leak', 'found'), found_wrong_holder: c('leak', 'found-wrong-holder'), missed: c('leak', 'missed'), unsure: c('leak', 'unsure'), error: c('leak', 'error') },
      clean: { runs: clean.length, right: c('clean', 'right'), false_alarm: c('clean', 'false-alarm'), unsure: c('clean', 'unsure'), error: c('clean', 'error') },
      false_alarm_rate: clean.length ? c('clean', 'false-alarm') / clean.length : null,
      time_by_verdict: times,
      memlab: Object.fromEntries(Object.keys(MEMLAB_MODES).map((k) => [k, mlSummary(k)]).filter(([, v]) => v)),
    };
  }
  return out;
}

function markdown(summary, runs) {
  let md = `# leakscope accuracy\n\nbinary: ${BIN}${opt.node ? `, node: ${opt.node}` : ''}; ${programs.length} programs; clean programs ${opt.repeat}x per schedule\n\n## Confusion matrix\n\n`;
  md += '| schedule | leak runs | found | found, wrong holder | missed | unsure | error | clean runs | right | false alarm | unsure | error | false-alarm rate |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n';
  for (const [sch, s] of Object.entries(summary))
    md += `| ${sch} | ${s.leak.runs} | ${s.leak.found} | ${s.leak.found_wrong_holder} | ${s.leak.missed} | ${s.leak.unsure} | ${s.leak.error} | ${s.clean.runs} | ${s.clean.right} | ${s.clean.false_alarm} | ${s.clean.unsure} | ${s.clean.error} | ${s.false_alarm_rate === null ? '-' : (100 * s.false_alarm_rate).toFixed(1) + ' %'} |\n`;
  md += '\n## Time per verdict (seconds, wall)\n\n| schedule | verdict | runs | median | max |\n|---|---|---:|---:|---:|\n';
  for (const [sch, s] of Object.entries(summary))
    for (const [v, t] of Object.entries(s.time_by_verdict)) md += `| ${sch} | ${v} | ${t.runs} | ${fmtS(t.median_s)} | ${fmtS(t.max_s)} |\n`;
  const mlRows = Object.entries(summary).flatMap(([, s]) => Object.entries(s.memlab || {}));
  if (mlRows.length) {
    md += '\n## memlab side by side (fixed schedule: snapshots 1, 3, 6)\n\n| memlab mode | runs | errors | leak runs with a trace | leak runs naming the holder | clean runs with a trace | median s | max s |\n|---|---:|---:|---:|---:|---:|---:|---:|\n';
    for (const [k, m] of mlRows) md += `| ${k === 'default' ? 'find-leaks (shipped filter)' : 'find-leaks --trace-all-objects'} | ${m.runs} | ${m.errors} | ${m.leak_runs_with_traces} | ${m.leak_runs_naming_holder} | ${m.clean_runs_with_traces} | ${fmtS(m.median_s)} | ${fmtS(m.max_s)} |\n`;
  }
  md += '\n## Per program\n\n| program | expect | schedule | outcome(s) | verdict(s) | seconds | top suspect | holder word | memlab traces: filter / trace-all (holder named) | memlab s |\n|---|---|---|---|---|---|---|---|---|---|\n';
  for (const p of programs) for (const sch of schedules) {
    const rs = runs.filter((r) => r.program === p.name && r.schedule === sch);
    if (!rs.length) continue;
    const one = (m) => (!m ? '-' : m.error ? 'error' : `${m.traces}${m.names_holder ? ' (yes)' : ''}`);
    const ml = rs.map((r) => (r.memlab ? `${one(r.memlab.default)} / ${one(r.memlab.trace_all)}` : '-'));
    const mls = rs.map((r) => (r.memlab ? Object.values(r.memlab).map((m) => (m.error ? '-' : fmtS(m.seconds))).join(' / ') : '-'));
    md += `| ${p.group}/${p.name} | ${p.expect} | ${sch} | ${rs.map((r) => r.outcome).join(', ')} | ${rs.map((r) => r.verdict).join(', ')} | ${rs.map((r) => r.seconds).join(', ')} | ${(rs[0].top_suspect || '-').replace(/\|/g, '\\|')} | ${rs.map((r) => r.holder || '-').join(', ')} | ${ml.join(', ')} | ${mls.join(', ')} |\n`;
  }
  const errs = [];
  for (const r of runs) {
    if (r.error) errs.push(`- ${r.program} ${r.schedule}#${r.rep}: ${r.error}`);
    for (const [k, m] of Object.entries(r.memlab || {})) if (m.error) errs.push(`- ${r.program} ${r.schedule}#${r.rep}: memlab ${k}: ${m.error}`);
  }
  if (errs.length) md += `\n## Errors\n\n${errs.join('\n')}\n`;
  return md;
}

async function main() {
  const jobs = [];
  for (const sch of schedules) for (const prog of programs) for (let rep = 1; rep <= (prog.expect === 'clean' ? opt.repeat : 1); rep++) jobs.push({ prog, schedule: sch, rep });
  const started = new Date().toISOString();
  process.stderr.write(`run.mjs: ${jobs.length} leakscope runs (${programs.length} programs, schedules ${schedules.join('+')}), ${opt.jobs} at a time; files under ${ROOT}\n`);
  let runs = await pool(jobs, opt.jobs, runOne);
  if (interrupted) runs = runs.filter((r) => r.outcome !== 'skipped');
  const summary = summarize(runs);
  process.stdout.write(markdown(summary, runs));
  if (opt.report) {
    const report = { leakscope: BIN, node: opt.node || null, started, finished: new Date().toISOString(), repeat: opt.repeat, schedules: Object.fromEntries(schedules.map((s) => [s, SCHEDULES[s]])),
      programs: programs.map((p) => ({ name: p.name, group: p.group, expect: p.expect, holder: p.holderWords, libs: p.libList })), summary, runs };
    fs.writeFileSync(opt.report, JSON.stringify(report, null, 1) + '\n', { mode: 0o600 });
  }
  if (opt.keep) process.stderr.write(`run.mjs: snapshots kept under ${ROOT}\n`);
  cleanup();
  if (interrupted) return 130;
  return runs.every((r) => RIGHT.has(r.outcome)) ? 0 : 1;
}

main().then((c) => process.exit(c), (e) => { console.error(e); cleanup(); process.exit(2); });
