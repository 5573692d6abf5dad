'use strict';
// Strings built in a loop, each kept in a log that is never trimmed.
const every = require('./clock');

const log = [];

function buildLine(i) {
  let line = '';
  for (let k = 0; k < 6; k++) line += 'field' + k + '=' + (i * 7 + k) + ';';
  return line;
}

function record(i) {
  log.push(buildLine(i));
}

every(1500, record);
