// Known runtime leak 1: AbortSignal.any() with a long-lived source signal
// (nodejs/node#55351). Every call adds a WeakRef to the composite signal to
// the Set at `<symbol kDependantSignals>` of the source; when the composite
// dies the WeakRef is cleared but never removed from the Set, so the Set grows
// by one entry per call. Fixed by dependantSignalsCleanupRegistry
// (a FinalizationRegistry that removes cleared WeakRefs).
//   node tests/known/repros/abort-any-dependants.js
'use strict';
const slices = require('./_slices.js');
const source = new AbortController().signal; // lives as long as the process
slices('abort-any-dependants: AbortSignal.any([longLivedSignal]) per op, composite dropped',
  250, () => { AbortSignal.any([source]); });
