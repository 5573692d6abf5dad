// expect: clean
// libs: ws
// what: The ws price-ticker of leak/ws-bus-listeners with the fix: each connection's bus listener is removed when the socket closes, so the bus holds only the listeners of open connections.
'use strict';
const http = require('node:http');
const { EventEmitter } = require('node:events');
const { WebSocketServer, WebSocket } = require('ws');
const { start, listen, drive, sleep } = require('../_lib/harness');

start('clean/ws-listeners-removed: ws server removes each connection\'s bus listener on close');
const bus = new EventEmitter();
bus.setMaxListeners(0);
const server = http.createServer();
const wss = new WebSocketServer({ server });
wss.on('connection', (ws, req) => {
  const client = { ip: req.socket.remoteAddress, since: Date.now(), symbols: ['ACME', 'INIT', 'TECH'] };
  const onTick = (tick) => { if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ ...tick, for: client.ip })); };
  bus.on('tick', onTick);
  ws.on('message', (m) => ws.send(`echo:${m}`));
  ws.on('close', () => bus.off('tick', onTick));
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
  }, { concurrency: 3, pauseMs: 50 });
});
