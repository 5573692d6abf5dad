// Known runtime leak 6: vm.compileFunction() with importModuleDynamically
// kept every compiled function alive: its native CompiledFnEntry (and the
// function, its script and the callback) were held from the embedder graph
// and never freed (nodejs/node#42080, PR #48510).
//   node tests/known/repros/vm-compile-function.js
'use strict';
const vm = require('vm');
const slices = require('./_slices.js');
const importModuleDynamically = () => { throw new Error('not used'); };
slices('vm-compile-function: vm.compileFunction(code, [], { importModuleDynamically }) per op, dropped',
  5, (i) => {
    vm.compileFunction(`return a + ${i};`, ['a'], { importModuleDynamically })(1);
  });
