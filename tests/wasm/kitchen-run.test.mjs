// The run's state machine (web/src/kitchen/run.js) in a real worker thread:
// idle, warming, training, paused, done, stopped, as `state`, `progress` and
// `status` carry them; and load, which starts a run of its own.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { root, wasmUrl } from '../helpers/paths.mjs';
import { names } from '../helpers/engine.mjs';
import { measured } from '../helpers/kitchen.mjs';

const { createClient } = await import(pathToFileURL(path.join(root, 'web/src/client.js')));
const workerUrl = pathToFileURL(path.join(root, 'web/src/kitchen/worker.js'));
const wasm = String(wasmUrl);
const clients = [];
after(() => { for (const c of clients) c.terminate(); });

/** A kitchen in a new worker, opened, with a log of its state and progress events. */
async function open(steps = 1000) {
  const c = createClient(new Worker(workerUrl));
  clients.push(c);
  const log = [];
  const waiters = [];
  const note = (m) => {
    log.push(m);
    for (const w of [...waiters]) if (w.pred(m)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); }
  };
  c.on('state', note);
  c.on('progress', note);
  await c.request('init', { pace: 'instant', wasm, text: names, seed: 42, steps });
  await measured(c);
  log.length = 0;
  // resolves on the first event from now on that matches (no clock involved)
  const next = (pred) => new Promise((resolve) => waiters.push({ pred, resolve }));
  const states = () => log.filter((m) => m.type === 'state').map((m) => m.state);
  return { c, log, next, states };
}

test('ensureTrained: idle -> warming -> done; progress while cooking says warming', async () => {
  const { c, log, states } = await open();
  assert.equal((await c.request('status')).state, 'idle');
  const cooking = c.request('ensureTrained', { seed: 42, steps: 1000 });
  const mid = await c.request('status');
  const info = await cooking;
  assert.deepEqual([info.state, info.step], ['done', 1000]);
  assert.equal(mid.state, 'warming', 'status while the kitchen cooks for a widget');
  assert.deepEqual(states(), ['warming', 'done']);
  const during = log.filter((m) => m.type === 'progress' && m.step < 1000);
  assert.ok(during.length > 0 && during.every((m) => m.state === 'warming'), 'progress events during the cooking say warming');
});

test('Train pressed while warming: warming -> training -> done', async () => {
  const { c, next, states } = await open(5000);
  const first = next((m) => m.type === 'state');
  const cooking = c.request('ensureTrained', { seed: 42, steps: 5000, upTo: 4000 });
  assert.equal((await first).state, 'warming');
  assert.equal((await c.request('start', {})).state, 'training');
  assert.equal((await cooking).step, 5000, 'the run went on to its end');
  assert.deepEqual(states(), ['warming', 'training', 'done']);
});

test('training -> paused -> training -> stopped; start and resume refused until reset', async () => {
  const { c, next, states } = await open(20000);
  const moved = next((m) => m.type === 'progress' && m.step > 0);
  await c.request('start', { steps: 20000 });
  await moved;
  const pausedEvent = next((m) => m.type === 'state' && m.state === 'paused');
  const paused = await c.request('pause');
  assert.equal(paused.state, 'paused');
  assert.equal((await pausedEvent).step, paused.step);
  const further = next((m) => m.type === 'progress' && m.step > paused.step);
  assert.equal((await c.request('resume')).state, 'training');
  await further;
  const stoppedEvent = next((m) => m.type === 'state' && m.state === 'stopped');
  const stopped = await c.request('stop');
  assert.equal(stopped.state, 'stopped');
  assert.equal((await stoppedEvent).step, stopped.step);
  assert.deepEqual(states(), ['training', 'paused', 'training', 'stopped']);
  for (const type of ['start', 'resume']) {
    await assert.rejects(c.request(type, {}), (e) => {
      assert.equal(e.code, 'kitchen/stopped');
      assert.match(e.message, new RegExp(`stopped at step ${stopped.step}; reset to train again`));
      return true;
    });
  }
  assert.deepEqual([(await c.request('status')).state, (await c.request('status')).step], ['stopped', stopped.step]);
  // stop again, pause: nothing changes
  assert.equal((await c.request('stop')).state, 'stopped');
  assert.equal((await c.request('pause')).state, 'stopped');
  const info = await c.request('reset', { steps: 300 });
  assert.deepEqual([info.state, info.step, info.elapsedMs], ['idle', 0, 0]);
  const done = next((m) => m.type === 'state' && m.state === 'done');
  await c.request('start', {});
  assert.equal((await done).step, 300);
  assert.deepEqual(states().slice(-3), ['idle', 'training', 'done']);
});

test('load after a long run reports the file\'s place and elapsedMs 0, not the old run\'s', async () => {
  // a file at dish 50 of a 1,000-dish run
  const a = await open();
  assert.deepEqual([(await a.c.request('ensureTrained', { steps: 1000, upTo: 50 })).step], [50]);
  const file = await a.c.request('save');
  const b = await open();
  const long = await b.c.request('ensureTrained', { steps: 1000 });
  assert.ok(long.elapsedMs > 0);
  const loadedEvent = b.next((m) => m.type === 'state' && m.step === 50);
  const info = await b.c.request('load', { bytes: file });
  assert.deepEqual([info.step, info.numSteps, info.state, info.elapsedMs], [50, 1000, 'paused', 0]);
  const ev = await loadedEvent;
  assert.deepEqual([ev.state, ev.elapsedMs], ['paused', 0]);
  const st = await b.c.request('status');
  assert.deepEqual([st.step, st.elapsedMs], [50, 0]);
  assert.equal((await b.c.request('losses')).length, 0, 'the old run\'s losses are gone');
  assert.deepEqual(await b.c.request('milestones'), []);
});
