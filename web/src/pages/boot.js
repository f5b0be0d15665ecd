// boot.js - the first script of embed.html, before the page's modules: starts
// the shared kitchen (a SharedWorker, where the browser allows one) while the
// rest of the page downloads. connect.js later opens the same worker (same
// script, same name) and finds it running, engine loading. Where the browser
// refuses, nothing happens here and connect.js picks another way.
// (async, so it may run late: once connect.js has connected, it set
// mingsKitchenEarly to null and there is nothing left to start)
import { kitchenUrls } from '../kitchen/urls.js';

if (globalThis.mingsKitchenEarly === undefined) try {
  globalThis.mingsKitchenEarly = new SharedWorker(kitchenUrls(document.currentScript.src).sharedWorker,
    { type: 'module', name: 'mings-kitchen' });
  globalThis.mingsKitchenEarly.addEventListener('error', () => { globalThis.mingsKitchenEarly = null; });
} catch { /* no SharedWorker here */ }
