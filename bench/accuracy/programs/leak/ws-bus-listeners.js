// expect: leak
// holder: bus, tick
// libs: ws
// what: A ws price-ticker server subscribes each new connection to a shared EventEmitter bus with bus.on('tick') and forgets to remove the listener on close; clients connect, read a few ticks and leave, so closed sockets and their listeners pile up on the bus.
'use strict';
const http = require('node:http');
const { EventEmitter } = require('node:events');
const { WebSocketServer, WebSocket } = require('ws');
const { start, listen, drive, sleep } = require('../_lib/harness');

start('leak/ws-bus-listeners: ws server adds a bus listener per connection and never removes it on close');
const bus = new EventEmitter();
bus.setMaxListeners(0);
const server = http.createServer();
const wss = new WebSocketServer({ server });
wss.on('connection', (ws, req) => {
  const client = { ip: req.socket.remoteAddress, since: Date.now(), symbols: ['ACME', 'INIT', 'TECH'] };
  const onTick = (tick) => { if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ ...tick, for: client.ip })); };
  bus.on('tick', onTick);
  ws.on('message', (m) => ws.send(`echo:${m}`));
  ws.on('close', () => { client.closed = Date.now(); }); // bus.off('tick', onTick) is missing
});
let price = 100;
setInterval(() => { price += Math.random() - 0.5; bus.emit('tick', { sym: 'ACME', price }); }, 100);
listen(server).then((port) => {
  drive(async (i) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/prices`);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    ws.send(`hello ${i}`);
    await sleep(150);
    ws.close();
    await new Promise((resolve) => ws.once('close', resolve));
  }, { concurrency: 2, pauseMs: 100 });
});
