'use strict';
// The objects that leak are made inside a library the program calls.
const every = require('./clock');
const { makeRecord } = require('recordlib');

const audit = [];

function audited(i) {
  audit.push(makeRecord(i, 'user' + (i % 100)));
}

every(4000, audited);
