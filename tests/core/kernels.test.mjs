// Each kernel of c/kernels.h against the plain scalar loop in reference
// order (tests/core/kernels.c), in both builds: natively (build/kernels_check)
// every value bit for bit; as WebAssembly under Node (build/kernels_check.cjs)
// bit for bit too, but for the softmax and the attention's forward, whose
// exps come from exp_f64x2: there within 1e-15 of max(1, |plain value|), the
// tolerance kernels.h documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { build } from '../helpers/paths.mjs';

const KERNELS = ['matmul', 'matmul_tn', 'transpose', 'softmax', 'attention_forward', 'attention_backward'];
const OWN_EXP = new Set(['softmax', 'attention_forward']);

function run(file, args = []) {
  const out = execFileSync(file, args, { encoding: 'utf8' });
  const rows = out.trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(rows.map((r) => r.kernel), KERNELS, 'every kernel was checked');
  for (const r of rows) assert.ok(r.values > 10000, `${r.kernel}: ${r.values} values compared`);
  return Object.fromEntries(rows.map((r) => [r.kernel, r]));
}

test('native kernels equal the plain loops bit for bit', () => {
  const rows = run(path.join(build, 'kernels_check'));
  for (const k of KERNELS) assert.equal(rows[k].unequal, 0, `${k}: ${rows[k].unequal} of ${rows[k].values} differ`);
});

test('wasm kernels equal the plain loops (bit for bit but for the own exp, there within 1e-15)', () => {
  const rows = run(process.execPath, [path.join(build, 'kernels_check.cjs')]);
  for (const k of KERNELS) {
    if (OWN_EXP.has(k)) assert.ok(rows[k].max_rel <= 1e-15, `${k}: off by ${rows[k].max_rel}`);
    else assert.equal(rows[k].unequal, 0, `${k}: ${rows[k].unequal} of ${rows[k].values} differ`);
  }
});
