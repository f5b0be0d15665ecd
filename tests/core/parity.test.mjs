// The native CLI reproduces the reference runs of the Python original
// (tests/fixtures/reference, see its README.md and SPEC.md), on this
// project's data/names.txt and on Karpathy's own makemore names. Every
// expected value here comes from those files, never from this build.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, dataFile, makemoreFile } from '../helpers/paths.mjs';
import { loadRun, loadParams, parseCheckpoint, maxAbsDiff, firstOff, sha256, readmeSha256, assertMatchesRun } from '../helpers/ref.mjs';

const tmp = mkdtempSync(path.join(tmpdir(), 'mg-parity-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const tmpFile = (name) => path.join(tmp, name);
const run = (args, data = dataFile) => execFileSync(cli, ['train', '--data', data, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
/** FNV-1a 64 as published (offset basis 14695981039346656037), as 16 hex digits. */
function fnv1a64(bytes) {
  let h = 14695981039346656037n;
  for (const x of bytes) h = ((h ^ BigInt(x)) * 1099511628211n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}

/** The reference program's stdout for a run: its print statements, line for line. */
function expectedStdout(ref, numSteps, losses = ref.losses) {
  const lines = [`num docs: ${ref.num_docs}`, `vocab size: ${ref.vocab_size}`, `num params: ${ref.num_params}`];
  losses.forEach((loss, i) =>
    lines.push(`step ${String(i + 1).padStart(4)} / ${String(numSteps).padStart(4)} | loss ${loss.toFixed(4)}`));
  lines.push('', '--- inference (new, hallucinated names) ---');
  ref.samples.forEach((name, i) => lines.push(`sample ${String(i + 1).padStart(2)}: ${name}`));
  return lines.join('\n') + '\n';
}

const ref42 = loadRun('microgpt_seed42');
const refDeep = loadRun('microgpt_deep_seed5');
const refMakemore = loadRun('microgpt_makemore_seed42');

// The seed-42 run, once for the tests below.
let main;
function seed42() {
  if (!main) {
    const json = tmpFile('run.json'), ckpt = tmpFile('run.ckpt');
    const stdout = run(['--seed', '42', '--steps', '1000', '--temperature', '0.5', '--json', json, '--save', ckpt]);
    main = { stdout, json: readJson(json), ckptFile: ckpt, ckpt: parseCheckpoint(readFileSync(ckpt)) };
  }
  return main;
}

test('the reference files are the ones README.md describes', () => {
  assert.equal(ref42.seed, 42);
  assert.equal(ref42.num_steps, 1000);
  assert.equal(ref42.temperature, 0.5);
  assert.equal(ref42.losses.length, 1000);
  assert.equal(ref42.samples.length, 20);
  assert.equal(loadParams('microgpt_seed42').length, 4192);
  assert.equal(refDeep.losses.length, 40);
  assert.equal(loadParams('microgpt_deep_seed5').length, 26816);
  assert.equal(sha256(dataFile), ref42.dataset_sha256, 'data/names.txt is the reference training set');
  assert.equal(sha256(makemoreFile), readmeSha256('makemore_names.txt'), 'makemore_names.txt is Karpathy\'s file');
  assert.equal(refMakemore.num_docs, 32033);
  assert.equal(refMakemore.losses.length, 1000);
  assert.equal(refMakemore.samples.length, 20);
  assert.equal(loadParams('microgpt_makemore_seed42').length, 4192);
});

test('seed 42: num docs, vocab size and num params', () => {
  const { json } = seed42();
  assert.equal(json.num_docs, ref42.num_docs);
  assert.equal(json.vocab_size, ref42.vocab_size);
  assert.equal(json.num_params, ref42.num_params);
});

test('seed 42: each of the 1000 losses within 1e-9 of the reference', () => {
  const { json } = seed42();
  assert.equal(json.losses.length, 1000);
  assert.equal(firstOff(json.losses, ref42.losses, 1e-9), null);
});

test('seed 42: the 20 names at temperature 0.5, exactly', () => {
  assert.deepEqual(seed42().json.samples, ref42.samples);
});

test('seed 42: the 4,192 parameters after step 1000 within 1e-9 (read from the --save file)', () => {
  const { ckpt } = seed42();
  const want = loadParams('microgpt_seed42');
  assert.equal(ckpt.params.length, want.length);
  const d = maxAbsDiff(ckpt.params, want);
  assert.ok(d <= 1e-9, `max parameter difference ${d}`);
  // the header describes the run
  assert.equal(ckpt.magic, 'MGPT');
  assert.equal(ckpt.version, 2);
  assert.equal(ckpt.preset, 'names.txt', 'the --data file\'s name');
  assert.equal(ckpt.recordsHash, fnv1a64(readFileSync(dataFile)), 'the records\' FNV-1a 64');
  assert.deepEqual(ckpt.config, { nEmbd: 16, nHead: 4, nLayer: 1, blockSize: 16 });
  assert.equal(ckpt.vocabSize, 27);
  assert.equal(ckpt.seed, 42);
  assert.equal(ckpt.step, 1000);
  assert.equal(ckpt.numSteps, 1000);
  assert.equal(ckpt.numParams, 4192);
  assert.equal(ckpt.flags, 1, 'Adam state saved');
  const raw = readFileSync(seed42().ckptFile);
  const vocab = Array.from({ length: 26 }, (_, i) => raw.readUInt32LE(92 + 4 * i));
  assert.deepEqual(vocab, Array.from({ length: 26 }, (_, i) => 'a'.codePointAt(0) + i));
  assert.equal(raw.length, 92 + 4 * 26 + 3 * 8 * 4192 + 8);
});

test('seed 42: stdout is the reference program\'s, line for line', () => {
  const { stdout } = seed42();
  assert.equal(stdout.split('\n')[3], 'step    1 / 1000 | loss 3.4639');
  assert.equal(stdout, expectedStdout(ref42, 1000));
});

test('deep run (n_embd 32, 8 heads, 2 layers, seed 5, 40 steps, temperature 0.6) matches the reference', () => {
  const json = tmpFile('deep.json'), ckptFile = tmpFile('deep.ckpt');
  const stdout = run(['--seed', '5', '--steps', '40', '--temperature', '0.6', '--n-embd', '32', '--n-head', '8',
    '--n-layer', '2', '--block-size', '16', '--json', json, '--save', ckptFile]);
  const got = readJson(json);
  assert.equal(got.num_docs, refDeep.num_docs);
  assert.equal(got.vocab_size, refDeep.vocab_size);
  assert.equal(got.num_params, refDeep.num_params);
  assert.equal(got.num_params, 26816);
  assert.equal(got.losses.length, 40);
  assert.equal(firstOff(got.losses, refDeep.losses, 1e-9), null);
  assert.deepEqual(got.samples, refDeep.samples);
  assert.equal(got.samples[0], '', 'the bell drawn first: the empty name');
  const ckpt = parseCheckpoint(readFileSync(ckptFile));
  assert.deepEqual(ckpt.config, { nEmbd: 32, nHead: 8, nLayer: 2, blockSize: 16 });
  const d = maxAbsDiff(ckpt.params, loadParams('microgpt_deep_seed5'));
  assert.ok(d <= 1e-9, `max parameter difference ${d}`);
  assert.equal(stdout, expectedStdout(refDeep, 40));
});

test('Karpathy\'s run (makemore names, seed 42, 1000 steps): losses and parameters within 1e-9, the 20 names, stdout', (t) => {
  const json = tmpFile('makemore.json'), ckpt = tmpFile('makemore.ckpt');
  const stdout = run(['--seed', '42', '--steps', '1000', '--temperature', '0.5', '--json', json, '--save', ckpt], makemoreFile);
  const got = readJson(json);
  assert.equal(got.num_docs, refMakemore.num_docs);
  assert.equal(got.vocab_size, refMakemore.vocab_size);
  assert.equal(got.num_params, refMakemore.num_params);
  const figures = assertMatchesRun({ ...got, params: parseCheckpoint(readFileSync(ckpt)).params }, 'microgpt_makemore_seed42');
  assert.equal(stdout, expectedStdout(refMakemore, 1000));
  t.diagnostic(`CLI on makemore: max |loss diff| ${figures.lossDiff}, max |param diff| ${figures.paramDiff}, names equal`);
});

test('load the finished seed-42 file: same names, and save/load/save is byte-identical', () => {
  const a = seed42().ckptFile, b = tmpFile('b.ckpt'), c = tmpFile('c.ckpt'), j = tmpFile('b.json');
  const stdout = run(['--load', a, '--samples', '20', '--save', b, '--json', j]);
  // a finished run trains no further; the sampler starts from the seed's stream
  // as in the uninterrupted run, so the names are the reference's
  assert.equal(stdout, expectedStdout(ref42, 1000, []));
  const loaded = readJson(j);
  assert.deepEqual(loaded.losses, []);
  assert.deepEqual(loaded.samples, ref42.samples);
  assert.deepEqual(readFileSync(b), readFileSync(a), 'load then save gives the file back byte for byte');
  // the size and seed flags may be repeated when they agree with the file
  run(['--load', b, '--seed', '42', '--steps', '1000', '--n-embd', '16', '--n-head', '4', '--n-layer', '1',
    '--block-size', '16', '--samples', '0', '--save', c, '--quiet']);
  assert.deepEqual(readFileSync(c), readFileSync(a));
  const d = maxAbsDiff(parseCheckpoint(readFileSync(c)).params, loadParams('microgpt_seed42'));
  assert.ok(d <= 1e-9);
});

test('a file saved with other size flags loads without them and gives the same names', () => {
  const f = tmpFile('small.ckpt'), j1 = tmpFile('small1.json'), j2 = tmpFile('small2.json'), f2 = tmpFile('small2.ckpt');
  run(['--seed', '9', '--steps', '30', '--n-embd', '8', '--n-head', '2', '--n-layer', '2', '--block-size', '8',
    '--samples', '5', '--save', f, '--json', j1, '--quiet']);
  run(['--load', f, '--samples', '5', '--json', j2, '--save', f2, '--quiet']);
  const first = readJson(j1), again = readJson(j2);
  assert.equal(again.num_params, first.num_params);
  assert.equal(first.num_params, 2 * 27 * 8 + 8 * 8 + 2 * 12 * 8 * 8);
  assert.deepEqual(again.samples, first.samples);
  assert.deepEqual(readFileSync(f2), readFileSync(f));
  const h = parseCheckpoint(readFileSync(f));
  assert.deepEqual([h.seed, h.step, h.numSteps], [9, 30, 30]);
});
