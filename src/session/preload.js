'use strict';
// leakscope run: takes a heap snapshot when leakscope asks ("stream K" over
// the socket whose fd is in LEAKSCOPE_FD) and streams it to leakscope over
// the pipe whose fd is in LEAKSCOPE_DATA_FD, then answers "done K": no file
// is written. Embedded into leakscope at build time (src/session/embed.js)
// and written to a private folder for `node --require` when a program is run.
//
// V8 writes the snapshot's JSON straight into the pipe (v8.writeHeapSnapshot
// on /proc/self/fd/N: a pipe, not a file). An in-process inspector session
// (HeapProfiler.takeHeapSnapshot) gives the same text in chunks, but each
// chunk is escaped into a protocol message, parsed back into a JS string and
// converted again: it paused the program 1.2-1.4x as long (bench/README.md).
// It is the way when /proc is missing, or when LEAKSCOPE_STREAM=inspector.
(() => {
  const fd = Number(process.env.LEAKSCOPE_FD);
  const dataFd = Number(process.env.LEAKSCOPE_DATA_FD);
  const how = process.env.LEAKSCOPE_STREAM;
  delete process.env.LEAKSCOPE_FD; // not for the program's children
  delete process.env.LEAKSCOPE_DATA_FD;
  delete process.env.LEAKSCOPE_STREAM;
  if (!Number.isInteger(fd) || !Number.isInteger(dataFd)) return;
  if (!require('worker_threads').isMainThread) return;
  const net = require('net'), fs = require('fs');
  // taken now: a program that wraps or replaces v8.writeHeapSnapshot later
  // (to log, or to forbid it) does not change how leakscope's are taken
  const writeHeapSnapshot = require('v8').writeHeapSnapshot;
  // fds 3 and 4 come without close-on-exec (exec cleared it): the pipe is
  // opened again through /proc, which Node does with O_CLOEXEC, so the
  // program's own children never hold it (a child holding it would keep
  // the pipe open after the program died). The socket is made
  // close-on-exec by libuv when it wraps it.
  let data = dataFd, viaProc = false;
  try {
    data = fs.openSync(`/proc/self/fd/${dataFd}`, fs.constants.O_WRONLY);
    fs.closeSync(dataFd);
    viaProc = true;
  } catch { /* no /proc: keep fd 4 as it is */ }
  // V8 opens this path itself (close-on-exec, by Node) for each snapshot
  const pipePath = viaProc && how !== 'inspector' ? `/proc/self/fd/${data}` : null;
  let sock;
  try { sock = new net.Socket({ fd, readable: true, writable: true }); } catch { return; }
  sock.unref(); // never keeps the program alive
  sock.setEncoding('utf8');
  sock.on('error', () => {});

  // Every chunk is written before the next one comes: the inspector sends
  // them synchronously while the snapshot is serialised, so anything
  // asynchronous would pile the whole snapshot up in this process. The
  // pipe blocks: a slow reader slows the writer, nothing queues.
  function writeAll(s) {
    const b = Buffer.from(s, 'utf8');
    for (let off = 0; off < b.length;) off += fs.writeSync(data, b, off, b.length - off);
  }

  // One session for the program's life, and no closure or object made per
  // snapshot: what the preload allocates just before a snapshot is the
  // newest of its class in it, and would stand for the class in the report
  // (a class's newest instance shows where it grows).
  let session = null, current = null, failed = null;
  const params = { reportProgress: false };
  function onChunk(m) {
    if (failed) return;
    try { writeAll(m.params.chunk); } catch (e) { failed = e; }
  }
  function onTaken(e) {
    const why = failed || e;
    failed = null;
    sock.write(why ? `fail ${current} ${String((why && why.message) || why).replace(/\n/g, ' ')}\n`
      : `done ${current}\n`);
  }
  function stream(k) {
    current = k;
    if (pipePath) {
      try { writeHeapSnapshot(pipePath); } catch (e) { failed = e; }
      onTaken(null);
      return;
    }
    try {
      if (!session) {
        session = new (require('inspector').Session)();
        session.connect();
        session.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
      }
      session.post('HeapProfiler.takeHeapSnapshot', params, onTaken);
    } catch (e) {
      onTaken(e);
    }
  }

  let buf = '';
  sock.on('data', (d) => {
    buf += d;
    for (let i; (i = buf.indexOf('\n')) >= 0; buf = buf.slice(i + 1)) {
      const m = /^stream (\d+)$/.exec(buf.slice(0, i));
      if (m) stream(m[1]);
    }
  });
})();
