// The analyser's per-environment life under valgrind: Workers that are
// terminated, or call process.exit(), while analyses run on the thread
// pool, Workers that finish normally, and the main thread. Nothing the
// addon allocates may be lost or touched after it is freed (valgrind's
// "definitely lost" records and invalid accesses whose stack passes
// through leakscope.node). Node's own records are not this test's concern.
// valgrind comes from scripts/deps.sh (make build); without it this fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot, privateTmpDir } from '../js-helpers/leakscope.mjs';

let tmp;
before(() => { tmp = privateTmpDir('leakscope-node-worker-'); });
after(() => tmp?.cleanup());

// valgrind's records (blocks between blank "==PID== " lines) that are
// errors and whose stack goes through the addon
function addonRecords(log) {
  return log.split(/^==\d+== $/m)
    .filter((r) => /definitely lost in loss record|Invalid (read|write|free)|uninitialised|Mismatched free/.test(r))
    .filter((r) => /leakscope\.node|\b(f_job|complete|execute|start|job_free|state_free|ls_\w+|ls__\w+)\b/.test(r));
}

test('Workers terminated or exiting with analyses in flight leave nothing behind (valgrind)', () => {
  const vg = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  assert.equal(vg.status, 0, 'valgrind is needed (scripts/deps.sh installs it): ' + (vg.error?.message ?? vg.stderr));

  const snap = path.join(tmp.dir, 's.heapsnapshot');
  const w = spawnSync(process.execPath, ['-e', `require('v8').writeHeapSnapshot(${JSON.stringify(snap)})`]);
  assert.equal(w.status, 0);
  const lib = path.join(repoRoot, 'lib', 'index.js');
  const script = path.join(tmp.dir, 'workers.js');
  fs.writeFileSync(script, `
    const { Worker } = require('worker_threads');
    const lib = ${JSON.stringify(lib)}, snap = ${JSON.stringify(snap)};
    // queues analyses, says how many are in flight, then (maybe) exits at once
    const busy = (exit) => \`
      const l = require(\${JSON.stringify(lib)});
      const s = \${JSON.stringify(snap)};
      for (let i = 0; i < 3; i++) l.summary(s).catch(() => {});
      l.trend([s, s, s]).catch(() => {});
      l.paths(s, 'Object').catch(() => {});
      const { parentPort } = require('worker_threads');
      parentPort.postMessage(require(\${JSON.stringify(lib.replace('index.js', 'addon.js'))}).pending());
      // exit only once the count has arrived: a message posted right
      // before process.exit() can be lost with the Worker
      \${exit ? "parentPort.once('message', () => process.exit(0));" : ''}\`;
    (async () => {
      const inFlight = [];
      for (const exit of [false, false, true, true]) {
        const w = new Worker(busy(exit), { eval: true });
        inFlight.push(await new Promise((r) => w.once('message', r)));
        if (!exit) {
          await w.terminate();
        } else {
          const ended = new Promise((r) => w.once('exit', r));
          w.postMessage('exit');
          await ended;
        }
      }
      const done = new Worker(\`
        require(\${JSON.stringify(lib)}).summary(\${JSON.stringify(snap)}, { top: 1 })
          .then((s) => require('worker_threads').parentPort.postMessage(s.classes[0].name));\`, { eval: true });
      // both listeners at once: the Worker may be gone before the message
      // is handled here, and its 'exit' must not be missed
      const doneExit = new Promise((r) => done.once('exit', r));
      const name = await new Promise((r) => done.once('message', r));
      await doneExit;
      const l = require(lib);
      const code = await l.summary(snap + '.missing').catch((e) => e.code);
      const main = (await l.summary(snap, { top: 1 })).classes[0].name;
      console.log(JSON.stringify({ inFlight, same: name === main, code }));
      globalThis.done = true;
    })();
    // a Worker that never answered leaves nothing to wait for: fail loudly
    process.on('exit', () => {
      if (!globalThis.done) { console.error('workers.js: ended before its last step'); process.exitCode = 1; }
    });`);
  const log = path.join(tmp.dir, 'valgrind.txt');
  const r = spawnSync('valgrind', ['--leak-check=full', '--show-leak-kinds=definite', '--error-limit=no',
    `--log-file=${log}`, process.execPath, script], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, `status ${r.status} ${r.signal ?? ''}\n${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  assert.deepEqual(out.inFlight, [5, 5, 5, 5], 'each Worker had its 5 analyses queued when it ended');
  assert.equal(out.same, true);
  assert.equal(out.code, 'LS_ERR_IO');
  const text = fs.readFileSync(log, 'utf8');
  assert.match(text, /LEAK SUMMARY|All heap blocks were freed/, 'valgrind checked for leaks');
  const bad = addonRecords(text);
  assert.deepEqual(bad, [], `valgrind records through the addon:\n${bad.join('\n')}`);
});
