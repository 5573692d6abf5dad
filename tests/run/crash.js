// For tests/run: a program that fails at start-up after DELAY ms (argv[2],
// default 0): it throws, so node prints the error and exits with code 1.
'use strict';
setInterval(() => {}, 1000); // would run forever
setTimeout(() => {
  throw new Error('crash-test: cannot reach the database at db.invalid:5432');
}, Number(process.argv[2] || 0));
