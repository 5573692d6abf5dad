// What grows across heap snapshots of one process, read straight from the
// .heapsnapshot JSON (no leakscope):
//   node tools/analyze.mjs [--path CLASS_OR_@ID]... S1 S2 S3 [S4...]
// Snapshots in process order; a time per snapshot is taken from a `-<N>s`
// in the file name (tools/gt.cjs names them so), else the mtime.
// Prints the classes (type + name) whose instance count grows most, the
// objects (matched by node id) whose edge count or own size grows most, and
// for each the last steps of its shortest retainer path in the newest
// snapshot (BFS over non-weak edges: from the user roots first, then the
// GC roots; edges out of code are used last).
import fs from 'node:fs';

const args = process.argv.slice(2);
const extra = [];
while (args[0] === '--path') { args.shift(); extra.push(args.shift()); }
const files = args;
if (files.length < 2) { console.error('usage: analyze.mjs S1 S2 [S3...]'); process.exit(2); }

function load(f) {
  const j = JSON.parse(fs.readFileSync(f, 'utf8'));
  const m = j.snapshot.meta;
  const nf = m.node_fields, ef = m.edge_fields;
  const N = nf.length, E = ef.length;
  const nodeTypes = m.node_types[nf.indexOf('type')];
  const edgeTypes = m.edge_types[ef.indexOf('type')];
  const iT = nf.indexOf('type'), iN = nf.indexOf('name'), iId = nf.indexOf('id'),
    iS = nf.indexOf('self_size'), iEC = nf.indexOf('edge_count');
  const eT = ef.indexOf('type'), eN = ef.indexOf('name_or_index'), eTo = ef.indexOf('to_node');
  const n = j.nodes.length / N;
  const firstEdge = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) firstEdge[i + 1] = firstEdge[i] + j.nodes[i * N + iEC];
  const s = j.strings;
  const node = (i) => ({ i, type: nodeTypes[j.nodes[i * N + iT]], name: s[j.nodes[i * N + iN]],
    id: j.nodes[i * N + iId], self: j.nodes[i * N + iS], edges: j.nodes[i * N + iEC] });
  const edge = (k) => {
    const t = edgeTypes[j.edges[k * E + eT]];
    const v = j.edges[k * E + eN];
    return { type: t, name: (t === 'element' || t === 'hidden') ? String(v) : s[v], to: j.edges[k * E + eTo] / N };
  };
  let mtime = fs.statSync(f).mtimeMs / 1000;
  const mt = /-(\d+(?:\.\d+)?)s\.heapsnapshot/.exec(f);
  return { f, j, n, node, edge, firstEdge, time: mt ? Number(mt[1]) : mtime };
}

const clsKey = (nd) => `${nd.type} | ${nd.type === 'string' || nd.type === 'concatenated string' || nd.type === 'sliced string' ? '(string)' : nd.name.slice(0, 80)}`;

function summarize(S) {
  const cls = new Map();
  const byId = new Map();
  for (let i = 0; i < S.n; i++) {
    const nd = S.node(i);
    const k = clsKey(nd);
    const c = cls.get(k) || { count: 0, self: 0 };
    c.count++; c.self += nd.self; cls.set(k, c);
    // edges of the object plus those of its storage (a Map/Set table, an
    // object's elements or properties), which V8 reallocates as it grows
    let edges = nd.edges;
    for (let k = S.firstEdge[i]; k < S.firstEdge[i + 1]; k++) {
      const e = S.edge(k);
      if (e.type === 'internal' && (e.name === 'table' || e.name === 'elements' || e.name === 'properties')) edges += S.node(e.to).edges;
    }
    byId.set(nd.id, [nd.type, nd.name, nd.self, edges]);
  }
  return { cls, byId, time: S.time, nodes: S.n };
}

function retainerPaths(S) {
  const prev = new Int32Array(S.n).fill(-1), prevEdge = new Int32Array(S.n).fill(-1);
  const seen = new Uint8Array(S.n);
  const gcRoots = [];
  for (let k = S.firstEdge[0]; k < S.firstEdge[1]; k++) {
    const e = S.edge(k);
    if (S.node(e.to).name === '(GC roots)') gcRoots.push([e.to, k]);
  }
  let q = [], deferred = [];
  seen[0] = 1;
  const visit = (from, k, e) => {
    if (seen[e.to]) return;
    seen[e.to] = 1; prev[e.to] = from; prevEdge[e.to] = k; q.push(e.to);
  };
  const expand = (i) => {
    const nd = S.node(i);
    for (let k = S.firstEdge[i]; k < S.firstEdge[i + 1]; k++) {
      const e = S.edge(k);
      if (e.type === 'weak') continue;
      if (i === 0 && S.node(e.to).name === '(GC roots)') continue;
      if (nd.type === 'code' || e.name === '(deoptimization literal)') { deferred.push([i, k]); continue; }
      visit(i, k, e);
    }
  };
  const bfs = () => { for (let h = 0; h < q.length; h++) expand(q[h]); q = []; };
  expand(0); bfs();
  for (const [r, k] of gcRoots) visit(0, k, S.edge(k));
  bfs();
  while (deferred.length) {
    const d = deferred; deferred = [];
    for (const [i, k] of d) visit(i, k, S.edge(k));
    bfs();
  }
  return (target) => {
    const steps = [];
    for (let i = target; i > 0 && prev[i] >= 0; i = prev[i]) {
      const e = S.edge(prevEdge[i]);
      const nd = S.node(i);
      steps.push({ edge: e.name, edge_type: e.type, type: nd.type, name: nd.name.slice(0, 60), id: nd.id });
    }
    if (!steps.length && target !== 0) return null;
    return steps.reverse();
  };
}

const fmtPath = (p, last = 7) => {
  if (!p) return '    (unreachable)';
  const out = [];
  const start = Math.max(0, p.length - last);
  const head = start > 8 ? Number(process.env.HEAD || 6) : 0;
  for (const st of p.slice(0, head)) out.push(`    --${st.edge}(${st.edge_type})--> ${st.type} / ${JSON.stringify(st.name)} @${st.id}`);
  if (start > head) out.push(`    ... ${start - head} steps ...`);
  for (const st of p.slice(start)) out.push(`    --${st.edge}(${st.edge_type})--> ${st.type} / ${JSON.stringify(st.name)} @${st.id}`);
  return out.join('\n') + `   [length ${p.length}]`;
};

const sums = [];
let last;
for (let fi = 0; fi < files.length; fi++) {
  const S = load(files[fi]);
  sums.push(summarize(S));
  if (fi === files.length - 1) last = S; else S.j = null;
}
const dt = sums[sums.length - 1].time - sums[0].time;
console.log(`snapshots: ${files.length}, nodes ${sums.map((s) => s.nodes).join(' → ')}, span ${dt.toFixed(0)} s`);

// classes by count growth
const L = sums.length - 1;
const rows = [];
for (const [k, c] of sums[L].cls) {
  const series = sums.map((s) => s.cls.get(k)?.count ?? 0);
  const selfs = sums.map((s) => s.cls.get(k)?.self ?? 0);
  rows.push({ k, series, selfs, dc: series[L] - series[0], ds: selfs[L] - selfs[0] });
}
rows.sort((a, b) => b.dc - a.dc);
console.log('\n== classes by instance-count growth (count series; self-size series) ==');
for (const r of rows.slice(0, 12)) console.log(`  ${r.k}: count ${r.series.join(' → ')} (+${(r.dc / dt).toFixed(1)}/s); self ${r.selfs.join(' → ')} (+${(r.ds / dt).toFixed(0)} B/s)`);

// objects by edge growth / self growth
const objs = [];
for (const [id, v] of sums[L].byId) {
  const f = sums[0].byId.get(id);
  if (!f || f[0] !== v[0] || f[1] !== v[1]) continue;
  const es = sums.map((s) => s.byId.get(id)?.[3] ?? null), ss = sums.map((s) => s.byId.get(id)?.[2] ?? null);
  objs.push({ id, type: v[0], name: v[1].slice(0, 60), es, ss, de: v[3] - f[3], ds: v[2] - f[2] });
}
const paths = retainerPaths(last);
const idToIndex = new Map();
for (let i = 0; i < last.n; i++) idToIndex.set(last.node(i).id, i);
const show = (title, list, key) => {
  console.log(`\n== objects by ${title} ==`);
  for (const o of list.slice(0, 6)) {
    console.log(`  @${o.id} ${o.type} / ${JSON.stringify(o.name)}: edges(+storage) ${o.es.join(' → ')} (+${(o.de / dt).toFixed(1)}/s); self ${o.ss.join(' → ')} (+${(o.ds / dt).toFixed(0)} B/s)`);
    console.log(fmtPath(paths(idToIndex.get(o.id))));
  }
};
show('edge-count growth', objs.filter((o) => o.de > 0).sort((a, b) => b.de - a.de), 'de');
show('self-size growth', objs.filter((o) => o.ds > 0).sort((a, b) => b.ds - a.ds), 'ds');

console.log('\n== newest instance of the top growing classes ==');
const newest = new Map();
for (let i = 0; i < last.n; i++) {
  const nd = last.node(i);
  const k = clsKey(nd);
  const cur = newest.get(k);
  if ((nd.id & 1) && (!cur || nd.id > cur.id)) newest.set(k, nd);
}
for (const r of rows.slice(0, 6)) {
  const nd = newest.get(r.k);
  if (!nd) continue;
  console.log(`  ${r.k} newest @${nd.id}`);
  console.log(fmtPath(paths(nd.i)));
}
for (const x of extra) {
  console.log(`\n== path to ${x} ==`);
  let nd = null;
  if (x.startsWith('@')) nd = last.node(idToIndex.get(Number(x.slice(1))));
  else nd = newest.get(x);
  console.log(nd ? fmtPath(paths(nd.i), 12) : '  not found');
}
