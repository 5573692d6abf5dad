'use strict';
// leakscope run: takes a heap snapshot when leakscope asks (over the socket
// whose fd is in LEAKSCOPE_FD), and says when the file is complete.
// Embedded into leakscope at build time (src/session/embed.js) and written
// to a private folder for `node --require` when a program is run.
(() => {
  const fd = Number(process.env.LEAKSCOPE_FD);
  delete process.env.LEAKSCOPE_FD; // not for the program's children
  if (!Number.isInteger(fd)) return;
  if (!require('worker_threads').isMainThread) return;
  const net = require('net'), v8 = require('v8'), fs = require('fs');
  let sock;
  try { sock = new net.Socket({ fd, readable: true, writable: true }); } catch { return; }
  sock.unref(); // never keeps the program alive
  sock.setEncoding('utf8');
  sock.on('error', () => {});
  let buf = '';
  sock.on('data', (d) => {
    buf += d;
    for (let i; (i = buf.indexOf('\n')) >= 0; buf = buf.slice(i + 1)) {
      const m = /^snap (\d+) (.+)$/.exec(buf.slice(0, i));
      if (!m) continue;
      let reply = `done ${m[1]}`;
      const mask = process.umask(0o077); // private from the first byte
      try {
        const f = v8.writeHeapSnapshot(m[2]);
        fs.chmodSync(f, 0o600);
      } catch (e) {
        reply = `fail ${m[1]} ${String((e && e.message) || e).replace(/\n/g, ' ')}`;
      } finally {
        process.umask(mask);
      }
      sock.write(`${reply}\n`);
    }
  });
})();
