// The timeline (web/src/kitchen/timeline.js) in a real worker thread:
// viewAt N shows Ming bit for bit as a fresh run stopped at dish N shows him,
// while the run goes on; the snapshots stay in their budget over a
// 20,000-dish run; the watched dial's history has one point per dish, equal
// to a twin trained one dish at a time.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { root, wasmUrl } from '../helpers/paths.mjs';
import { names, engine } from '../helpers/engine.mjs';
import { kitchenWithEvents } from '../helpers/kitchen.mjs';

const { SNAPSHOT_BUDGET_BYTES, namesSeed } = await import(pathToFileURL(path.join(root, 'web/src/kitchen/timeline.js')));
const wasm = String(wasmUrl);
const clients = [];
after(() => { for (const c of clients) c.terminate(); });

async function open(fields = {}) {
  const k = kitchenWithEvents(['state', 'progress', 'view', 'watchDial'], clients);
  await k.c.request('init', { wasm, text: names, seed: 42, ...fields });
  return k;
}
const sameBits = (a, b, what) => {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.fail(`${what}[${i}]: ${a[i]} != ${b[i]}`);
};
/** What a fresh session trained n dishes of a run of `steps` shows. */
function freshAt(n, steps, s = engine.createSession({ text: names, seed: 42 })) {
  if (n > s.info().step) s.train(n - s.info().step, steps);
  const a = s.adamState();
  return { s, params: s.params().slice(), m: a.m.slice(), v: a.v.slice(), update: a.update.slice(), grads: a.grads.slice() };
}

test('viewAt N: every read answers for dish N, bit for bit a fresh run stopped at N, while the run goes on', async () => {
  const { c, next, log } = await open({ steps: 20000, pace: 'fast' });
  const far = next((m) => m.type === 'progress' && m.step >= 700);
  await c.request('start', {});
  await far;
  for (const N of [0, 1, 99, 100, 101, 250, 537]) {
    const viewEvent = next((m) => m.type === 'view');
    const before = (await c.request('status')).step;
    const r = await c.request('viewAt', { step: N });
    assert.equal(r.view, N);
    assert.equal((await viewEvent).step, N, 'every page is told the dish shown');
    const ref = freshAt(N, 20000);
    const snap = await c.request('snapshot');
    assert.equal(snap.step, N);
    for (const key of ['params', 'm', 'v', 'update', 'grads']) sameBits(snap[key], ref[key], `dish ${N} ${key}`);
    assert.ok(Object.is(await c.request('nameLoss', { name: 'emma' }), ref.s.nameLoss('emma')), 'nameLoss');
    const ins = await c.request('inspect', { text: 'emma' });
    sameBits(ins.probs, ref.s.inspect('emma').probs, `dish ${N} inspect probs`);
    sameBits((await c.request('grad', { name: 'emma' })).grads, ref.s.grad('emma').grads, `dish ${N} grad`);
    sameBits(await c.request('probs', { prefix: 'em', temperature: 0.7 }), ref.s.nextProbs('em', 0.7), 'probs');
    const { step, names: shown } = await c.request('names', { count: 20, temperature: 0.5 });
    assert.equal(step, N);
    assert.deepEqual(shown, ref.s.sample(20, 0.5, { seed: namesSeed(N) }), 'the names of dish N');
    assert.ok((await c.request('milestones')).every((m) => m.step <= N), 'milestones up to the dish shown');
    assert.equal((await c.request('stepStats')).length, ref.s.stepStats().length);
    ref.s.destroy();
    const after = await c.request('status');
    assert.equal(after.view, N);
    assert.ok(after.step > before && after.state === 'training', `the run went on (${before} -> ${after.step})`);
  }
  // back to the latest: reads answer for the run again
  const back = next((m) => m.type === 'view' && m.step === null);
  assert.equal((await c.request('viewAt', { step: null })).view, null);
  await back;
  const paused = await c.request('pause');
  assert.equal((await c.request('snapshot')).step, paused.step);
  assert.equal((await c.request('names', {})).step, paused.step);
  // the same dish always shows the same names, viewed or latest
  const latest = (await c.request('names', { count: 20, temperature: 0.5 })).names;
  await c.request('viewAt', { step: paused.step });
  assert.deepEqual((await c.request('names', { count: 20, temperature: 0.5 })).names, latest);
  // a view never changed the run: its losses equal a fresh run's
  const losses = await c.request('losses');
  const ref = engine.createSession({ text: names, seed: 42 });
  sameBits(losses.subarray(0, 700), ref.train(700, 20000), 'the run\'s losses');
  ref.destroy();
  // out of range
  for (const step of [-1, paused.step + 1, 1.5, 'x'])
    await assert.rejects(c.request('viewAt', { step }), (e) => e.code === 'kitchen/bad-request' && /from 0 to \d+/.test(e.message));
  // reset clears the view
  const cleared = next((m) => m.type === 'view' && m.step === null);
  await c.request('reset', {});
  await cleared;
  const t = await c.request('timeline');
  assert.deepEqual([t.view, t.count, t.bytes, (await c.request('status')).view], [null, 0, 0, null]);
  assert.ok(log.filter((m) => m.type === 'view').length >= 9);
});

test('a 20,000-dish run: snapshots within the budget, viewAt of 50 random dishes timed and checked', async () => {
  const { c, next } = await open({ steps: 20000, pace: 'instant' });
  const done = next((m) => m.type === 'state' && m.state === 'done');
  await c.request('start', {});
  await done;
  const t = await c.request('timeline');
  console.log(`snapshots: ${t.count} x ${(t.bytes / t.count).toFixed(0)} B = ${(t.bytes / 2 ** 20).toFixed(2)} MiB every ${t.interval} dishes (+ base ${t.baseBytes} B; budget ${t.budget / 2 ** 20} MiB)`);
  assert.ok(t.bytes <= SNAPSHOT_BUDGET_BYTES && t.budget === SNAPSHOT_BUDGET_BYTES);
  assert.equal(t.count, 20000 / t.interval);
  assert.ok(t.interval <= 250, `a replay is at most ${t.interval - 1} dishes`);
  // 50 random dishes (a fixed stream), timed from request to reply
  let x = 12345;
  const rand = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const dishes = Array.from({ length: 50 }, () => Math.floor(rand() * 20001));
  const ms = [];
  const shown = [];
  for (const N of dishes) {
    const t0 = performance.now();
    await c.request('viewAt', { step: N });
    ms.push(performance.now() - t0);
    const snap = await c.request('snapshot');
    shown.push({ N, params: snap.params, m: snap.m });
  }
  ms.sort((a, b) => a - b);
  console.log(`viewAt in a 20,000-dish run: median ${ms[25].toFixed(1)} ms, 95th percentile ${ms[47].toFixed(1)} ms, max ${ms[49].toFixed(1)} ms`);
  // each equals one reference run stopped there
  const ref = engine.createSession({ text: names, seed: 42 });
  for (const v of shown.sort((a, b) => a.N - b.N)) {
    if (v.N > ref.info().step) ref.train(v.N - ref.info().step, 20000);
    sameBits(v.params, ref.params(), `dish ${v.N} params`);
    sameBits(v.m, ref.adamState().m, `dish ${v.N} m`);
  }
  ref.destroy();
});

test('dialHistory: one point per dish, equal to a twin trained one dish at a time; watchDial from the next dish on', async () => {
  const { c, next } = await open({ steps: 400, pace: 'instant' });
  // the run stops at dish 300 (ensureTrained upTo), the dial the kitchen chose is watched
  await c.request('ensureTrained', { steps: 400, upTo: 300 });
  const st = await c.request('status');
  const h = await c.request('dialHistory', {});
  const twin = engine.createSession({ text: names, seed: 42 });
  twin.train(1, 400);
  const g1 = twin.adamState().grads;
  const chosen = g1.reduce((best, g, i) => (Math.abs(g) > Math.abs(g1[best]) ? i : best), 0);
  assert.deepEqual([h.index, st.watchDial], [chosen, chosen], 'the dial pushed hardest at dish 1');
  assert.equal(h.step.length, 300);
  const col = { grad: [], m: [], v: [], update: [] };
  for (let i = 1; i <= 300; i++) {
    if (i > 1) twin.train(1, 400);
    const a = twin.adamState();
    col.grad.push(a.grads[chosen]); col.m.push(a.m[chosen]); col.v.push(a.v[chosen]); col.update.push(a.update[chosen]);
  }
  sameBits(h.step, Float64Array.from({ length: 300 }, (_, i) => i + 1), 'steps');
  for (const key of Object.keys(col)) sameBits(h[key], col[key], `dial ${chosen} ${key}`);
  // with a view, up to the dish shown
  await c.request('viewAt', { step: 120 });
  const upTo = await c.request('dialHistory', { index: chosen });
  assert.equal(upTo.step.length, 120);
  sameBits(upTo.m, col.m.slice(0, 120), 'm up to dish 120');
  await c.request('viewAt', { step: null });
  // another dial: its history starts at the next dish
  const told = next((m) => m.type === 'watchDial' && m.index === 7 && m.from === 301);
  assert.deepEqual(await c.request('watchDial', { index: 7 }), { index: 7, from: 301 });
  await told;
  assert.equal((await c.request('status')).watchDial, 7);
  await assert.rejects(c.request('dialHistory', { index: chosen }), (e) => e.code === 'kitchen/bad-request' && /send watchDial/.test(e.message));
  const done = next((m) => m.type === 'state' && m.state === 'done');
  await c.request('start', {});
  await done;
  const h7 = await c.request('dialHistory', { index: 7 });
  twin.train(100, 400); // the twin at 400: the last point's values
  sameBits(h7.step, Float64Array.from({ length: 100 }, (_, i) => 301 + i), 'dial 7 steps');
  assert.ok(Object.is(h7.m[99], twin.adamState().m[7]) && Object.is(h7.update[99], twin.adamState().update[7]));
  twin.destroy();
  await assert.rejects(c.request('watchDial', { index: 1e6 }), (e) => e.code === 'kitchen/bad-request');
  // a new run keeps the dial a page chose
  await c.request('reset', {});
  assert.equal((await c.request('status')).watchDial, 7);
});

test('dialHistory held by a page: fetched once (latest), then only new dishes (historyId, after); cut at dish N it equals a fresh run\'s history at N', async () => {
  const { mergeHistory, cutHistory, historyAsk } = await import(pathToFileURL(path.join(root, 'web/src/views/sensei/history.js')));
  const { c, next } = await open({ steps: 400, pace: 'instant' });
  await c.request('ensureTrained', { steps: 400, upTo: 300 });
  const dial = (await c.request('status')).watchDial;
  // a fresh run's points of the watched dial, one dish at a time
  const twin = engine.createSession({ text: names, seed: 42 });
  const col = { step: [], grad: [], m: [], v: [], update: [] };
  for (let i = 1; i <= 400; i++) {
    twin.train(1, 400);
    const a = twin.adamState();
    col.step.push(i); col.grad.push(a.grads[dial]); col.m.push(a.m[dial]); col.v.push(a.v[dial]); col.update.push(a.update[dial]);
  }
  twin.destroy();
  const equalsFresh = (h, n, what) => { for (const key of Object.keys(col)) sameBits(h[key], col[key].slice(0, n), `${what}: ${key}`); };
  // a view at dish 120: latest still answers the whole run (300 dishes)
  await c.request('viewAt', { step: 120 });
  let held = mergeHistory(null, await c.request('dialHistory', historyAsk(dial, null)));
  assert.equal(held.appended, false);
  equalsFresh(held, 300, 'fetched once');
  for (const N of [1, 57, 120, 299, 300]) equalsFresh(cutHistory(held, N), N, `cut at dish ${N}`);
  sameBits(cutHistory(held, 120).m, (await c.request('dialHistory', { index: dial })).m, 'the cut equals the kitchen\'s own answer at the dish shown');
  // nothing new while scrubbing: an empty append
  await c.request('viewAt', { step: 250 });
  const none = await c.request('dialHistory', historyAsk(dial, held));
  assert.deepEqual([none.appended, none.step.length], [true, 0]);
  assert.equal(mergeHistory(held, none), held);
  // the run goes on to 400: only dishes 301 to 400 come
  await c.request('viewAt', { step: null });
  const done = next((m) => m.type === 'state' && m.state === 'done');
  await c.request('start', {});
  await done;
  const tail = await c.request('dialHistory', historyAsk(dial, held));
  assert.equal(tail.appended, true);
  sameBits(tail.step, col.step.slice(300), 'only the new dishes');
  held = mergeHistory(held, tail);
  equalsFresh(held, 400, 'held after the append');
  equalsFresh(cutHistory(held, 333), 333, 'cut at dish 333');
  // an id that is no longer the history's (a new run: the kitchen picks its dial at its first dish): the whole history again
  await c.request('reset', {});
  const again = await c.request('dialHistory', { ...historyAsk(dial, held), index: undefined });
  assert.deepEqual([again.appended, again.step.length], [false, 0]);
  assert.notEqual(again.historyId, held.historyId);
  assert.equal(mergeHistory(held, again), again);
  for (const bad of [{ latest: 'yes' }, { historyId: 7 }, { historyId: held.historyId, after: -1 }, { after: 1.5 }])
    await assert.rejects(c.request('dialHistory', bad), (e) => e.code === 'kitchen/bad-request', JSON.stringify(bad));
});

test('setParam starts the timeline over at its dish; load starts at the file\'s dish', async () => {
  const { c } = await open({ steps: 1000, pace: 'instant' });
  await c.request('ensureTrained', { steps: 1000, upTo: 250 });
  const file = await c.request('save');
  await c.request('setParam', { index: 3, value: 0.5 });
  assert.equal((await c.request('status')).earliest, 250);
  await assert.rejects(c.request('viewAt', { step: 100 }), (e) => /before this run's first known dish 250/.test(e.message));
  await c.request('load', { bytes: file });
  const st = await c.request('status');
  assert.deepEqual([st.earliest, st.step], [250, 250]);
  await c.request('viewAt', { step: 250 });
  const snap = await c.request('snapshot');
  const ref = freshAt(250, 1000);
  sameBits(snap.params, ref.params, 'the loaded dish');
  ref.s.destroy();
});
