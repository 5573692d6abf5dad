// Hand-made minimal heap snapshots in V8's format, with the byte offset of
// every value of the nodes, edges and strings arrays, so tests can break one
// value and predict the `byte N` of the error.
export const V8_META = {
  node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
  node_types: [['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native',
    'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'],
  'string', 'number', 'number', 'number', 'number', 'number'],
  edge_fields: ['type', 'name_or_index', 'to_node'],
  edge_types: [['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'], 'string_or_number', 'node'],
  trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
  trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
  sample_fields: ['timestamp_us', 'last_assigned_id'],
  location_fields: ['object_index', 'script_id', 'line', 'column'],
};

// root (synthetic) --element 1--> A (object, 32 bytes) --property "x"--> "hello" (string, 16 bytes)
//                  --element 2--> B (object "B", 24 bytes)
export const MINI = {
  nodes: [
    9, 0, 1, 0, 2, 0, 0,
    3, 1, 3, 32, 1, 0, 0,
    2, 2, 5, 16, 0, 0, 0,
    3, 4, 7, 24, 0, 0, 0,
  ],
  edges: [1, 1, 7, 1, 2, 21, 2, 3, 14],
  strings: ['', 'A', 'hello', 'x', 'B'],
};

// Build the text. opts: meta (object or null to omit), nodeCount/edgeCount
// (default: the real counts), nodes/edges/strings arrays (raw JSON tokens
// allowed as strings), extra (raw text appended inside the top object).
export function miniSnapshot(opts = {}) {
  const meta = opts.meta === undefined ? V8_META : opts.meta;
  const nodes = opts.nodes ?? MINI.nodes;
  const edges = opts.edges ?? MINI.edges;
  const strings = opts.strings ?? MINI.strings;
  const nf = (meta?.node_fields ?? V8_META.node_fields).length;
  const ef = (meta?.edge_fields ?? V8_META.edge_fields).length;
  const snap = {};
  if (meta !== null) snap.meta = meta;
  snap.node_count = opts.nodeCount ?? nodes.length / nf;
  snap.edge_count = opts.edgeCount ?? edges.length / ef;
  snap.trace_function_count = 0;
  let text = '{"snapshot":' + JSON.stringify(snap) + ',\n"nodes":[';
  const off = { nodes: [], edges: [], strings: [] };
  const arr = (name, values, enc) => {
    values.forEach((v, i) => {
      if (i) text += ',';
      const tok = enc(v);
      off[name].push([text.length, text.length + tok.length]);
      text += tok;
    });
  };
  arr('nodes', nodes, String);
  text += '],\n"edges":[';
  arr('edges', edges, String);
  text += '],\n"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[],\n"strings":[';
  arr('strings', strings, (s) => (typeof s === 'string' ? JSON.stringify(s) : String(s.raw)));
  text += ']}\n';
  // Offsets are in UTF-16 units of `text`; the files are ASCII (JSON.stringify
  // escapes nothing non-ASCII here since the strings are ASCII), so bytes = units.
  if (Buffer.byteLength(text) !== text.length) throw new Error('miniSnapshot: non-ASCII text, offsets would be wrong');
  return { text, off };
}

// A snapshot from a graph description: nodes [{type, name, size, id?}] (node
// 0 is the root), edges [[from, type, name_or_index, to]] (any order),
// locations [[node, script, line, column]]. Returns the JSON text.
export function graphSnapshot({ nodes, edges, locations = [] }) {
  const types = V8_META.node_types[0];
  const etypes = V8_META.edge_types[0];
  const strings = [''];
  const sidx = new Map([['', 0]]);
  const str = (s) => { if (!sidx.has(s)) { sidx.set(s, strings.length); strings.push(s); } return sidx.get(s); };
  const out = edges.map((e, i) => ({ e, i })).sort((a, b) => a.e[0] - b.e[0] || a.i - b.i).map((x) => x.e);
  const nodeArr = [];
  nodes.forEach((n, i) => {
    const t = types.indexOf(n.type);
    if (t < 0) throw new Error(`unknown node type ${n.type}`);
    nodeArr.push(t, str(n.name), n.id ?? 2 * i + 1, n.size, out.filter((e) => e[0] === i).length, 0, 0);
  });
  const edgeArr = [];
  for (const [, type, name, to] of out) {
    const t = etypes.indexOf(type);
    if (t < 0) throw new Error(`unknown edge type ${type}`);
    const numeric = type === 'element' || type === 'hidden';
    edgeArr.push(t, numeric ? name : str(String(name)), to * V8_META.node_fields.length);
  }
  const snap = { meta: V8_META, node_count: nodes.length, edge_count: out.length, trace_function_count: 0 };
  return JSON.stringify({ snapshot: snap, nodes: nodeArr, edges: edgeArr, trace_function_infos: [], trace_tree: [],
    samples: [], locations: locations.flatMap(([n, s, l, c]) => [n * V8_META.node_fields.length, s, l, c]), strings });
}
