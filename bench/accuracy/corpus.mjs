// The corpus: programs/leak/*.js and programs/clean/*.js, each starting with
// a machine-readable header:
//   // expect: leak | clean
//   // holder: word, word        (leak only)
//   // libs: lib, lib | none
//   // what: one or two sentences
//   // node: 22.14.0              (optional: run under this Node.js from npm)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const PROGRAMS = path.join(HERE, 'programs');

export function parseHeader(file) {
  const text = fs.readFileSync(file, 'utf8');
  const h = { file, name: path.basename(file, '.js'), group: path.basename(path.dirname(file)) };
  for (const line of text.split('\n')) {
    const m = /^\/\/\s*(expect|holder|libs|what|node):\s*(.*)$/.exec(line);
    if (!m) { if (line.startsWith('//') || line.trim() === '') continue; break; }
    h[m[1]] = m[2].trim();
  }
  if (h.expect !== 'leak' && h.expect !== 'clean') throw new Error(`${file}: header has no "// expect: leak|clean" line`);
  if (h.expect !== h.group) throw new Error(`${file}: expect: ${h.expect} but the file is under ${h.group}/`);
  if (!h.libs || !h.what) throw new Error(`${file}: header needs "// libs:" and "// what:" lines`);
  if (h.expect === 'leak' && !h.holder) throw new Error(`${file}: a leak needs a "// holder:" line`);
  if (h.node && !/^\d+\.\d+\.\d+$/.test(h.node)) throw new Error(`${file}: "// node: ${h.node}" is not a version like 22.14.0`);
  h.holderWords = (h.holder || '').split(',').map((s) => s.trim()).filter(Boolean);
  h.libList = h.libs === 'none' ? [] : h.libs.split(',').map((s) => s.trim()).filter(Boolean);
  return h;
}

export function listPrograms({ only, group } = {}) {
  const out = [];
  for (const g of ['leak', 'clean']) {
    if (group && group !== g) continue;
    const dir = path.join(PROGRAMS, g);
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) out.push(parseHeader(path.join(dir, f)));
  }
  if (only) {
    const want = new Set(only);
    const known = new Set(out.map((p) => p.name));
    for (const n of want) if (!known.has(n)) throw new Error(`unknown program: ${n}`);
    return out.filter((p) => want.has(p.name));
  }
  return out;
}

// Runs async fn over items with at most `jobs` at a time, in order of start.
export async function pool(items, jobs, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) { const i = next++; results[i] = await fn(items[i], i); }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}

export const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
