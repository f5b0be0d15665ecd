// What `make site` ships for the default records and the proof: names.txt
// (what the kitchen opens with, kitchen/urls.js) is the preset the manifest
// marks default, Karpathy's makemore names byte for byte; reference/index.json
// names every shipped reference with the settings a page matches a run on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { root, dist, makemoreFile } from '../helpers/paths.mjs';

const built = existsSync(path.join(dist, 'index.html'));
const sha256 = (b) => createHash('sha256').update(b).digest('hex');
const manifest = JSON.parse(readFileSync(path.join(root, 'data', 'presets', 'presets.json'), 'utf8'));

test('web/dist/names.txt is the default preset: Karpathy\'s makemore names.txt', { skip: !built && 'web/dist not built' }, () => {
  const [def] = manifest.filter((p) => p.default);
  const bytes = readFileSync(path.join(dist, 'names.txt'));
  assert.equal(sha256(bytes), def.sha256);
  assert.deepEqual(bytes, readFileSync(makemoreFile), 'byte for byte the fixture\'s makemore names.txt');
  assert.equal(manifest.find((p) => p.id === 'us-2018').label, 'US baby names, 2018', 'the SSA list stays, as a preset');
});

test('web/dist/reference/index.json: each reference, with its records, seed, size and length', { skip: !built && 'web/dist not built' }, () => {
  const index = JSON.parse(readFileSync(path.join(dist, 'reference', 'index.json'), 'utf8'));
  const files = readdirSync(path.join(root, 'data', 'reference')).filter((f) => f.endsWith('.json')).sort();
  assert.deepEqual(index.map((e) => e.file).sort(), files);
  for (const e of index) {
    const ref = JSON.parse(readFileSync(path.join(root, 'data', 'reference', e.file), 'utf8'));
    assert.deepEqual(e, { file: e.file, id: ref.id, by: ref.by, recordsSha256: ref.recordsSha256, seed: ref.seed, config: ref.config, steps: ref.steps });
    assert.ok(!('losses' in e) && !('names' in e), 'the index carries no run');
  }
});
