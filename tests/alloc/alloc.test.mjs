// Allocation sites (`run --allocations`): on leaky programs whose leaked
// objects are made at a known place — a class instance in a request
// handler, an array of closures, strings built in a loop, records made
// inside a library the program calls, listeners added through Node's own
// events module — the leading suspect's first allocation site names that
// function, its script, and the line and column where the function starts
// (found in the program's source here, not written into the test). Node's
// own frames are folded and kept apart; saved snapshots give the same
// sites through `trend`, the HTML report a table of them; without --allocations a class suspect still has
// its constructor's location. Programs serve their requests by the clock
// (programs/clock.js) so a snapshot pause does not change the work done.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { repoRoot, privateTmpDir, describeRun, runCliAsync } from '../js-helpers/leakscope.mjs';

const programs = path.join(repoRoot, 'tests', 'alloc', 'programs');
const require = createRequire(import.meta.url);
const SCHEDULE = ['--every', '1', '--count', '5', '--warmup', '1'];

const run = (args, opts) => runCliAsync(args, { cwd: programs, ...opts });

// Where `function NAME(` (or `constructor(`) starts in FILE, as V8 gives a
// function's position: 1-based line, and the column of its parameter list.
function functionAt(file, name) {
  const lines = fs.readFileSync(path.join(programs, file), 'utf8').split('\n');
  const needle = name === 'constructor' ? 'constructor(' : `function ${name}(`;
  const i = lines.findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} not found in ${file}`);
  return { line: i + 1, column: lines[i].indexOf(needle) + needle.length };
}

function leakReport(r) {
  assert.ok(r.status === 1 || r.status === 4, `expected a leak or not-sure verdict\n${describeRun(r)}`);
  const report = JSON.parse(r.stdout);
  assert.ok(report.suspects.length > 0, describeRun(r));
  return report;
}

function assertSite(site, file, fn, why) {
  const at = functionAt(file, fn);
  assert.equal(site.function, fn, why);
  assert.ok(site.script.endsWith(`/${file}`), `${why}: script ${site.script}`);
  assert.equal(site.line, at.line, `${why}: line`);
  assert.equal(site.column, at.column, `${why}: column`);
  assert.ok(site.count > 0 && site.size > 0, why);
  assert.deepEqual(site.stack[0], { function: site.function, script: site.script,
    line: site.line, column: site.column }, `${why}: stack[0] is the site`);
}

const SHAPES = [
  { program: 'handler.js', fn: 'handleRequest', shape: 'a class instance made in a request handler' },
  { program: 'closures.js', fn: 'makeCallback', shape: 'an array of closures' },
  { program: 'strings.js', fn: 'buildLine', shape: 'strings built in a loop' },
  { program: 'library.js', fn: 'makeRecord', file: 'node_modules/recordlib/index.js',
    caller: 'audited', shape: 'records made inside a library the program calls' },
];

describe('allocation sites', { concurrency: 3 }, () => {
  for (const s of SHAPES) {
    test(`${s.shape}: the first site is ${s.fn}`, async () => {
      const r = await run(['run', '--allocations', ...SCHEDULE, '--json', '--', s.program]);
      const report = leakReport(r);
      const lead = report.suspects[0];
      assert.ok(Array.isArray(lead.allocations) && lead.allocations.length > 0, describeRun(r));
      assertSite(lead.allocations[0], s.file ?? s.program, s.fn, `${s.program}: leading suspect ${lead.name}`);
      // sites are largest first, and account for no more than was counted
      const sizes = lead.allocations.map((a) => a.size);
      assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));
      assert.ok(sizes.reduce((a, b) => a + b, 0) <= lead.allocated.size);
      if (s.caller) {
        // the library's function is the site; the program's caller follows it
        assert.equal(lead.allocations[0].stack[1].function, s.caller);
        assert.ok(lead.allocations[0].stack[1].script.endsWith(`/${s.program}`));
      }
      for (const x of report.suspects)
        for (const a of x.allocations)
          assert.ok(!a.script.startsWith('node:') || a.stack.every((f) => f.script.startsWith('node:')),
            `a Node frame is a site only when no frame is the program's: ${JSON.stringify(a)}`);
    });
  }

  test("Node's own frames are folded: listeners added through node:events", async () => {
    const r = await run(['run', '--allocations', ...SCHEDULE, '--json', '--', 'emitter.js']);
    const report = leakReport(r);
    assertSite(report.suspects[0].allocations[0], 'emitter.js', 'subscribe', 'leading suspect');
    // the listener list grows inside node:events (_addListener pushes
    // onto it): that storage is counted at the program's caller, never at
    // a site of node:events, and its folded frames are Node's only
    const sites = report.suspects.flatMap((x) => x.allocations);
    assert.ok(sites.every((a) => a.script !== 'node:events'), JSON.stringify(sites.map((a) => a.function)));
    for (const a of sites.filter((x) => x.internal_frames.length)) {
      assert.ok(!a.script.startsWith('node:'), JSON.stringify(a));
      assert.ok(a.internal_frames.every((f) => f.script.startsWith('node:') || (!f.script && !f.line)),
        JSON.stringify(a.internal_frames));
    }
  });

  test('text, HTML and saved snapshots: "allocated at", the same sites through trend and suspects', async () => {
    const { dir, cleanup } = privateTmpDir();
    try {
      const out = path.join(dir, 'snaps');
      const html = path.join(dir, 'report.html');
      const r = await run(['run', '--allocations', ...SCHEDULE, '--out', out, '--html', html, '--', 'handler.js']);
      assert.ok(r.status === 1 || r.status === 4, describeRun(r));
      const at = functionAt('handler.js', 'handleRequest');
      // run from the programs' folder: the script is shown relative to it
      const want = new RegExp(`allocated at handleRequest \\(handler\\.js:${at.line}:${at.column}\\)`);
      assert.match(r.stdout, want);
      // the HTML report: a table of sites per suspect
      const page = fs.readFileSync(html, 'utf8');
      const tables = page.split('<table class="allocs">').slice(1).map((t) => t.slice(0, t.indexOf('</table>')));
      assert.ok(tables.length > 0, 'no table of allocation sites in the report');
      assert.ok(tables[0].includes(`<code>handleRequest</code></td><td><code>`) &&
        tables[0].includes(`/handler.js:${at.line}:${at.column}</code>`), tables[0].slice(0, 600));
      // trend reads the files (newest first): the oldest one gives the
      // floor of what is new; the sites are the run's
      const t = await run(['trend', '--json', out]);
      const report = leakReport(t);
      assertSite(report.suspects[0].allocations[0], 'handler.js', 'handleRequest', 'trend of the saved run');
      const order = report.suspects.find((x) => x.kind === 'class' && x.name === 'Order');
      assert.ok(order, 'class Order is a suspect');
      assertSite(order.allocations[0], 'handler.js', 'handleRequest', 'class Order');
      // the instances made since the oldest snapshot, exactly (no Order
      // is ever freed: the ones it had are the ones that are not new)
      assert.equal(order.allocated.count + order.allocated.untracked,
        order.counts.at(-1) - order.counts[0], JSON.stringify({ a: order.allocated, c: order.counts }));
      // one snapshot's suspects (`suspects`): where what each holds was made
      const last = fs.readdirSync(out).sort().at(-1);
      const one = await run(['suspects', '--json', path.join(out, last)]);
      assert.equal(one.status, 1, describeRun(one)); // 1: suspects found
      const sus = JSON.parse(one.stdout).suspects;
      assert.ok(sus.length > 0 && sus[0].allocations.length > 0, one.stdout.slice(0, 800));
      assertSite(sus[0].allocations[0], 'handler.js', 'handleRequest', 'suspects of the last snapshot');
    } finally {
      cleanup();
    }
  });

  test('attach --allocations: sites from the attach on, in the program\'s code', async () => {
    // its own inspector on a free port, found by attach from /proc
    const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', 'handler.js'],
      { cwd: programs, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d) => { err += d; });
    try {
      const t0 = Date.now();
      while (!err.includes('Debugger listening') && Date.now() - t0 < 20_000)
        await new Promise((r) => setTimeout(r, 50));
      assert.ok(err.includes('Debugger listening'), err);
      const r = await run(['attach', '--allocations', ...SCHEDULE, '--json', String(child.pid)]);
      const report = leakReport(r);
      assert.ok(report.suspects.every((x) => Array.isArray(x.allocations)), describeRun(r));
      const sites = report.suspects.flatMap((x) => x.allocations);
      assert.ok(sites.some((a) => a.script.startsWith(programs + path.sep)), JSON.stringify(sites));
      assert.ok(report.suspects[0].allocated.count > 0, JSON.stringify(report.suspects[0].allocated));
      assert.equal(child.exitCode, null, 'the program still runs');
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('without --allocations: no sites, a class suspect still has its constructor location', async () => {
    const r = await run(['run', ...SCHEDULE, '--json', '--', 'handler.js']);
    const report = leakReport(r);
    for (const x of report.suspects) assert.equal(x.allocations, undefined);
    const order = report.suspects.find((x) => x.kind === 'class' && x.name === 'Order');
    assert.ok(order, describeRun(r));
    const ctor = functionAt('handler.js', 'constructor');
    assert.ok(order.location.script.endsWith('/handler.js'), JSON.stringify(order.location));
    assert.equal(order.location.line, ctor.line);
    assert.equal(order.location.column, ctor.column);
    const text = await run(['run', ...SCHEDULE, '--', 'handler.js']);
    assert.match(text.stdout, new RegExp(`constructor at handler\\.js:${ctor.line}:${ctor.column}`));
  });

  test("the Node package: run({ allocations: true }) gives the command's sites", async () => {
    const leakscope = require(path.join(repoRoot, 'lib', 'index.js'));
    assert.throws(() => leakscope.run(path.join(programs, 'handler.js'), { allocations: 'yes' }),
      /allocations must be true or false/);
    const r = await leakscope.run(path.join(programs, 'handler.js'),
      { allocations: true, every: 1, count: 5, warmup: 1 });
    assert.ok(r.suspects.length > 0, JSON.stringify(r).slice(0, 500));
    assertSite(r.suspects[0].allocations[0], 'handler.js', 'handleRequest', 'run() leading suspect');
  });

  test('assertNoLeak({ allocations: true }): the LeakError names the first site', () => {
    // a fresh process: tracking and the inlining flags are process-wide
    const prog = `
      const { assertNoLeak } = require(${JSON.stringify(path.join(repoRoot, 'lib', 'test.js'))});
      class Widget { constructor(i) { this.i = i; this.name = 'w' + i; } }
      const widgets = [];
      function addWidget(i) { widgets.push(new Widget(i)); }
      assertNoLeak(addWidget, { allocations: true, rounds: 4, iterations: 3000 }).then(
        () => { console.log(JSON.stringify({ clean: true })); },
        (e) => { console.log(JSON.stringify({ name: e.name, message: e.message.split('\\n')[0],
          site: e.result.suspects[0].allocations[0] })); });
      `;
    const r = spawnSync(process.execPath, ['-e', prog], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop());
    assert.equal(out.name, 'LeakError', r.stdout);
    assert.equal(out.site.function, 'addWidget');
    assert.equal(out.site.script, '[eval]');
    assert.match(out.message, /; allocated at addWidget \(\[eval\]:\d+:\d+\)$/);
    const bad = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(repoRoot, 'lib', 'test.js'))})
      .assertNoLeak(() => {}, { allocations: 1 }).catch((e) => { console.log(e.name + ': ' + e.message); });`],
    { encoding: 'utf8', timeout: 60_000 });
    assert.match(bad.stdout, /TypeError: assertNoLeak: allocations must be true or false/);
  });
});
