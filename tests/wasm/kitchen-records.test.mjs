// Records of the reader's own in the kitchen (web/src/kitchen/kitchen.js):
// an init with records the engine refuses keeps the Ming the kitchen had
// (his dials, his run, the dish shown and its reads); init takes the text as
// bytes too (a file, so C judges its UTF-8) and names its preset; info says
// the records' hash and how many records the block cuts; checkConfig gives a
// size's dial count for these records, or the message a reset would give.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { wasmUrl, wasmFile } from '../helpers/paths.mjs';
import { names, engine } from '../helpers/engine.mjs';
import { kitchenWithEvents } from '../helpers/kitchen.mjs';

const wasm = String(wasmUrl);
const clients = [];
after(() => { for (const c of clients) c.terminate(); });

async function open(fields = {}) {
  const k = kitchenWithEvents(['state', 'progress', 'view'], clients);
  const info = await k.c.request('init', { wasm, text: names, seed: 42, steps: 300, pace: 'instant', ...fields });
  return { ...k, info };
}
const refusedData = (re) => (e) => e.status === 'DATA' && re.test(e.message);

test('a refused init keeps Ming as he was: the dials, the run, the dish shown and what it reads', async () => {
  const { c, next } = await open();
  const done = next((m) => m.type === 'state' && m.state === 'done', { seen: true });
  await c.request('start', {});
  await done;
  await c.request('viewAt', { step: 150 });
  const before = {
    status: await c.request('status'), losses: await c.request('losses'),
    names: await c.request('names', { count: 20, temperature: 0.5 }),
    snapshot: await c.request('snapshot'), records: await c.request('records'),
  };
  assert.equal(before.snapshot.step, 150);
  const bad = [
    ['', /empty/], ['\n \n\n', /every line is blank/], ['ab\u0000c\n', /NUL byte/],
    [new Uint8Array([0x61, 0x0a, 0xff, 0x62]), /not valid UTF-8/],
    [Array.from({ length: 1100 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('\n'), /distinct characters; the limit is 1023/],
    [readFileSync(wasmFile), /NUL byte|not valid UTF-8/],
  ];
  for (const [text, message] of bad) {
    await assert.rejects(c.request('init', { wasm, text, seed: 7, steps: 300 }), refusedData(message), String(message));
    const st = await c.request('status');
    assert.equal(st.step, 300, 'the run is kept');
    assert.equal(st.state, 'done');
    assert.equal(st.seed, 42);
    assert.deepEqual(await c.request('losses'), before.losses, 'the run\'s losses are kept');
    assert.equal((await c.request('timeline')).view, 150, 'the dish shown is kept');
    const snap = await c.request('snapshot');
    assert.equal(snap.step, 150, 'reads answer for the dish shown');
    assert.deepEqual(snap.params, before.snapshot.params, 'the dials of the dish shown');
    assert.deepEqual(await c.request('names', { count: 20, temperature: 0.5 }), before.names, 'the names of the dish shown');
    assert.equal(await c.request('records'), before.records, 'the records are kept');
  }
  await c.request('viewAt', { step: null });
  assert.equal((await c.request('snapshot')).step, 300);
});

test('init takes the text as UTF-8 bytes and a preset id; info names the records and the cut', async () => {
  const own = 'émile\nzoë\nabcdefghijklmnopqrstu\nabcdefghijklmnop\nabcdefghijklmno\n';
  const { c, info } = await open({ text: new TextEncoder().encode(own), preset: '' });
  const s = engine.createSession({ text: own, seed: 42 });
  try {
    assert.deepEqual(info.records, s.records());
    assert.equal(info.vocabSize, s.vocabSize);
    assert.equal(await c.request('records'), own, 'the records come back as text');
    // block 16: 21 and 16 courses are cut (17 and 16 positions wanted), 15 is not
    assert.equal(info.cutRecords, 2);
    assert.equal(info.limits.textBytes, engine.limits.textBytes, 'the engine\'s limits');
    const wider = await c.request('reset', { config: { blockSize: 32 } });
    assert.equal(wider.cutRecords, 0);
  } finally { s.destroy(); }
  const named = await c.request('init', { wasm, text: names, preset: 'us-2018' });
  assert.equal(named.records.preset, 'us-2018');
  await assert.rejects(c.request('init', { wasm, text: names, preset: 'no spaces allowed\u00e9' }), (e) => e.status === 'ARG');
  await assert.rejects(c.request('init', { wasm, text: 42 }), (e) => e.code === 'kitchen/bad-request');
  assert.equal((await c.request('info')).records.preset, 'us-2018', 'a refused preset keeps the Ming he was');
});

test('checkConfig: a size\'s dial count for these records, or the message reset gives', async () => {
  const { c } = await open();
  assert.deepEqual(await c.request('checkConfig', { config: { nEmbd: 16, nHead: 4, nLayer: 1, blockSize: 16 } }), { numParams: 4192 });
  assert.deepEqual(await c.request('checkConfig', { config: { nEmbd: 32, nHead: 8, nLayer: 2, blockSize: 16 } }), { numParams: 26816 });
  assert.deepEqual(await c.request('checkConfig', { config: { nLayer: 2 } }), { numParams: 7264 }, 'the sizes not given are the run\'s');
  for (const config of [{ nEmbd: 30, nHead: 4 }, { nEmbd: 512, nLayer: 16, blockSize: 256 }, { nLayer: 0 }]) {
    const check = await c.request('checkConfig', { config }).then(() => null, (e) => e);
    const reset = await c.request('reset', { config }).then(() => null, (e) => e);
    assert.ok(check && reset, JSON.stringify(config));
    assert.equal(check.message, reset.message, 'the same message as reset');
    assert.equal(check.status, 'CONFIG');
  }
  await assert.rejects(c.request('checkConfig', { config: { nEmbd: '16' } }), (e) => e.code === 'kitchen/bad-request');
  assert.equal((await c.request('info')).numParams, 4192, 'nothing changed');
});

test('a refused size keeps Ming as he was, the dish shown too', async () => {
  const { c, next } = await open();
  const done = next((m) => m.type === 'state' && m.state === 'done', { seen: true });
  await c.request('start', {});
  await done;
  await c.request('viewAt', { step: 150 });
  const before = await c.request('snapshot');
  await assert.rejects(c.request('reset', { config: { nEmbd: 30, nHead: 4 } }), (e) => e.status === 'CONFIG' && /divisible/.test(e.message));
  const st = await c.request('status');
  assert.equal(st.step, 300);
  assert.equal((await c.request('timeline')).view, 150);
  const snap = await c.request('snapshot');
  assert.equal(snap.step, 150, 'reads answer for the dish shown');
  assert.deepEqual(snap.params, before.params);
});
