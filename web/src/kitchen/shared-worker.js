// shared-worker.js - the kitchen as a SharedWorker: every widget of one
// origin on a page (in browsers that allow it) connects to the one kitchen.
import { createKitchen } from './kitchen.js';
import { kitchenUrls } from './urls.js';

const ports = new Set();
// the engine and the records start loading as the worker starts
const { wasm, data } = kitchenUrls(import.meta.url);
const kitchen = createKitchen((msg) => { for (const p of ports) p.postMessage(msg); }, { wasm, dataUrl: data });

self.onconnect = (e) => {
  const port = e.ports[0];
  ports.add(port);
  port.onmessage = (m) => {
    if (m.data && m.data.type === '__disconnect') { ports.delete(port); port.close(); return; }
    kitchen.handle(m.data, (msg) => port.postMessage(msg));
  };
  port.start();
};
