// Leak: a long-lived closure (an audit logger) captures an array `history`
// that only ever grows. `history` is a closure variable, reachable only
// through the logger function's context: logger -> context -> history.
'use strict';
const { runSeries } = require('./_series.js');

const PER_STEP = Number(process.env.LS_PER_STEP || 2000);

function makeAuditLog(service) {
  const history = [];
  let last = null;
  return function audit(action, user) {
    last = { action, user, service, at: Date.now(), detail: `${action}:${user}` };
    history.push(last); // the bug: never trimmed
    return history.length;
  };
}

const audit = makeAuditLog('billing');
const actions = ['login', 'view', 'pay', 'logout'];

let n = 0;
runSeries(() => {
  let len = 0;
  for (let i = 0; i < PER_STEP; i++, n++) len = audit(actions[n % 4], `u${n % 311}`);
  return { calls: n, history: len };
});
