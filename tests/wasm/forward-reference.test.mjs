// The engine's read-only views (nameLoss, nextProbs, inspect, attention) and
// its gradient, checked against an independent forward pass written here in
// plain JS straight from SPEC.md section 3 (parameter layout, rmsnorm,
// softmax, attention over the cache), and against central finite differences.
// The expected values never come from the code under test: the JS model only
// reads the parameters (the reference runs' parameter files, or a session's
// random initial dials) and recomputes everything itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dataFile, reference, wasmUrl, engineUrl } from '../helpers/paths.mjs';

const { loadEngine } = await import(engineUrl);
const engine = await loadEngine(wasmUrl);
const names = readFileSync(dataFile, 'utf8');
const refParams = (name) => {
  const b = readFileSync(path.join(reference, `${name}_params.f64`));
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
};

// Vocabulary as SPEC.md defines it: the sorted distinct characters, then BOS.
const chars = [...new Set([...names.replace(/\n/g, '')])].sort();
const V = chars.length + 1, BOS = chars.length;
const encode = (s) => [...s].map((c) => chars.indexOf(c));

/** Offsets of SPEC.md's parameter order for a config (independent of the engine's tensor table). */
function layout({ nEmbd: E, nLayer: L, blockSize: B }) {
  const F = 4 * E, o = { wte: 0, wpe: V * E, lm: V * E + B * E, layers: [] };
  let base = o.lm + V * E;
  for (let l = 0; l < L; l++) {
    o.layers.push({ wq: base, wk: base + E * E, wv: base + 2 * E * E, wo: base + 3 * E * E, fc1: base + 4 * E * E,
      fc2: base + 4 * E * E + F * E });
    base += 4 * E * E + 2 * F * E;
  }
  o.total = base;
  return o;
}

/** Runs tokens[0..n-1] through the model (SPEC.md section 3), recording what inspect shows. */
function jsForward(P, cfg, tokens) {
  const { nEmbd: E, nHead: H, nLayer: L } = cfg, D = E / H, F = 4 * E, o = layout(cfg);
  const linear = (off, rows, cols, x) => {
    const y = new Float64Array(rows);
    for (let r = 0; r < rows; r++) { let s = 0.0; for (let i = 0; i < cols; i++) s += P[off + r * cols + i] * x[i]; y[r] = s; }
    return y;
  };
  const rmsnorm = (x) => {
    let ms = 0.0;
    for (const v of x) ms += v * v;
    ms *= 1 / x.length;
    const scale = Math.pow(ms + 1e-5, -0.5);
    return x.map((v) => v * scale);
  };
  const softmax = (z, T = 1) => {
    const zz = T === 1 ? z : z.map((v) => v * (1 / T));
    const m = Math.max(...zz), e = zz.map((v) => Math.exp(v - m));
    let t = 0.0;
    for (const v of e) t += v;
    return e.map((v) => v * (1 / t));
  };
  const norm = (x) => Math.sqrt(x.reduce((a, v) => a + v * v, 0));
  const keys = Array.from({ length: L }, () => []), vals = Array.from({ length: L }, () => []);
  const out = [];
  for (let pos = 0; pos < tokens.length; pos++) {
    const tok = tokens[pos];
    let x = new Float64Array(E);
    for (let i = 0; i < E; i++) x[i] = P[o.wte + tok * E + i] + P[o.wpe + pos * E + i];
    x = rmsnorm(x);
    const rec = { att: [], hPre: [], h: [], stream: [] };
    for (let l = 0; l < L; l++) {
      const w = o.layers[l], xin = x;
      const xn = rmsnorm(x);
      const q = linear(w.wq, E, E, xn), k = linear(w.wk, E, E, xn), v = linear(w.wv, E, E, xn);
      keys[l].push(k); vals[l].push(v);
      const concat = new Float64Array(E), heads = [];
      for (let h = 0; h < H; h++) {
        const a = keys[l].map((kt) => { let s = 0.0; for (let j = 0; j < D; j++) s += q[h * D + j] * kt[h * D + j]; return s * (1 / Math.sqrt(D)); });
        const wts = softmax(a);
        heads.push(wts);
        for (let j = 0; j < D; j++) { let s = 0.0; for (let t = 0; t <= pos; t++) s += wts[t] * vals[l][t][h * D + j]; concat[h * D + j] = s; }
      }
      const xmid = linear(w.wo, E, E, concat).map((v, i) => v + xin[i]);
      const hPre = linear(w.fc1, F, E, rmsnorm(xmid)), h = hPre.map((v) => Math.max(0, v));
      x = linear(w.fc2, E, F, h).map((v, i) => v + xmid[i]);
      rec.att.push(heads); rec.hPre.push(hPre); rec.h.push(h); rec.stream.push([norm(xin), norm(xmid), norm(x)]);
    }
    rec.logits = linear(o.lm, V, E, x);
    rec.probs = softmax(rec.logits);
    rec.probsAt = (T) => softmax(rec.logits, T);
    out.push(rec);
  }
  return out;
}

function jsNameLoss(P, cfg, name) {
  const tokens = [BOS, ...encode(name), BOS];
  const recs = jsForward(P, cfg, tokens.slice(0, -1));
  let s = 0.0;
  recs.forEach((r, p) => { s += -Math.log(r.probs[tokens[p + 1]]); });
  return s * (1 / recs.length);
}

const close = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

/** Copies P into a session's dials through setParam (the supported way to write them). */
function setAll(s, P) { for (let i = 0; i < P.length; i++) s.setParam(i, P[i]); }

function compareViews(s, P, cfg, words) {
  const { nHead: H, nLayer: L, nEmbd } = cfg, F = 4 * nEmbd;
  for (const w of words) {
    const tokens = [BOS, ...encode(w)];
    const js = jsForward(P, cfg, tokens);
    const n = tokens.length;
    close(s.nameLoss(w), jsNameLoss(P, cfg, w), 1e-12, `nameLoss(${w})`);
    const r = s.inspect(w);
    assert.equal(r.n, n);
    assert.deepEqual([...r.tokens], tokens);
    assert.deepEqual([...r.next], [...encode(w), BOS]);
    for (let p = 0; p < n; p++) {
      for (let c = 0; c < V; c++) close(r.probs[p * V + c], js[p].probs[c], 1e-12, `${w} probs[${p}][${c}]`);
      close(r.penalty[p], -Math.log(js[p].probs[r.next[p]]), 1e-12, `${w} penalty[${p}]`);
      for (let l = 0; l < L; l++) {
        for (let k = 0; k < 3; k++) close(r.stream[(l * n + p) * 3 + k], js[p].stream[l][k], 1e-12, `${w} stream[${l}][${p}][${k}]`);
        for (let u = 0; u < F; u++) {
          close(r.mlpPre[(l * n + p) * F + u], js[p].hPre[l][u], 1e-12, `${w} mlpPre[${l}][${p}][${u}]`);
          close(r.mlpPost[(l * n + p) * F + u], js[p].h[l][u], 1e-12, `${w} mlpPost[${l}][${p}][${u}]`);
        }
        for (let h = 0; h < H; h++)
          for (let t = 0; t < n; t++)
            close(r.attention[((l * H + h) * n + p) * n + t], t <= p ? js[p].att[l][h][t] : 0, 1e-12, `${w} att[${l}][${h}][${p}][${t}]`);
      }
    }
    // the next-course vote after the whole prefix, at several temperatures
    for (const T of [1, 0.5, 1.7]) {
      const probs = s.nextProbs(w, T), want = js[n - 1].probsAt(T);
      for (let c = 0; c < V; c++) close(probs[c], want[c], 1e-12, `nextProbs(${w}, ${T})[${c}]`);
    }
    const greedy = s.nextProbs(w, 0), best = js[n - 1].logits.indexOf(Math.max(...js[n - 1].logits));
    assert.deepEqual([...greedy], Array.from({ length: V }, (_, c) => (c === best ? 1 : 0)), `nextProbs(${w}, 0)`);
  }
}

test('the reference run\'s dials: every view equals the JS forward pass', () => {
  const cfg = { nEmbd: 16, nHead: 4, nLayer: 1, blockSize: 16 };
  const P = refParams('microgpt_seed42');
  assert.equal(P.length, layout(cfg).total);
  const s = engine.createSession({ text: names, seed: 42 });
  setAll(s, P);
  assert.deepEqual(s.params(), P);
  compareViews(s, P, cfg, ['emma', 'a', 'amme', 'kitchenomakase', 'abcdefghijklmno']);
  // "after e, m, m Ming scores all 27 next courses": a first (about 29%), then i, e
  const js = jsForward(P, cfg, [BOS, ...encode('emm')]).at(-1).probs;
  const p = s.nextProbs('emm', 1);
  assert.ok(Math.abs(js[0] - 0.29) < 0.02 && Math.abs(p[0] - js[0]) < 1e-12);
  s.destroy();
});

test('the deep reference run\'s dials (2 layers, 8 heads, 32 wide)', () => {
  const cfg = { nEmbd: 32, nHead: 8, nLayer: 2, blockSize: 16 };
  const P = refParams('microgpt_deep_seed5');
  assert.equal(P.length, layout(cfg).total);
  const s = engine.createSession({ text: names, seed: 5, ...cfg });
  setAll(s, P);
  compareViews(s, P, cfg, ['emma', 'zoe', 'maximilianojos']);
  s.destroy();
});

test('a wider block and three layers at the initial dials', () => {
  const cfg = { nEmbd: 24, nHead: 3, nLayer: 3, blockSize: 24 };
  const s = engine.createSession({ text: names, seed: 11, ...cfg });
  const P = s.params().slice();
  assert.equal(P.length, layout(cfg).total);
  // SPEC.md: initial dials are gauss(0, 0.08)
  const mean = P.reduce((a, v) => a + v, 0) / P.length;
  const sd = Math.sqrt(P.reduce((a, v) => a + (v - mean) ** 2, 0) / P.length);
  assert.ok(Math.abs(mean) < 0.005 && Math.abs(sd - 0.08) < 0.004, `mean ${mean}, sd ${sd}`);
  compareViews(s, P, cfg, ['ab', 'abcdefghijklmnopqrstuvw']);
  assert.throws(() => s.nameLoss('abcdefghijklmnopqrstuvwx'), /longer than 23/);
  s.destroy();
});

test('deep gradient: central differences on two dials of every tensor', () => {
  const cfg = { nEmbd: 32, nHead: 8, nLayer: 2, blockSize: 16 };
  const s = engine.createSession({ text: names, seed: 5, ...cfg });
  s.train(40, 40);
  const o = layout(cfg), E = 32, F = 128;
  const starts = [[o.wte, V * E], [o.wpe, 16 * E], [o.lm, V * E]];
  for (const w of o.layers) starts.push([w.wq, E * E], [w.wk, E * E], [w.wv, E * E], [w.wo, E * E], [w.fc1, F * E], [w.fc2, E * F]);
  const name = 'jasmine';
  const { loss, grads } = s.grad(name);
  close(loss, s.nameLoss(name), 1e-15, 'grad loss');
  // the dials a name touches: its courses' rows of wte, its positions' rows of wpe; any row elsewhere
  const dials = [];
  const used = encode(name);
  for (const [start, size] of starts) {
    if (start === o.wte) dials.push(start + used[0] * E + 3, start + used[2] * E + 17);
    else if (start === o.wpe) dials.push(start + 0 * E + 5, start + 6 * E + 30);
    else dials.push(start + 7, start + size - 9);
  }
  const h = 1e-5, P = s.params().slice();
  let worst = 0, nonzero = 0;
  for (const i of dials) {
    s.setParam(i, P[i] + h); const up = s.nameLoss(name);
    s.setParam(i, P[i] - h); const down = s.nameLoss(name);
    s.setParam(i, P[i]);
    const num = (up - down) / (2 * h);
    if (Math.abs(grads[i]) > 1e-6) nonzero++;
    worst = Math.max(worst, Math.abs(num - grads[i]) / Math.max(1e-3, Math.abs(num) + Math.abs(grads[i])));
  }
  assert.equal(dials.length, 30);
  assert.ok(nonzero >= 25, `only ${nonzero} of the 30 gradients are nonzero`);
  assert.ok(worst < 1e-6, `worst relative error ${worst}`);
  // a course the name does not use gets no gradient through wte
  const unused = chars.indexOf('q');
  assert.ok(grads.subarray(o.wte + unused * E, o.wte + (unused + 1) * E).every((g) => g === 0));
  assert.deepEqual(s.params(), P, 'grad and nameLoss leave the dials as they were');
  s.destroy();
});
