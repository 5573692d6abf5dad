// require('leakscope/matchers'): toLeak under the protocol Jest's and
// Vitest's expect.extend call it with (this.isNot, { pass, message }),
// called here directly; tests/runners runs it in real Jest and Vitest.
// `pass` is "a leak was found"; an unsure verdict proves neither and
// throws its LeakError whichever way the matcher is asked; a non-function
// is a clear TypeError before any work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { repoRoot } from '../js-helpers/leakscope.mjs';

const require = createRequire(import.meta.url);
const matchers = require(path.join(repoRoot, 'lib', 'matchers.js'));
const { LeakError } = require(path.join(repoRoot, 'lib', 'test.js'));
const { toLeak } = matchers;

const kept = [];
const leaky = (i) => { kept.push({ i, name: `n${i}` }); };
const recent = new Map();
const clean = (i) => { recent.set(i % 32, { i }); };

test('exports only matchers: expect.extend(require("leakscope/matchers")) registers toLeak', () => {
  assert.deepEqual(Object.keys(matchers), ['toLeak']);
  assert.equal(typeof toLeak, 'function');
  assert.equal(require.resolve('leakscope/matchers', { paths: [repoRoot] }), path.join(repoRoot, 'lib', 'matchers.js'),
    'the package exports ./matchers');
});

test('a leak: pass true, and the message (what .not.toLeak fails with) is the LeakError\'s', async () => {
  const r = await toLeak.call({ isNot: true }, leaky, { rounds: 4, iterations: 300 });
  assert.equal(r.pass, true);
  const m = r.message();
  assert.match(m, /^leakscope: assertNoLeak: 1 thing kept growing over \d+ snapshots\nTrend over/, m.slice(0, 300));
  assert.match(m, /variable kept\s+→\s+Array @\d+/, m);
});

test('clean: pass false, and the message (what .toLeak fails with) says nothing grew', async () => {
  const hints = [];
  const utils = { matcherHint: (...a) => { hints.push(a); return 'HINT'; } };
  const r = await toLeak.call({ isNot: false, utils, promise: '' }, clean, { rounds: 3, iterations: 300 });
  assert.equal(r.pass, false);
  const m = r.message();
  assert.match(m, /^HINT\n\nleakscope: nothing kept growing over (?:[3-9]|1[0-2]) snapshots \(verdict "clean"\): no leak was found$/, m);
  assert.deepEqual(hints[0], ['toLeak', 'fn', 'options', { isNot: false, promise: '' }], 'the runner\'s own hint');
});

test('unsure (three rising snapshots, maxRounds 3): both .toLeak and .not.toLeak throw the LeakError', async () => {
  for (const isNot of [false, true]) {
    await assert.rejects(toLeak.call({ isNot }, leaky, { rounds: 3, maxRounds: 3, iterations: 300 }), (e) => {
      assert.ok(e instanceof LeakError, e.stack);
      assert.equal(e.code, 'LS_UNSURE');
      assert.match(e.message, /^leakscope: assertNoLeak: not sure after 3 snapshots \(maxRounds\)/);
      return true;
    }, `isNot ${isNot}`);
  }
});

test('not a function: a TypeError saying what expect() needs; bad options and fn\'s errors as they are', async () => {
  for (const [received, got] of [[42, 'number'], [null, 'null'], [undefined, 'undefined'], [Promise.resolve(), 'object']]) {
    await assert.rejects(toLeak.call({ isNot: true }, received),
      new RegExp(`^TypeError: expect\\(fn\\)\\.not\\.toLeak\\(\\): expect\\(fn\\) must be given the function under test .*got ${got}$`));
  }
  await assert.rejects(toLeak.call({ isNot: false }, 'x', {}), /^TypeError: expect\(fn\)\.toLeak\(options\): /);
  await assert.rejects(toLeak.call({ isNot: true }, clean, { rounds: 2 }), /rounds must be a whole number >= 3/);
  const boom = new Error('boom');
  await assert.rejects(toLeak.call({ isNot: true }, () => { throw boom; }), (e) => e === boom);
});
