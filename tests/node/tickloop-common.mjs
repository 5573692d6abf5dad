// Shared by the TickLoop suites: where TickLoop comes from, and a runner for
// child processes (uncaught exceptions, exit behaviour, RSS measurements
// need a process of their own).
//
// TickLoop comes from the package (lib/index.js, built by `npm install` /
// node-gyp) when it is there; errors loading it fail the tests. Before the
// package exists (a checkout without lib/index.js) the addon is compiled
// here with gcc from src/node/tickloop.c. LS_TICKLOOP_MODULE overrides both
// (a path whose module exports TickLoop).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { repoRoot, privateTmpDir } from '../js-helpers/leakscope.mjs';

const require = createRequire(import.meta.url);
let cached;

function nodeIncludeDir() {
  const candidates = [
    path.resolve(path.dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ];
  const dir = candidates.find((d) => fs.existsSync(path.join(d, 'node_api.h')));
  if (!dir) throw new Error(`node_api.h not found in ${candidates.join(', ')}: install Node's headers`);
  return dir;
}

function compileStandalone() {
  const tmp = privateTmpDir('leakscope-tickloop-');
  process.on('exit', () => tmp.cleanup());
  const init = path.join(tmp.dir, 'init.c');
  fs.writeFileSync(init, '#include "addon.h"\nNAPI_MODULE_INIT() { return ls__tickloop_init(env, exports); }\n');
  const out = path.join(tmp.dir, 'tickloop.node');
  const cc = process.env.CC || 'gcc';
  const r = spawnSync(cc, ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-shared', '-fPIC',
    `-I${nodeIncludeDir()}`, `-I${path.join(repoRoot, 'src', 'node')}`,
    path.join(repoRoot, 'src', 'node', 'tickloop.c'), init, '-lm', '-o', out], { encoding: 'utf8', timeout: 120_000 });
  if (r.error || r.status !== 0) {
    throw new Error(`compiling src/node/tickloop.c with ${cc} failed: ${r.error?.message ?? ''}\n${r.stderr}`);
  }
  return out;
}

// Path of a CommonJS module (or .node addon) whose exports have TickLoop.
export function tickloopModule() {
  if (cached) return cached;
  if (process.env.LS_TICKLOOP_MODULE) cached = path.resolve(process.env.LS_TICKLOOP_MODULE);
  else if (fs.existsSync(path.join(repoRoot, 'lib', 'index.js'))) cached = path.join(repoRoot, 'lib', 'index.js');
  else cached = compileStandalone();
  if (typeof require(cached).TickLoop !== 'function') throw new Error(`${cached} exports no TickLoop class`);
  return cached;
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
