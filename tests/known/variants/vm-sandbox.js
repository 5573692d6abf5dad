// variant: a template engine compiling user functions with dynamic import allowed
const vm = require('node:vm');
const cache = [];
setInterval(() => {
  for (let i = 0; i < 5; i++) {
    const fn = vm.compileFunction(`return a + ${i}`, ['a'], { importModuleDynamically: () => import('node:fs') });
    fn(1);
  }
}, 50);
