// The hand-written backward pass (mg_backward) against 4-point central
// differences of the loss (build/gradcheck, from tests/core/gradcheck.c,
// which explains the error measure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { build, dataFile } from '../helpers/paths.mjs';

const check = (...args) =>
  JSON.parse(execFileSync(path.join(build, 'gradcheck'), [dataFile, ...args.map(String)], { encoding: 'utf8' }));

const configs = [
  // label, [n_embd, n_head, n_layer, block_size], parameters (SPEC.md section 3, V = 27), tensors
  ['reference sizes (16, 4 heads, 1 layer)', [16, 4, 1, 16], 4192, 9],
  ['2 layers, n_embd 8, 2 heads, block 8', [8, 2, 2, 8], 2 * 27 * 8 + 8 * 8 + 2 * 12 * 8 * 8, 15],
];
const states = [
  ['at initialisation', 0, 0],
  ['after 200 steps', 200, 0],
  ['at random parameters (init + gauss(0, 0.3))', 0, 0.3],
];

for (const [label, cfg, numParams, numTensors] of configs) {
  for (const [when, steps, perturb] of states) {
    test(`${label}, ${when}: max relative error below 1e-6`, () => {
      const r = check(...cfg, steps, perturb);
      assert.equal(r.num_params, numParams);
      assert.equal(r.num_tensors, numTensors);
      assert.equal(r.tensors_covered, numTensors, 'every tensor has checked dials');
      assert.ok(r.checked >= 200, `checked ${r.checked} dials`);
      assert.ok(r.kinks <= 0.05 * (r.checked + r.kinks), `${r.kinks} dials sat on a ReLU kink`);
      assert.ok(r.max_grad > 1e-2, `the gradients are not all ~0 (largest ${r.max_grad})`);
      assert.ok(Number.isFinite(r.mean_loss) && r.mean_loss > 0, `loss ${r.mean_loss}`);
      assert.ok(r.max_rel_error < 1e-6,
        `worst ${r.worst}: analytic ${r.analytic}, numeric ${r.numeric} (rel ${r.max_rel_error}, abs ${r.max_abs_error})`);
    });
  }
}
