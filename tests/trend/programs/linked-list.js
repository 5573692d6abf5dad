// Leak: every request appends a record to a linked list that nothing
// trims (`audit.head` -> ... .next -> ...), so the newest record's retainer
// path goes through every earlier one: thousands of `.next` steps, which
// the report folds into one line.
'use strict';
const { runSeries } = require('./_series.js');

class AuditRecord {
  constructor(id, prev) { this.id = id; this.at = Date.now(); this.next = null; if (prev) prev.next = this; }
}
const audit = { head: null, tail: null, n: 0 };
runSeries(() => {
  for (let i = 0; i < 1500; i++) {
    const r = new AuditRecord(audit.n++, audit.tail);
    if (!audit.head) audit.head = r;
    audit.tail = null; // only the chain holds the records
    audit.tail = r;
  }
  return { records: audit.n };
});
