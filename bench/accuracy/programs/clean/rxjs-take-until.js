// expect: clean
// libs: rxjs
// what: Each quote request subscribes to a shared rxjs Subject of exchange rates but only until its response is sent (takeUntil on a per-request done$ subject, plus take(3)), so subscriptions end with their request.
'use strict';
const http = require('node:http');
const { Subject } = require('rxjs');
const { map, filter, take, takeUntil } = require('rxjs/operators');
const { start, listen, request, drive } = require('../_lib/harness');

start('clean/rxjs-take-until: per-request subscriptions end with takeUntil/take');
const rates$ = new Subject();
const server = http.createServer((req, res) => {
  if (!req.url.startsWith('/quote')) return res.end('ok');
  const done$ = new Subject();
  const quote = { id: req.url.slice(7), amount: 100, currency: 'EUR', rate: 1 };
  rates$.pipe(filter((r) => r.currency === quote.currency), map((r) => r.rate), take(3), takeUntil(done$)).subscribe((rate) => { quote.rate = rate; });
  setTimeout(() => { res.end(JSON.stringify(quote)); done$.next(); done$.complete(); }, 20 + (Number(quote.id) % 50));
});
setInterval(() => rates$.next({ currency: Math.random() < 0.5 ? 'EUR' : 'USD', rate: 1 + Math.random() / 10 }), 5);
listen(server).then((port) => {
  drive((i) => request(port, i % 2 === 0 ? `/quote/${i}` : '/'), { concurrency: 6, pauseMs: 10 });
});
