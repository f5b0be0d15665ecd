// kitchen.mjs - the kitchen in a real worker thread, for the Node tests, with
// its events kept: next(pred) resolves with the first event pred accepts (of
// those to come; with {seen: true}, of those already seen too).
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { root } from './paths.mjs';

const { createClient } = await import(pathToFileURL(path.join(root, 'web/src/client.js')));
export const workerUrl = pathToFileURL(path.join(root, 'web/src/kitchen/worker.js'));

/** A client of a new kitchen worker; its listeners are on before any request. */
export function kitchenWithEvents(types, clients = []) {
  const c = createClient(new Worker(workerUrl));
  clients.push(c);
  const log = [], waiters = [];
  const note = (m) => {
    log.push(m);
    for (const w of [...waiters]) if (w.pred(m)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); }
  };
  for (const type of types) c.on(type, (m) => note({ ...m, type }));
  const next = (pred, { seen = false } = {}) =>
    (seen && log.find(pred)) || new Promise((resolve) => waiters.push({ pred, resolve }));
  return { c, log, next };
}

/**
 * Resolves once the kitchen has measured this device. The measurement runs
 * between requests after init and ends with a `state` event of its own
 * (PROTOCOL.md, "Events"); a test that checks the exact order of state events
 * waits for it first, so that event cannot fall among the ones it checks.
 */
export async function measured(c) {
  let off;
  const told = new Promise((resolve) => { off = c.on('state', (m) => { if (m.deviceRate > 0) resolve(); }); });
  try {
    if (!((await c.request('status')).deviceRate > 0)) await told;
  } finally { off(); }
}
