// Requests the kitchen refuses, and bounds it keeps (web/src/kitchen/*):
// a request with an id but no type is answered with an error; config names
// only the model sizes; a sample has a bound on its names, and a long one is
// drawn in chunks so other requests are answered meanwhile.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { root, wasmUrl } from '../helpers/paths.mjs';
import { names, engine } from '../helpers/engine.mjs';

const { createClient } = await import(pathToFileURL(path.join(root, 'web/src/client.js')));
const { MAX_SAMPLE_COUNT } = await import(pathToFileURL(path.join(root, 'web/src/kitchen/queries.js')));
const workerUrl = pathToFileURL(path.join(root, 'web/src/kitchen/worker.js'));
const wasm = String(wasmUrl);
const numDocs = names.split('\n').filter((l) => l.trim()).length;
const workers = [];
after(() => { for (const w of workers) w.terminate(); });

function open() {
  const worker = new Worker(workerUrl);
  workers.push(worker);
  return { worker, c: createClient(worker) };
}
const refused = (code, pattern) => (e) => {
  assert.equal(e.code, code, e.message);
  assert.match(e.message, pattern);
  return true;
};

test('a request with an id but no string type gets an error reply', async () => {
  const { worker, c } = open();
  await c.request('init', { wasm, text: names, seed: 42 });
  const replies = [];
  worker.on('message', (m) => { if (typeof m?.id === 'string') replies.push(m); });
  worker.postMessage({ id: 'typeless', steps: 5 });
  worker.postMessage({ id: 'numbered', type: 7 });
  // answered in order: by the time status is, the two before it were
  await c.request('status');
  assert.deepEqual(replies.map((m) => m.id), ['typeless', 'numbered']);
  for (const m of replies) {
    assert.equal(m.error.code, 'kitchen/bad-request');
    assert.match(m.error.message, /a request needs a type/);
  }
  assert.match(replies[1].error.message, /got 7/);
});

test('config cannot override the text or the seed; its sizes must be whole numbers', async () => {
  const { c } = open();
  await assert.rejects(c.request('init', { wasm, text: names, seed: 42, config: { text: 'zz\nyy\n', seed: 7 } }),
    refused('kitchen/bad-request', /config takes only nEmbd, nHead, nLayer, blockSize \(got text, seed\)/));
  await assert.rejects(c.request('init', { wasm, text: names, config: { nEmbd: '16' } }),
    refused('kitchen/bad-request', /config.nEmbd must be a whole number \(got '16'\)/));
  const info = await c.request('init', { wasm, text: names, seed: 42, config: { nEmbd: 16 } });
  assert.deepEqual([info.seed, info.numDocs], [42, numDocs]);
  await assert.rejects(c.request('reset', { config: { seed: 7, text: 'ab\n' } }), refused('kitchen/bad-request', /config takes only/));
  const st = await c.request('info');
  assert.deepEqual([st.seed, st.numDocs], [42, numDocs], 'nothing changed');
  // the sizes themselves still work, and their bounds are the engine's
  const bigger = await c.request('reset', { config: { nEmbd: 32 } });
  assert.deepEqual([bigger.config.nEmbd, bigger.seed, bigger.numDocs], [32, 42, numDocs]);
});

test(`sample: at most ${MAX_SAMPLE_COUNT} names, the bound in the message`, async () => {
  const { c } = open();
  await c.request('init', { wasm, text: names, seed: 42 });
  assert.equal(MAX_SAMPLE_COUNT, 200);
  assert.equal((await c.request('sample', { count: MAX_SAMPLE_COUNT, temperature: 0.5 })).length, MAX_SAMPLE_COUNT);
  for (const count of [MAX_SAMPLE_COUNT + 1, 100000, -1, 2.5, '3'])
    await assert.rejects(c.request('sample', { count, temperature: 0.5 }), refused('kitchen/bad-request', /count \(names to draw\) must be a whole number from 0 to 200/));
  await assert.rejects(c.request('ensureTrained', { steps: 1e9 }), refused('kitchen/bad-request', /steps must be a whole number from 1 to 100000000/));
  await assert.rejects(c.request('ensureTrained', { steps: 100, upTo: 101 }), refused('kitchen/bad-request', /upTo must be a whole number from 0 to 100/));
});

test('a long sample is drawn in chunks: a status asked after it is answered first; the names are those of one call', async () => {
  const { c } = open();
  // about 14 ms a name here (a quiet machine): a sample of 40 would hold the kitchen for half a second
  const config = { nEmbd: 64, nHead: 4, nLayer: 4, blockSize: 64 };
  await c.request('init', { wasm, text: names, seed: 42, config });
  const order = [];
  const drawn = c.request('sample', { count: 40, temperature: 1, seed: 9 }).then((n) => { order.push('sample'); return n; });
  const st = c.request('status').then((s) => { order.push('status'); return s; });
  const [got] = await Promise.all([drawn, st]);
  assert.deepEqual(order, ['status', 'sample']);
  const local = engine.createSession({ text: names, seed: 42, ...config });
  assert.deepEqual(got, local.sample(40, 1, { seed: 9 }), 'chunks draw the same names as one call');
  // the run's own stream goes on across chunks as it would in one call
  const run = await c.request('sample', { count: 30, temperature: 1 });
  assert.deepEqual(run, local.sample(30, 1));
  local.destroy();
});

test('status is answered before init and while the engine downloads (a heartbeat)', async () => {
  const { c } = open();
  const st = await c.request('status');
  assert.deepEqual([st.state, st.step, st.open], ['idle', 0, false]);
  const opening = c.request('init', { wasm, text: names, seed: 42 });
  const during = await c.request('status');
  assert.equal(during.state, 'idle');
  await opening;
  assert.equal((await c.request('status')).open, true);
});

// The review's cases: sizes the core accepts but the kitchen must not hold
// (four sessions of up to 256 MiB each; seconds per name), and fields that
// slipped through.
test('the kitchen refuses sizes that would hold too much memory or take seconds per name; its memory stays bounded', async () => {
  const { c } = open();
  await c.request('init', { wasm, text: names, seed: 42, pace: 'instant' });
  const { MAX_WORK } = await import(pathToFileURL(path.join(root, 'web/src/kitchen/kitchen.js')));
  // 0.4 million dials x 256 courses: within the memory bound, but half a second for one name
  await assert.rejects(c.request('reset', { config: { nEmbd: 64, nHead: 1, nLayer: 8, blockSize: 256 } }),
    (e) => e.status === 'CONFIG' && /multiply-adds per name/.test(e.message) && e.message.includes(MAX_WORK.toLocaleString('en-US')));
  // a quarter of the core's bound for each session the kitchen keeps (the run, its view, the twin, run B)
  await assert.rejects(c.request('reset', { config: { nEmbd: 480, nHead: 1, nLayer: 1, blockSize: 1 } }),
    (e) => e.status === 'CONFIG' && /the limit is 64 MiB/.test(e.message));
  // the largest kind the kitchen takes, with a view and a twin: wasm memory stays within the core's one bound
  const big = { nEmbd: 64, nHead: 4, nLayer: 4, blockSize: 64 };
  const info = await c.request('reset', { config: big });
  assert.ok(info.numParams * big.blockSize <= MAX_WORK, `${info.numParams} dials`);
  await c.request('step');
  await c.request('step');
  await c.request('viewAt', { step: 1 });
  await c.request('inspect', { text: 'emma', fresh: true });
  await c.request('viewAt', { step: null });
  await c.request('reset', { config: { nEmbd: 16, nHead: 4, nLayer: 1, blockSize: 16 } });
  const { wasmBytes } = await c.request('memory');
  assert.ok(wasmBytes <= 256 * 2 ** 20, `wasm memory ${wasmBytes} bytes`);
  // still cooking at the reference size
  await c.request('step');
  assert.equal((await c.request('status')).step, 1);
});

test('fields the review found unchecked: a negative sample seed, a pace in an array, ensureTrained after training, the seed bound', async () => {
  const { c } = open();
  await c.request('init', { wasm, text: names, seed: 42, pace: 'instant' });
  const bad = refused('kitchen/bad-request', /./);
  await assert.rejects(c.request('sample', { count: 5, seed: -1 }), bad);
  await assert.rejects(c.request('setPace', { pace: ['fast'] }), bad);
  await assert.rejects(c.request('init', { wasm, text: names, pace: ['watch'] }), bad);
  await c.request('step');
  for (const fields of [{ steps: 0 }, { seed: NaN }, { upTo: -1 }])
    await assert.rejects(c.request('ensureTrained', fields), bad, JSON.stringify(fields));
  // the engine's seeds run to 2^53, and so do the kitchen's
  await c.request('reset', { seed: 2 ** 53 });
  assert.equal((await c.request('status')).seed, 2 ** 53);
  await assert.rejects(c.request('reset', { seed: 2 ** 53 + 2 }), bad);
  // a size out of range says its range
  await assert.rejects(c.request('reset', { config: { nEmbd: 2 ** 31 } }), (e) => /nEmbd must be a whole number from 1 to 512/.test(e.message));
});
