// The sampler's trace (Session.sampleTrace, mg_sample_trace): the name it
// reports is the one sample(1, t, {seed}) draws, and every course it reports
// is the one its probabilities and its uniform number pick, by CPython's
// random.choices rule recomputed here; the run's own stream is untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine, names } from '../helpers/engine.mjs';

const TEMPERATURES = [0, 0.3, 0.5, 1, 1.5];
const SEEDS = 200;

// random.choices(range(V), weights=probs): cum = accumulate(probs),
// bisect_right(cum, u * cum[-1], 0, V - 1). Written from CPython's
// Lib/random.py, not from c/rng.c.
function cpythonChoice(probs, u) {
  const cum = [];
  let acc = 0;
  for (const p of probs) cum.push((acc += p));
  const x = u * cum[cum.length - 1];
  let lo = 0, hi = probs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < cum[mid]) hi = mid; else lo = mid + 1;
  }
  return lo;
}

function argmax(probs) {
  let k = 0;
  for (let i = 1; i < probs.length; i++) if (probs[i] > probs[k]) k = i;
  return k;
}

// a trained Ming draws long names and many kinds of course; an untrained one
// draws near-uniform votes: both are checked
function trainedSession(steps) {
  const s = engine.createSession({ text: names, seed: 42 });
  if (steps) s.train(steps, steps);
  return s;
}

for (const steps of [0, 300]) {
  test(`the trace is the draw of sample(1, t, {seed}), ${steps} dishes trained`, () => {
    const s = trainedSession(steps);
    const V = s.vocabSize, bos = V - 1, block = s.config.blockSize;
    let longest = 0, draws = 0;
    for (const t of TEMPERATURES) {
      for (let seed = 0; seed < SEEDS; seed++) {
        const trace = s.sampleTrace(seed, t);
        const [name] = s.sample(1, t, { seed });
        assert.equal(trace.name, name, `seed ${seed}, temperature ${t}`);
        assert.ok(trace.steps.length >= 1 && trace.steps.length <= block);
        const picked = trace.steps.map((x) => x.token);
        // the name is the picks up to the bell; the bell comes last, or the block filled up
        assert.equal(picked.filter((k) => k !== bos).map((k) => s.vocabulary[k]).join(''), name);
        assert.ok(picked.slice(0, -1).every((k) => k !== bos), 'nothing after the bell');
        if (picked.at(-1) !== bos) assert.equal(picked.length, block, 'no bell only when the block is full');
        longest = Math.max(longest, picked.length);
        for (const [p, x] of trace.steps.entries()) {
          assert.ok(x.probs instanceof Float64Array && x.probs.length === V);
          const sum = x.probs.reduce((a, b) => a + b, 0);
          assert.ok(Math.abs(sum - 1) < 1e-12, `probabilities sum to ${sum}`);
          assert.ok(x.probs.every((q) => q >= 0 && q <= 1));
          if (t === 0) {
            assert.ok(Number.isNaN(x.u), 'no number is drawn at temperature 0');
            assert.equal(x.probs[x.token], 1, 'all on the likeliest');
            assert.equal(x.token, argmax(x.probs));
          } else {
            assert.ok(x.u >= 0 && x.u < 1, `u = ${x.u}`);
            assert.equal(x.token, cpythonChoice(x.probs, x.u), `seed ${seed}, t ${t}, course ${p}: u ${x.u}`);
            draws++;
          }
        }
      }
    }
    if (steps) assert.ok(longest >= 8, `a trained Ming draws long names (longest ${longest} courses)`);
    assert.ok(draws > 1000, `${draws} draws checked`);
    s.destroy();
  });
}

test('the same seed draws the same numbers whatever the temperature; the probabilities follow the dial', () => {
  const s = trainedSession(300);
  const a = s.sampleTrace(5, 0.3), b = s.sampleTrace(5, 1.5), c = s.sampleTrace(5, 0.3);
  assert.deepEqual(c, a, 'the same seed and temperature give the same trace');
  assert.equal(a.steps[0].u, b.steps[0].u, 'the first course rolls the same number');
  // at 1 the trace's vote is the plain one (nextProbs after the bell)
  const one = s.sampleTrace(5, 1);
  assert.deepEqual(Array.from(one.steps[0].probs), Array.from(s.nextProbs('', 1)));
  assert.deepEqual(Array.from(a.steps[0].probs), Array.from(s.nextProbs('', 0.3)));
  s.destroy();
});

test("the run's own stream is untouched by a trace", () => {
  const s = trainedSession(100), twin = trainedSession(100);
  assert.deepEqual(s.sample(3, 0.5), twin.sample(3, 0.5));
  for (let seed = 0; seed < 20; seed++) s.sampleTrace(seed, 0.7);
  assert.deepEqual(s.sample(5, 0.5), twin.sample(5, 0.5), 'the names after the traces are the twin\'s');
  s.destroy();
  twin.destroy();
});

test('bad arguments are refused with a message, and the session stays usable', () => {
  const s = trainedSession(0);
  assert.throws(() => s.sampleTrace(-1, 0.5), /seed must be a whole number/);
  assert.throws(() => s.sampleTrace(1.5, 0.5), /seed must be a whole number/);
  assert.throws(() => s.sampleTrace(1, '0.5'), /temperature must be a number/);
  assert.throws(() => s.sampleTrace(1, 1e-6), /temperature must be 0 .* or a number from 0.001 to 100/);
  assert.throws(() => s.sampleTrace(1, NaN), /temperature must be/);
  assert.equal(s.sampleTrace(1, 0.5).name, s.sample(1, 0.5, { seed: 1 })[0]);
  s.destroy();
});

test('the kitchen answers sampleTrace through a worker with the engine\'s trace', async () => {
  const { Worker } = await import('node:worker_threads');
  const { pathToFileURL } = await import('node:url');
  const path = await import('node:path');
  const { root, wasmUrl } = await import('../helpers/paths.mjs');
  const { createClient } = await import(pathToFileURL(path.join(root, 'web/src/client.js')));
  const worker = new Worker(pathToFileURL(path.join(root, 'web/src/kitchen/worker.js')));
  try {
    const c = createClient(worker);
    await c.request('init', { wasm: String(wasmUrl), text: names, seed: 42 });
    await c.request('ensureTrained', { seed: 42, steps: 200 });
    const s = trainedSession(200);
    for (const [seed, t] of [[1, 0.5], [2, 0], [3, 1.5]]) {
      const got = await c.request('sampleTrace', { seed, temperature: t });
      assert.deepEqual(got, s.sampleTrace(seed, t), `seed ${seed}, temperature ${t}`);
    }
    await assert.rejects(c.request('sampleTrace', { temperature: 0.5 }), /the seed must be a whole number from 0 to 2\^53 \(got undefined\)/);
    assert.equal((await c.request('sampleTrace', { seed: 4 })).name, s.sample(1, 0.5, { seed: 4 })[0], 'still answering');
    s.destroy();
  } finally {
    await worker.terminate();
  }
});
