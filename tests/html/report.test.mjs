// The HTML report in a real browser: `leakscope trend --html` on a real
// series (tests/trend/programs/map-cache.js), rendered by headless Chromium
// (Debian package `chromium`, installed by scripts/chromium.sh when missing:
// if it cannot be installed, these tests fail). Checks the DOM (verdict,
// one chart per suspect, the path steps against the JSON), that the class
// table sorts with CSS only, both themes, privacy of string values
// (--html-strings), `summary --html`, `run --html`, and the errors.
// Screenshots are kept as CI artifacts in <LEAKSCOPE_BIN's folder>/artifacts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync, execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { repoRoot, runCli, describeRun, assertBinary, privateTmpDir } from '../js-helpers/leakscope.mjs';
import { makeSeries } from '../js-helpers/series.mjs';

const SECRET = `LSSECRET${process.pid}x${Date.now().toString(36)}`;
let chromium;
let tmp;
let leak;   // series of map-cache.js (6 snapshots)
let secret; // series of secret-leak.js (5 snapshots)
let artifacts;

before(async () => {
  const bin = assertBinary();
  artifacts = path.join(path.dirname(bin), 'artifacts');
  fs.mkdirSync(artifacts, { recursive: true });
  tmp = privateTmpDir('leakscope-html-');
  // throws (the tests fail) when Chromium is missing and cannot be installed
  chromium = execFileSync(path.join(repoRoot, 'scripts', 'chromium.sh'),
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 }).trim();
  assert.ok(fs.existsSync(chromium), `chromium.sh printed ${chromium}`);
  [leak, secret] = await Promise.all([
    makeSeries({ script: path.join(repoRoot, 'tests', 'trend', 'programs', 'map-cache.js'), count: 6 }),
    makeSeries({ script: path.join(repoRoot, 'tests', 'html', 'programs', 'secret-leak.js'), count: 5,
      env: { LS_SECRET: SECRET } }),
  ]);
});

after(() => {
  leak?.cleanup();
  secret?.cleanup();
  tmp?.cleanup();
});

let profiles = 0;
// Headless Chromium with a fresh profile each time (parallel runs are safe).
function chrome(args, { timeoutMs = 90_000 } = {}) {
  const profile = path.join(tmp.dir, `profile-${profiles++}`);
  const r = spawnSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-extensions', '--disable-dev-shm-usage', `--user-data-dir=${profile}`, ...args],
  { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 << 20 });
  if (r.error || r.status !== 0) {
    throw new Error(`chromium ${args.join(' ')} failed: ${r.error?.message ?? ''} status=${r.status}\n` +
      `${(r.stderr || '').slice(-2000)}`);
  }
  return r.stdout;
}

const url = (file) => pathToFileURL(file).href;
const dumpDom = (file, extra = []) => chrome(['--virtual-time-budget=5000', ...extra, '--dump-dom', url(file)]);

function screenshot(file, png, extra = []) {
  fs.rmSync(png, { force: true });
  chrome([...extra, `--screenshot=${png}`, '--window-size=1280,2400', '--hide-scrollbars', url(file)]);
  const buf = fs.readFileSync(png);
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  assert.equal(buf.readUInt32BE(16), 1280, 'PNG width');
  // a blank or near-blank page compresses to a few kB; a report with
  // charts and text does not
  assert.ok(buf.length > 40_000, `screenshot ${png} is only ${buf.length} bytes`);
  return buf;
}

function mode(file) {
  return fs.statSync(file).mode & 0o777;
}

// The report with its CSP taken out and a probe script added: the probe
// clicks the sort labels (CSS does the sorting) and writes what the page
// shows into <pre id="probe">, for --dump-dom to return.
function probe(html, extra = []) {
  const probeJs = `<script>
addEventListener('load', () => {
  const rows = () => [...document.querySelectorAll('#class-table tbody tr')]
    .map((r) => ({ top: r.getBoundingClientRect().top, name: r.cells[0].firstChild.textContent,
      count: Number(r.cells[1].textContent.replace(/,/g, '')) }))
    .sort((a, b) => a.top - b.top);
  const out = { rows: rows().length, first: rows().slice(0, 3).map((r) => r.name) };
  document.querySelector('label[for=o-c-d]').click();
  out.countDesc = rows().map((r) => r.count);
  document.querySelector('label[for=o-c-a]').click();
  out.countAsc = rows().map((r) => r.count);
  document.querySelector('label[for=o-n-a]').click();
  out.nameAsc = rows().map((r) => r.name);
  out.bg = getComputedStyle(document.body).backgroundColor;
  out.charts = [...document.querySelectorAll('figure.suspect-chart svg')].map((s) => s.getBoundingClientRect().height);
  const pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify(out);
  document.body.append(pre);
});
</script>`;
  const src = fs.readFileSync(html, 'utf8');
  assert.ok(src.includes('Content-Security-Policy'));
  const file = html.replace(/\.html$/, `.probe${profiles}.html`);
  fs.writeFileSync(file, src.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
    .replace('</body>', `${probeJs}</body>`), { mode: 0o600 });
  const dom = dumpDom(file, extra);
  const m = /<pre id="probe">([^<]*)<\/pre>/.exec(dom);
  assert.ok(m, `the probe ran in ${file}`);
  return JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
}

const sortedBy = (v, cmp) => v.every((x, i) => i === 0 || cmp(v[i - 1], x) <= 0);

function trendHtml(file, paths, args = []) {
  const r = runCli(['trend', '--json', '--html', file, ...args, ...paths], { timeoutMs: 120_000 });
  assert.equal(r.signal, null, describeRun(r));
  assert.equal(r.status, 1, `a leak: exit 1\n${describeRun(r)}`);
  return { r, json: JSON.parse(r.stdout) };
}

test('trend --html: verdict, one chart per suspect and the paths, in Chromium', () => {
  const file = path.join(tmp.dir, 'report.html');
  const { json } = trendHtml(file, leak.paths);
  assert.equal(json.verdict, 'leak');
  assert.ok(json.suspects.length > 0);
  assert.equal(mode(file), 0o600, 'the report is private');
  const src = fs.readFileSync(file, 'utf8');
  assert.doesNotMatch(src, /<script/i, 'no script in the report');
  assert.doesNotMatch(src, /(src|href)="https?:/i, 'nothing loaded from the network');
  assert.equal(fs.readdirSync(tmp.dir).filter((f) => f.startsWith('.report.html')).length, 0, 'no temp file left');

  const dom = dumpDom(file);
  const verdict = /<section id="verdict"[^>]*>([\s\S]*?)<\/section>/.exec(dom);
  assert.ok(verdict, 'a verdict section');
  const text = verdict[1].replace(/<[^>]+>/g, '');
  assert.match(text, /Leak suspected/);
  assert.match(text, /(grew [\d.]+ [kMG]?B|gained [\d,]+ (references|instances)).* in 6 snapshots, (never shrank|shrank)/);
  const lead = json.suspects[0];
  assert.ok(text.includes(lead.kind === 'object' ? `@${lead.id}` : lead.name), `verdict names the first suspect: ${text}`);

  assert.equal((dom.match(/<figure class="chart suspect-chart">/g) || []).length, json.suspects.length,
    'one chart per suspect');
  const articles = dom.split('<article class="suspect ').slice(1);
  assert.equal(articles.length, json.suspects.length);
  articles.forEach((a, i) => {
    const s = json.suspects[i];
    const ids = [...a.matchAll(/<li class="step" data-id="(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(ids, s.path.map((p) => p.id), `path of suspect ${i + 1}`);
    for (const step of s.path.slice(1)) {
      if (step.edge_type === 'property' || step.edge_type === 'context') {
        assert.ok(a.includes(step.edge.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')),
          `edge ${step.edge} shown`);
      }
    }
    assert.match(a, /<svg viewBox="[^"]+" role="img"/);
  });
  // the holder the map-cache leak is about
  assert.ok(dom.includes('sessionCache'), 'the path names the variable that holds the cache');
  assert.ok(dom.includes('id="class-table"'), 'the class table of the newest snapshot');

  screenshot(file, path.join(artifacts, 'report.png'));
  screenshot(file, path.join(artifacts, 'report-dark.png'), ['--force-dark-mode']);
});

test('trend --html: the class table sorts with CSS only; light and dark themes', () => {
  const file = path.join(tmp.dir, 'sort.html');
  trendHtml(file, leak.paths);
  const light = probe(file);
  assert.ok(light.rows > 50, `rows: ${light.rows}`);
  assert.equal(light.countDesc.length, light.rows);
  assert.ok(sortedBy(light.countDesc, (a, b) => b - a), 'count, largest first');
  assert.ok(sortedBy(light.countAsc, (a, b) => a - b), 'count, smallest first');
  const bytes = (s) => Buffer.from(s);
  assert.ok(sortedBy(light.nameAsc, (a, b) => Buffer.compare(bytes(a), bytes(b))), 'names A to Z');
  assert.equal(light.bg, 'rgb(255, 255, 255)');
  assert.ok(light.charts.every((h) => h > 100), `charts are drawn: ${light.charts}`);
  const dark = probe(file, ['--force-dark-mode']);
  assert.equal(dark.bg, 'rgb(13, 17, 23)', 'prefers-color-scheme: dark');
});

test('trend --html: no string values unless --html-strings', () => {
  const hidden = path.join(tmp.dir, 'private.html');
  const { r } = trendHtml(hidden, secret.paths);
  assert.ok(!r.stdout.includes(SECRET), 'the JSON has no string values');
  const src = fs.readFileSync(hidden, 'utf8');
  assert.ok(!src.includes(SECRET), 'the secret is not in the default report');
  assert.match(src, /string values hidden/);
  assert.ok(!dumpDom(hidden).includes(SECRET));

  const shown = path.join(tmp.dir, 'strings.html');
  trendHtml(shown, secret.paths, ['--html-strings']);
  const dom = dumpDom(shown);
  assert.match(dom, new RegExp(`<q class="value">${SECRET}-[0-9a-z]{8}</q>`), 'the token on the path, as asked');
  assert.match(dom, /contains string values from the heap/);
  assert.equal(mode(shown), 0o600);
});

test('summary --html: every class, sortable, beside the normal output', () => {
  const snap = leak.paths[leak.paths.length - 1];
  const file = path.join(tmp.dir, 'summary.html');
  const r = runCli(['summary', '--top', '5', '--html', file, snap], { timeoutMs: 60_000 });
  assert.equal(r.status, 0, describeRun(r));
  assert.match(r.stdout, /^Snapshot /, 'the text table is still printed');
  assert.equal(mode(file), 0o600);
  const all = JSON.parse(runCli(['summary', '--json', snap], { timeoutMs: 60_000 }).stdout);
  const dom = dumpDom(file);
  const rows = (dom.match(/<tr style="--n:/g) || []).length;
  assert.equal(rows, Math.min(all.class_count, 2000), 'every class (not only --top)');
  assert.match(dom, /id="class-bars"/);
  assert.ok(dom.includes(`${all.classes[0].name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`));
  const p = probe(file);
  assert.ok(sortedBy(p.countDesc, (a, b) => b - a));
  screenshot(file, path.join(artifacts, 'summary.png'));
});

test('suspects --html: one section per suspect with its point and path, in Chromium', () => {
  const snap = leak.paths[leak.paths.length - 1];
  const file = path.join(tmp.dir, 'suspects.html');
  const r = runCli(['suspects', '--json', '--threshold', '1', '--html', file, snap], { timeoutMs: 60_000 });
  assert.equal(r.status, 1, describeRun(r));
  const json = JSON.parse(r.stdout);
  assert.ok(json.suspects.length > 0);
  assert.equal(mode(file), 0o600);
  const src = fs.readFileSync(file, 'utf8');
  assert.doesNotMatch(src, /<script/i);
  assert.doesNotMatch(src, /(src|href)="https?:/i);
  const dom = dumpDom(file);
  const verdict = /<section id="verdict"[^>]*>([\s\S]*?)<\/section>/.exec(dom);
  assert.match(verdict[1].replace(/<[^>]+>/g, ''), /Leak suspects found/);
  const sections = dom.split('<section class="suspect"').slice(1);
  assert.equal(sections.length, json.suspects.length);
  sections.forEach((sec, i) => {
    const ap = json.suspects[i].accumulation_point;
    assert.ok(sec.includes(`@${ap.id}`), `the point of suspect ${i + 1}`);
    const ids = [...sec.matchAll(/<li class="step" data-id="(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(ids, ap.path.map((st) => st.id), `path of suspect ${i + 1}`);
    assert.equal((sec.match(/<tr><td class="l name">/g) || []).length, json.suspects[i].accumulated.length);
  });
  // the holder the map-cache leak is about
  assert.ok(dom.includes('sessionCache'), 'the path names the variable that holds the cache');
  for (const [png, extra] of [['suspects.png', []], ['suspects-dark.png', ['--force-dark-mode']]]) {
    const out = path.join(artifacts, png);
    fs.rmSync(out, { force: true });
    chrome([...extra, `--screenshot=${out}`, '--window-size=1280,1600', '--hide-scrollbars', url(file)]);
    const buf = fs.readFileSync(out);
    assert.deepEqual([...buf.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG');
    assert.ok(buf.length > 10_000, `screenshot ${png} is only ${buf.length} bytes`);
  }
});

test('--html errors: missing folder, a folder, a failed run leaves nothing', () => {
  const missing = path.join(tmp.dir, 'no', 'such', 'report.html');
  let r = runCli(['trend', '--html', missing, ...leak.paths]);
  assert.equal(r.status, 2, describeRun(r));
  assert.ok(r.stderr.includes(missing) && /No such file or directory/.test(r.stderr), r.stderr);
  assert.equal(r.stdout, '', 'fails before any work');
  assert.ok(!fs.existsSync(path.dirname(missing)));

  r = runCli(['summary', '--html', tmp.dir, leak.paths[0]]);
  assert.equal(r.status, 2, describeRun(r));
  assert.match(r.stderr, /is a folder/);

  r = runCli(['summary', '--html']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--html needs a file name/);
  r = runCli(['trend', '--html-strings', ...leak.paths]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--html-strings goes with --html/);

  // the analysis fails (an unreadable snapshot): no report, no temp file
  const dir = path.join(tmp.dir, 'fail');
  fs.mkdirSync(dir, { mode: 0o700 });
  const bad = path.join(dir, 'bad.heapsnapshot');
  fs.writeFileSync(bad, '{"snapshot": {"meta": ');
  const out = path.join(dir, 'r.html');
  r = runCli(['trend', '--html', out, leak.paths[0], leak.paths[1], bad]);
  assert.equal(r.status, 2, describeRun(r));
  assert.deepEqual(fs.readdirSync(dir), ['bad.heapsnapshot'], 'nothing half-written');

  // an existing report is replaced whole, private
  fs.writeFileSync(out, 'old', { mode: 0o644 });
  fs.chmodSync(out, 0o644);
  r = runCli(['summary', '--html', out, leak.paths[0]], { timeoutMs: 60_000 });
  assert.equal(r.status, 0, describeRun(r));
  assert.equal(mode(out), 0o600);
  assert.match(fs.readFileSync(out, 'utf8'), /^<!DOCTYPE html>/);
});

test('run --html: the report of a program leakscope drives', () => {
  const file = path.join(tmp.dir, 'run.html');
  const r = runCli(['run', '--warmup', '0.5', '--every', '0.5', '--count', '6', '--html', file, '--',
    path.join(repoRoot, 'tests', 'html', 'programs', 'run-leak.js')], { timeoutMs: 120_000 });
  assert.equal(r.signal, null, describeRun(r));
  assert.equal(r.status, 1, describeRun(r));
  assert.match(r.stdout, /LEAK SUSPECTED/);
  assert.equal(mode(file), 0o600);
  const dom = dumpDom(file);
  assert.match(dom, /<h1>Leak suspected<\/h1>/);
  assert.ok((dom.match(/class="chart suspect-chart"/g) || []).length >= 1);
  assert.ok(dom.includes('records'), 'the path names the array that holds the records');
  assert.doesNotMatch(r.stderr, /kept in/, 'streamed: no snapshot file to keep');
  assert.match(dom, /\(streamed, no file\)/, 'the snapshot table says no file was written');
});
