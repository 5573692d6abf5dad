'use strict';
// node memlab-find.cjs BASELINE TARGET FINAL [WORD,WORD]
// Runs memlab's leak finder (@memlab/api findLeaksBySnapshotFilePaths, the
// same as `memlab find-leaks --baseline --target --final`) on three heap
// snapshot files and prints one JSON line on stdout. MEMLAB_MODE=default
// (memlab's shipped leak filter, which for plain JS objects in Node reports
// only what a rule marks: detached DOM/fibers, user-tagged, oversized when
// configured) or MEMLAB_MODE=trace-all (what the CLI's `--trace-all-objects`
// sets: the leak filter is ignored, every object allocated between baseline
// and target and still alive in final is a leak candidate):
//   {"traces": N, "names_holder": bool, "ms": T}
// memlab's own output is silenced. Run it with TMPDIR set to a private folder:
// memlab keeps its working files under the system's temporary folder.
const path = require('node:path');
const { createRequire } = require('node:module');

const [baseline, target, final, words = ''] = process.argv.slice(2);
if (!final) { process.stderr.write('usage: node memlab-find.cjs BASELINE TARGET FINAL [WORDS]\n'); process.exit(2); }
const root = process.env.MEMLAB_FROM || path.resolve(__dirname, '..', '..', 'package.json');
const req = createRequire(root);
const { findLeaksBySnapshotFilePaths } = req('@memlab/api');
if (process.env.MEMLAB_MODE === 'trace-all') {
  const core = req('@memlab/core');
  const config = core.config;
  const TraceObjectMode = core.TraceObjectMode || { Default: 1 }; // not exported in 2.0.5
  config.oversizeObjectAsLeak = true;
  config.oversizeThreshold = 0;
  config.traceAllObjectsMode = TraceObjectMode.Default;
}

// every key and string of a serialized trace: its node and edge descriptions
function texts(x, out) {
  if (typeof x === 'string') out.push(x);
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) { out.push(k); texts(v, out); }
  return out;
}
const esc = (w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const holder = words.split(',').map((w) => w.trim()).filter(Boolean);

(async () => {
  const t0 = Date.now();
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true; // memlab prints progress on stdout
  let traces;
  try {
    traces = await findLeaksBySnapshotFilePaths(baseline, target, final, { consoleMode: 'SILENT', workDir: path.join(process.env.TMPDIR || require('node:os').tmpdir(), 'memlab-work') });
  } catch (e) {
    stdoutWrite(JSON.stringify({ error: String((e && e.message) || e).slice(0, 300), ms: Date.now() - t0 }) + '\n');
    process.exit(1);
  }
  const ms = Date.now() - t0;
  const all = traces.map((t) => texts(t, []).join('\n'));
  const names = holder.length > 0 && all.some((s) => holder.some((w) => new RegExp(`(^|[^A-Za-z0-9_$#])#?${esc(w)}([^A-Za-z0-9_$]|$)`).test(s)));
  stdoutWrite(JSON.stringify({ traces: traces.length, names_holder: names, ms }) + '\n');
  process.exit(0);
})();
