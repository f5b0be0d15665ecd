// finalNames (PROTOCOL.md): the names a run prints at its end, as the
// reference program prints them. In a real kitchen worker, trained on
// Karpathy's makemore names at seed 42 for 1,000 dishes, they are his 20
// (tests/fixtures/reference/microgpt_makemore_seed42.json), even after other
// draws from the run's stream (Re-roll), and for the dish shown.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { makemoreFile, wasmUrl } from '../helpers/paths.mjs';
import { loadRun } from '../helpers/ref.mjs';
import { kitchenWithEvents } from '../helpers/kitchen.mjs';

const karpathy = loadRun('microgpt_makemore_seed42');
const clients = [];
after(() => { for (const c of clients) c.terminate(); });

test('finalNames after Karpathy\'s run: his 20 names, untouched by Re-roll draws', async () => {
  const { c } = kitchenWithEvents([], clients);
  await c.request('init', { wasm: String(wasmUrl), text: readFileSync(makemoreFile, 'utf8'), seed: 42, steps: 1000, pace: 'instant' });
  await c.request('ensureTrained', { seed: 42, steps: 1000 });
  assert.deepEqual(await c.request('finalNames', { count: 20, temperature: 0.5 }), { step: 1000, names: karpathy.samples });
  const rerolled = await c.request('sample', { count: 20, temperature: 0.5 }); // the run's own stream
  assert.deepEqual(rerolled, karpathy.samples, 'the first draws of an untouched stream are his names too');
  assert.notDeepEqual(await c.request('sample', { count: 20, temperature: 0.5 }), karpathy.samples, 'the stream went on');
  assert.deepEqual((await c.request('finalNames', { count: 20, temperature: 0.5 })).names, karpathy.samples, 'still his, after those draws');
  assert.deepEqual((await c.request('finalNames', { count: 3, temperature: 0.5 })).names, karpathy.samples.slice(0, 3));
  // the dish shown: at dish 500 they are the names of Ming at dish 500
  await c.request('viewAt', { step: 500 });
  const at500 = await c.request('finalNames', { count: 20, temperature: 0.5 });
  assert.equal(at500.step, 500);
  assert.notDeepEqual(at500.names, karpathy.samples);
  await c.request('viewAt', { step: null });
  await assert.rejects(c.request('finalNames', { count: 201 }), /count/);
});
