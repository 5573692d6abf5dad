// The fixture's runners from npm (tests/runners/fixture/package-lock.json),
// installed by `npm ci` when node_modules is missing or older than the lock
// (as Makefile's accuracy-ci does), and leakscope linked in as this
// repository, the way `npm install /path/to/leakscope` links a folder.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../js-helpers/leakscope.mjs';

export const fixtureDir = path.join(repoRoot, 'tests', 'runners', 'fixture');

// npm's words for "the registry could not be reached" (no network, no DNS,
// refused, timed out), as opposed to a lock out of step, a full disk, ...
const UNREACHABLE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ESOCKETTIMEDOUT|ENETUNREACH|EHOSTUNREACH|ERR_SOCKET_TIMEOUT|ENOTCACHED)\b|network request to .* failed/;

export function registryUnreachable(npmOutput) {
  return UNREACHABLE.test(npmOutput);
}

function fresh(dir) {
  const stamp = path.join(dir, 'node_modules', '.package-lock.json');
  const lock = path.join(dir, 'package-lock.json');
  return fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs > fs.statSync(lock).mtimeMs;
}

// Returns { installed, skip, ms }: skip is null when the runners are
// there, the reason when npm could not reach the registry (node:test,
// which needs only the link, still runs); any other failure of npm ci
// throws (a failure, not a skip).
export function installFixture({ dir = fixtureDir, env = {}, timeoutMs = 300_000 } = {}) {
  const t0 = Date.now();
  let installed = false, skip = null;
  if (!fresh(dir)) {
    const r = spawnSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, ...env },
    });
    if (r.error) throw new Error(`npm ci in ${dir} could not run: ${r.error.message}`);
    const out = `${r.stderr}\n${r.stdout}`.trim();
    if (r.status !== 0) {
      if (!registryUnreachable(out)) {
        throw new Error(`npm ci in ${dir} failed (exit ${r.status}, signal ${r.signal}):\n${out.slice(-4000)}`);
      }
      const line = out.split('\n').find((l) => UNREACHABLE.test(l)) || out.split('\n')[0];
      skip = `npm could not reach the npm registry to install the runners (npm ci: ${line.trim()}): ` +
        'Jest, Vitest and Mocha are not tested';
    } else {
      installed = true;
    }
  }
  // node:test needs no npm, only the link
  const link = path.join(dir, 'node_modules', 'leakscope');
  const target = path.relative(path.dirname(link), repoRoot);
  let current = null;
  try {
    current = fs.readlinkSync(link);
  } catch { /* missing, or not a link */ }
  if (current !== target) {
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.rmSync(link, { recursive: true, force: true });
    fs.symlinkSync(target, link, 'dir');
  }
  return { installed, skip, ms: Date.now() - t0 };
}
