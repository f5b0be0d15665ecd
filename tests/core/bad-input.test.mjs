// Bad input through the CLI: a one-line message on stderr that says what is
// wrong, a non-zero exit, no crash, and nothing from the sanitizers. Every
// case runs with both build/microgpt and build/microgpt_asan (AddressSanitizer
// + UBSan, leak detection on, halting on the first UBSan report).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, openSync, ftruncateSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, cliAsan, dataFile } from '../helpers/paths.mjs';

const tmp = mkdtempSync(path.join(tmpdir(), 'mg-bad-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name, content) => { const p = path.join(tmp, name); writeFileSync(p, content); return p; };
const env = {
  ...process.env,
  ASAN_OPTIONS: 'detect_leaks=1',
  UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1',
};
const bins = [cli, cliAsan];
const SANITIZER = /Sanitizer|runtime error/;

function run(bin, args) {
  const r = spawnSync(bin, args, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}
const show = (bin, args) => `${path.basename(bin)} ${args.join(' ')}`;

// A refused input: exit status non-zero (the CLI uses 2), no signal, exactly
// one stderr line "microgpt: ..." matching keyword, no sanitizer report.
function rejects(args, keyword) {
  for (const bin of bins) {
    const r = run(bin, args);
    assert.equal(r.signal, null, `${show(bin, args)} died of ${r.signal}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, SANITIZER, r.stderr);
    assert.notEqual(r.status, 0, `${show(bin, args)} succeeded`);
    assert.equal(r.status, 2, `${show(bin, args)} exited ${r.status}: ${r.stderr}`);
    const lines = r.stderr.split('\n');
    assert.equal(lines.length, 2, `exactly one line on stderr, got: ${JSON.stringify(r.stderr)}`);
    assert.equal(lines[1], '');
    assert.match(lines[0], /^microgpt: \S/);
    assert.match(lines[0], keyword, `${show(bin, args)}: the message should name the problem`);
  }
}

// An accepted input: exit 0, no stderr, and both builds print the same.
function trains(args) {
  const out = [];
  for (const bin of bins) {
    const r = run(bin, args);
    assert.equal(r.signal, null, `${show(bin, args)} died of ${r.signal}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, SANITIZER, r.stderr);
    assert.equal(r.status, 0, `${show(bin, args)}: ${r.stderr}`);
    assert.equal(r.stderr, '');
    out.push(r.stdout);
  }
  assert.equal(out[1], out[0], 'the sanitizer build computes the same');
  return out[0];
}
const train = (data, more = []) => ['train', '--data', data, '--steps', '20', '--samples', '3', ...more];

// FNV-1a 64 as published (offset basis 14695981039346656037, prime 1099511628211).
const FNV_OFFSET = 0xcbf29ce484222325n;
const fnv1a = (bytes, basis = FNV_OFFSET) => {
  let h = basis;
  for (const x of bytes) h = BigInt.asUintN(64, (h ^ BigInt(x)) * 0x100000001b3n);
  return h;
};

test('datasets that cannot be used', () => {
  rejects(train(file('empty.txt', '')), /empty/);
  rejects(train(file('blank.txt', '\n  \n\t\n\r\n\u00a0\u3000\n')), /no names|blank/);
  rejects(train(path.join(tmp, 'missing.txt')), /cannot open/);
  rejects(train(tmp), /cannot read/); // a directory
  rejects(train(file('nul.txt', Buffer.from('anna\nbo\0b\n'))), /NUL/);
  // a vocabulary too large: 1,024 distinct characters + BOS; 1,023 is the most
  const cjk = (n) => Array.from({ length: n }, (_, i) => String.fromCodePoint(0x4e00 + i).repeat(2)).join('\n');
  rejects(train(file('vocab1024.txt', cjk(1024))), /1024 distinct characters.*limit.*1023/);
  rejects(train(file('vocab1100.txt', cjk(1100))), /distinct characters.*limit/);
  assert.match(trains(train(file('vocab1023.txt', cjk(1023)), ['--quiet'])), /^num docs: 1023\nvocab size: 1024\n/);
});

test('invalid UTF-8 is refused with its place', () => {
  const cases = [
    ['a stray 0xff', [0x61, 0x6e, 0x6e, 0x0a, 0x62, 0xff, 0x62, 0x0a], /UTF-8.*line 2/],
    ['a lone continuation byte', [0x61, 0x80, 0x0a], /UTF-8/],
    ['an overlong "/"', [0x61, 0xc0, 0xaf, 0x0a], /UTF-8/],
    ['a sequence cut by a newline', [0x61, 0xe6, 0x97, 0x0a, 0x62, 0x0a], /UTF-8/],
    ['a sequence cut by the end of the file', [0x61, 0x0a, 0x62, 0xe6, 0x97], /UTF-8.*line 2/],
    ['a UTF-16 surrogate', [0x61, 0xed, 0xa0, 0x80, 0x0a], /UTF-8/],
    ['a code point above U+10FFFF', [0x61, 0xf4, 0x90, 0x80, 0x80, 0x0a], /UTF-8/],
    ['a 5-byte form', [0x61, 0xf8, 0x88, 0x80, 0x80, 0x80, 0x0a], /UTF-8/],
    ['Latin-1 text', Buffer.from('jos\xe9\n', 'latin1'), /UTF-8/],
  ];
  cases.forEach(([, bytes, keyword], i) => rejects(train(file(`utf8-${i}.txt`, Buffer.from(bytes))), keyword));
});

test('a 50 MB file is refused with the 16 MiB limit named', () => {
  const big = path.join(tmp, 'big.txt');
  const fd = openSync(big, 'w');
  ftruncateSync(fd, 50 * 1024 * 1024); // sparse: instant, no disk
  closeSync(fd);
  rejects(train(big), /16 MiB/);
});

test('names longer than the block train (cut to the block, as the reference does)', () => {
  const long = file('long.txt', 'abcdefghijklmnopqrstuvwxyzabcdefghij\nab\nabcdefghijklmnopqrstu\n');
  const out = trains(train(long, ['--block-size', '8']));
  assert.match(out, /^num docs: 3\nvocab size: 27\n/);
  assert.match(out, /step    1 \/   20 \| loss \d+\.\d{4}\n/);
  assert.match(out, /step   20 \/   20 \| loss \d+\.\d{4}\n/);
  const one = file('one-long.txt', 'x'.repeat(1000) + '\n');
  assert.match(trains(train(one, ['--block-size', '256', '--samples', '1'])), /num docs: 1\nvocab size: 2\n/);
});

test('CRLF, CR and str.strip() whitespace read like plain LF lines', () => {
  const names = ['anna', 'bob', 'carla', 'dmitri', 'eve'];
  const lf = trains(train(file('lf.txt', names.join('\n') + '\n'), ['--seed', '3']));
  assert.match(lf, /^num docs: 5\nvocab size: 14\n/);
  assert.equal(trains(train(file('crlf.txt', names.join('\r\n') + '\r\n'), ['--seed', '3'])), lf);
  assert.equal(trains(train(file('cr.txt', names.join('\r')), ['--seed', '3'])), lf);
  // Python's str.strip() also removes tabs, NBSP, the ideographic space, ...
  const padded = names.map((n, i) => ['  ', '\t', '\u00a0', '\u3000', '\u2009'][i] + n + ' \t\u00a0').join('\r\n');
  assert.equal(trains(train(file('padded.txt', '\n\n' + padded + '\r\n\r\n  \r\n'), ['--seed', '3'])), lf);
});

test('out-of-range and malformed flags', () => {
  const t = (...more) => ['train', '--data', dataFile, ...more];
  rejects(t('--n-embd', '0'), /--n-embd/);
  rejects(t('--n-embd', '16', '--n-head', '3'), /divisible/);
  rejects(t('--n-head', '0'), /--n-head/);
  rejects(t('--n-embd', '8', '--n-head', '16'), /n_head/);
  rejects(t('--steps', '-1'), /--steps/);
  rejects(t('--steps', '0'), /--steps/);
  rejects(t('--steps', '12abc'), /--steps/);
  rejects(t('--steps', '99999999999999999999'), /--steps/);
  rejects(t('--temperature', 'nan'), /--temperature/);
  rejects(t('--temperature', '-1'), /--temperature/);
  rejects(t('--temperature', 'inf'), /--temperature/);
  rejects(t('--temperature', ''), /--temperature/);
  rejects(t('--samples', '-3'), /--samples/);
  rejects(t('--n-layer', '99'), /--n-layer/);
  rejects(t('--block-size', '100000'), /--block-size/);
  rejects(t('--seed', '-4'), /--seed/);
  rejects(t('--seed', '18446744073709551616'), /--seed/);
  rejects(t('--frobnicate', '1'), /unknown option/);
  rejects(t('--steps'), /needs a value/);
  rejects(['train', '--steps', '5'], /--data/);
  rejects(t('--n-embd', '512', '--n-layer', '16'), /parameters; the limit/);
});

test('a temperature so small that 1/T overflows is refused or acts as temperature 0', () => {
  // logits / T overflow to infinity below about 1e-307; softmax then gives
  // NaN (inf - inf) and the names come out cut short or empty. The reference
  // (CPython's random.choices) raises on such weights, so either answer is
  // fine here; silently wrong names are not.
  const greedy = trains(['train', '--data', dataFile, '--steps', '300', '--samples', '4', '--temperature', '0']);
  for (const tiny of ['1e-308', '1e-310']) {
    const args = ['train', '--data', dataFile, '--steps', '300', '--samples', '4', '--temperature', tiny];
    const r = run(cli, args);
    if (r.status === 0) {
      assert.equal(r.stdout, greedy, `--temperature ${tiny} was accepted but sampled other names than --temperature 0`);
      trains(args);
    } else {
      rejects(args, /temperature/);
    }
  }
});

test('parameter files: truncated, corrupted, foreign, mismatched', () => {
  const good = path.join(tmp, 'good.ckpt');
  trains(['train', '--data', dataFile, '--steps', '10', '--samples', '0', '--save', good, '--quiet']);
  const bytes = readFileSync(good);
  const load = (name, content, more = []) => ['train', '--data', dataFile, '--load', file(name, content), '--samples', '1', ...more];
  rejects(['train', '--data', dataFile, '--load', path.join(tmp, 'nowhere.ckpt')], /cannot open/);
  rejects(load('empty.ckpt', ''), /too short/);
  rejects(load('short.ckpt', bytes.subarray(0, 20)), /too short/);
  rejects(load('trunc.ckpt', bytes.subarray(0, bytes.length - 100)), /truncated/);
  rejects(load('trunc-header.ckpt', bytes.subarray(0, 60)), /truncated/);
  rejects(load('long.ckpt', Buffer.concat([bytes, Buffer.from([1, 2, 3])])), /extra bytes/);
  const flipped = Buffer.from(bytes); flipped[flipped.length >> 1] ^= 0x40;
  rejects(load('flip.ckpt', flipped), /checksum/);
  const lastBit = Buffer.from(bytes); lastBit[lastBit.length - 1] ^= 0x01;
  rejects(load('flip-hash.ckpt', lastBit), /checksum/);
  const magic = Buffer.from(bytes); magic.write('NOPE', 0, 'latin1');
  rejects(load('magic.ckpt', magic), /not a microgpt parameter file/);
  const version = Buffer.from(bytes); version.writeUInt32LE(9, 4);
  rejects(load('version.ckpt', version), /version 9/);
  const version0 = Buffer.from(bytes); version0.writeUInt32LE(0, 4);
  rejects(load('version0.ckpt', version0), /version 0/);
  rejects(load('text.ckpt', 'hello, I am not a checkpoint at all, but I am long enough to have a header'), /not a microgpt/);
  rejects(load('names.ckpt', readFileSync(dataFile)), /not a microgpt/);
  // trained on other characters
  const other = path.join(tmp, 'other.ckpt');
  trains(['train', '--data', file('abc.txt', 'abc\nbca\ncab\n'), '--steps', '5', '--samples', '0', '--save', other, '--quiet']);
  rejects(['train', '--data', dataFile, '--load', other], /other characters/);
  // trained on as many characters, but other ones
  const other27 = path.join(tmp, 'other27.ckpt');
  trains(['train', '--data', file('shifted.txt', 'bcdefghijklmnopqrstuvwxyz{\n'), '--steps', '5', '--samples', '0', '--save', other27, '--quiet']);
  rejects(['train', '--data', dataFile, '--load', other27], /other characters/);
  // flags that contradict the file
  rejects(load('good2.ckpt', bytes, ['--n-embd', '32', '--n-head', '4']), /differ from the parameter file/);
  rejects(load('good3.ckpt', bytes, ['--n-layer', '2']), /differ from the parameter file/);
  rejects(load('good4.ckpt', bytes, ['--seed', '43']), /differ from the parameter file/);
  rejects(load('good5.ckpt', bytes, ['--steps', '77']), /planned for 10 steps/);
});

test('the parameter file ends with the FNV-1a 64 hash of the bytes before it (c/checkpoint.c)', () => {
  const good = path.join(tmp, 'hash.ckpt');
  trains(['train', '--data', dataFile, '--steps', '3', '--samples', '0', '--save', good, '--quiet']);
  const b = readFileSync(good);
  assert.equal(b.readBigUInt64LE(b.length - 8).toString(16), fnv1a(b.subarray(0, b.length - 8)).toString(16));
});

test('parameter files with a valid checksum but impossible contents', () => {
  const good = path.join(tmp, 'sealed.ckpt');
  trains(['train', '--data', dataFile, '--steps', '10', '--samples', '0', '--save', good, '--quiet']);
  const bytes = readFileSync(good);
  const body = bytes.subarray(0, bytes.length - 8), stored = bytes.readBigUInt64LE(bytes.length - 8);
  // The hash the loader checks: FNV-1a 64 as published, or (the deviation
  // the previous test reports) FNV-1a with the offset basis 1469598103934665603.
  const basis = [FNV_OFFSET, 1469598103934665603n].find((x) => fnv1a(body, x) === stored);
  assert.ok(basis !== undefined, 'the stored hash is an FNV-1a 64 of the bytes before it');
  const P = 4192, params = 52 + 4 * 26;
  const sealed = (name, edit) => {
    const b = Buffer.from(bytes);
    edit(b);
    b.writeBigUInt64LE(fnv1a(b.subarray(0, b.length - 8), basis), b.length - 8);
    return ['train', '--data', dataFile, '--load', file(name, b), '--samples', '1'];
  };
  rejects(sealed('embd0.ckpt', (b) => b.writeUInt32LE(0, 8)), /n_embd/);
  rejects(sealed('embd-huge.ckpt', (b) => b.writeUInt32LE(0xffffffff, 8)), /out of range|corrupted/);
  rejects(sealed('head3.ckpt', (b) => b.writeUInt32LE(3, 12)), /divisible/);
  rejects(sealed('layer0.ckpt', (b) => b.writeUInt32LE(0, 16)), /n_layer/);
  rejects(sealed('block0.ckpt', (b) => b.writeUInt32LE(0, 20)), /block_size/);
  rejects(sealed('vocab0.ckpt', (b) => b.writeUInt32LE(0, 24)), /vocab/);
  rejects(sealed('vocab1.ckpt', (b) => b.writeUInt32LE(1, 24)), /vocab/);
  rejects(sealed('vocab28.ckpt', (b) => b.writeUInt32LE(28, 24)), /parameters|corrupted/);
  rejects(sealed('vocab-huge.ckpt', (b) => b.writeUInt32LE(0x80000000, 24)), /out of range|corrupted/);
  rejects(sealed('nparams.ckpt', (b) => b.writeUInt32LE(P - 1, 44)), /4191 parameters/);
  rejects(sealed('flags.ckpt', (b) => b.writeUInt32LE(2, 48)), /flags/);
  rejects(sealed('step.ckpt', (b) => b.writeUInt32LE(11, 36)), /step 11 of 10/);
  rejects(sealed('steps-huge.ckpt', (b) => { b.writeUInt32LE(0xffffffff, 36); b.writeUInt32LE(0xffffffff, 40); }), /impossible/);
  rejects(sealed('char.ckpt', (b) => b.writeUInt32LE(0x41, 52)), /other characters/);
  rejects(sealed('nan.ckpt', (b) => b.writeDoubleLE(NaN, params + 8 * 5)), /impossible value/);
  rejects(sealed('inf.ckpt', (b) => b.writeDoubleLE(-Infinity, params + 8 * (P + 7))), /impossible value/);
  rejects(sealed('neg-v.ckpt', (b) => b.writeDoubleLE(-1, params + 8 * (2 * P + 3))), /impossible value/);
});

test('a training run under the sanitizers reports nothing and computes as the native build', () => {
  const args = ['train', '--data', dataFile, '--seed', '42', '--steps', '50', '--samples', '5'];
  const a = path.join(tmp, 'asan.ckpt'), n = path.join(tmp, 'native.ckpt');
  const asan = run(cliAsan, [...args, '--save', a]);
  assert.equal(asan.signal, null);
  assert.equal(asan.stderr, '');
  assert.equal(asan.status, 0);
  const native = run(cli, [...args, '--save', n]);
  assert.equal(native.status, 0);
  assert.equal(asan.stdout, native.stdout);
  assert.match(asan.stdout, /step   50 \/   50 \| loss /);
  // load, sample and save again under the sanitizers too
  const again = path.join(tmp, 'asan2.ckpt');
  const reload = run(cliAsan, ['train', '--data', dataFile, '--load', a, '--samples', '5', '--save', again]);
  assert.equal(reload.stderr, '');
  assert.equal(reload.status, 0);
  assert.deepEqual(readFileSync(again), readFileSync(a));
});
