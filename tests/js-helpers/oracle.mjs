// The test oracle: DevTools' own heap snapshot code (heap-snapshot-toolkit),
// plus comparison helpers that print readable diffs.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { parse } from 'heap-snapshot-toolkit';

// Parse with DevTools' code; returns the expected numbers.
export async function oracle(file) {
  let stream = fs.createReadStream(file);
  const head = Buffer.alloc(2);
  const fd = fs.openSync(file, 'r');
  fs.readSync(fd, head, 0, 2, 0);
  fs.closeSync(fd);
  if (head[0] === 0x1f && head[1] === 0x8b) stream = stream.pipe(zlib.createGunzip());
  const snap = await parse(stream);
  const agg = snap.aggregatesWithFilter({});
  const meta = snap.profile.snapshot;
  const edgeCount = meta.edge_count;
  return {
    snap,
    agg,
    nodeCount: snap.nodeCount,
    metaNodeCount: meta.node_count,
    edgeCount,
    edgeCountFromArray: snap.containmentEdges.length / snap.edgeFieldsCount,
    totalSize: snap.totalSize,
  };
}

// All objects the `top` command may list (not root, not synthetic), with
// DevTools' per-node numbers, sorted by retained size descending.
export function oracleObjects(o) {
  const s = o.snap;
  const out = [];
  const node = s.createNode(0);
  const rootOrdinal = s.rootNodeIndexInternal / s.nodeFieldCount;
  for (let i = 0; i < s.nodeCount; i++) {
    if (i === rootOrdinal) continue;
    node.nodeIndex = i * s.nodeFieldCount;
    if (node.rawType() === s.nodeSyntheticType) continue;
    out.push({
      ordinal: i,
      id: node.id(),
      type: node.type(),
      class: node.className(),
      self_size: node.selfSize(),
      retained_size: s.retainedSizes[i],
      distance: s.nodeDistances[i],
    });
  }
  out.sort((a, b) => b.retained_size - a.retained_size);
  return out;
}

// DevTools key of a CLI summary row.
export function cliKey(c) {
  return `${c.location ?? ''},${c.name}`;
}

function fmt(n) {
  return n === undefined ? '—' : String(n);
}

// Compare a `summary --json` output against the oracle; returns a list of
// problems (empty when everything matches). Each mismatch row names the class
// and prints expected vs actual for count, self and retained size.
export function diffSummary(json, o, { compareRetained = true, selfOf = (a) => a.self, countOf = (a) => a.count } = {}) {
  const problems = [];
  const s = json.snapshot;
  if (!s) return ['no "snapshot" object in output'];
  if (s.node_count !== o.nodeCount) problems.push(`snapshot.node_count: expected ${o.nodeCount}, got ${s.node_count}`);
  if (s.edge_count !== o.edgeCount) problems.push(`snapshot.edge_count: expected ${o.edgeCount}, got ${s.edge_count}`);
  if (s.total_size !== o.totalSize) problems.push(`snapshot.total_size: expected ${o.totalSize}, got ${s.total_size}`);
  if (!Array.isArray(json.classes)) return [...problems, 'no "classes" array in output'];
  if (json.class_count !== json.classes.length) {
    problems.push(`class_count ${json.class_count} != classes.length ${json.classes.length} (no --top given)`);
  }
  const got = new Map();
  for (const c of json.classes) {
    const k = cliKey(c);
    if (got.has(k)) problems.push(`class key ${JSON.stringify(k)} appears twice in the output`);
    got.set(k, c);
  }
  const rows = [];
  const keys = new Set([...Object.keys(o.agg), ...got.keys()]);
  for (const k of keys) {
    const e = o.agg[k];
    const g = got.get(k);
    const exp = e && { count: countOf(e), self: selfOf(e), ret: e.maxRet };
    const act = g && { count: g.count, self: g.self_size, ret: g.retained_size };
    const bad = !exp || !act || exp.count !== act.count || exp.self !== act.self ||
      (compareRetained && exp.ret !== act.ret);
    if (bad) rows.push({ k, exp, act, weight: Math.max(exp?.ret ?? 0, act?.ret ?? 0) });
  }
  if (rows.length) {
    rows.sort((a, b) => b.weight - a.weight);
    problems.push(`${rows.length} of ${keys.size} classes differ (expected = DevTools, got = leakscope); first 20:`);
    for (const r of rows.slice(0, 20)) {
      const e = r.exp ?? {};
      const a = r.act ?? {};
      problems.push(`  ${JSON.stringify(r.k).slice(0, 100)}: ` +
        (r.exp ? '' : '[missing in DevTools] ') + (r.act ? '' : '[missing in leakscope] ') +
        `count ${fmt(e.count)}/${fmt(a.count)}  self ${fmt(e.self)}/${fmt(a.self)}` +
        (compareRetained ? `  retained ${fmt(e.ret)}/${fmt(a.ret)}` : ''));
    }
  }
  // Sorted by retained size, largest first.
  for (let i = 1; i < json.classes.length; i++) {
    if (json.classes[i - 1].retained_size < json.classes[i].retained_size) {
      problems.push(`classes not sorted by retained_size at index ${i}`);
      break;
    }
  }
  return problems;
}

// Compare `top --json -n N` against the oracle. Ties in retained size may be
// ordered either way, so: the list of retained sizes must equal DevTools' N
// largest; every listed id must have DevTools' numbers; every object strictly
// larger than the N-th size must be listed.
export function diffTop(json, o, n) {
  const problems = [];
  const all = oracleObjects(o);
  const byId = new Map(all.map((x) => [x.id, x]));
  const objs = json.objects;
  if (!Array.isArray(objs)) return ['no "objects" array in output'];
  const expN = all.slice(0, n);
  if (objs.length !== expN.length) problems.push(`expected ${expN.length} objects, got ${objs.length}`);
  const gotSizes = objs.map((x) => x.retained_size);
  const expSizes = expN.map((x) => x.retained_size);
  if (JSON.stringify(gotSizes) !== JSON.stringify(expSizes)) {
    problems.push(`retained sizes differ:\n  DevTools:  ${expSizes.join(' ')}\n  leakscope: ${gotSizes.join(' ')}`);
  }
  const seen = new Set();
  for (const g of objs) {
    if (seen.has(g.id)) problems.push(`id ${g.id} listed twice`);
    seen.add(g.id);
    const e = byId.get(g.id);
    if (!e) {
      problems.push(`id ${g.id} (${g.class}) is not a non-synthetic node in DevTools' view`);
      continue;
    }
    const expDistance = e.distance < 0 ? null : e.distance;
    for (const [f, ev] of [['class', e.class], ['type', e.type], ['self_size', e.self_size],
      ['retained_size', e.retained_size], ['distance', expDistance]]) {
      if (g[f] !== ev) problems.push(`id ${g.id} ${f}: expected ${JSON.stringify(ev)}, got ${JSON.stringify(g[f])}`);
    }
  }
  const nth = expSizes.length ? expSizes[expSizes.length - 1] : 0;
  for (const e of expN) {
    if (e.retained_size > nth && !seen.has(e.id)) {
      problems.push(`id ${e.id} (${e.class}, retained ${e.retained_size}) missing from top ${n}`);
    }
  }
  return problems.slice(0, 40);
}
