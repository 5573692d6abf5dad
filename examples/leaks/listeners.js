// Leak: an event listener per request that is never removed.
//
// Each request subscribes to the shared `settings` emitter so that it sees
// configuration changes while it runs, but nothing calls settings.off() when
// it is done: the emitter's listener list (settings._events.change) keeps
// every listener, and each listener keeps its request's state alive.
//
//   node examples/leaks/listeners.js
//   leakscope run -- examples/leaks/listeners.js
'use strict';
const EventEmitter = require('events');

const settings = new EventEmitter();
settings.setMaxListeners(0); // hides Node's MaxListenersExceededWarning, as apps often do

class RequestState {
  constructor(id) {
    this.id = id;
    this.locale = 'en';
    this.headers = { accept: 'text/html', 'x-request-id': `req-${id}` };
  }
}

function handleRequest(id) {
  const state = new RequestState(id);
  // the bug: subscribed per request, never removed with settings.off()
  settings.on('change', (key, value) => { if (key === 'locale') state.locale = value; });
  return state.headers.accept.length;
}

console.log('listeners: serving 1,000 requests/s, each adds a "change" listener ' +
  'that is never removed; stop with Ctrl-C');
let nextId = 0;
setInterval(() => {
  for (let i = 0; i < 100; i++) handleRequest(nextId++);
}, 100);
setInterval(() => settings.emit('change', 'locale', nextId % 2 ? 'en' : 'fr'), 1000);
