// Each kernel of c/kernels.h against the plain scalar loop in reference
// order (tests/core/kernels.c), in both builds: natively (build/kernels_check)
// and as WebAssembly under Node (build/kernels_check.cjs), every value bit for
// bit but for the softmax and the attention's forward, whose exps come from
// the project's own exp (exp_vec.h), not libm's: there within 1e-15 of
// max(1, |plain value|), the tolerance kernels.h documents. And the two
// builds' kernels give the same bits (the same sums, the same exp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { build } from '../helpers/paths.mjs';

const KERNELS = ['matmul', 'matmul_tn', 'transpose', 'softmax', 'attention_forward', 'attention_backward', 'adam'];
const OWN_EXP = new Set(['softmax', 'attention_forward']);

function run(file, args = []) {
  const out = execFileSync(file, args, { encoding: 'utf8' });
  const rows = out.trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(rows.map((r) => r.kernel), KERNELS, 'every kernel was checked');
  for (const r of rows) assert.ok(r.values > 10000, `${r.kernel}: ${r.values} values compared`);
  return Object.fromEntries(rows.map((r) => [r.kernel, r]));
}

// the kernels whose inputs are the same in both builds: the softmax's inputs
// with z - max below -700 take libm's exp (glibc's natively, musl's in wasm),
// and the attention's backward takes its weights from the plain forward (libm)
const SAME_INPUTS = KERNELS.filter((k) => k !== 'softmax' && k !== 'attention_backward');

function holdsToPromise(rows) {
  for (const k of KERNELS) {
    if (OWN_EXP.has(k)) assert.ok(rows[k].max_rel <= 1e-15, `${k}: off by ${rows[k].max_rel}`);
    else assert.equal(rows[k].unequal, 0, `${k}: ${rows[k].unequal} of ${rows[k].values} differ`);
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
