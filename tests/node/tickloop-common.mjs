// Shared by the TickLoop suites: where TickLoop comes from, and a runner for
// child processes (uncaught exceptions, exit behaviour, RSS measurements
// need a process of their own).
//
// TickLoop comes from the package, lib/index.js (the addon that npm install
// builds; LEAKSCOPE_ADDON picks another build of leakscope.node, e.g. the
// CMake one, and child processes and workers inherit it).
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { repoRoot } from '../js-helpers/leakscope.mjs';

const require = createRequire(import.meta.url);
const modulePath = path.join(repoRoot, 'lib', 'index.js');

// Path of the module whose exports have TickLoop (for children and workers).
export function tickloopModule() {
  if (typeof require(modulePath).TickLoop !== 'function') throw new Error(`${modulePath} exports no TickLoop class`);
  return modulePath;
}

export function loadTickLoop() {
  return require(tickloopModule()).TickLoop;
}

// Runs `source` (CommonJS; `TickLoop` is defined, process.argv.slice(1) is
// `args`) in a fresh node. Returns { status, signal, stdout, stderr, json }
// where json is the last stdout line parsed, when it is JSON.
export function runChild(source, { args = [], nodeArgs = [], timeoutMs = 60_000 } = {}) {
  const prelude = `const { TickLoop } = require(${JSON.stringify(tickloopModule())});\n`;
  const r = spawnSync(process.execPath, [...nodeArgs, '-e', prelude + source, '--', ...args], {
    encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 << 20,
  });
  if (r.error && r.error.code !== 'ETIMEDOUT') throw r.error;
  let json;
  const last = (r.stdout || '').trim().split('\n').pop();
  try { json = JSON.parse(last); } catch { json = undefined; }
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', json };
}

export function describeChild(r) {
  return `status=${r.status} signal=${r.signal}\nstdout: ${r.stdout.slice(-1500)}\nstderr: ${r.stderr.slice(-3000)}`;
}
