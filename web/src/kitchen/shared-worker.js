// shared-worker.js - the kitchen as a SharedWorker: every widget of one
// origin on a page (in browsers that allow it) connects to the one kitchen,
// each through its own port (transport.js).
import { createKitchen } from './kitchen.js';
import { servePorts } from './transport.js';
import { kitchenUrls } from './urls.js';

// the engine and the records start loading as the worker starts
const { wasm, data } = kitchenUrls(import.meta.url);
const served = servePorts((post) => createKitchen(post, { prefetch: { wasm, dataUrl: data } }));
self.onconnect = (e) => served.add(e.ports[0]);
