// Parameter files name their records (format version 2, c/checkpoint.c): the
// CLI writes the records' FNV-1a 64 and the --data file's name, loads only
// with those records (saying which it needs), and still loads version 1 files.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, cliAsan, dataFile, makemoreFile } from '../helpers/paths.mjs';
import { loadRun, parseCheckpoint } from '../helpers/ref.mjs';

const tmp = mkdtempSync(path.join(tmpdir(), 'mg-records-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const tmpFile = (name) => path.join(tmp, name);
function train(args, bin = cli) {
  const r = spawnSync(bin, ['train', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.trimEnd() };
}
const ok = (args, bin) => { const r = train(args, bin); assert.equal(r.status, 0, r.stderr); return r; };
const readJson = (f) => JSON.parse(readFileSync(f, 'utf8'));

/** FNV-1a 64 as published, as 16 hex digits (written here from the algorithm). */
function fnv1a64(bytes) {
  let h = 14695981039346656037n;
  for (const x of bytes) h = ((h ^ BigInt(x)) * 1099511628211n) & 0xffffffffffffffffn;
  return h;
}
const hex = (h) => h.toString(16).padStart(16, '0');

/** The same file in the version 1 layout: no records hash or preset (bytes 52..91), version 1, its checksum. */
function asVersion1(v2) {
  const body = Buffer.concat([v2.subarray(0, 52), v2.subarray(92, v2.length - 8)]);
  body.writeUInt32LE(1, 4);
  const out = Buffer.alloc(body.length + 8);
  body.copy(out);
  out.writeBigUInt64LE(fnv1a64(body), body.length);
  return out;
}

// Karpathy's records at seed 42 for 1,000 steps, saved once for the tests below.
const karpathy = loadRun('microgpt_makemore_seed42');
const saved = tmpFile('karpathy.mgpt');
let savedOnce = false;
function karpathyFile() {
  if (!savedOnce) {
    ok(['--data', makemoreFile, '--seed', '42', '--steps', '1000', '--samples', '0', '--save', saved, '--quiet']);
    savedOnce = true;
  }
  return saved;
}

test('--save writes version 2: the records\' hash and the --data file\'s name', () => {
  const h = parseCheckpoint(readFileSync(karpathyFile()));
  assert.equal(h.version, 2);
  assert.equal(h.recordsHash, hex(fnv1a64(readFileSync(makemoreFile))));
  assert.equal(h.preset, 'makemore_names.txt');
  assert.equal(h.header, 92);
});

test('--load with the same records: Karpathy\'s 20 names, and the file saves back byte for byte', () => {
  const j = tmpFile('again.json'), again = tmpFile('again.mgpt');
  // the same bytes under another name: the hash is what identifies them
  const copy = tmpFile('copy.txt');
  copyFileSync(makemoreFile, copy);
  ok(['--data', copy, '--load', karpathyFile(), '--samples', '20', '--json', j, '--save', again, '--quiet']);
  assert.deepEqual(readJson(j).samples, karpathy.samples);
  assert.deepEqual(readFileSync(again), readFileSync(karpathyFile()), 'the file\'s preset is kept');
});

test('--load with other records is refused, naming the records it needs, before anything is written', () => {
  const out = tmpFile('never.mgpt'), j = tmpFile('never.json');
  const want = hex(fnv1a64(readFileSync(makemoreFile))), have = hex(fnv1a64(readFileSync(dataFile)));
  for (const bin of [cli, cliAsan]) {
    const r = train(['--data', dataFile, '--load', karpathyFile(), '--samples', '5', '--save', out, '--json', j], bin);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `microgpt: ${karpathyFile()}: this file was trained on the records 'makemore_names.txt' ` +
      `(hash ${want}), not these (hash ${have}): load those records first`);
    assert.equal(r.stdout, '', 'nothing trained or sampled');
    assert.ok(!existsSync(out) && !existsSync(j), 'nothing written');
  }
  // records differing in one byte are other records
  const edited = tmpFile('edited.txt');
  const b = Buffer.from(readFileSync(makemoreFile));
  b[0] = 'b'.charCodeAt(0) === b[0] ? 'c'.charCodeAt(0) : 'b'.charCodeAt(0);
  writeFileSync(edited, b);
  assert.match(train(['--data', edited, '--load', karpathyFile()]).stderr, /trained on the records 'makemore_names\.txt'/);
});

test('a version 1 file (no records named) still loads, with its characters checked, and gives the same names', () => {
  const v1 = tmpFile('karpathy-v1.mgpt'), j = tmpFile('v1.json'), resaved = tmpFile('v1-resaved.mgpt');
  writeFileSync(v1, asVersion1(readFileSync(karpathyFile())));
  assert.equal(parseCheckpoint(readFileSync(v1)).version, 1);
  ok(['--data', makemoreFile, '--load', v1, '--samples', '20', '--json', j, '--save', resaved, '--quiet']);
  assert.deepEqual(readJson(j).samples, karpathy.samples);
  // saved again, it is version 2 and names the records it was loaded with
  assert.deepEqual(readFileSync(resaved), readFileSync(karpathyFile()));
  // a version 1 file cannot name its records: other records with the same characters are taken
  ok(['--data', dataFile, '--load', v1, '--samples', '0', '--quiet']);
  // but other characters are still refused
  const abc = tmpFile('abc.txt');
  writeFileSync(abc, 'abc\ncab\n');
  assert.match(train(['--data', abc, '--load', v1]).stderr, /the parameter file was trained on other characters \(vocabulary of 27\); load it with the dataset it was trained on$/);
});
