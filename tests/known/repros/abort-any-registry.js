// Known runtime leak 2: the regression of the fix of leak 1. From Node
// 22.13.0 every AbortSignal.any() call registers the SOURCE signal in the
// FinalizationRegistry sourceSignalsCleanupRegistry with holdings
// {sourceSignalRef, composedSignalRef} (two WeakRefs) and no unregister token;
// a long-lived source never dies, so one WeakCell (+ holdings + WeakRefs) per
// call stays in the registry for good. The pattern is the same as leak 1's
// (a long-lived source, composites dropped at once); what grows differs.
//   node tests/known/repros/abort-any-registry.js
'use strict';
const slices = require('./_slices.js');
const source = new AbortController().signal; // lives as long as the process
slices('abort-any-registry: AbortSignal.any([longLivedSignal]) per op, composite dropped',
  100, () => { AbortSignal.any([source]); });
