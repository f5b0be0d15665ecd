// Bad input through the CLI: a one-line message that says what is wrong, a
// non-zero exit, no crash, and nothing from the sanitizers (every case also
// runs in the AddressSanitizer + UBSan build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, openSync, ftruncateSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, cliAsan, dataFile } from '../helpers/paths.mjs';

const tmp = mkdtempSync(path.join(tmpdir(), 'mg-bad-'));
const file = (name, content) => { const p = path.join(tmp, name); writeFileSync(p, content); return p; };
const env = { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0', UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1' };

function run(bin, args) {
  const r = spawnSync(bin, args, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

// A failing case: exit 2, one line "microgpt: ...", the keyword, no sanitizer report.
function rejects(args, keyword) {
  for (const bin of [cli, cliAsan]) {
    const r = run(bin, args);
    assert.equal(r.signal, null, `${path.basename(bin)} crashed with ${r.signal}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /Sanitizer|runtime error/, r.stderr);
    assert.equal(r.status, 2, `${path.basename(bin)} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `one line on stderr, got: ${r.stderr}`);
    assert.match(lines[0], /^microgpt: /);
    assert.match(lines[0], keyword);
  }
}
function trains(args) {
  const out = [];
  for (const bin of [cli, cliAsan]) {
    const r = run(bin, args);
    assert.doesNotMatch(r.stderr, /Sanitizer|runtime error/, r.stderr);
    assert.equal(r.status, 0, r.stderr);
    out.push(r.stdout);
  }
  assert.equal(out[0], out[1], 'the sanitizer build computes the same');
  return out[0];
}
const train = (data, more = []) => ['train', '--data', data, '--steps', '20', '--samples', '3', ...more];

test('datasets that cannot be used', () => {
  rejects(train(file('empty.txt', '')), /empty/);
  rejects(train(file('blank.txt', '\n  \n\t\n\r\n')), /no names|blank/);
  rejects(train(file('bad-utf8.txt', Buffer.from([0x61, 0x6e, 0x6e, 0x0a, 0x62, 0xff, 0x62, 0x0a]))), /UTF-8.*line 2/);
  rejects(train(file('overlong.txt', Buffer.from([0x61, 0xc0, 0xaf, 0x0a]))), /UTF-8/);
  rejects(train(file('nul.txt', Buffer.from('anna\nbo\0b\n'))), /NUL/);
  rejects(train(path.join(tmp, 'missing.txt')), /cannot open/);
  const many = Array.from({ length: 1100 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('\n');
  rejects(train(file('wide.txt', many)), /distinct characters.*limit/);
});

test('a 50 MB file is refused with the limit named', () => {
  const big = path.join(tmp, 'big.txt');
  const fd = openSync(big, 'w');
  ftruncateSync(fd, 50 * 1024 * 1024);
  closeSync(fd);
  rejects(train(big), /16 MiB/);
});

test('names longer than the block train, cut to the block as in the reference', () => {
  const long = file('long.txt', 'abcdefghijklmnopqrstuvwxyzabcdefghij\nab\nabcdefghijklmnopqrstu\n');
  const out = trains(train(long, ['--block-size', '8']));
  assert.match(out, /step   20 \/   20 \| loss \d\.\d{4}/);
});

test('CRLF and CR line ends read like LF', () => {
  const names = ['anna', 'bob', 'carla', 'dmitri', 'eve'];
  const lf = trains(train(file('lf.txt', names.join('\n') + '\n'), ['--seed', '3']));
  const crlf = trains(train(file('crlf.txt', names.join('\r\n') + '\r\n'), ['--seed', '3']));
  const cr = trains(train(file('cr.txt', names.join('\r')), ['--seed', '3']));
  assert.equal(crlf, lf);
  assert.equal(cr, lf);
  assert.match(lf, /num docs: 5\nvocab size: 14\n/);
});

test('out-of-range and malformed flags', () => {
  rejects(['train', '--data', dataFile, '--n-embd', '0'], /--n-embd/);
  rejects(['train', '--data', dataFile, '--n-embd', '16', '--n-head', '3'], /divisible/);
  rejects(['train', '--data', dataFile, '--steps', '-1'], /--steps/);
  rejects(['train', '--data', dataFile, '--steps', '12abc'], /--steps/);
  rejects(['train', '--data', dataFile, '--temperature', 'nan'], /--temperature/);
  rejects(['train', '--data', dataFile, '--temperature', '-1'], /--temperature/);
  rejects(['train', '--data', dataFile, '--n-layer', '99'], /--n-layer/);
  rejects(['train', '--data', dataFile, '--block-size', '100000'], /--block-size/);
  rejects(['train', '--data', dataFile, '--seed', '-4'], /--seed/);
  rejects(['train', '--data', dataFile, '--frobnicate', '1'], /unknown option/);
  rejects(['train', '--data', dataFile, '--steps'], /needs a value/);
  rejects(['train', '--steps', '5'], /--data/);
  rejects(['train', '--data', dataFile, '--n-embd', '512', '--n-layer', '16'], /parameters; the limit/);
});

test('parameter files: truncated, corrupted, foreign, mismatched', () => {
  const good = path.join(tmp, 'good.ckpt');
  execFileSync(cli, ['train', '--data', dataFile, '--steps', '10', '--samples', '0', '--save', good, '--quiet']);
  const bytes = readFileSync(good);
  const load = (name, content, more = []) => ['train', '--data', dataFile, '--load', file(name, content), '--samples', '1', ...more];
  rejects(load('short.ckpt', bytes.subarray(0, 20)), /too short/);
  rejects(load('trunc.ckpt', bytes.subarray(0, bytes.length - 100)), /truncated/);
  rejects(load('long.ckpt', Buffer.concat([bytes, Buffer.from([1, 2, 3])])), /extra bytes/);
  const flipped = Buffer.from(bytes); flipped[flipped.length >> 1] ^= 0x40;
  rejects(load('flip.ckpt', flipped), /checksum/);
  const magic = Buffer.from(bytes); magic.write('NOPE', 0, 'latin1');
  rejects(load('magic.ckpt', magic), /not a microgpt parameter file/);
  const version = Buffer.from(bytes); version.writeUInt32LE(9, 4);
  rejects(load('version.ckpt', version), /version 9/);
  rejects(load('text.ckpt', 'hello, I am not a checkpoint at all, but I am long enough to have a header'), /not a microgpt/);
  // trained on other characters
  const other = path.join(tmp, 'other.ckpt');
  execFileSync(cli, ['train', '--data', file('abc.txt', 'abc\nbca\ncab\n'), '--steps', '5', '--samples', '0', '--save', other, '--quiet']);
  rejects(['train', '--data', dataFile, '--load', other], /other characters/);
  // flags that contradict the file
  rejects(load('good2.ckpt', bytes, ['--n-embd', '32', '--n-head', '4']), /differ from the parameter file/);
  rejects(load('good3.ckpt', bytes, ['--steps', '77']), /planned for 10 steps/);
});

test('a training run under the sanitizers reports nothing', () => {
  const r = run(cliAsan, ['train', '--data', dataFile, '--steps', '50', '--samples', '5', '--quiet', '--save', path.join(tmp, 'asan.ckpt')]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
});
