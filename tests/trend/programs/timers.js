// Leak: each job starts a setInterval that is never cleared; each timer's
// callback keeps its payload alive. The holders are Node's timer lists
// (Timeout objects linked by _idleNext/_idlePrev). The timers are unref'd
// only so that this program exits; a leaking server would not do that.
'use strict';
const { runSeries } = require('./_series.js');

const PER_STEP = Number(process.env.LS_PER_STEP || 600);

class JobPayload {
  constructor(id) {
    this.id = id;
    this.samples = new Array(16).fill(id);
    this.label = `job-${id}`;
  }
}

function startJob(id) {
  const payload = new JobPayload(id);
  const t = setInterval(() => { payload.samples.push(Date.now()); }, 3_600_000); // never cleared
  t.unref();
  return payload.label.length;
}

let n = 0;
runSeries(() => {
  for (let i = 0; i < PER_STEP; i++) startJob(n++);
  return { jobs: n };
});
