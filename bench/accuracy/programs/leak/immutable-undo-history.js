// expect: leak
// holder: undoStack, history
// libs: immutable
// what: A collaborative document editor keeps every Immutable.js state in an undo stack; structural sharing makes each version cheap, but the stack is never capped, so each edit adds a few new trie nodes forever.
'use strict';
const { Map: IMap, List } = require('immutable');
const { start } = require('../_lib/harness');

start('leak/immutable-undo-history: every Immutable.js document state kept in an uncapped undo stack');
const history = { undoStack: [], redoStack: [] };
let doc = IMap({ title: 'Untitled', paragraphs: List(Array.from({ length: 200 }, (_, i) => `paragraph ${i}`)), meta: IMap({ rev: 0 }) });
let edits = 0;
setInterval(() => {
  for (let k = 0; k < 1; k++) {
    history.undoStack.push(doc);
    history.redoStack.length = 0;
    const p = (edits * 7919) % 200;
    doc = doc.setIn(['paragraphs', p], `paragraph ${p} edited ${edits}`).setIn(['meta', 'rev'], ++edits);
  }
}, 20);
