// Shared helpers for the node:test suites: locate and run the leakscope CLI,
// private temp dirs, snapshot programs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const heapsDir = path.join(repoRoot, 'tests', 'oracle', 'heaps');

export function leakscopeBin() {
  return process.env.LEAKSCOPE_BIN || path.join(repoRoot, 'build', 'leakscope');
}

// Fails (throws) with a clear message when the binary is missing: a test run
// without the CLI is a failed run, not a skipped one.
export function assertBinary() {
  const bin = leakscopeBin();
  if (!fs.existsSync(bin)) {
    throw new Error(`leakscope binary not found at ${bin}: build it (make build) or set LEAKSCOPE_BIN`);
  }
  return bin;
}

// Run the CLI. Never hangs: timeoutMs (default 20 s) kills it, and the result
// then has signal 'SIGTERM' (callers assert signal === null).
export function runCli(args, { timeoutMs = 20_000, input, env, maxBuffer = 1 << 30, uid, gid } = {}) {
  const bin = assertBinary();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, args, {
    encoding: 'utf8', timeout: timeoutMs, input, maxBuffer,
    env: { ...process.env, ...env }, uid, gid,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error && r.error.code !== 'ETIMEDOUT') throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms,
    cmd: `${bin} ${args.map((a) => JSON.stringify(a)).join(' ')}` };
}

export function describeRun(r) {
  return `${r.cmd}\n  status=${r.status} signal=${r.signal} (${r.ms.toFixed(0)} ms)\n` +
    `  stderr: ${r.stderr.slice(0, 2000)}\n  stdout: ${r.stdout.slice(0, 500)}`;
}

// Run the CLI expecting success and a JSON object on stdout.
export function runJson(args, opts) {
  const r = runCli(args, opts);
  if (r.status !== 0 || r.signal !== null) {
    throw new Error(`leakscope failed:\n${describeRun(r)}`);
  }
  try {
    return JSON.parse(r.stdout);
  } catch (e) {
    throw new Error(`leakscope printed invalid JSON (${e.message}):\n${describeRun(r)}`);
  }
}

// A private temp dir (0700) removed by the returned cleanup function.
export function privateTmpDir(prefix = 'leakscope-test-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o700);
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

// Run tests/oracle/heaps/<name>.js with the given node binary; the program
// writes a snapshot to argv[2] and prints one JSON line of facts on stdout.
export function makeSnapshot(name, outPath, { node = process.execPath, nodeArgs = [], args = [], timeoutMs = 120_000, env } = {}) {
  const prog = path.join(heapsDir, `${name}.js`);
  const r = spawnSync(node, ['--expose-gc', ...nodeArgs, prog, outPath, ...args], {
    encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, ...env },
  });
  if (r.error || r.status !== 0 || !fs.existsSync(outPath)) {
    throw new Error(`snapshot program ${prog} failed with ${node}: ${r.error?.message ?? ''} status=${r.status} ` +
      `signal=${r.signal}\n${(r.stderr || '').slice(-3000)}`);
  }
  const lines = r.stdout.trim().split('\n').filter(Boolean);
  return lines.length ? JSON.parse(lines[lines.length - 1]) : {};
}

// Run the CLI without blocking the event loop (tests that run programs
// concurrently): resolves with runCli's fields; killed after timeoutMs.
export function runCliAsync(args, { cwd, env, timeoutMs = 120_000, uid, gid } = {}) {
  const bin = assertBinary();
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env: { ...process.env, ...env }, uid, gid,
      stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, ms: Number(process.hrtime.bigint() - t0) / 1e6,
        cmd: `${bin} ${args.map((a) => JSON.stringify(a)).join(' ')}` });
    });
  });
}
