'use strict';
// Listeners added per request and never removed: the listener list grows
// inside Node's events module, called from the program's subscribe().
const EventEmitter = require('node:events');
const every = require('./clock');

const bus = new EventEmitter();
bus.setMaxListeners(0);

function subscribe(i) {
  bus.on('tick', function onTick() { return i; });
}

every(4000, subscribe);
