// The wasm build reproduces the reference runs (tests/fixtures/reference) as the native build does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, dataFile, makemoreFile } from '../helpers/paths.mjs';
import { loadRun, maxAbsDiff, parseCheckpoint, assertMatchesRun } from '../helpers/ref.mjs';
import { engine, names } from '../helpers/engine.mjs';

test('seed 42 in chunks: losses, names and parameters equal the reference', () => {
  const s = engine.createSession({ text: names, seed: 42 });
  const losses = [...s.train(300, 1000), ...s.train(1, 1000), ...s.train(699, 1000)];
  assertMatchesRun({ losses, samples: s.sample(20, 0.5), params: s.params() }, 'microgpt_seed42');
  s.destroy();
});

test('Karpathy\'s run (makemore names, seed 42, 1000 steps in chunks): losses, parameters, the 20 names', (t) => {
  const s = engine.createSession({ text: readFileSync(makemoreFile, 'utf8'), seed: 42 });
  const ref = loadRun('microgpt_makemore_seed42');
  assert.equal(s.numParams, ref.num_params);
  assert.equal(s.info().numDocs, ref.num_docs);
  const losses = [...s.train(250, 1000), ...s.train(750, 1000)];
  const figures = assertMatchesRun({ losses, samples: s.sample(20, 0.5), params: s.params() }, 'microgpt_makemore_seed42');
  t.diagnostic(`wasm on makemore: max |loss diff| ${figures.lossDiff}, max |param diff| ${figures.paramDiff}, names equal`);
  s.destroy();
});

test('the 2-layer, 8-head reference run', () => {
  const ref = loadRun('microgpt_deep_seed5');
  const s = engine.createSession({ text: names, seed: 5, nEmbd: 32, nHead: 8, nLayer: 2, blockSize: 16 });
  assert.equal(s.numParams, ref.num_params);
  const losses = s.train(40, 40);
  assertMatchesRun({ losses, samples: s.sample(20, 0.6), params: s.params() }, 'microgpt_deep_seed5');
  s.destroy();
});

test('wasm and native agree on another configuration and seed', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'mg-wasm-'));
  const json = path.join(tmp, 'native.json');
  execFileSync(cli, ['train', '--data', dataFile, '--seed', '7', '--steps', '300', '--temperature', '0.8', '--n-layer', '2',
    '--n-embd', '32', '--n-head', '4', '--block-size', '24', '--json', json, '--quiet']);
  const native = JSON.parse(readFileSync(json, 'utf8'));
  const s = engine.createSession({ text: names, seed: 7, nLayer: 2, nEmbd: 32, nHead: 4, blockSize: 24 });
  const losses = s.train(300, 300);
  assert.ok(maxAbsDiff(losses, native.losses) <= 1e-12, `max diff ${maxAbsDiff(losses, native.losses)}`);
  assert.deepEqual(s.sample(20, 0.8), native.samples);
  s.destroy();
});

test('a run saved at step 400 and resumed in a new session equals the uninterrupted run', () => {
  const ref = loadRun('microgpt_seed42');
  const a = engine.createSession({ text: names, seed: 42 });
  const first = a.train(400, 1000);
  const bytes = a.save();
  a.destroy();
  const h = parseCheckpoint(bytes);
  assert.equal(h.step, 400);
  assert.equal(h.numSteps, 1000);
  const b = engine.createSession({ text: names, seed: 99 }); // the file's seed wins
  b.load(bytes);
  const rest = b.train(600, 1000);
  assert.ok(maxAbsDiff([...first, ...rest], ref.losses) <= 1e-9);
  assert.deepEqual(b.sample(20, 0.5), ref.samples);
  b.destroy();
});
