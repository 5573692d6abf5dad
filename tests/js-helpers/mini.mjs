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
