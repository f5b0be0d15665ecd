// The kitchen's pace (web/src/kitchen/run.js) in a real worker thread: watch
// (about 150 dishes a second, measured with the kitchen's own elapsedMs and
// step), pause reachable in watch pace, one dish at a time (step), finish,
// setPace seen by every page, and the device's full speed (deviceRate).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Worker, MessageChannel } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { root, wasmUrl } from '../helpers/paths.mjs';
import { names } from '../helpers/engine.mjs';
import { measured } from '../helpers/kitchen.mjs';

const { createClient } = await import(pathToFileURL(path.join(root, 'web/src/client.js')));
const { PACES } = await import(pathToFileURL(path.join(root, 'web/src/kitchen/run.js')));
const workerUrl = pathToFileURL(path.join(root, 'web/src/kitchen/worker.js'));
const wasm = String(wasmUrl);
const clients = [];
after(() => { for (const c of clients) c.terminate(); });

/** Events of a client as a log, and next(pred): the first event from now on that matches. */
function watch(c) {
  const log = [], waiters = [];
  const note = (m) => {
    log.push(m);
    for (const w of [...waiters]) if (w.pred(m)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); }
  };
  for (const type of ['state', 'progress', 'view', 'milestone']) c.on(type, note);
  return { log, next: (pred) => new Promise((resolve) => waiters.push({ pred, resolve })) };
}

/** A kitchen in a new worker, opened with the default pace unless init says otherwise. */
async function open(fields = {}) {
  const worker = new Worker(workerUrl);
  const c = createClient(worker);
  clients.push(c);
  const w = watch(c);
  const info = await c.request('init', { wasm, text: names, seed: 42, steps: 1000, ...fields });
  return { c, worker, info, ...w };
}

test('watch is the default pace: about 150 dishes a second by the kitchen\'s own clock', async () => {
  const { c, info, next } = await open({ steps: 20000 });
  assert.equal(info.pace, 'watch');
  assert.equal(PACES.watch, 150);
  // from the first progress event after 300 ms of cooking, over 2 s of the kitchen's time
  const first = next((m) => m.type === 'progress' && m.elapsedMs >= 300);
  await c.request('start', {});
  const a = await first;
  const b = await next((m) => m.type === 'progress' && m.elapsedMs >= a.elapsedMs + 2000);
  await c.request('pause');
  const rate = (b.step - a.step) / (b.elapsedMs - a.elapsedMs) * 1000;
  console.log(`watch pace: ${rate.toFixed(1)} dishes/s over ${(b.elapsedMs - a.elapsedMs).toFixed(0)} ms (dishes ${a.step}-${b.step}); stepsPerSec ${b.stepsPerSec.toFixed(1)}`);
  assert.ok(rate >= 100 && rate <= 200, `watch pace cooked ${rate.toFixed(1)} dishes/s`);
  assert.ok(b.stepsPerSec >= 100 && b.stepsPerSec <= 200, `stepsPerSec says ${b.stepsPerSec}`);
});

test('pause in watch pace: the run stops at the dish the reply names, no chunk after it', async () => {
  const { c, next } = await open({ steps: 20000 });
  const moving = next((m) => m.type === 'progress' && m.step >= 10);
  await c.request('start', {});
  await moving;
  const pausedEvent = next((m) => m.type === 'state' && m.state === 'paused');
  const paused = await c.request('pause');
  assert.equal(paused.state, 'paused');
  assert.ok(paused.step >= 10 && paused.step < 20000);
  assert.equal((await pausedEvent).step, paused.step, 'no dish after the pause');
  const st = await c.request('status');
  assert.deepEqual([st.state, st.step], ['paused', paused.step]);
});

test('step: one dish from idle (then paused), again from paused, refused while cooking; the last one is done', async () => {
  const { c, log, next } = await open({ steps: 3 });
  await measured(c); // the device measurement's own state event comes first, not among these
  const event = next((m) => m.type === 'state');
  const one = await c.request('step');
  assert.deepEqual([one.state, one.step], ['paused', 1]);
  assert.deepEqual([(await event).state, (await event).step], ['paused', 1]);
  const progress = log.filter((m) => m.type === 'progress');
  assert.equal(progress.length, 1);
  assert.equal(progress[0].losses.length, 1, 'the one dish\'s loss was sent');
  assert.deepEqual([(await c.request('step')).step, (await c.request('step')).state], [2, 'done']);
  assert.equal((await c.request('status')).step, 3);
  await assert.rejects(c.request('step'), (e) => e.code === 'kitchen/wrong-state' && /run is done \(dish 3 of 3\)/.test(e.message));
  const b = await open({ steps: 20000 });
  await b.c.request('start', {});
  await assert.rejects(b.c.request('step'), (e) => e.code === 'kitchen/wrong-state' && /pause first/.test(e.message));
  await b.c.request('stop');
  await assert.rejects(b.c.request('step'), (e) => e.code === 'kitchen/stopped');
});

test('finish: the rest of the run at full speed, from watch pace, then done', async () => {
  const { c, next, log } = await open({ steps: 5000 });
  const moving = next((m) => m.type === 'progress' && m.step > 0);
  await c.request('start', {});
  await moving;
  const done = next((m) => m.type === 'state' && m.state === 'done');
  const reply = await c.request('finish');
  assert.deepEqual([reply.state, reply.finishing, reply.pace], ['training', true, 'watch']);
  const end = await done;
  assert.deepEqual([end.step, end.finishing], [5000, false]);
  // at watch pace the same 5,000 dishes would take 33 s: finish cooked them in a fraction of that kitchen time
  assert.ok(end.elapsedMs < 5000 / PACES.watch * 1000 / 2, `finish took ${end.elapsedMs} ms of kitchen time`);
  assert.ok(log.some((m) => m.type === 'state' && m.finishing), 'pages were told the run is finishing');
  // from idle and from paused too
  const b = await open({ steps: 2000 });
  const bDone = b.next((m) => m.type === 'state' && m.state === 'done');
  await b.c.request('finish');
  assert.equal((await bDone).step, 2000);
  assert.equal((await b.c.request('finish')).state, 'done', 'finish when done changes nothing');
});

test('setPace: every page of the kitchen gets a state event with the pace; bad paces refused', async () => {
  const { c, worker, next } = await open({ pace: 'instant' });
  const ch = new MessageChannel();
  worker.postMessage({ type: '__connect', port: ch.port2 }, [ch.port2]);
  const guest = createClient(ch.port1);
  clients.push(guest);
  const g = watch(guest);
  const joined = await guest.request('init', { wasm, text: names, join: true, pace: 'fast' });
  assert.equal(joined.pace, 'instant', 'a page that joins keeps the kitchen\'s pace');
  const ownerSaw = next((m) => m.type === 'state' && m.pace === 'fast');
  const guestSaw = g.next((m) => m.type === 'state' && m.pace === 'fast');
  assert.equal((await guest.request('setPace', { pace: 'fast' })).pace, 'fast');
  assert.equal((await ownerSaw).pace, 'fast');
  assert.equal((await guestSaw).pace, 'fast');
  assert.equal((await c.request('status')).pace, 'fast');
  for (const pace of ['slow', undefined, 3])
    await assert.rejects(c.request('setPace', { pace }), (e) => e.code === 'kitchen/bad-request' && /pace must be one of watch, fast, instant/.test(e.message));
  const w2 = new Worker(workerUrl);
  const c2 = createClient(w2);
  clients.push(c2);
  await assert.rejects(c2.request('init', { wasm, text: names, pace: 'quick' }), (e) => e.code === 'kitchen/bad-request');
  // fast: 1,500 dishes a second, by the kitchen's clock
  const first = next((m) => m.type === 'progress' && m.elapsedMs >= 200);
  await c.request('reset', { steps: 20000 });
  await c.request('start', {});
  const a = await first;
  const b = await next((m) => m.type === 'progress' && m.elapsedMs >= a.elapsedMs + 1000);
  await c.request('pause');
  const rate = (b.step - a.step) / (b.elapsedMs - a.elapsedMs) * 1000;
  console.log(`fast pace: ${rate.toFixed(0)} dishes/s`);
  assert.ok(rate >= 1000 && rate <= 2000, `fast pace cooked ${rate} dishes/s`);
});

test('deviceRate: the engine\'s full speed, measured without touching the run; warming cooks at full speed', async () => {
  const { c } = await open();
  // measured between other requests after init: a heartbeat sees it arrive
  let st = await c.request('status');
  for (let i = 0; i < 20000 && !(st.deviceRate > 0); i++) st = await c.request('status');
  assert.ok(st.deviceRate > PACES.watch, `deviceRate ${st.deviceRate}`);
  assert.deepEqual([st.step, st.state], [0, 'idle'], 'the measurement did not cook the run');
  console.log(`deviceRate at open: ${st.deviceRate.toFixed(0)} dishes/s`);
  // ensureTrained in watch pace: full speed (far faster than 150 a second)
  const info = await c.request('ensureTrained', { steps: 1000 });
  assert.deepEqual([info.step, info.state, info.pace], [1000, 'done', 'watch']);
  assert.ok(info.elapsedMs < 1000 / PACES.watch * 1000 / 2, `warming took ${info.elapsedMs} ms`);
});
