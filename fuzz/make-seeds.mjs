// Writes the seed corpus of fuzz_reader (committed; rerun after format changes).
import fs from 'node:fs';
import zlib from 'node:zlib';
import { miniSnapshot, graphSnapshot } from '../tests/js-helpers/mini.mjs';
const d = new URL('./corpus/reader/', import.meta.url).pathname;
const m = miniSnapshot().text;
// first byte picks the chunk size: keep JSON valid by leading whitespace variants
fs.writeFileSync(d + 'mini.json', m);
fs.writeFileSync(d + 'mini-ws.json', ' \n' + m);
fs.writeFileSync(d + 'mini.gz', zlib.gzipSync(m));
fs.writeFileSync(d + 'escapes.json', miniSnapshot({ strings: ['', 'A\\u00e9', { raw: '"\\ud83d\\ude00 \\n\\t\\"\\\\\\/ \\ud800x"' }, 'x', 'B'] }).text);
fs.writeFileSync(d + 'graph.json', graphSnapshot({
  nodes: [{ type: 'synthetic', name: '', size: 0 }, { type: 'synthetic', name: '(GC roots)', size: 0 }, { type: 'object', name: 'Foo', size: 10 },
    { type: 'array', name: '', size: 20 }, { type: 'closure', name: 'f', size: 30 }, { type: 'object', name: 'Object', size: 5 }],
  edges: [[0, 'element', 1, 1], [0, 'shortcut', 'x', 2], [1, 'element', 1, 2], [2, 'internal', 'elements', 3], [2, 'property', 'f', 4],
    [4, 'weak', 'w', 5], [5, 'property', 'back', 2], [3, 'element', 0, 5]],
  locations: [[4, 1, 2, 3]],
}));
