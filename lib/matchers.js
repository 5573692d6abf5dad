'use strict';
// require('leakscope/matchers'): `toLeak` for Jest's and Vitest's expect.
//
//   expect.extend(require('leakscope/matchers'));    // Jest; Vitest: import and extend
//   await expect(() => handle(req)).not.toLeak({ rounds: 4, iterations: 300 });
//   await expect(leakyFn).toLeak();
//
// The matcher runs assertNoLeak(fn, options) (lib/test.js) and follows the
// runners' protocol for asynchronous matchers (it resolves with
// { pass, message }, `this.isNot` tells `.not`): `pass` is "a leak was
// found". So `.not.toLeak()` passes when assertNoLeak resolves clean and
// fails with the LeakError's message when something keeps growing;
// `.toLeak()` passes on a leak and fails when the function is clean.
//
// An unsure verdict (LeakError code LS_UNSURE: still not settled after
// maxRounds) proves neither: both `.toLeak()` and `.not.toLeak()` fail,
// with that LeakError thrown as it is (its message says what may be growing
// and how to settle it: more work per round or more rounds). Other errors
// (bad options, an error thrown by fn) are thrown as they are too.
const { assertNoLeak, LeakError } = require('./test');

function hint(ctx, options) {
  const args = options === undefined ? '' : 'options';
  if (ctx && ctx.utils && typeof ctx.utils.matcherHint === 'function') {
    return ctx.utils.matcherHint('toLeak', 'fn', args, { isNot: ctx.isNot, promise: ctx.promise });
  }
  return `expect(fn)${ctx && ctx.isNot ? '.not' : ''}.toLeak(${args})`;
}

async function toLeak(received, options) {
  if (typeof received !== 'function') {
    const got = received === null ? 'null' : typeof received;
    throw new TypeError(`${hint({ isNot: this && this.isNot }, options)}: expect(fn) must be given the function under test ` +
      `(called again and again by assertNoLeak), got ${got}`);
  }
  let result;
  try {
    result = await assertNoLeak(received, options);
  } catch (e) {
    if (e instanceof LeakError && e.code === 'LS_LEAK') {
      return { pass: true, message: () => e.message };
    }
    throw e; // LS_UNSURE (no verdict either way), bad options, or fn's own error
  }
  const n = result.snapshots.length;
  return {
    pass: false,
    message: () => `${hint(this, options)}\n\nleakscope: nothing kept growing over ${n} snapshots ` +
      `(verdict "${result.verdict}"): no leak was found`,
  };
}

module.exports = { toLeak };
