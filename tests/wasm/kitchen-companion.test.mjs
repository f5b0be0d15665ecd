// Run B, the companion run (web/src/kitchen/companion.js), in a real worker
// thread: trained in run A's loop beside it, its losses equal a solo run of
// the same records, seed and sizes (and the reference runs), run A's losses
// are unchanged by it, its events carry `run: 'B'`, and the kitchen's memory
// bound refuses a run B too big with a clear message.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { root, wasmUrl } from '../helpers/paths.mjs';
import { engine, names } from '../helpers/engine.mjs';
import { kitchenWithEvents } from '../helpers/kitchen.mjs';
import { loadRun, firstOff } from '../helpers/ref.mjs';

const wasm = String(wasmUrl);
const clients = [];
after(() => { for (const c of clients) c.terminate(); });
const { SESSIONS_HELD } = await import(pathToFileURL(path.join(root, 'web/src/kitchen/kitchen.js')));

async function open(fields = {}) {
  const k = kitchenWithEvents(['state', 'progress', 'companionState', 'companionProgress', 'error', 'watchDial', 'milestone'], clients);
  await k.c.request('init', { wasm, text: names, seed: 42, steps: 1000, pace: 'instant', ...fields });
  return k;
}
const statusOf = (k, type, pred) => k.next((m) => m.type === type && pred(m), { seen: true });
/** The losses of a solo session of the engine (no kitchen) for the same records, seed and sizes. */
function solo({ seed, steps, config = {} }) {
  const s = engine.createSession({ text: names, seed, ...config });
  try { return s.train(steps, steps); } finally { s.destroy(); }
}

test('run B beside run A: A\'s losses are the reference run\'s, B\'s a solo run\'s of its own seed and sizes (the 2-layer reference)', async () => {
  const k = await open();
  const ref = loadRun('microgpt_seed42'), deep = loadRun('microgpt_deep_seed5');
  const b = await k.c.request('companion', { seed: 5, steps: 40, config: { nEmbd: 32, nHead: 8, nLayer: 2 } });
  assert.equal(b.run, 'B');
  assert.equal(b.state, 'idle');
  assert.equal(b.numParams, deep.num_params);
  assert.deepEqual(b.config, { nEmbd: 32, nHead: 8, nLayer: 2, blockSize: 16 }); // the size it does not name is run A's
  assert.equal(b.sameRecords, true);
  // both set cooking: they share the loop's chunks until B's 40 dishes are done
  await k.c.request('start');
  await k.c.request('companionStart');
  await statusOf(k, 'companionState', (m) => m.state === 'done');
  await statusOf(k, 'state', (m) => m.state === 'done');
  const a = await k.c.request('losses');
  const bl = await k.c.request('companionLosses');
  assert.equal(firstOff(a, ref.losses, 1e-9), null);
  assert.equal(firstOff(bl, deep.losses, 1e-9), null);
  assert.deepEqual([...bl], [...solo({ seed: 5, steps: 40, config: { nEmbd: 32, nHead: 8, nLayer: 2, blockSize: 16 } })]);
  // the progress events carried exactly these losses, each run's in its own events
  const sent = (type) => k.log.filter((m) => m.type === type).flatMap((m) => [...m.losses]);
  assert.deepEqual(sent('progress'), [...a]);
  assert.deepEqual(sent('companionProgress'), [...bl]);
  assert.ok(k.log.filter((m) => m.type === 'companionProgress').every((m) => m.run === 'B' && m.numSteps === 40));
  const st = await k.c.request('companionStatus');
  assert.equal(st.step, 40);
  assert.ok(st.computeMs > 0 && st.computeMs <= st.elapsedMs + 1, `compute ${st.computeMs} ms of ${st.elapsedMs} ms`);
  // run A is untouched: its status is its own, its compute time its dishes'
  const sa = await k.c.request('status');
  assert.equal(sa.step, 1000);
  assert.ok(sa.computeMs > 0 && sa.computeMs <= sa.elapsedMs + 1, `compute ${sa.computeMs} ms of ${sa.elapsedMs} ms`);
});

test('run B with run A\'s records and seed 42 is the reference run; its names are a solo run\'s of that dish; A idle meanwhile', async () => {
  const k = await open({ pace: 'fast' });
  const ref = loadRun('microgpt_seed42');
  await k.c.request('companion', {});
  await k.c.request('companionStart');
  const done = await statusOf(k, 'companionState', (m) => m.state === 'done');
  assert.equal(done.step, 1000);
  assert.equal(firstOff(await k.c.request('companionLosses'), ref.losses, 1e-9), null);
  // run A did not move, and said nothing of it
  const a = await k.c.request('status');
  assert.equal(a.step, 0);
  assert.equal(a.state, 'idle');
  assert.ok(!k.log.some((m) => m.type === 'progress'), 'a progress event of run A');
  // run B's names: the streams of its dish, as a solo run of the same seed draws them
  const { step, names: got } = await k.c.request('names', { run: 'B', count: 20 });
  assert.equal(step, 1000);
  const s = engine.createSession({ text: names, seed: 42 });
  s.train(1000, 1000);
  const want = Array.from({ length: 20 }, (_, i) => s.sample(1, 0.5, { seed: 1000 * 200 + i })[0]);
  s.destroy();
  assert.deepEqual(got, want);
  assert.equal((await k.c.request('sample', { run: 'B', count: 3, seed: 7 })).length, 3);
  // run A's names are of its own dish 0 (untrained): not run B's
  assert.notDeepEqual((await k.c.request('names', { count: 20 })).names, got);
});

test('pause, start again, drop; a new run A (reset) keeps run B; init drops it', async () => {
  const k = await open({ pace: 'watch' });
  await k.c.request('companion', { seed: 3, steps: 5000 });
  await k.c.request('companionStart');
  await statusOf(k, 'companionProgress', (m) => m.step >= 5);
  const paused = await k.c.request('companionPause');
  const told = await statusOf(k, 'companionState', (m) => m.state === 'paused');
  const at = (await k.c.request('companionStatus')).step;
  assert.ok(at >= told.step && at >= paused.step);
  assert.equal((await k.c.request('companionStatus')).step, at, 'run B moved while paused');
  // a new run A while B cooks: B goes on in the new run's loop
  await k.c.request('companionStart');
  await k.c.request('reset', { seed: 9 });
  await statusOf(k, 'companionProgress', (m) => m.step >= at + 5);
  await k.c.request('companionPause');
  await statusOf(k, 'companionState', (m) => m.state === 'paused' && m.step >= at + 5);
  const losses = await k.c.request('companionLosses');
  assert.deepEqual([...losses], [...solo({ seed: 3, steps: 5000 })].slice(0, losses.length));
  const dropped = await k.c.request('companionDrop');
  assert.equal(dropped.open, false);
  await assert.rejects(k.c.request('companionStart'), (e) => e.code === 'kitchen/not-open' && /send 'companion' first/.test(e.message));
  await assert.rejects(k.c.request('names', { run: 'B' }), (e) => e.code === 'kitchen/not-open');
  await assert.rejects(k.c.request('sample', { run: 'C' }), (e) => e.code === 'kitchen/bad-request' && /'A'.*'B'/.test(e.message));
  // init: a new kitchen, without run B
  await k.c.request('companion', {});
  await k.c.request('init', { wasm, text: names, seed: 42, pace: 'instant' });
  assert.equal((await k.c.request('companionStatus')).open, false);
});

test('run B counts against the kitchen\'s memory bound: too big is refused with the figure, the kitchen goes on', async () => {
  const k = await open();
  const limitMiB = Math.round(engine.limits.sessionBytes / SESSIONS_HELD / 2 ** 20);
  await assert.rejects(k.c.request('companion', { config: { nEmbd: 480, nHead: 1, nLayer: 1, blockSize: 1 } }),
    (e) => e.status === 'CONFIG' && e.message.startsWith('run B: ') && e.message.includes(`the limit is ${limitMiB} MiB`));
  await assert.rejects(k.c.request('companion', { config: { nEmbd: 32, nHead: 5 } }), (e) => e.status === 'CONFIG' && /^run B: /.test(e.message));
  await assert.rejects(k.c.request('companion', { seed: -1 }), (e) => e.code === 'kitchen/bad-request');
  await assert.rejects(k.c.request('companion', { config: { width: 3 } }), (e) => e.code === 'kitchen/bad-request');
  assert.equal((await k.c.request('companionStatus')).open, false);
  // run B of other records: its own vocabulary
  const b = await k.c.request('companion', { text: ' ab\nba \n\n\tabc\n', steps: 10 });
  assert.equal(b.sameRecords, false);
  assert.deepEqual(b.vocab, ['a', 'b', 'c', null]);
  // its menu: its records as the engine took them (stripped, the blank line dropped), not run A's
  assert.deepEqual(await k.c.request('menu', { run: 'B' }), ['ab', 'ba', 'abc']);
  assert.equal((await k.c.request('menu')).length, names.trim().split('\n').length, 'run A\'s menu is its own records (one clean name a line)');
  await k.c.request('companionStart');
  await statusOf(k, 'companionState', (m) => m.state === 'done');
  // run A still trains
  await k.c.request('step');
  assert.equal((await k.c.request('status')).step, 1);
});

test('the reads that name run B answer from run B\'s session (another size): as a solo session of its seed and size at its dish', async () => {
  const k = await open({ pace: 'instant' });
  const config = { nEmbd: 32, nHead: 8, nLayer: 2, blockSize: 16 };
  await k.c.request('companion', { seed: 7, steps: 120, config });
  await k.c.request('companionStart');
  await statusOf(k, 'companionState', (m) => m.state === 'done');
  const s = engine.createSession({ text: names, seed: 7, ...config });
  const twin = engine.createSession({ text: names, seed: 7, ...config });
  try {
    s.train(120, 120);
    const info = await k.c.request('info', { run: 'B' });
    assert.equal(info.run, 'B');
    assert.equal(info.numParams, s.numParams);
    assert.deepEqual(info.config, config);
    assert.deepEqual(info.vocab, s.vocabulary);
    assert.deepEqual(info.tensors, s.tensorTable);
    assert.equal(info.step, 120);
    const a = await k.c.request('info');
    assert.equal(a.step, 0, 'run A did not move');
    assert.notEqual(a.numParams, info.numParams);
    const snap = await k.c.request('snapshot', { run: 'B' });
    assert.equal(snap.step, 120);
    assert.deepEqual([...snap.params], [...s.params()]);
    assert.deepEqual(await k.c.request('inspect', { run: 'B', text: 'emma' }), s.inspect('emma'));
    // Ming before training: run B's untrained twin, and run A's again after it
    assert.deepEqual(await k.c.request('nameLoss', { run: 'B', name: 'emma', fresh: true }), twin.nameLoss('emma'));
    const fresh = await k.c.request('nameLoss', { name: 'emma', fresh: true });
    assert.deepEqual(fresh, await k.c.request('nameLoss', { name: 'emma' }), 'run A is at dish 0: its twin is itself');
    assert.deepEqual(await k.c.request('grad', { run: 'B', name: 'ann' }), s.grad('ann'));
    // its milestones: dishes 1, 100 and 120 (its last), names from the streams of the dish
    const ms = await k.c.request('milestones', { run: 'B' });
    assert.deepEqual(ms.map((m) => m.step), [1, 100, 120]);
    assert.deepEqual(ms[2].names, s.sample(5, 0.5, { seed: 120 * 200 }));
    assert.ok(k.log.every((m) => m.type !== 'milestone' || m.run === 'B'));
    // its watched dial: picked at its first dish (a watchDial event naming run B), recorded at every dish
    const watched = k.log.find((m) => m.type === 'watchDial' && m.run === 'B');
    assert.equal(watched?.from, 1);
    const h = await k.c.request('dialHistory', { run: 'B' });
    assert.equal(h.index, watched.index);
    assert.equal((await k.c.request('status', { run: 'B' })).watchDial, watched.index);
    assert.deepEqual([...h.step], Array.from({ length: 120 }, (_, i) => i + 1));
    assert.deepEqual(await k.c.request('watchDial', { run: 'B', index: 5 }), { index: 5, from: 121 });
    assert.equal((await k.c.request('status', { run: 'B' })).watchDial, 5);
    assert.equal((await k.c.request('status')).watchDial, -1, 'run A\'s watched dial is its own');
    assert.equal((await k.c.request('records', { run: 'B' })), names);
    // a request only run A has is refused naming run B's; run B dropped: its reads say so
    await assert.rejects(k.c.request('reset', { run: 'B' }), (e) => e.code === 'kitchen/bad-request' && /run A's/.test(e.message));
    await k.c.request('companionDrop');
    await assert.rejects(k.c.request('snapshot', { run: 'B' }), (e) => e.code === 'kitchen/not-open' && /no run B/.test(e.message));
  } finally { s.destroy(); twin.destroy(); }
});
