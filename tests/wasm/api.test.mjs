// Every method of the JS engine module, with the arity and types it declares.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRun, maxAbsDiff } from '../helpers/ref.mjs';
import { engine, names, engineModule } from '../helpers/engine.mjs';

const { Session, Engine } = engineModule;
const fresh = (seed = 42) => engine.createSession({ text: names, seed });
const lines = names.split('\n').map((l) => l.trim()).filter(Boolean);

test('declared arities', () => {
  const arity = { train: 2, sample: 2, reset: 0, reseedSampler: 1, params: 0, adamState: 0, save: 0, load: 1, nextProbs: 1,
    inspect: 1, attention: 1, grad: 1, nameLoss: 1, stepStats: 0, setParam: 2, destroy: 0, info: 0, tensors: 0, vocab: 0, docLengths: 0, recordList: 0 };
  for (const [name, n] of Object.entries(arity)) assert.equal(Session.prototype[name].length, n, name);
  assert.equal(Engine.prototype.createSession.length, 0);
  assert.equal(engineModule.loadEngine.length, 1);
});

test('info, tensors, vocab, docLengths describe the model and the records', () => {
  const s = fresh();
  const info = s.info();
  assert.equal(info.numParams, 4192);
  assert.equal(info.numDocs, 32257);
  assert.equal(info.vocabSize, 27);
  assert.equal(info.step, 0);
  assert.equal(info.seed, 42);
  const t = s.tensors();
  assert.deepEqual(t.map((x) => x.name), ['wte', 'wpe', 'lm_head', 'layer0.attn_wq', 'layer0.attn_wk', 'layer0.attn_wv',
    'layer0.attn_wo', 'layer0.mlp_fc1', 'layer0.mlp_fc2']);
  assert.deepEqual(t.map((x) => [x.rows, x.cols]), [[27, 16], [16, 16], [27, 16], [16, 16], [16, 16], [16, 16], [16, 16], [64, 16], [16, 64]]);
  let off = 0;
  for (const x of t) { assert.equal(x.offset, off); off += x.rows * x.cols; }
  assert.equal(off, 4192);
  assert.deepEqual(s.vocab(), [...'abcdefghijklmnopqrstuvwxyz', null]);
  const lengths = s.docLengths();
  assert.ok(lengths instanceof Int32Array);
  assert.equal(lengths.length, lines.length);
  assert.equal(lengths.reduce((a, b) => a + b, 0), lines.reduce((a, l) => a + [...l].length, 0));
  assert.equal(lengths[0], [...lines[0]].length);
  s.destroy();
});

test('recordList: the records as C took them (lines stripped as Python\'s str.strip strips, blank ones dropped), in file order', () => {
  const s = fresh();
  assert.deepEqual(s.recordList(), lines, 'the default records: every line');
  s.destroy();
  // U+0085 and U+001F are whitespace to Python (and C; JavaScript's trim keeps U+001F); a BOM is not whitespace to Python
  const t = engine.createSession({ text: '\u0085Mia\u0085\r\n\u001fLéa Noor\u001f\n\n \t\n  Ann \r\uFEFFAda' });
  assert.deepEqual(t.recordList(), ['Mia', 'Léa Noor', 'Ann', '\uFEFFAda']);
  t.destroy();
});

test('train, sample, reset, reseedSampler', () => {
  const ref = loadRun('microgpt_seed42');
  const s = fresh();
  const l = s.train(5, 1000);
  assert.ok(l instanceof Float64Array && l.length === 5);
  assert.deepEqual(s.train(0, 1000), new Float64Array(0));
  assert.deepEqual(s.sample(0, 0.5), []);
  const greedy = s.sample(3, 0);
  assert.deepEqual(s.sample(3, 0), greedy, 'temperature 0 takes the likeliest course every time');
  assert.equal(new Set(greedy).size, 1);
  s.reset(42);
  assert.equal(s.info().step, 0);
  assert.ok(maxAbsDiff(s.train(10, 1000), ref.losses.slice(0, 10)) <= 1e-12);
  s.reseedSampler(1);
  const a = s.sample(5, 1);
  s.reseedSampler(1);
  assert.deepEqual(s.sample(5, 1), a);
  const viaSeed = s.sample(5, 1, { seed: 1 });
  assert.deepEqual(s.sample(5, 1, { seed: 1 }), viaSeed, 'a private stream is repeatable');
  s.destroy();
});

test('params and adamState are live views; setParam turns one dial', () => {
  const s = fresh();
  const before = s.params().slice();
  s.train(3, 1000);
  const p = s.params();
  assert.ok(maxAbsDiff(p, before) > 0);
  const { m, v, update, grads } = s.adamState();
  assert.ok(m.some((x) => x !== 0) && v.every((x) => x >= 0) && update.some((x) => x !== 0) && grads.some((x) => x !== 0));
  // the last update is the last change of each dial
  const p1 = s.params().slice();
  s.train(1, 1000);
  const p2 = s.params(), up = s.adamState().update;
  for (let i = 0; i < 4192; i += 97) assert.ok(Math.abs(p2[i] - p1[i] - up[i]) < 1e-15);
  s.setParam(347, 0.125);
  assert.equal(s.params()[347], 0.125);
  assert.throws(() => s.setParam(4192, 0), /dial 4192 does not exist/);
  assert.throws(() => s.setParam(1, NaN), /finite/);
  assert.throws(() => s.setParam(1.5, 0), /whole number/);
  s.destroy();
});

test('save and load round trip', () => {
  const s = fresh();
  s.train(50, 1000);
  const bytes = s.save();
  assert.ok(bytes instanceof Uint8Array);
  const t = fresh(3);
  t.load(bytes);
  assert.deepEqual(t.save(), bytes);
  assert.deepEqual(t.train(5, 1000), s.train(5, 1000));
  s.destroy(); t.destroy();
});

test('nextProbs after the reference run: a, i, e after "emm"', () => {
  const s = fresh();
  s.train(1000, 1000);
  const p = s.nextProbs('emm', 1);
  assert.equal(p.length, 27);
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  const order = [...p.keys()].sort((a, b) => p[b] - p[a]);
  assert.deepEqual(order.slice(0, 3).map((i) => s.vocabulary[i]), ['a', 'i', 'e']);
  assert.ok(Math.abs(p[0] - 0.29) < 0.02 && Math.abs(p[8] - 0.19) < 0.02 && Math.abs(p[4] - 0.10) < 0.02);
  const cold = s.nextProbs('emm', 0.1), greedy = s.nextProbs('emm', 0);
  assert.ok(cold[0] > p[0]);
  assert.equal(greedy[0], 1);
  assert.equal(s.nextProbs('', 1).length, 27, 'the vote after the bell alone');
  s.destroy();
});

test('inspect, attention, grad and nameLoss agree with each other', () => {
  const s = fresh();
  s.train(200, 1000);
  const r = s.inspect('emma');
  assert.equal(r.n, 5);
  assert.deepEqual([...r.tokens], [26, 4, 12, 12, 0]);
  assert.deepEqual([...r.next], [4, 12, 12, 0, 26]);
  for (let p = 0; p < r.n; p++) {
    const row = r.probs.subarray(p * 27, p * 27 + 27);
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.ok(Math.abs(r.penalty[p] + Math.log(row[r.next[p]])) < 1e-15);
    for (let h = 0; h < 4; h++) {
      const w = r.attention.subarray((h * r.n + p) * r.n, (h * r.n + p + 1) * r.n);
      assert.ok(Math.abs(w.subarray(0, p + 1).reduce((a, b) => a + b, 0) - 1) < 1e-12);
      assert.ok(w.subarray(p + 1).every((x) => x === 0));
    }
    for (let u = 0; u < 64; u++) assert.equal(r.mlpPost[p * 64 + u], Math.max(0, r.mlpPre[p * 64 + u]));
  }
  const mean = r.penalty.reduce((a, b) => a + b, 0) / r.n;
  assert.ok(Math.abs(mean - s.nameLoss('emma')) < 1e-12);
  // the probabilities inspect shows are the ones sampling uses: nextProbs at T = 1
  assert.ok(maxAbsDiff(s.nextProbs('emm', 1), r.probs.subarray(3 * 27, 4 * 27)) === 0);
  const att = s.attention('emma');
  assert.deepEqual(att.weights, r.attention);

  const before = s.params().slice(), step = s.info().step;
  const g = s.grad('emma');
  assert.ok(Math.abs(g.loss - s.nameLoss('emma')) < 1e-15);
  assert.deepEqual(s.params(), before);
  assert.equal(s.info().step, step);
  // central differences on 30 dials
  const h = 1e-5;
  let worst = 0;
  for (let k = 0; k < 30; k++) {
    const i = (k * 139 + 11) % 4192, p0 = before[i];
    s.setParam(i, p0 + h); const up = s.nameLoss('emma');
    s.setParam(i, p0 - h); const down = s.nameLoss('emma');
    s.setParam(i, p0);
    const num = (up - down) / (2 * h);
    worst = Math.max(worst, Math.abs(num - g.grads[i]) / Math.max(1e-3, Math.abs(num) + Math.abs(g.grads[i])));
  }
  assert.ok(worst < 1e-6, `relative error ${worst}`);
  // the nudge: changing a dial by h changes the penalty by gradient x h, within O(h^2)
  const i = g.grads.reduce((best, x, j) => (Math.abs(x) > Math.abs(g.grads[best]) ? j : best), 0);
  for (const d of [1e-2, 1e-3]) {
    s.setParam(i, before[i] + d);
    const measured = s.nameLoss('emma') - g.loss;
    s.setParam(i, before[i]);
    assert.ok(Math.abs(measured - g.grads[i] * d) < 50 * d * d, `nudge ${d}: ${measured} vs ${g.grads[i] * d}`);
  }
  s.destroy();
});

test('stepStats: per-tensor gradient norms and step sizes of the last step', () => {
  const s = fresh();
  s.train(1, 1000);
  const st = s.stepStats();
  assert.equal(st.length, 9);
  assert.ok(st.every((x) => x.gradNorm > 0 && x.stepSize > 0));
  const { grads } = s.adamState();
  const t = s.tensorTable[0];
  const norm = Math.sqrt(grads.subarray(0, t.rows * t.cols).reduce((a, x) => a + x * x, 0));
  assert.ok(Math.abs(st[0].gradNorm - norm) < 1e-12);
  s.destroy();
});

test('inspect and grad between steps leave the reference run exact', () => {
  const ref = loadRun('microgpt_seed42');
  const s = fresh();
  const losses = [];
  for (let k = 0; k < 20; k++) {
    losses.push(...s.train(50, 1000));
    s.inspect('emma'); s.grad('emma'); s.nextProbs('em', 0.7); s.nameLoss('amme'); s.stepStats();
  }
  assert.ok(maxAbsDiff(losses, ref.losses) <= 1e-9);
  assert.deepEqual(s.sample(20, 0.5), ref.samples);
  s.destroy();
});
