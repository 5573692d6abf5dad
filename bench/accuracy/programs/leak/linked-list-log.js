// expect: leak
// holder: LogNode
// libs: none
// what: An in-memory event log is a hand-written singly linked list appended at its end (found by walking from head); its trimming code only runs past a limit that is never reached, so the list grows and the newest entry sits thousands of .next steps from the head.
'use strict';
const http = require('node:http');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/linked-list-log: a singly linked event log that is never trimmed');
class LogNode { constructor(entry) { this.entry = entry; this.next = null; } }
class EventLog {
  constructor(limit) { this.head = null; this.size = 0; this.limit = limit; }
  append(entry) {
    const node = new LogNode(entry);
    if (!this.head) this.head = node;
    else { let n = this.head; while (n.next) n = n.next; n.next = node; }
    if (++this.size > this.limit) { this.head = this.head.next; this.size--; }
  }
}
const log = new EventLog(1e9); // "effectively unlimited" — meant to be 1e3
const server = http.createServer((req, res) => {
  if (req.method === 'POST') log.append({ at: Date.now(), path: req.url, actor: `u${req.url.length}` });
  res.end('ok');
});
listen(server).then((port) => {
  drive((i) => request(port, `/events/${i % 20}`, { method: i % 4 === 0 ? 'POST' : 'GET' }), { concurrency: 3, pauseMs: 15 });
});
