// Shared by the repros: run `step` `perSlice` times every 50 ms (a
// fraction: once every 1/perSlice slices; a fixed
// pace of work, so the heap grows at a steady rate that stays modest), go
// back to the event loop between slices (leakscope's snapshot requests are
// served there), exit quietly on SIGTERM. Plain Node, no flags, no deps.
'use strict';
module.exports = function slices(banner, perSlice, step) {
  console.log(`${banner} (Node ${process.version}, ${perSlice * 20} ops/s; stop with Ctrl-C)`);
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
  // perSlice < 1: one op every 1/perSlice slices
  let ops = 0, credit = 0;
  const tick = () => {
    credit += perSlice;
    for (; credit >= 1; credit--) step(ops++);
  };
  setInterval(tick, 50);
  tick();
  return () => ops;
};
