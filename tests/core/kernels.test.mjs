// Each kernel of c/kernels.h against the plain scalar loop in reference
// order (tests/core/kernels.c), in both builds: natively (build/kernels_check)
// and as WebAssembly under Node (build/kernels_check.cjs), every value bit for
// bit but for the softmax and the attention's forward, whose exps come from
// the project's own exp (exp_vec.h), not libm's: there within 1e-15 of
// max(1, |plain value|), the tolerance kernels.h documents. And the two
// builds' kernels give the same bits (the same sums, the same exp). And
// rmsnorm's x^-0.5 (mg_rsqrt) is the nearest double: where it differs from
// libm's pow(x, -0.5), exact arithmetic here finds pow's value the farther.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { build } from '../helpers/paths.mjs';

const KERNELS = ['matmul', 'matmul_tn', 'transpose', 'softmax', 'softmax_rows', 'attention_forward',
  'attention_backward', 'adam', 'rsqrt'];
const OWN_EXP = new Set(['softmax', 'attention_forward']);

function run(file, args = []) {
  const out = execFileSync(file, args, { encoding: 'utf8' });
  const rows = out.trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(rows.map((r) => r.kernel), KERNELS, 'every kernel was checked');
  for (const r of rows) assert.ok(r.values > 10000, `${r.kernel}: ${r.values} values compared`);
  return Object.fromEntries(rows.map((r) => [r.kernel, r]));
}

// the kernels whose inputs are the same in both builds: the softmaxes' inputs
// with z - max below -700 take libm's exp (glibc's natively, musl's in wasm),
// and the attention's backward takes its weights from the plain forward (libm)
const SAME_INPUTS = KERNELS.filter((k) => !['softmax', 'softmax_rows', 'attention_backward'].includes(k));

// A double's exact value as mantissa * 2^exponent (BigInt, number); finite, positive.
function exact(hex) {
  const bits = BigInt(`0x${hex}`), e = Number((bits >> 52n) & 0x7ffn), f = bits & ((1n << 52n) - 1n);
  return e ? { m: f | (1n << 52n), e: e - 1075 } : { m: f, e: -1074 };
}
// Is a nearer x^-0.5 than b (a, b adjacent doubles)? Their midpoint m lies
// above x^-0.5 exactly when m^2 x > 1.
function nearerRsqrt(x, a, b) {
  const X = exact(x), A = exact(a), B = exact(b);
  const e = Math.min(A.e, B.e), sum = (A.m << BigInt(A.e - e)) + (B.m << BigInt(B.e - e)); // m = sum 2^(e-1)
  const lhs = sum * sum * X.m, p = 2 * (e - 1) + X.e; // m^2 x = lhs 2^p
  const above = p >= 0 ? lhs << BigInt(p) > 1n : lhs > 1n << BigInt(-p);
  const aSmaller = A.e < B.e || (A.e === B.e && A.m < B.m);
  return above === aSmaller; // the midpoint above: the smaller is nearer
}

function holdsToPromise(rows) {
  for (const k of KERNELS) {
    if (OWN_EXP.has(k)) assert.ok(rows[k].max_rel <= 1e-15, `${k}: off by ${rows[k].max_rel}`);
    else if (k === 'rsqrt') {
      const r = rows[k];
      assert.ok(r.max_rel <= 2.3e-16, `rsqrt: off pow's by ${r.max_rel} (more than an ulp)`);
      assert.ok(r.unequal < r.values / 500, `rsqrt: ${r.unequal} of ${r.values} differ from pow's`);
      assert.ok(r.cases.length > 0 && r.cases.length === Math.min(40, r.unequal));
      for (const [x, ours, pow] of r.cases)
        assert.ok(nearerRsqrt(x, ours, pow), `rsqrt(${x}): ${ours} is farther from x^-0.5 than pow's ${pow}`);
    } else assert.equal(rows[k].unequal, 0, `${k}: ${rows[k].unequal} of ${rows[k].values} differ`);
  }
}

let native, wasm;
test('native kernels equal the plain loops (bit for bit but for the own exp, there within 1e-15)', () => {
  native = run(path.join(build, 'kernels_check'));
  holdsToPromise(native);
});

test('wasm kernels equal the plain loops (bit for bit but for the own exp, there within 1e-15)', () => {
  wasm = run(process.execPath, [path.join(build, 'kernels_check.cjs')]);
  holdsToPromise(wasm);
});

test('the native and wasm kernels give the same bits', () => {
  for (const k of SAME_INPUTS) assert.equal(native[k].digest, wasm[k].digest, `${k}: the builds differ`);
});
