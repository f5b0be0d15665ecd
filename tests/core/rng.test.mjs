// The core's generator against values CPython's `random` module printed
// (tests/fixtures/cpython_random.json; tests/fixtures/README.md says how it was made).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build, root } from '../helpers/paths.mjs';

const fixture = JSON.parse(readFileSync(path.join(root, 'tests/fixtures/cpython_random.json'), 'utf8'));
const rngValues = path.join(build, 'rng_values');

test('the fixture is CPython 3 output (a value known independently of this project)', () => {
  assert.match(fixture.python, /^3\./);
  // random.Random(42).random() in every CPython 3
  assert.equal(fixture.seeds['42'].random[0], 0.6394267984578837);
  assert.deepEqual(Object.keys(fixture.seeds), ['0', '42', '4294967295', '4294967296', '1099511627776', '9007199254740992']);
});

for (const seed of Object.keys(fixture.seeds)) {
  test(`seed ${seed}: random, gauss, shuffle, getrandbits, choices, randbelow equal CPython's bit for bit`, () => {
    const want = fixture.seeds[seed];
    const got = JSON.parse(execFileSync(rngValues, [seed], { encoding: 'utf8' }));
    // Both sides print doubles with 17 significant digits (Python: repr), which
    // round-trips, so equal parsed numbers mean bit-equal doubles.
    assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort());
    assert.deepEqual(got.random, want.random, 'random()');
    assert.deepEqual(got.gauss, want.gauss, 'gauss(0, 0.08), 9 values: the cached second value included');
    assert.deepEqual(got.shuffle, want.shuffle, 'shuffle(range(20))');
    assert.deepEqual(got.getrandbits, want.getrandbits, 'getrandbits(k)');
    assert.deepEqual(got.choices, want.choices, 'choices(range(5), weights)');
    assert.equal(got.random_after_choices, want.random_after_choices, 'one random() per weighted pick');
    assert.deepEqual(got.randbelow, want.randbelow, '_randbelow(n)');
  });
}

test('rng_values refuses a malformed seed', () => {
  for (const bad of ['-1', 'x', '', '18446744073709551616']) {
    const r = spawnSync(rngValues, [bad], { encoding: 'utf8' });
    assert.equal(r.status, 2, `seed '${bad}'`);
  }
});
