// shared-worker.js - the kitchen as a SharedWorker: every widget of one
// origin on a page (in browsers that allow it) connects to the one kitchen.
import { createKitchen } from './kitchen.js';

const ports = new Set();
const kitchen = createKitchen((msg) => { for (const p of ports) p.postMessage(msg); });

self.onconnect = (e) => {
  const port = e.ports[0];
  ports.add(port);
  port.onmessage = (m) => {
    if (m.data && m.data.type === '__disconnect') { ports.delete(port); port.close(); return; }
    kitchen.handle(m.data, (msg) => port.postMessage(msg));
  };
  port.start();
};
