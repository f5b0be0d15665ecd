// The kitchen protocol in a real worker thread (web/src/kitchen/worker.js)
// through the page-side client (web/src/client.js).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { root, wasmUrl } from '../helpers/paths.mjs';
import { loadRun, maxAbsDiff } from '../helpers/ref.mjs';
import { names } from '../helpers/engine.mjs';

const { createClient } = await import(pathToFileURL(path.join(root, 'web/src/client.js')));
const workerUrl = pathToFileURL(path.join(root, 'web/src/kitchen/worker.js'));
const ref = loadRun('microgpt_seed42');
const clients = [];
after(() => { for (const c of clients) c.terminate(); });

async function open() {
  const c = createClient(new Worker(workerUrl));
  clients.push(c);
  const events = [];
  c.on('progress', (m) => events.push(m));
  c.on('state', (m) => events.push(m));
  const info = await c.request('init', { pace: 'instant', wasm: String(wasmUrl), text: names, seed: 42, steps: 1000 });
  return { c, events, info };
}
// polls page state (not a clock): resolves once cond() holds; the timeout is a safety net
const settled = (cond, what, ms = 30000) => new Promise((resolve, reject) => {
  const t0 = Date.now();
  const poll = () => (cond() ? resolve() : Date.now() - t0 > ms ? reject(new Error(`timed out: ${what}`)) : setTimeout(poll, 5));
  poll();
});
const until = (c, pred) => new Promise((resolve) => { const off = c.on('state', (m) => { if (pred(m)) { off(); resolve(m); } }); });

test('a run in chunks: progress events carry every loss, a sample is answered mid-run', async () => {
  const { c, events, info } = await open();
  assert.equal(info.numParams, 4192);
  assert.equal(info.state, 'idle');
  const done = until(c, (m) => m.state === 'done');
  await c.request('start', { steps: 1000 });
  const names20 = await c.request('sample', { count: 20, temperature: 0.5 });
  const stateWhenAnswered = (await c.request('status')).state;
  assert.equal(names20.length, 20);
  await done;
  const progress = events.filter((e) => e.type === 'progress');
  const losses = progress.flatMap((e) => [...e.losses]);
  assert.equal(losses.length, 1000);
  assert.ok(maxAbsDiff(losses, ref.losses) <= 1e-9);
  assert.ok(progress.length >= 2 && progress.length < 200, `${progress.length} progress events`);
  assert.ok(progress.some((e) => e.step < 1000), 'progress came while training');
  assert.equal(stateWhenAnswered, 'training', 'the sample was answered between chunks, while training');
  const st = await c.request('status');
  assert.equal(st.step, 1000);
  assert.ok(st.stepsPerSec > 0 && st.elapsedMs > 0);
});

test('pause keeps the step; resume goes on; stop ends the run; reset starts over', async () => {
  const { c } = await open();
  const moved = (after) => new Promise((resolve) => { const off = c.on('progress', (m) => { if (m.step > after) { off(); resolve(m); } }); });
  const first = moved(0);
  await c.request('start', { steps: 20000 });
  await first;
  const pausedEvent = until(c, (m) => m.state === 'paused');
  const paused = await c.request('pause');
  assert.equal((await pausedEvent).step, paused.step, 'the loop ended at the step the pause reported');
  const later = await c.request('status');
  assert.equal(later.state, 'paused');
  assert.equal(later.step, paused.step);
  assert.ok(paused.step > 0 && paused.step < 20000);
  const further = moved(paused.step);
  await c.request('resume');
  await further;
  const moving = await c.request('status');
  assert.ok(moving.step > paused.step);
  const stopped = await c.request('stop');
  assert.equal(stopped.state, 'stopped');
  await assert.rejects(c.request('start', { steps: 1000 }), /stopped at step \d+; reset to train again/);
  await assert.rejects(c.request('resume'), /stopped/);
  const info = await c.request('reset', { seed: 42, steps: 1000 });
  assert.equal(info.step, 0);
  assert.equal(info.state, 'idle');
  const t = await c.request('ensureTrained', {});
  assert.equal(t.step, 1000);
  assert.deepEqual((await c.request('milestones')).map((m) => m.step), [1, 100, 500, 1000]);
  assert.ok(maxAbsDiff(await c.request('losses'), ref.losses) <= 1e-9);
  // a second ensureTrained keeps the training done
  assert.equal((await c.request('ensureTrained', {})).step, 1000);
  const probs = await c.request('probs', { prefix: 'emm', temperature: 1 });
  assert.ok(probs[0] > 0.25);
  const nudge = await c.request('nudge', { name: 'emma', index: 347, amount: 0.001 });
  assert.ok(Math.abs(nudge.measured - nudge.predicted) < 1e-4);
  const after0 = await c.request('nameLoss', { name: 'emma' });
  assert.equal(after0, nudge.before, 'the nudged dial was turned back');
});

test('errors come back as replies with messages; unknown requests too', async () => {
  const { c } = await open();
  await assert.rejects(c.request('teleport'), /unknown request type 'teleport'/);
  await assert.rejects(c.request('probs', { prefix: 'Q' }), /not one of the 26 courses/);
  await assert.rejects(c.request('sample', { count: 2, temperature: -1 }), /temperature/);
  await assert.rejects(c.request('start', { steps: 0 }), /steps must be/);
  assert.equal((await c.request('sample', { count: 2, temperature: 0.5 })).length, 2, 'still serving');
});

test('a second page joins the same kitchen through a MessagePort', async () => {
  const { MessageChannel } = await import('node:worker_threads');
  const worker = new Worker(workerUrl);
  const owner = createClient(worker);
  clients.push(owner);
  await owner.request('init', { pace: 'instant', wasm: String(wasmUrl), text: names, seed: 42, steps: 1000 });
  // the owner hands its worker a port, as web/src/embed/connect.js does for a sibling frame
  const ch = new MessageChannel();
  worker.postMessage({ type: '__connect', port: ch.port2 }, [ch.port2]);
  const guest = createClient(ch.port1);
  clients.push(guest);
  const joined = await guest.request('init', { pace: 'instant', wasm: String(wasmUrl), text: names, join: true });
  assert.equal(joined.step, 0);
  const ownerSaw = [];
  owner.on('progress', (m) => ownerSaw.push(m.step));
  const done = until(owner, (m) => m.state === 'done');
  await guest.request('start', { steps: 1000 }); // Train pressed in one widget...
  await done;
  assert.equal(ownerSaw.at(-1), 1000, '...the other sees the same kitchen cook');
  assert.equal((await owner.request('status')).step, 1000);
  assert.deepEqual(await guest.request('sample', { count: 3, temperature: 0.5, seed: 5 }),
    await owner.request('sample', { count: 3, temperature: 0.5, seed: 5 }));
});

test('records: the page gets the training text from the kitchen (no download of its own)', async () => {
  const c = createClient(new Worker(workerUrl));
  clients.push(c);
  await assert.rejects(c.request('records'), /send init first/, 'nothing to give before init');
  const info = await c.request('init', { pace: 'instant', wasm: String(wasmUrl), text: names, seed: 42, steps: 1000 });
  const text = await c.request('records');
  assert.equal(text, names);
  assert.equal(text.split('\n').filter((l) => l.trim()).length, info.numDocs);
});

test('init with trained: one round trip to the reference run; the records come before the cooking', async () => {
  const c = createClient(new Worker(workerUrl));
  clients.push(c);
  const order = [];
  const opening = c.request('init', { pace: 'instant', wasm: String(wasmUrl), text: names, seed: 42, steps: 1000, trained: true })
    .then((info) => { order.push('init'); return info; });
  const records = c.request('records').then((text) => { order.push('records'); return text; });
  const [info, text] = await Promise.all([opening, records]);
  assert.deepEqual(order, ['records', 'init'], 'the menu is not held up by the cooking');
  assert.equal(text, names);
  assert.deepEqual([info.step, info.state, info.seed], [1000, 'done', 42]);
  assert.ok(maxAbsDiff(await c.request('losses'), ref.losses) <= 1e-9);
  // a widget that joins later with trained gets the same Ming, not a new run
  const joined = await c.request('init', { pace: 'instant', wasm: String(wasmUrl), text: names, join: true, trained: true });
  assert.equal(joined.step, 1000);
  assert.equal((await c.request('milestones')).length, 4);
  // another seed and plan asked for: that run is cooked
  const other = await c.request('init', { pace: 'instant', wasm: String(wasmUrl), text: names, seed: 7, steps: 300, trained: true });
  assert.deepEqual([other.seed, other.step, other.numSteps], [7, 300, 300]);
});

test('ensureTrained cooks in chunks: other requests are answered meanwhile, a second caller waits for the same run', async () => {
  const { c, events } = await open();
  const first = c.request('ensureTrained', {});
  const mid = await c.request('status');
  const names3 = await c.request('sample', { count: 3, temperature: 0.5, seed: 1 });
  const second = await c.request('ensureTrained', {});
  const firstInfo = await first;
  assert.equal(mid.state, 'warming', 'answered while the kitchen cooked');
  assert.ok(mid.step < 1000, `status answered at dish ${mid.step}`);
  assert.equal(names3.length, 3);
  assert.deepEqual([firstInfo.step, second.step, second.state], [1000, 1000, 'done']);
  const losses = events.filter((e) => e.type === 'progress').flatMap((e) => [...e.losses]);
  assert.ok(maxAbsDiff(losses, ref.losses) <= 1e-9, 'one run of 1,000 dishes, the reference one');
  // Train pressed while it cooks a replay: the run goes on to its end
  await c.request('reset', { seed: 42, steps: 1000 });
  const ended = until(c, (m) => m.state === 'done');
  const replay = c.request('ensureTrained', { seed: 42, steps: 1000, upTo: 600 });
  await c.request('start', {});
  assert.equal((await replay).step, 1000);
  await ended;
  // without Train, a replay stops at its dish, paused
  await c.request('reset', { seed: 42, steps: 1000 });
  const to600 = await c.request('ensureTrained', { seed: 42, steps: 1000, upTo: 600 });
  assert.deepEqual([to600.step, to600.state], [600, 'paused']);
});

test('a page that joins while the kitchen cooks shows each loss once', async () => {
  const { MessageChannel } = await import('node:worker_threads');
  const { createKitchenApp } = await import(pathToFileURL(path.join(root, 'web/src/state/actions.js')));
  globalThis.Worker ??= Worker; // the app checks the platform has workers; it joins through connect below
  const worker = new Worker(workerUrl);
  const owner = createClient(worker);
  clients.push(owner);
  const progress = [];
  owner.on('progress', (m) => progress.push(m.step));
  // a long run, so there is time to join during it
  let done = false;
  const cooked = owner.request('init', { pace: 'instant', wasm: String(wasmUrl), text: names, seed: 42, steps: 20000, trained: true })
    .finally(() => { done = true; });
  // pages join at several moments of the cooking, as widgets of a post do
  const joined = [];
  for (let k = 1; k <= 4; k++) {
    while (progress.length < 2 * k && !done) await new Promise((r) => setTimeout(r, 1));
    const ch = new MessageChannel();
    worker.postMessage({ type: '__connect', port: ch.port2 }, [ch.port2]);
    const guest = createClient(ch.port1);
    clients.push(guest);
    const app = createKitchenApp({ wasm: wasmUrl, data: 'unused: the kitchen is open' },
      { connect: async () => guest, join: true, start: 'fresh', raf: (fn) => setTimeout(fn, 0) });
    joined.push(app.actions.open().then(() => app));
  }
  assert.equal((await cooked).step, 20000);
  const apps = await Promise.all(joined);
  // the last progress event (step 20,000) applied in every page
  for (const { store } of apps) await settled(() => store.step.value === 20000, 'a page reached dish 20,000');
  const losses = await owner.request('losses');
  assert.ok(progress.length >= 8, `${progress.length} progress events`);
  for (const { store } of apps) {
    assert.equal(store.phase.value, 'ready');
    assert.equal(store.step.value, 20000);
    assert.equal(store.series.length, 20000, 'one point per dish');
    assert.deepEqual(store.series.raw, losses);
  }
});
