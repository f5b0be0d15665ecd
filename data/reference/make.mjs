#!/usr/bin/env node
// make.mjs - writes the reference runs the site ships (data/reference/<id>.json)
// from the measurements in tests/fixtures/reference (see its README.md):
// which records (preset id and sha256), seed, size, steps and temperature,
// the 1,000 losses as the reference printed them and its 20 names. Run by a
// person after the fixtures change: `node data/reference/make.mjs`.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const fixtures = path.join(root, 'tests', 'fixtures', 'reference');
const presets = JSON.parse(readFileSync(path.join(root, 'data', 'presets', 'presets.json'), 'utf8'));

// The runs: each fixture, the preset it trained on, its size (the fixtures
// were all run at microgpt's default size; checked against num_params below)
// and who printed it.
const RUNS = [
  { id: 'karpathy-seed42', fixture: 'microgpt_makemore_seed42', records: 'karpathy', by: 'Karpathy\'s microgpt.py',
    config: { nEmbd: 16, nHead: 4, nLayer: 1, blockSize: 16 } },
  { id: 'us-2018-seed42', fixture: 'microgpt_seed42', records: 'us-2018', by: 'the reference microgpt (CPython)',
    config: { nEmbd: 16, nHead: 4, nLayer: 1, blockSize: 16 } },
];

/** Dials of a config over V tokens (SPEC.md: wte, wpe, lm_head, 12 E^2 per layer). */
const numParams = ({ nEmbd: E, nLayer: L, blockSize: T }, V) => 2 * V * E + T * E + 12 * L * E * E;

for (const r of RUNS) {
  const run = JSON.parse(readFileSync(path.join(fixtures, `${r.fixture}.json`), 'utf8'));
  const preset = presets.find((p) => p.id === r.records);
  if (!preset) throw new Error(`data/presets/presets.json has no preset ${r.records}`);
  const sha = createHash('sha256').update(readFileSync(path.join(root, preset.source))).digest('hex');
  if (sha !== preset.sha256) throw new Error(`${preset.source}: sha256 ${sha}, the manifest says ${preset.sha256}`);
  if (run.dataset_sha256 && run.dataset_sha256 !== sha) throw new Error(`${r.fixture} trained on ${run.dataset_sha256}, not ${preset.source}`);
  if (numParams(r.config, run.vocab_size) !== run.num_params) throw new Error(`${r.fixture}: ${run.num_params} dials is not the config given`);
  if (run.losses.length !== run.num_steps) throw new Error(`${r.fixture}: ${run.losses.length} losses for ${run.num_steps} steps`);
  const out = {
    id: r.id, by: r.by, records: r.records, recordsSha256: sha, seed: run.seed, config: r.config,
    steps: run.num_steps, temperature: run.temperature, numParams: run.num_params, losses: run.losses, names: run.samples,
  };
  writeFileSync(path.join(here, `${r.id}.json`), `${JSON.stringify(out)}\n`);
  console.error(`data/reference/${r.id}.json: ${out.losses.length} losses, ${out.names.length} names`);
}
