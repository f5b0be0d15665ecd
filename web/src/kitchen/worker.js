// worker.js - runs the kitchen in a dedicated Web Worker, or under Node's
// worker_threads (the protocol tests use that). Other pages (sibling widget
// frames) can join: the page that owns the worker hands it a MessagePort in
// a {type: '__connect'} message, and that port then talks to the same
// kitchen. Events go to every port; replies to the port that asked.
// See kitchen/PROTOCOL.md.
import { createKitchen } from './kitchen.js';
import { kitchenUrls } from './urls.js';

function serve(main, onMessage, prefetch) {
  const ports = new Set([main]);
  const kitchen = createKitchen((msg) => { for (const p of ports) p.postMessage(msg); }, prefetch);
  onMessage(main, (data, ports_) => {
    if (data && data.type === '__connect' && ports_?.[0]) {
      const port = ports_[0];
      ports.add(port);
      port.onmessage = (e) => {
        if (e.data && e.data.type === '__disconnect') { ports.delete(port); port.close(); return; }
        kitchen.handle(e.data, (msg) => port.postMessage(msg));
      };
      return;
    }
    kitchen.handle(data, (msg) => main.postMessage(msg));
  });
}

if (typeof self !== 'undefined' && typeof self.postMessage === 'function' && typeof window === 'undefined') {
  // in the built site (assets/worker.js) the engine and the records start
  // loading as the worker starts
  const { wasm, data } = kitchenUrls(import.meta.url);
  serve(self, (main, fn) => { main.onmessage = (e) => fn(e.data, e.ports); }, { wasm, dataUrl: data });
} else {
  const { parentPort } = await import(/* webpackIgnore: true */ 'node:worker_threads');
  serve(parentPort, (main, fn) => main.on('message', (data) => fn(data, data?.port ? [data.port] : [])));
}
