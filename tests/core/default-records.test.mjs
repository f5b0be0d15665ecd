// The CLI's default records: with no --data, `microgpt train` trains on
// Karpathy's makemore names (data/makemore_names.txt, byte for byte the
// fixture's makemore_names.txt) and, at its defaults (seed 42, 1,000 steps,
// temperature 0.5), prints Karpathy's own run, from any working directory.
// The expected figures are the fixture's (his microgpt.py under CPython).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, root, makemoreFile } from '../helpers/paths.mjs';
import { loadRun, firstOff } from '../helpers/ref.mjs';

const tmp = mkdtempSync(path.join(tmpdir(), 'mg-default-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const karpathy = loadRun('microgpt_makemore_seed42');

test('data/makemore_names.txt is the fixture\'s makemore names.txt, byte for byte', () => {
  assert.deepEqual(readFileSync(path.join(root, 'data', 'makemore_names.txt')), readFileSync(makemoreFile));
});

test('microgpt train with no --data (from another folder) prints Karpathy\'s run: his 32,033 names, losses, 20 names', () => {
  const json = path.join(tmp, 'run.json');
  const stdout = execFileSync(cli, ['train', '--json', json], { cwd: tmp, encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.match(stdout, new RegExp(`^num docs: ${karpathy.num_docs}\nvocab size: ${karpathy.vocab_size}\nnum params: ${karpathy.num_params}\n`));
  const printed = [...stdout.matchAll(/^sample +\d+: (.*)$/gm)].map((m) => m[1]);
  assert.deepEqual(printed, karpathy.samples);
  const run = JSON.parse(readFileSync(json, 'utf8'));
  assert.equal(firstOff(run.losses, karpathy.losses, 1e-12), null);
  assert.deepEqual(run.samples, karpathy.samples);
});

test('--help names the default records; --data still picks others', () => {
  const help = execFileSync(cli, ['train', '--help'], { encoding: 'utf8' });
  assert.match(help, /usage: microgpt train\|bench \[--data FILE\]/);
  assert.ok(help.includes(`--data defaults to Karpathy's makemore names: ${path.join(root, 'data', 'makemore_names.txt')}`), help);
  const ssa = execFileSync(cli, ['train', '--data', path.join(root, 'data', 'names.txt'), '--steps', '1', '--samples', '0'],
    { cwd: tmp, encoding: 'utf8' });
  assert.match(ssa, new RegExp(`^num docs: ${loadRun('microgpt_seed42').num_docs}\n`), 'the SSA 2018 list');
});
