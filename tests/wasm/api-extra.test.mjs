// More of the engine API (web/src/engine.js): the ways to load the module,
// defaults, live views, reset and the sampler's stream. Tests at the end
// describe bugs found while writing them (they pass once the bug is fixed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { dataFile, reference, wasmFile, wasmUrl, engineUrl, root } from '../helpers/paths.mjs';

const engineModule = await import(engineUrl);
const { loadEngine, EngineError, DEFAULT_CONFIG } = engineModule;
const engine = await loadEngine(wasmUrl);
const names = readFileSync(dataFile, 'utf8');
const ref = JSON.parse(readFileSync(path.join(reference, 'microgpt_seed42.json'), 'utf8'));
const FIRST_LOSS = 3.463906521228835; // reference/README.md: loss at step 1
const fresh = (seed = 42, config = {}) => engine.createSession({ text: names, seed, ...config });

test('loadEngine takes a URL, a path, a file: URL string, bytes or a compiled module', async () => {
  assert.ok(Math.abs(ref.losses[0] - FIRST_LOSS) < 1e-15);
  const bytes = readFileSync(wasmFile);
  const sources = {
    'URL object': wasmUrl,
    'absolute path': wasmFile,
    'path relative to the working directory': path.relative(process.cwd(), wasmFile),
    'file: URL string': String(wasmUrl),
    'Buffer': bytes,
    'ArrayBuffer': bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    'WebAssembly.Module': await WebAssembly.compile(bytes),
  };
  const engines = [];
  for (const [what, src] of Object.entries(sources)) {
    const e = await loadEngine(src);
    engines.push(e);
    const s = e.createSession({ text: names, seed: 42 });
    assert.ok(Math.abs(s.train(1, 1000)[0] - FIRST_LOSS) < 1e-12, what);
    s.destroy();
  }
  // each engine has its own memory: a session of one is unknown to another
  assert.equal(new Set(engines.map((e) => e.memory)).size, engines.length);
  await assert.rejects(loadEngine(pathToFileURL(path.join(root, 'build/web/no-such.wasm'))), /no-such\.wasm|ENOENT/);
  await assert.rejects(loadEngine(new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9])));
});

test('createSession defaults: seed 42 and DEFAULT_CONFIG', () => {
  assert.deepEqual({ ...DEFAULT_CONFIG }, { nEmbd: 16, nHead: 4, nLayer: 1, blockSize: 16 });
  assert.ok(Object.isFrozen(DEFAULT_CONFIG));
  const s = engine.createSession({ text: names });
  assert.deepEqual(s.config, { nEmbd: 16, nHead: 4, nLayer: 1, blockSize: 16 });
  assert.equal(s.info().seed, 42);
  const l = s.train(3, 1000);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(l[i] - ref.losses[i]) < 1e-12, `loss ${i}`);
  s.destroy();
  // a partial config keeps the other defaults
  const t = engine.createSession({ text: names, nLayer: 2 });
  assert.deepEqual(t.config, { nEmbd: 16, nHead: 4, nLayer: 2, blockSize: 16 });
  assert.equal(t.numParams, 4192 + 4 * 16 * 16 + 2 * 64 * 16);
  t.destroy();
  // seeds beyond 32 bits come back whole
  const big = engine.createSession({ text: 'ab\nba\n', seed: 2 ** 40 + 7 });
  assert.equal(big.info().seed, 2 ** 40 + 7);
  big.destroy();
});

test('info follows the run: step, planned steps', () => {
  const s = fresh();
  assert.deepEqual([s.info().step, s.info().numSteps], [0, 0]);
  s.train(7, 1000);
  assert.deepEqual([s.info().step, s.info().numSteps], [7, 1000]);
  s.reset();
  assert.deepEqual([s.info().step, s.info().numSteps, s.info().seed], [0, 0, 42]);
  s.destroy();
});

test('params and adamState are live: a view taken before a step shows the step', () => {
  const s = fresh();
  const p = s.params(), a = s.adamState(), st = s.stepStats();
  assert.ok(a.m.every((x) => x === 0) && a.v.every((x) => x === 0) && a.update.every((x) => x === 0));
  assert.ok(st.every((x) => x.gradNorm === 0 && x.stepSize === 0), 'no step yet: nothing to report');
  const p0 = p.slice(), buffer = engine.memory.buffer;
  s.train(1, 1000);
  assert.equal(engine.memory.buffer, buffer, 'training does not grow the memory');
  let changed = 0;
  for (let i = 0; i < p.length; i++) if (p[i] !== p0[i]) changed++;
  assert.ok(changed > 1000, `${changed} dials changed in the old view`);
  // Adam's first step: m = (1 - beta1) g, v = (1 - beta2) g^2, so m^2 / v = (0.15^2 / 0.01) exactly-ish
  for (let i = 0; i < p.length; i += 53) {
    if (a.grads[i] === 0) continue;
    assert.ok(Math.abs(a.m[i] - 0.15 * a.grads[i]) <= 1e-15 * Math.abs(a.grads[i]) + 1e-300);
    assert.ok(Math.abs(a.v[i] - 0.01 * a.grads[i] ** 2) <= 1e-14 * a.grads[i] ** 2 + 1e-300);
    // bias-corrected first step (SPEC.md section 4, s = 0): m_hat = g, v_hat = g^2, lr_t = 0.01
    const want = -0.01 * a.grads[i] / (Math.abs(a.grads[i]) + 1e-8);
    assert.ok(Math.abs(a.update[i] - want) <= 1e-14 * Math.abs(want), `update[${i}] = ${a.update[i]}, want ${want}`);
    assert.ok(Math.abs(p[i] - p0[i] - a.update[i]) <= 1e-16, 'the view holds the updated dial');
  }
  // after reset the same view shows a fresh session's dials, and Adam forgets
  s.reset(42);
  assert.deepEqual(p, p0);
  assert.ok(a.m.every((x) => x === 0) && a.v.every((x) => x === 0));
  s.destroy();
});

test('reset(seed) is a fresh session of that seed: same losses, dials, names', () => {
  const s = fresh(42);
  s.train(30, 200);
  s.sample(3, 0.9);
  s.reset(7);
  const t = fresh(7);
  assert.deepEqual(s.params(), t.params());
  assert.deepEqual(s.train(60, 100), t.train(60, 100));
  assert.deepEqual(s.params(), t.params());
  assert.deepEqual(s.adamState().m, t.adamState().m);
  assert.deepEqual(s.sample(10, 0.7), t.sample(10, 0.7));
  assert.equal(s.info().seed, 7);
  s.reset(); // keeps seed 7
  assert.equal(s.info().seed, 7);
  const u = engine.createSession({ text: names, seed: 7 });
  assert.deepEqual(s.params(), u.params());
  s.destroy(); t.destroy(); u.destroy();
});

test('the sampler stream: reset and load restart it, seeded samples leave it alone', () => {
  const s = fresh();
  s.train(1000, 1000);
  s.sample(4, 0.5); // advances the run's stream...
  s.reset(42);      // ...and reset starts it over
  s.train(1000, 1000);
  const seeded = s.sample(6, 0.5, { seed: 100 });
  assert.deepEqual(s.sample(20, 0.5), ref.samples, 'seeded names did not touch the run stream');
  // name i of a seeded call is the name of seed + i
  assert.deepEqual(seeded.slice(2), s.sample(4, 0.5, { seed: 102 }));
  assert.deepEqual([s.sample(1, 0.5, { seed: 105 })[0]], seeded.slice(5));
  // a loaded file restarts the stream too (it holds no sampler state)
  const bytes = s.save();
  const t = fresh(42);
  t.sample(9, 1);
  t.load(bytes);
  assert.deepEqual(t.sample(20, 0.5), ref.samples);
  s.destroy(); t.destroy();
});

test('sampling at temperature 0 follows the likeliest course each time', () => {
  const s = fresh();
  s.train(300, 1000);
  const [name] = s.sample(1, 0);
  // rebuild it course by course from nextProbs at temperature 1
  let built = '';
  for (let k = 0; k < 16; k++) {
    const p = s.nextProbs(built, 1);
    const best = p.indexOf(Math.max(...p));
    if (best === s.vocabSize - 1) break;
    built += s.vocabulary[best];
  }
  assert.equal(name, built);
  s.destroy();
});

test('destroyed sessions refuse every method with a STATE error', () => {
  const s = fresh();
  const bytes = s.save();
  s.destroy();
  const calls = {
    info: () => s.info(), tensors: () => s.tensors(), vocab: () => s.vocab(), docLengths: () => s.docLengths(), recordList: () => s.recordList(),
    train: () => s.train(1, 10), sample: () => s.sample(1, 0.5), reset: () => s.reset(1), reseedSampler: () => s.reseedSampler(1),
    params: () => s.params(), adamState: () => s.adamState(), save: () => s.save(), load: () => s.load(bytes),
    nextProbs: () => s.nextProbs('a'), inspect: () => s.inspect('a'), attention: () => s.attention('a'), grad: () => s.grad('a'),
    nameLoss: () => s.nameLoss('a'), stepStats: () => s.stepStats(), setParam: () => s.setParam(0, 1),
  };
  for (const [name, fn] of Object.entries(calls))
    assert.throws(fn, (e) => e instanceof EngineError && e.status === 'STATE' && /destroyed/.test(e.message), name);
  assert.ok(Math.abs(fresh().train(1, 1000)[0] - FIRST_LOSS) < 1e-12);
});

// ---- bugs found while writing these tests, fixed since ----

test('inspect accepts UTF-8 bytes like nameLoss and grad do', () => {
  const s = fresh();
  const bytes = new TextEncoder().encode('emma');
  assert.equal(typeof s.nameLoss(bytes), 'number');
  assert.deepEqual(s.inspect(bytes), s.inspect('emma'));
});

test('sample rejects a seed that is not a whole number >= 0', () => {
  const s = fresh();
  assert.throws(() => s.sample(2, 0.5, { seed: NaN }), /seed/);
  assert.throws(() => s.sample(2, 0.5, { seed: -5 }), /seed/);
});

test('config sizes beyond 32 bits are refused, not wrapped', () => {
  assert.throws(() => engine.createSession({ text: names, nEmbd: 2 ** 32 + 16 }), /n_embd|nEmbd/);
  assert.throws(() => engine.createSession({ text: names, nLayer: 2 ** 32 + 1 }), /n_layer|nLayer/);
});

test('train refuses a run length beyond 32 bits, not wrapped', () => {
  const s = fresh();
  assert.throws(() => s.train(1, 2 ** 32 + 1000), /run length/);
  assert.throws(() => s.train(1, 2 ** 31), /2147483648/);
});

