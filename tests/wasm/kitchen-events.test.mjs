// The kitchen tells every page, without being asked, what a page would
// otherwise have to poll for: the dial it picked to watch at dish 1 (a
// `watchDial` event) and this device's speed once measured (a `state` event
// with deviceRate). PROTOCOL.md, "Events".
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { wasmUrl } from '../helpers/paths.mjs';
import { names } from '../helpers/engine.mjs';
import { kitchenWithEvents } from '../helpers/kitchen.mjs';

const clients = [];
after(() => { for (const c of clients) c.terminate(); });

// every event kept; next(pred) also finds one already seen
function open() {
  const k = kitchenWithEvents(['state', 'progress', 'watchDial'], clients);
  return { ...k, next: (pred) => k.next(pred, { seen: true }) };
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
