'use strict';
// A class instance made in a request handler and kept forever.
const every = require('./clock');

class Order {
  constructor(id, total) {
    this.id = id;
    this.total = total;
    this.state = 'open';
  }
}

const orders = [];

function handleRequest(i) {
  const order = new Order(i, i * 3);
  orders.push(order);
}

every(4000, handleRequest);
