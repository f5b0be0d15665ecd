// Each fact once: C owns the limits, Adam's constants and schedule, the
// milestone dishes, the default size and the inspect layout; the engine
// exports them (mgw_limits, mgw_facts, mgw_learning_rate, mgw_inspect_layout)
// and the page's one module of limits (web/src/limits.js) reads them. Each
// test reads C's value through the engine, checks that C acts on it, and
// that the page side uses the same number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { root, cli } from '../helpers/paths.mjs';
import { engine, engineModule, names } from '../helpers/engine.mjs';

const src = (f) => import(pathToFileURL(path.join(root, 'web/src', f)));
const limits = await src('limits.js');
// chapter 6's view is JSX: bundled as web/build.mjs bundles it, with the facts baked in
const { stepSizes, learningRate: senseiRate } = await bundled('views/sensei/index.jsx');

/** The module at web/src/file, bundled by esbuild with the engine's facts defined, as build.mjs does. */
async function bundled(file) {
  const { build } = await import('esbuild');
  const { readFactValues, nameFacts, FACTS_BYTES } = await src('engine-facts.js');
  const values = nameFacts(readFactValues(engine.x, engine.x.mgw_malloc(FACTS_BYTES), (rc) => engine.check(rc)));
  const out = await build({
    stdin: { contents: `export * from ${JSON.stringify(path.join(root, 'web/src', file))};`, resolveDir: root, loader: 'js' },
    absWorkingDir: root, bundle: true, write: false, format: 'esm', platform: 'neutral', jsx: 'automatic',
    jsxImportSource: 'preact', mainFields: ['module', 'main'], external: ['node:*'], logLevel: 'error',
    define: { 'globalThis.MG_BUNDLED': 'true', MG_ENGINE_FACTS: JSON.stringify(values), MG_DEFAULT_RECORDS: '{}' },
  });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}
const { EngineError } = engineModule;
const C = engine.facts;

test('the limits module holds the engine\'s facts, and engine.js the limits', () => {
  assert.deepEqual(limits.ENGINE, C);
  assert.deepEqual(engine.limits, C.limits);
  assert.deepEqual(engineModule.DEFAULT_CONFIG, C.defaultConfig);
  assert.equal(engineModule.SEED_MAX, C.seedMax);
});

test('the default size and seed are the ones a session gets when none is given (MG_CONFIG_DEFAULT, MG_DEFAULT_SEED)', () => {
  const s = engine.createSession({ text: 'ab\nba\n' });
  try {
    assert.deepEqual(s.config, limits.DEFAULT_CONFIG);
    assert.equal(s.info().seed, C.defaults.seed);
  } finally { s.destroy(); }
});

test('the reference run\'s defaults are the CLI\'s (C: seed, run length, names)', () => {
  // --help prints the usage on stderr and exits 2 (a usage, not a run)
  const r = spawnSync(cli, ['--help'], { encoding: 'utf8' });
  const out = r.stdout + r.stderr;
  for (const [flag, v] of [['seed', C.defaults.seed], ['steps', C.defaults.steps], ['samples', C.defaults.names],
    ['temperature', C.temperature.default], ['n-embd', C.defaultConfig.nEmbd], ['n-head', C.defaultConfig.nHead],
    ['n-layer', C.defaultConfig.nLayer], ['block-size', C.defaultConfig.blockSize]])
    assert.ok(out.includes(`[--${flag} ${v}]`), `the CLI's usage says --${flag} ${v}`);
});

test('the temperature range: C samples at its bounds and refuses past them; the risk dial lies inside', () => {
  const s = engine.createSession({ text: names, seed: 42 });
  try {
    const { min, max } = C.temperature;
    for (const t of [0, min, max, C.temperature.default]) assert.equal(s.sample(1, t, { seed: 1 }).length, 1, `t=${t}`);
    for (const t of [min / 2, max * 1.01]) assert.throws(() => s.sample(1, t, { seed: 1 }), EngineError, `t=${t}`);
    const ui = limits.UI_TEMPERATURE;
    assert.ok(ui.min >= min && ui.max <= max, `the dial's ${ui.min}..${ui.max} inside C's ${min}..${max}`);
    assert.ok(ui.default >= ui.min && ui.default <= ui.max);
    assert.equal(ui.default, C.temperature.default);
    for (const t of [ui.min, ui.max]) assert.equal(s.sample(1, t, { seed: 1 }).length, 1, `the dial's t=${t}`);
  } finally { s.destroy(); }
});

test('the seed range: C takes 0..2^53; the page\'s seeds (0..2^31) lie inside', () => {
  assert.equal(C.seedMax, 2 ** 53);
  const s = engine.createSession({ text: 'ab\nba\n', seed: limits.UI_SEED.max });
  try {
    s.reset(C.seedMax);
    assert.equal(s.info().seed, C.seedMax);
    assert.ok(limits.UI_SEED.max <= C.seedMax && limits.UI_SEED.min >= 0);
    assert.ok(limits.isUiSeed(limits.UI_SEED.max) && !limits.isUiSeed(limits.UI_SEED.max + 1));
  } finally { s.destroy(); }
});

test('the run length: C trains a run of runSteps steps and refuses one more; the trainer\'s choices lie inside', () => {
  const s = engine.createSession({ text: 'ab\nba\n', seed: 1 });
  try {
    assert.equal(s.train(1, C.limits.runSteps).length, 1);
    assert.throws(() => s.train(1, C.limits.runSteps + 1), /1\.\.100000000|run length/);
    for (const n of limits.STEP_CHOICES) assert.ok(n >= 1 && n <= C.limits.runSteps);
  } finally { s.destroy(); }
});

test('Adam\'s schedule: the page\'s learning rate is C\'s at every dish (mg_learning_rate)', () => {
  for (const N of [1, 7, 1000, 5000, 20000])
    for (const s of [0, 1, Math.floor(N / 3), N - 1].filter((x) => x < N)) {
      assert.equal(limits.learningRate(s, N), engine.learningRate(s, N), `step ${s} of ${N}`);
    }
  assert.equal(engine.learningRate(0, 1000), C.adam.lr);
  assert.throws(() => engine.learningRate(1000, 1000), EngineError);
});

test('sensei\'s step size with C\'s constants is the turn C gives the watched dial (Adam\'s update)', () => {
  for (const [st, N] of [[0, 1000], [499, 1000], [19999, 20000]]) assert.equal(senseiRate(st, N), engine.learningRate(st, N));
  const s = engine.createSession({ text: names, seed: 42 });
  try {
    const N = 1000, index = 5, n = 120;
    const { watch } = s.trainWatch(n, N, index); // per dish: gradient, m, v, update
    for (const step of [1, 2, 50, n]) {
      const [, m, v, update] = watch.subarray(4 * (step - 1), 4 * step);
      const size = stepSizes(Float64Array.of(v), step, N)[0];
      const turn = -size * (m / (1 - C.adam.beta1 ** step));
      assert.ok(Math.abs(turn - update) <= 1e-12 * Math.abs(update) + 1e-300, `dish ${step}: ${turn} vs C's ${update}`);
    }
  } finally { s.destroy(); }
});

test('the milestone dishes are C\'s (MG_MILESTONE_STEPS) and the run\'s last', () => {
  assert.ok(C.milestones.length >= 1 && C.milestones.every((m, i) => Number.isInteger(m) && m >= 1 && (i === 0 || m > C.milestones[i - 1])));
  assert.deepEqual(limits.milestoneSteps(1000), [...C.milestones, 1000]);
  assert.deepEqual(limits.milestoneSteps(C.milestones[0]), [C.milestones[0]]);
});

test('inspect reads each part where C writes it (mgw_inspect_layout)', () => {
  const s = engine.createSession({ text: names, seed: 42 });
  try {
    s.train(20, 1000);
    const r = s.inspect('emma');
    const { n, layers: L, heads: H, hidden: F, vocabSize: V } = r;
    assert.equal(n, 5);
    assert.deepEqual([r.tokens.length, r.next.length, r.attention.length, r.mlpPre.length, r.mlpPost.length,
      r.stream.length, r.probs.length, r.penalty.length], [n, n, L * H * n * n, L * n * F, L * n * F, L * n * 3, n * V, n]);
    // the parts are where they belong: each probability row sums to 1, the
    // penalty is -ln of the next course's, and ReLU's output is max(0, input)
    for (let p = 0; p < n; p++) {
      const row = r.probs.subarray(p * V, (p + 1) * V);
      assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12);
      assert.ok(Math.abs(r.penalty[p] + Math.log(row[r.next[p]])) < 1e-12);
    }
    for (let i = 0; i < r.mlpPre.length; i++) assert.equal(r.mlpPost[i], Math.max(0, r.mlpPre[i]));
    assert.deepEqual([...r.next.subarray(0, n - 1)], [...r.tokens.subarray(1)]);
  } finally { s.destroy(); }
});
