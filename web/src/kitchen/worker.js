// worker.js - runs the kitchen in a dedicated Web Worker, or under Node's
// worker_threads (the protocol tests use that). See kitchen/PROTOCOL.md.
import { createKitchen } from './kitchen.js';

async function connect() {
  if (typeof self !== 'undefined' && typeof self.postMessage === 'function' && typeof window === 'undefined') {
    const kitchen = createKitchen((msg, transfer) => self.postMessage(msg, transfer ?? []));
    self.onmessage = (e) => kitchen.handle(e.data);
    return;
  }
  const { parentPort } = await import(/* webpackIgnore: true */ 'node:worker_threads');
  const kitchen = createKitchen((msg, transfer) => parentPort.postMessage(msg, transfer ?? []));
  parentPort.on('message', (data) => kitchen.handle(data));
}

connect();
