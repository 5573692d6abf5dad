// Leak: every call subscribes a new listener closure to a long-lived
// EventEmitter `bus` and never removes it. Each closure keeps its own state
// object alive. The holder is bus._events.message (an array of listeners).
'use strict';
const EventEmitter = require('events');
const { runSeries } = require('./_series.js');

const PER_STEP = Number(process.env.LS_PER_STEP || 1500);

const bus = new EventEmitter();
bus.setMaxListeners(0); // silence the MaxListenersExceededWarning a real app would see

class Subscription {
  constructor(id) {
    this.id = id;
    this.received = 0;
    this.topic = `topic-${id % 50}`;
  }
}

function serve(i) {
  const sub = new Subscription(i);
  // the bug: a listener per call, never removed with bus.off
  bus.on('message', (msg) => { if (msg.topic === sub.topic) sub.received++; });
  return sub.topic.length;
}

let n = 0;
runSeries(() => {
  for (let i = 0; i < PER_STEP; i++) serve(n++);
  bus.emit('message', { topic: 'topic-1' });
  return { calls: n, listeners: bus.listenerCount('message') };
});
