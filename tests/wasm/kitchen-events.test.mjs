// The kitchen tells every page, without being asked, what a page would
// otherwise have to poll for: the dial it picked to watch at dish 1 (a
// `watchDial` event) and this device's speed once measured (a `state` event
// with deviceRate). PROTOCOL.md, "Events".
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { root, wasmUrl } from '../helpers/paths.mjs';
import { names } from '../helpers/engine.mjs';

const { createClient } = await import(pathToFileURL(path.join(root, 'web/src/client.js')));
const workerUrl = pathToFileURL(path.join(root, 'web/src/kitchen/worker.js'));
const clients = [];
after(() => { for (const c of clients) c.terminate(); });

// A kitchen with every event kept; next(pred) resolves with the first event
// (already seen or to come) that pred accepts. The listeners are on before init.
function open() {
  const c = createClient(new Worker(workerUrl));
  clients.push(c);
  const log = [], waiters = [];
  const note = (m) => {
    log.push(m);
    for (const w of [...waiters]) if (w.pred(m)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); }
  };
  for (const type of ['state', 'progress', 'watchDial']) c.on(type, (m) => note({ ...m, type }));
  const next = (pred) => log.find(pred) ?? new Promise((resolve) => waiters.push({ pred, resolve }));
  return { c, log, next };
}

test('deviceRate, once measured, comes in a state event: no page needs to ask', { timeout: 30000 }, async () => {
  const { c, next } = open();
  const info = await c.request('init', { wasm: String(wasmUrl), text: names, seed: 42 });
  const told = await next((m) => m.type === 'state' && m.deviceRate > 0);
  assert.equal(told.state, 'idle', 'nothing was cooked: the measurement is the kitchen\'s own');
  assert.equal(told.step, 0);
  assert.equal(info.deviceRate === 0 || info.deviceRate === told.deviceRate, true);
  const st = await c.request('status');
  assert.equal(st.deviceRate, told.deviceRate, 'the event carries the status\' figure');
});

test('the dial the kitchen picks at dish 1 comes in a watchDial event {index, from: 1}', { timeout: 30000 }, async () => {
  const { c, next, log } = open();
  await c.request('init', { wasm: String(wasmUrl), text: names, seed: 42, steps: 1000, pace: 'instant' });
  assert.equal((await c.request('status')).watchDial, -1, 'none picked before the first dish');
  await c.request('start', {});
  const told = await next((m) => m.type === 'watchDial');
  await next((m) => m.type === 'state' && m.state === 'done');
  const st = await c.request('status');
  assert.deepEqual([told.index, told.from], [st.watchDial, 1], 'the picked dial, recorded from dish 1');
  assert.ok(told.index >= 0);
  const h = await c.request('dialHistory', { index: told.index });
  assert.deepEqual([h.index, h.step[0], h.step.length], [told.index, 1, 1000]);
  assert.equal(log.filter((m) => m.type === 'watchDial').length, 1, 'one event for one choice');
});
