// Parameter files name their records (version 2): the engine peeks at a file
// without a session (peekFile), knows its own records (records(), setPreset),
// refuses a file of other records without changing anything, and trades
// files with the CLI both ways with the same names.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, dataFile, makemoreFile } from '../helpers/paths.mjs';
import { loadRun, parseCheckpoint } from '../helpers/ref.mjs';
import { engine, names } from '../helpers/engine.mjs';

const tmp = mkdtempSync(path.join(tmpdir(), 'mg-wasm-records-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const tmpFile = (n) => path.join(tmp, n);
const makemore = readFileSync(makemoreFile, 'utf8');
const karpathy = loadRun('microgpt_makemore_seed42');
function cliTrain(args) {
  const r = spawnSync(cli, ['train', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr);
  return r;
}
/** FNV-1a 64 as published, 16 hex digits (written here from the algorithm). */
function fnv1a64(bytes) {
  let h = 14695981039346656037n;
  for (const x of bytes) h = ((h ^ BigInt(x)) * 1099511628211n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}

test('records(): the hash of the text\'s bytes and the preset; setPreset checks the id', () => {
  const s = engine.createSession({ text: makemore });
  assert.deepEqual(s.records(), { hash: fnv1a64(readFileSync(makemoreFile)), preset: '' });
  s.setPreset('karpathy');
  assert.deepEqual(s.records().preset, 'karpathy');
  s.setPreset('x'.repeat(32));
  assert.throws(() => s.setPreset('x'.repeat(33)), (e) => e.status === 'ARG' && /at most 32 printable ASCII/.test(e.message));
  assert.throws(() => s.setPreset('pokémon'), (e) => e.status === 'ARG' && /printable ASCII/.test(e.message));
  assert.throws(() => s.setPreset('a\nb'), (e) => e.status === 'ARG');
  assert.throws(() => s.setPreset(7), (e) => e.status === 'ARG' && /string/.test(e.message));
  assert.equal(s.records().preset, 'x'.repeat(32), 'a refused id leaves the preset as it was');
  s.setPreset('');
  assert.equal(s.records().preset, '');
  s.destroy();
});

test('peekFile: config, seed, step, records hash and preset, with no session; corrupt files refused', () => {
  const s = engine.createSession({ text: makemore, seed: 7, nEmbd: 8, nHead: 2, nLayer: 2, blockSize: 12 });
  s.setPreset('karpathy');
  s.train(30, 50);
  const bytes = s.save();
  s.destroy();
  assert.deepEqual(engine.peekFile(bytes), {
    version: 2, config: { nEmbd: 8, nHead: 2, nLayer: 2, blockSize: 12 }, vocabSize: 27, seed: 7, step: 30, numSteps: 50,
    numParams: parseCheckpoint(bytes).numParams, hasAdam: true, recordsHash: fnv1a64(readFileSync(makemoreFile)), preset: 'karpathy',
  });
  const bad = bytes.slice(); bad[100] ^= 1;
  assert.throws(() => engine.peekFile(bad), (e) => e.status === 'CHECKPOINT' && /checksum/.test(e.message));
  assert.throws(() => engine.peekFile(new Uint8Array(3)), (e) => e.status === 'CHECKPOINT' && /too short/.test(e.message));
  assert.throws(() => engine.peekFile([1, 2]), (e) => e.status === 'ARG');
});

test('a file of other records is refused by name and hash; the session is unchanged and goes on', () => {
  const a = engine.createSession({ text: makemore, seed: 42 });
  a.setPreset('karpathy');
  a.train(100, 1000);
  const file = a.save();
  a.destroy();
  const b = engine.createSession({ text: names, seed: 42 });
  b.train(20, 1000);
  const before = b.save();
  assert.throws(() => b.load(file), (e) => {
    assert.equal(e.status, 'CHECKPOINT');
    assert.equal(e.message, `this file was trained on the records 'karpathy' (hash ${fnv1a64(readFileSync(makemoreFile))}), ` +
      `not these (hash ${fnv1a64(readFileSync(dataFile))}): load those records first`);
    return true;
  });
  assert.deepEqual(b.save(), before, 'dials, Adam\'s memory, step and preset as they were');
  assert.equal(b.train(1, 1000).length, 1);
  b.destroy();
});

test('CLI-saved file -> engine: Karpathy\'s names; engine-saved file -> CLI: the same names, and back', () => {
  // the CLI trains and saves; the engine loads and samples
  const fromCli = tmpFile('cli.mgpt');
  cliTrain(['--data', makemoreFile, '--seed', '42', '--steps', '1000', '--samples', '0', '--save', fromCli, '--quiet']);
  const cliBytes = new Uint8Array(readFileSync(fromCli));
  const peek = engine.peekFile(cliBytes);
  assert.equal(peek.preset, 'makemore_names.txt');
  const s = engine.createSession({ text: makemore, seed: peek.seed, ...peek.config });
  s.load(cliBytes);
  assert.deepEqual(s.sample(20, 0.5), karpathy.samples);
  s.destroy();

  // the engine trains to step 400 and saves (as the page would); the CLI finishes the run
  const e = engine.createSession({ text: makemore, seed: 42 });
  e.setPreset('karpathy');
  const first = e.train(400, 1000);
  const fromPage = tmpFile('page.mgpt'), json = tmpFile('cli.json'), back = tmpFile('back.mgpt');
  writeFileSync(fromPage, e.save());
  const rest = e.train(600, 1000);
  const engineNames = e.sample(20, 0.5);
  e.destroy();
  assert.deepEqual(engineNames, karpathy.samples);
  cliTrain(['--data', makemoreFile, '--load', fromPage, '--samples', '20', '--json', json, '--save', back, '--quiet']);
  const got = JSON.parse(readFileSync(json, 'utf8'));
  assert.deepEqual(got.samples, engineNames);
  assert.equal(got.losses.length, 600);
  assert.ok(got.losses.every((l, i) => Math.abs(l - rest[i]) <= 1e-12), 'the CLI continues the engine\'s run');
  assert.ok(first.every((l, i) => Math.abs(l - karpathy.losses[i]) <= 1e-12));

  // and back: the CLI's finished file in the engine, the preset kept
  const backBytes = new Uint8Array(readFileSync(back));
  assert.equal(engine.peekFile(backBytes).preset, 'karpathy');
  const f = engine.createSession({ text: makemore, seed: 1 });
  f.load(backBytes);
  assert.deepEqual(f.records().preset, 'karpathy');
  assert.deepEqual(f.sample(20, 0.5), karpathy.samples);
  assert.deepEqual(f.save(), backBytes, 'engine and CLI write the same bytes');
  f.destroy();
});
