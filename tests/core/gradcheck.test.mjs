// The hand-written backward pass against central finite differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { build, dataFile } from '../helpers/paths.mjs';

const check = (...args) => JSON.parse(execFileSync(path.join(build, 'gradcheck'), [dataFile, ...args.map(String)], { encoding: 'utf8' }));

for (const [label, cfg] of [['reference sizes', [16, 4, 1, 16]], ['2 layers, n_embd 8, 2 heads, block 8', [8, 2, 2, 8]]]) {
  for (const [when, steps, perturb] of [['at initialisation', 0, 0], ['after 200 steps', 200, 0], ['at random dials', 0, 0.3]]) {
    test(`${label}, ${when}: relative error below 1e-6`, () => {
      const r = check(...cfg, steps, perturb);
      assert.ok(r.checked >= 150, `checked ${r.checked} dials`);
      assert.ok(r.kinks <= 0.05 * (r.checked + r.kinks), `${r.kinks} dials sat on a ReLU kink`);
      assert.ok(r.max_rel_error < 1e-6, `worst ${r.worst}: analytic ${r.analytic}, numeric ${r.numeric} (rel ${r.max_rel_error})`);
    });
  }
}
