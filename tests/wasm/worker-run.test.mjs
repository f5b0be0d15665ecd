// The kitchen protocol (web/src/kitchen/PROTOCOL.md) in a worker thread,
// through client.js: the order of replies and events during a run, pause and
// resume, stop and reset, error replies, and the client's failure handling.
// Tests at the end describe bugs found while writing them, fixed since.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root, reference, dataFile, wasmUrl, engineUrl } from '../helpers/paths.mjs';
import { measured } from '../helpers/kitchen.mjs';

const { createClient, KitchenError } = await import(pathToFileURL(path.join(root, 'web/src/client.js')));
const { loadEngine } = await import(engineUrl);
const workerUrl = pathToFileURL(path.join(root, 'web/src/kitchen/worker.js'));
const names = readFileSync(dataFile, 'utf8');
const ref = JSON.parse(readFileSync(path.join(reference, 'microgpt_seed42.json'), 'utf8'));
const wasm = String(wasmUrl);

const clients = [];
after(() => { for (const c of clients) c.terminate(); });

/** A client on a new worker, with a log of every event and (via ask) every reply, in arrival order. */
function open() {
  const worker = new Worker(workerUrl);
  const c = createClient(worker);
  clients.push(c);
  const log = [];
  for (const type of ['progress', 'state', 'milestone', 'error'])
    c.on(type, (m) => log.push({ kind: type, at: performance.now(), ...m }));
  const ask = (type, fields) => c.request(type, fields).then(
    (result) => { log.push({ kind: 'reply', type, at: performance.now(), result }); return result; });
  return { c, log, ask, worker };
}
// polls the log of events (not a clock); the timeout is only a safety net
const waitFor = (log, pred, ms = 30000) => new Promise((resolve, reject) => {
  const t0 = Date.now();
  const poll = () => {
    const hit = log.find(pred);
    if (hit) resolve(hit);
    else if (Date.now() - t0 > ms) reject(new Error('timed out waiting for an event'));
    else setTimeout(poll, 2);
  };
  poll();
});
const maxAbsDiff = (a, b) => {
  assert.equal(a.length, b.length);
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
};

test('pause and resume: the run still equals the reference, a sample is answered mid-run', async () => {
  const { c, log, ask } = open();
  await c.request('init', { pace: 'instant', wasm, text: names, seed: 42, steps: 1000 });
  await measured(c); // its state event is not part of the story checked below
  log.length = 0;
  const t0 = performance.now();
  // pause right behind start: it is handled between two chunks of steps
  const [started, paused] = await Promise.all([ask('start', { steps: 1000 }), ask('pause')]);
  assert.equal(started.state, 'training');
  assert.equal(paused.state, 'paused');
  assert.ok(paused.step > 0 && paused.step < 1000, `paused at ${paused.step}`);
  // the loop has ended (it reports the pause after its chunk): no step after it
  assert.equal((await waitFor(log, (e) => e.kind === 'state' && e.state === 'paused')).step, paused.step);
  const still = await c.request('status');
  assert.deepEqual([still.state, still.step], ['paused', paused.step], 'no step while paused');
  assert.ok(log.filter((e) => e.kind === 'progress').every((e) => e.step <= paused.step));

  // resume, and ask for names at once: answered between two chunks, before the run is done
  const resumed = ask('resume');
  const sample = ask('sample', { count: 20, temperature: 0.5 });
  const statusAfterSample = c.request('status');
  assert.equal((await resumed).state, 'training');
  assert.equal((await sample).length, 20);
  assert.equal((await statusAfterSample).state, 'training');
  const done = await waitFor(log, (e) => e.kind === 'state' && e.state === 'done');
  const wall = done.at - t0;
  assert.equal(done.step, 1000);
  const iSample = log.findIndex((e) => e.kind === 'reply' && e.type === 'sample');
  assert.ok(iSample < log.indexOf(done), 'the sample reply came before the done state event');
  assert.ok(log.slice(0, log.indexOf(done)).some((e) => e.kind === 'progress' && e.step < 1000 && e.state === 'training'),
    'progress came while training');

  // the state events tell the story once each
  assert.deepEqual(log.filter((e) => e.kind === 'state').map((e) => e.state), ['training', 'paused', 'training', 'done']);
  // progress: every loss once, in order, each event's step = the losses so far
  const progress = log.filter((e) => e.kind === 'progress');
  let count = 0;
  for (const e of progress) {
    count += e.losses.length;
    assert.equal(e.step, count);
    assert.equal(e.numSteps, 1000);
  }
  const losses = progress.flatMap((e) => [...e.losses]);
  assert.ok(maxAbsDiff(losses, ref.losses) <= 1e-9);
  // at most one progress event per 25 ms of wall time (plus the flushes at pause and end)
  assert.ok(progress.length >= 2, `${progress.length} progress events`);
  assert.ok(progress.length <= wall / 25 + 4, `${progress.length} progress events in ${wall.toFixed(0)} ms`);
  // milestones at dishes 1, 100, 500, 1000, each with the loss of its step
  const milestones = log.filter((e) => e.kind === 'milestone');
  assert.deepEqual(milestones.map((m) => m.step), [1, 100, 500, 1000]);
  for (const m of milestones) assert.ok(Math.abs(m.loss - ref.losses[m.step - 1]) <= 1e-9);
  assert.ok(maxAbsDiff(await c.request('losses'), ref.losses) <= 1e-9);
});

test('stop ends the run with a stopped event; reset returns to step 0 and a clean run', async () => {
  const { c, log, ask } = open();
  await c.request('init', { pace: 'instant', wasm, text: names, seed: 42, steps: 1000 });
  await ask('start', { steps: 1000 });
  const stopped = await ask('stop');
  assert.equal(stopped.state, 'stopped');
  assert.ok(stopped.step < 1000);
  const ended = await waitFor(log, (e) => e.kind === 'state' && e.state === 'stopped');
  assert.equal(ended.step, stopped.step, 'the loop ended where the stop said');
  const lossAtStop = await c.request('nameLoss', { name: 'emma' });
  const st = await c.request('status');
  assert.deepEqual([st.state, st.step], ['stopped', stopped.step]);
  assert.equal(await c.request('nameLoss', { name: 'emma' }), lossAtStop, 'the dials are kept');
  const kept = await c.request('losses');
  assert.equal(kept.length, stopped.step);
  assert.ok(maxAbsDiff(kept, ref.losses.slice(0, stopped.step)) <= 1e-9);

  log.length = 0;
  const info = await ask('reset', {});
  assert.deepEqual([info.step, info.state, info.seed, info.numParams], [0, 'idle', 42, 4192]);
  await waitFor(log, (e) => e.kind === 'state' && e.state === 'idle');
  assert.equal((await c.request('losses')).length, 0);
  assert.deepEqual(await c.request('milestones'), []);
  // and the fresh run is the reference run again
  await c.request('start', { steps: 1000 });
  await waitFor(log, (e) => e.kind === 'state' && e.state === 'done');
  assert.ok(maxAbsDiff(await c.request('losses'), ref.losses) <= 1e-9);
  assert.deepEqual(await c.request('sample', { count: 20, temperature: 0.5 }), ref.samples);
});

test('error replies carry message, code and status; the kitchen keeps serving', async () => {
  const { c, log, worker } = open();
  // status: the mg_status name of an engine error; or the kitchen's own code (status null)
  const rejects = (p, status, pattern) => assert.rejects(p, (e) => {
    assert.ok(e instanceof KitchenError, String(e));
    if (status.startsWith('kitchen/')) assert.deepEqual([e.code, e.status], [status, null], e.message);
    else assert.equal(e.status, status, e.message);
    assert.match(e.message, pattern);
    return true;
  });
  await rejects(c.request('start', { steps: 10 }), 'kitchen/not-open', /send init first/);
  await rejects(c.request('init', { pace: 'instant', wasm, text: '' }), 'DATA', /empty/);
  await rejects(c.request('init', { pace: 'instant', wasm, text: names, config: { nEmbd: 16, nHead: 3 } }), 'CONFIG', /divisible/);
  await c.request('init', { pace: 'instant', wasm, text: names, seed: 42 });
  await rejects(c.request('teleport'), 'kitchen/unknown-request', /unknown request type 'teleport'/);
  await rejects(c.request('toString'), 'kitchen/unknown-request', /unknown request type/);
  await rejects(c.request('probs', { prefix: 'Q' }), 'ARG', /'Q'/);
  await rejects(c.request('nameLoss', { name: '' }), 'ARG', /empty/);
  await rejects(c.request('load', { bytes: new Uint8Array(10) }), 'CHECKPOINT', /too short/);
  await rejects(c.request('nudge', { name: 'emma', index: -1, amount: 0.01 }), 'kitchen/bad-request', /dial/);
  await rejects(c.request('sample', { count: 2, temperature: 'hot' }), 'ARG', /temperature/);
  // messages that are not requests, with no id to answer, are ignored: no reply, no error event, still serving
  for (const junk of [42, null, 'status', { type: 7 }]) worker.postMessage(junk);
  assert.equal((await c.request('status')).state, 'idle');
  assert.ok(!log.some((x) => x.kind === 'error'));
  // concurrent requests each get their own reply
  const e2 = await loadEngine(wasmUrl);
  const local = e2.createSession({ text: names, seed: 42 });
  const prefixes = ['', 'a', 'em', 'zz', 'kat', 'jo', 'x', 'mar'];
  const replies = await Promise.all(prefixes.map((prefix) => c.request('probs', { prefix, temperature: 0.8 })));
  prefixes.forEach((p, i) => assert.deepEqual(replies[i], local.nextProbs(p, 0.8), `probs for '${p}'`));
  assert.equal((await c.request('status')).state, 'idle');
});

test('client: terminate fails pending requests; a crashed worker is reported', async () => {
  const c = createClient(new Worker(workerUrl));
  const pending = c.request('init', { pace: 'instant', wasm, text: names });
  c.terminate();
  await assert.rejects(pending, /terminated/);
  await assert.rejects(c.request('status'), /terminated/);
  assert.equal(c.dead.crashed, false);

  const broken = createClient(new Worker(new URL('data:text/javascript,throw new Error("the stove is on fire")')));
  const crash = new Promise((resolve) => broken.on('crash', resolve));
  const asked = broken.request('status');
  const err = await crash;
  assert.match(err.message, /the stove is on fire/);
  assert.equal(err.crashed, true);
  await assert.rejects(asked, /the stove is on fire/);
  await assert.rejects(broken.request('status'), /stopped/);
});

// ---- bugs found while writing these tests, fixed since ----

test('pause and stop before init answer with a clear not-open error', async () => {
  const { c } = open();
  for (const type of ['pause', 'stop'])
    await assert.rejects(c.request(type), (e) => e.code === 'kitchen/not-open' && /init/.test(e.message));
});

test('reset after a run that ended in its first chunk sends a state event', async () => {
  const { c, log } = open();
  await c.request('init', { pace: 'instant', wasm, text: names, seed: 42 });
  assert.equal((await c.request('start', { steps: 1 })).state, 'done');
  await waitFor(log, (e) => e.kind === 'state' && e.state === 'done');
  log.length = 0;
  await c.request('reset', {});
  await waitFor(log, (e) => e.kind === 'state' && e.state === 'idle');
});

test('reset with invalid steps changes nothing', async () => {
  const { c } = open();
  await c.request('init', { pace: 'instant', wasm, text: names, seed: 42 });
  await c.request('ensureTrained', {});
  await assert.rejects(c.request('reset', { steps: 0 }), /steps must be/);
  const st = await c.request('status');
  assert.deepEqual([st.state, st.step], ['done', 1000]);
});

test('pause and resume back to back run one training loop', async () => {
  const { c, log } = open();
  await c.request('init', { pace: 'instant', wasm, text: names, seed: 42 });
  await measured(c);
  await Promise.all([c.request('start', { steps: 1000 }), c.request('pause'), c.request('resume')]);
  await waitFor(log, (e) => e.kind === 'state' && e.state === 'done');
  await c.request('status'); // a round trip: a second loop would have reported its end by now
  assert.deepEqual(log.filter((e) => e.kind === 'state').map((e) => e.state).filter((st) => st === 'done'), ['done']);
});

test('resume after stop keeps the run ended', async () => {
  const { c } = open();
  await c.request('init', { pace: 'instant', wasm, text: names, seed: 42 });
  await c.request('start', { steps: 1000 });
  const stopped = await c.request('stop');
  await assert.rejects(c.request('resume'), /stopped at step \d+; reset to train again/);
  const st = await c.request('status');
  assert.deepEqual([st.state, st.step], ['stopped', stopped.step]);
});
