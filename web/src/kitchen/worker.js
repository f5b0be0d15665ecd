// worker.js - runs the kitchen in a dedicated Web Worker, or under Node's
// worker_threads (the protocol tests use that). Other pages (sibling widget
// frames) can join: the page that owns the worker hands it a MessagePort in
// a {type: '__connect'} message, and that port then talks to the same
// kitchen (transport.js). See kitchen/PROTOCOL.md.
import { createKitchen } from './kitchen.js';
import { servePorts } from './transport.js';
import { kitchenUrls, RETRY_WORKER_NAME } from './urls.js';

if (typeof self !== 'undefined' && typeof self.postMessage === 'function' && typeof window === 'undefined') {
  // in the built site (assets/worker.js) the engine and the records start
  // loading as the worker starts, but for a Retry's worker (see urls.js)
  const { wasm, data } = kitchenUrls(import.meta.url);
  const prefetch = self.name === RETRY_WORKER_NAME ? null : { wasm, dataUrl: data };
  servePorts((post) => createKitchen(post, { prefetch })).add(self, { main: true });
} else {
  // Node: workerData {prefetch, timeoutMs} stands for the site's layout (tests)
  const { parentPort, workerData } = await import(/* webpackIgnore: true */ 'node:worker_threads');
  servePorts((post) => createKitchen(post, workerData ?? {})).add(parentPort, { main: true });
}
