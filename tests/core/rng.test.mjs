// The core's generator against values CPython's `random` printed
// (tests/fixtures/cpython_random.json, see its README for how it was made).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build, root } from '../helpers/paths.mjs';

const fixture = JSON.parse(readFileSync(path.join(root, 'tests/fixtures/cpython_random.json'), 'utf8'));

for (const seed of Object.keys(fixture.seeds)) {
  test(`seed ${seed}: random, gauss, shuffle, getrandbits, choices, randbelow equal CPython's`, () => {
    const want = fixture.seeds[seed];
    const got = JSON.parse(execFileSync(path.join(build, 'rng_values'), [seed], { encoding: 'utf8' }));
    // floats compare exactly: both sides print 17 significant digits
    assert.deepEqual(got.random, want.random);
    assert.deepEqual(got.gauss, want.gauss);
    assert.deepEqual(got.shuffle, want.shuffle);
    assert.deepEqual(got.getrandbits, want.getrandbits);
    assert.deepEqual(got.choices, want.choices);
    assert.deepEqual(got.randbelow, want.randbelow);
    assert.equal(got.random_after_choices, want.random_after_choices);
  });
}
