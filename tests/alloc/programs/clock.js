'use strict';
// Calls work(i) REQUESTS_PER_SECOND times a second by the clock: requests
// that arrive while the program is paused (a heap snapshot) queue and are
// served after it, as a service's would (at most 5 s of them).
module.exports = function every(rate, work) {
  let done = 0;
  const t0 = Date.now();
  setInterval(() => {
    const due = Math.floor(((Date.now() - t0) / 1000) * rate);
    const todo = Math.min(due - done, rate * 5);
    for (let i = 0; i < todo; i++) work(done + i);
    done = due;
  }, 20);
};
