'use strict';
// TickLoop: the leak-free native callback loop (src/node/tickloop.c). The
// class is native through and through (the hot path never enters JS glue);
// this module only gives it its own entry point.
module.exports = require('./addon').TickLoop;
