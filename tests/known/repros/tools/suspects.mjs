// suspects.mjs RUN.json [N=6]: the verdict and the first N suspects of a
// `leakscope run --json` / `trend --json` report, each with kind, name,
// metric, group and the last 4 steps of its path (edge, edge_type, name, type).
import fs from 'node:fs';
const r = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const n = Number(process.argv[3] || 6);
const snaps = r.snapshots || [];
console.log(`verdict ${r.verdict} settled ${r.settled} snapshots ${snaps.length} node ${snaps[0]?.node_version}` +
  ` span ${snaps.length ? (snaps[snaps.length - 1].time - snaps[0].time).toFixed(0) : '?'} s` +
  (r.unsure ? ` unsure: ${r.unsure.text}` : ''));
for (const s of (r.suspects || []).slice(0, n)) {
  const ser = s.metric === 'count' || s.metric === 'edges' || s.metric === 'used' ? (s.metric === 'used' ? s.used : s.counts) : (s.metric === 'self_size' ? s.sizes : s.retained);
  console.log(`- ${s.kind} ${JSON.stringify(s.name)}${s.id ? ' @' + s.id : ''} metric ${s.metric} verdict ${s.verdict} group ${s.group}` +
    ` growth_bytes ${s.growth_bytes} growth_count ${s.growth_count} series ${JSON.stringify(ser)}${s.known ? ' KNOWN ' + s.known.id : ''}`);
  const p = s.path || [];
  for (const st of p.slice(-4)) console.log(`    ${st.repeat ? `[x${st.repeat}/${st.unit}] ` : ''}--${st.edge}(${st.edge_type})--> ${st.type} / ${JSON.stringify(st.name)}`);
  console.log(`    [path steps ${p.length}]`);
}
