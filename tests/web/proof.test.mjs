// The proof (web/src/proof/compare.js) against the reference runs the site
// ships (data/reference/*.json): the real engine, trained on each preset at
// the reference's seed, size and length, matches its file; a tampered copy
// of the file is caught at the dish or the name that was changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { root } from '../helpers/paths.mjs';
import { engine } from '../helpers/engine.mjs';
import { matchingReference, compareRun, describeProof } from '../../web/src/proof/compare.js';

const readJson = (...p) => JSON.parse(readFileSync(path.join(root, ...p), 'utf8'));
const presets = readJson('data', 'presets', 'presets.json');
const refs = ['karpathy-seed42', 'us-2018-seed42'].map((id) => readJson('data', 'reference', `${id}.json`));

// One run per reference, trained by the engine on the preset's own file.
const runs = new Map();
function runOf(ref) {
  if (!runs.has(ref.id)) {
    const preset = presets.find((p) => p.id === ref.records);
    const bytes = readFileSync(path.join(root, preset.source));
    const s = engine.createSession({ text: bytes.toString('utf8'), seed: ref.seed, ...ref.config });
    const losses = [...s.train(ref.steps, ref.steps)];
    const names = s.sample(ref.names.length, ref.temperature); // the run's sampler stream, after training
    s.destroy();
    runs.set(ref.id, { recordsSha256: createHash('sha256').update(bytes).digest('hex'), losses, names });
  }
  return runs.get(ref.id);
}
const tampered = (ref, change) => { const c = structuredClone(ref); change(c); return c; };

for (const ref of refs) {
  test(`${ref.id}: the engine's run matches the shipped reference, every penalty and name`, (t) => {
    const run = runOf(ref);
    assert.equal(run.recordsSha256, presets.find((p) => p.id === ref.records).sha256, 'the records are the preset');
    const found = matchingReference({ recordsSha256: run.recordsSha256, seed: ref.seed, config: ref.config, steps: ref.steps }, refs);
    assert.equal(found, ref);
    const r = compareRun(ref, run.losses, run.names);
    assert.equal(r.total, 1000);
    assert.equal(r.equalLosses, 1000);
    assert.equal(r.firstDiff, null);
    assert.ok(r.maxDiff <= 1e-12, `max diff ${r.maxDiff}`);
    assert.equal(r.namesEqual, 20);
    assert.equal(r.firstNameDiff, null);
    assert.equal(r.complete, true);
    const sentence = describeProof(r, ref);
    assert.equal(sentence, `Same as ${ref.by}: 1,000 of 1,000 penalties equal to 1e-12, 20 of 20 names.`);
    t.diagnostic(`${sentence} (max |diff| ${r.maxDiff})`);
  });
}

test('a reference with one penalty changed at dish 417: found there, and said so', () => {
  const ref = refs[0], run = runOf(ref);
  const bad = tampered(ref, (c) => { c.losses[416] += 1e-9; });
  const r = compareRun(bad, run.losses, run.names);
  assert.equal(r.firstDiff, 417);
  assert.equal(r.equalLosses, 999);
  assert.ok(r.maxDiff > 1e-10 && r.maxDiff < 1e-8);
  assert.deepEqual(r.firstDiffValues, { got: run.losses[416], want: bad.losses[416] });
  assert.match(describeProof(r, bad), /^Differs from Karpathy's microgpt\.py at dish 417: penalty /);
  // while training: before dish 417 all is the same, from it on it differs
  assert.match(describeProof(compareRun(bad, run.losses.slice(0, 416), null), bad),
    /^So far the same as Karpathy's microgpt\.py: 416 of 1,000 penalties equal to 1e-12/);
  assert.equal(compareRun(bad, run.losses.slice(0, 417), null).firstDiff, 417);
});

test('a reference with a name changed: the name is reported, the penalties still equal', () => {
  const ref = refs[0], run = runOf(ref);
  const bad = tampered(ref, (c) => { c.names[6] = 'yeran!'; });
  const r = compareRun(bad, run.losses, run.names);
  assert.equal(r.firstDiff, null);
  assert.equal(r.namesEqual, 19);
  assert.deepEqual(r.firstNameDiff, { index: 7, got: run.names[6], want: 'yeran!' });
  assert.equal(describeProof(r, bad), `Same penalties as Karpathy's microgpt.py (1,000 of 1,000 penalties equal to 1e-12), ` +
    `but its names differ from name 7: "${run.names[6]}" where Karpathy's microgpt.py printed "yeran!" (19 of 20 names equal).`);
});

test('matchingReference: only a run with the same records, seed, size and length', () => {
  const ref = refs[0];
  const run = { recordsSha256: ref.recordsSha256, seed: ref.seed, config: { ...ref.config }, steps: ref.steps };
  assert.equal(matchingReference(run, refs), ref);
  assert.equal(matchingReference({ ...run, seed: 43 }, refs), null);
  assert.equal(matchingReference({ ...run, steps: 5000 }, refs), null);
  assert.equal(matchingReference({ ...run, config: { ...ref.config, nEmbd: 32 } }, refs), null);
  assert.equal(matchingReference({ ...run, recordsSha256: refs[1].recordsSha256 }, refs), refs[1], 'the same settings on the SSA records: its run');
  assert.equal(matchingReference({ ...run, recordsSha256: '0'.repeat(64) }, refs), null, 'records of the reader\'s own');
  // the file decides: a reference with another seed matches runs of that seed
  const other = tampered(ref, (c) => { c.seed = 7; });
  assert.equal(matchingReference({ ...run, seed: 7 }, [other]), other);
});

test('a NaN penalty never counts as equal', () => {
  const ref = refs[0];
  const losses = ref.losses.slice(0, 10);
  losses[3] = NaN;
  const r = compareRun(ref, losses, null);
  assert.equal(r.firstDiff, 4);
  assert.equal(r.equalLosses, 9);
  assert.equal(r.maxDiff, NaN);
});

test('the shipped references are the fixtures\' runs, for the presets the manifest lists', () => {
  const fixture = { 'karpathy-seed42': 'microgpt_makemore_seed42', 'us-2018-seed42': 'microgpt_seed42' };
  for (const ref of refs) {
    const f = readJson('tests', 'fixtures', 'reference', `${fixture[ref.id]}.json`);
    assert.deepEqual(ref.losses, f.losses);
    assert.deepEqual(ref.names, f.samples);
    assert.equal(ref.seed, f.seed);
    assert.equal(ref.steps, f.num_steps);
    assert.equal(ref.temperature, f.temperature);
    const preset = presets.find((p) => p.id === ref.records);
    assert.equal(ref.recordsSha256, preset.sha256);
    assert.equal(createHash('sha256').update(readFileSync(path.join(root, preset.source))).digest('hex'), preset.sha256);
  }
});
