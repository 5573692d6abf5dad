// expect: leak
// holder: observers, currentObservers
// libs: rxjs
// what: Each quote request subscribes to a shared rxjs Subject of exchange rates to keep its quote current, and never unsubscribes; the Subject's observer list grows with one subscriber (and its quote) per request.
'use strict';
const http = require('node:http');
const { Subject } = require('rxjs');
const { map, filter } = require('rxjs/operators');
const { start, listen, request, drive } = require('../_lib/harness');

start('leak/rxjs-subject-subscriptions: a subscription to a shared Subject per request, never unsubscribed');
const rates$ = new Subject();
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/quote')) {
    const quote = { id: req.url.slice(7), amount: 100, currency: 'EUR', rate: 1, lines: [1, 2, 3, 4, 5, 6].map((n) => ({ n })) };
    rates$.pipe(filter((r) => r.currency === quote.currency), map((r) => r.rate)).subscribe((rate) => { quote.rate = rate; });
    res.end(JSON.stringify({ id: quote.id, amount: quote.amount }));
  } else res.end('ok');
});
setInterval(() => rates$.next({ currency: Math.random() < 0.5 ? 'EUR' : 'USD', rate: 1 + Math.random() / 10 }), 200);
listen(server).then((port) => {
  drive((i) => request(port, i % 5 === 0 ? `/quote/${i}` : '/'), { concurrency: 3, pauseMs: 15 });
});
