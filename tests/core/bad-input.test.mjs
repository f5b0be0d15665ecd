// Bad input through the CLI: a one-line message on stderr that says what is
// wrong, a non-zero exit, no crash, and nothing from the sanitizers. Every
// case runs with both build/microgpt and build/microgpt_asan (AddressSanitizer
// + UBSan, leak detection on, halting on the first UBSan report).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, openSync, ftruncateSync, closeSync, existsSync } from 'node:fs';
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
  rejects(train(path.join(tmp, 'missing.txt')), /cannot read \S*missing\.txt: No such file or directory$/);
  rejects(train(tmp), /cannot read \S+: Is a directory$/);
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
  rejects(['train', '--steps', '5', '--data'], /--data needs a value/); // no --data at all: the default records (default-records.test.mjs)
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

/** A version 2 file in the version 1 layout: no records hash and preset (bytes 52..91), version 1, its checksum. */
function asVersion1(v2) {
  const body = Buffer.concat([v2.subarray(0, 52), v2.subarray(92, v2.length - 8)]);
  body.writeUInt32LE(1, 4);
  const out = Buffer.alloc(body.length + 8);
  body.copy(out);
  out.writeBigUInt64LE(fnv1a(body, FNV_OFFSET), body.length);
  return out;
}

test('parameter files: truncated, corrupted, foreign, mismatched', () => {
  const good = path.join(tmp, 'good.ckpt');
  trains(['train', '--data', dataFile, '--steps', '10', '--samples', '0', '--save', good, '--quiet']);
  const bytes = readFileSync(good);
  const load = (name, content, more = []) => ['train', '--data', dataFile, '--load', file(name, content), '--samples', '1', ...more];
  rejects(['train', '--data', dataFile, '--load', path.join(tmp, 'nowhere.ckpt')], /cannot read \S*nowhere\.ckpt: No such file or directory$/);
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
  // a file names its records (version 2): other records are refused by their hash first
  rejects(['train', '--data', dataFile, '--load', other], /trained on the records 'abc\.txt' \(hash [0-9a-f]{16}\), not these \(hash [0-9a-f]{16}\): load those records first$/);
  // trained on as many characters, but other ones
  const other27 = path.join(tmp, 'other27.ckpt');
  trains(['train', '--data', file('shifted.txt', 'bcdefghijklmnopqrstuvwxyz{\n'), '--steps', '5', '--samples', '0', '--save', other27, '--quiet']);
  rejects(['train', '--data', dataFile, '--load', other27], /trained on the records 'shifted\.txt'/);
  // the characters are still checked where a file names no records: version 1
  rejects(['train', '--data', dataFile, '--load', file('other27-v1.ckpt', asVersion1(readFileSync(other27)))], /other characters/);
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
  const P = 4192, params = 92 + 4 * 26; // version 2: a header of 92 bytes, 26 code points
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
  rejects(sealed('char.ckpt', (b) => b.writeUInt32LE(0x41, 92)), /other characters/);
  rejects(sealed('records.ckpt', (b) => b.writeUInt8(b[52] ^ 1, 52)), /trained on the records 'names\.txt' \(hash [0-9a-f]{16}\), not these \(hash [0-9a-f]{16}\): load those records first/);
  rejects(sealed('preset-pad.ckpt', (b) => b.writeUInt8(0x41, 91)), /not NUL-padded/);
  rejects(sealed('preset-ctrl.ckpt', (b) => b.writeUInt8(0x07, 60)), /not printable ASCII/);
  rejects(sealed('version3.ckpt', (b) => b.writeUInt32LE(3, 4)), /format version 3; this build reads versions 1 to 2/);
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

// ---------------------------------------------------------------------------
// The memory bound: 256 MiB for a session (MG_MAX_SESSION_BYTES). The figures
// here are derived from the layout microgpt.h documents, not from the C code:
// each dial six times (itself, its transposed copy, its gradient, Adam's m, v
// and update) and the activations of mg_acts, all doubles.
const MiB = 2 ** 20;
const LIMIT_MIB = 256;
function sessionBytes({ nEmbd: E, nHead: H, nLayer: L, blockSize: T }, V) {
  const F = 4 * E, P = 2 * V * E + T * E + 12 * L * E * E;
  const acts = T * E + T + 8 * L * T * E + 2 * L * T + L * H * T * T + 2 * L * T * F + T * E + 2 * T * V +
    3 * T * E + T * F + Math.max(T * V, 3 * T * E + T * T);
  return 8 * (6 * P + acts);
}
const cfgArgs = (c) => ['--n-embd', c.nEmbd, '--n-head', c.nHead, '--n-layer', c.nLayer, '--block-size', c.blockSize].map(String);
const HUGE = { nEmbd: 143, nHead: 143, nLayer: 16, blockSize: 256 }; // 3,970,538 dials: under the parameter limit
// The figure in a message, in MiB.
const figure = (msg) => Number(/need ([\d,]+) MiB/.exec(msg)?.[1].replaceAll(',', ''));

// Peak resident memory of a child in KiB, by GNU time (written to a file, so
// the child's stderr stays its own); null where /usr/bin/time is missing.
const TIME = '/usr/bin/time';
function runMeasured(bin, args) {
  if (!existsSync(TIME)) return { ...run(bin, args), maxRssKiB: null };
  const out = path.join(tmp, 'time.txt');
  const r = run(TIME, ['-f', '%M', '-o', out, bin, ...args]);
  return { ...r, maxRssKiB: Number(readFileSync(out, 'utf8').trim().split('\n').pop()) };
}

test('a config over the 256 MiB bound is refused with its figure, before anything is allocated for it', () => {
  const args = ['train', '--data', dataFile, ...cfgArgs(HUGE), '--steps', '1', '--samples', '0', '--quiet'];
  rejects(args, /need [\d,]+ MiB of memory; the limit is 256 MiB: choose a smaller n_embd, n_head, n_layer or block_size$/);
  const want = sessionBytes(HUGE, 27) / MiB; // about 1,401 MiB, 1,144 of them the attention weights
  for (const bin of bins) {
    const r = runMeasured(bin, args);
    assert.equal(r.status, 2, r.stderr);
    const got = figure(r.stderr);
    assert.ok(got >= want && got <= want + 2, `the message says ${got} MiB; the layout needs ${want.toFixed(1)} MiB`);
    if (r.maxRssKiB !== null)
      assert.ok(r.maxRssKiB < 100 * 1024, `${path.basename(bin)} peaked at ${(r.maxRssKiB / 1024).toFixed(0)} MiB before refusing`);
  }
  // an address space of 400 MiB: an attempt at the 1.4 GB would fail as "out of memory" instead
  const capped = run('prlimit', [`--as=${400 * MiB}`, cli, ...args]);
  assert.equal(capped.status, 2, capped.stderr);
  assert.match(capped.stderr, /need [\d,]+ MiB of memory; the limit is 256 MiB/);
});

test('the bound sits at 256 MiB: just over is refused, just under trains in about the memory it says', () => {
  const over = { nEmbd: 64, nHead: 64, nLayer: 7, blockSize: 256 }; // 256.8 MiB
  assert.ok(sessionBytes(over, 27) / MiB > LIMIT_MIB);
  rejects(['train', '--data', dataFile, ...cfgArgs(over), '--steps', '1'], /need 257 MiB of memory; the limit is 256 MiB/);
  const mid = { nEmbd: 143, nHead: 13, nLayer: 16, blockSize: 256 }; // 361 MiB: the wasm heap could hold it
  rejects(['train', '--data', dataFile, ...cfgArgs(mid), '--steps', '1'], /need 36\d MiB of memory; the limit is 256 MiB/);
  const under = { nEmbd: 128, nHead: 64, nLayer: 8, blockSize: 192 }; // 244 MiB
  const want = sessionBytes(under, 27) / MiB;
  assert.ok(want < LIMIT_MIB);
  const r = runMeasured(cli, ['train', '--data', dataFile, ...cfgArgs(under), '--steps', '1', '--samples', '0', '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  // every buffer is zeroed at creation, so the peak shows the whole session
  if (r.maxRssKiB !== null) {
    const peak = r.maxRssKiB / 1024;
    assert.ok(peak > want && peak < want + 24, `peaked at ${peak.toFixed(0)} MiB for a session of ${want.toFixed(0)} MiB`);
  }
});

test('the records count in the bound: 16 MiB of one-letter names and a 199 MiB config are refused together', () => {
  // 8,388,608 names "a": 2 bytes of token and 12 of offsets, length and order
  // each, and the one code point: 112 MiB + 4 bytes (113 rounded up); either alone fits
  const many = file('many-a.txt', 'a\n'.repeat(8 * MiB));
  const c = { nEmbd: 64, nHead: 16, nLayer: 16, blockSize: 256 };
  const records = (8 * MiB * 14 + 4) / MiB, model = sessionBytes(c, 2) / MiB;
  assert.ok(records < LIMIT_MIB && model < LIMIT_MIB && records + model > LIMIT_MIB);
  rejects(['train', '--data', many, ...cfgArgs(c), '--steps', '1'],
    /^microgpt: the records take 113 MiB and n_embd 64, n_head 16, n_layer 16, block_size 256 need 199 MiB more; the limit is 256 MiB for both: .*or fewer records$/);
});

test('a parameter file whose header asks for more than the bound is refused before its dials are read', () => {
  // a header for HUGE with the right parameter count, then nothing: before the
  // length is checked, the config is checked against the memory bound
  const V = 27, P = 2 * V * 143 + 256 * 143 + 16 * 12 * 143 * 143;
  const b = Buffer.alloc(52 + 4 * (V - 1) + 8);
  b.write('MGPT', 0, 'latin1');
  [1, 143, 143, 16, 256, V].forEach((x, i) => b.writeUInt32LE(x, 4 + 4 * i));
  b.writeBigUInt64LE(42n, 28);
  b.writeUInt32LE(P, 44);
  b.writeUInt32LE(1, 48);
  for (let i = 0; i < V - 1; i++) b.writeUInt32LE(0x61 + i, 52 + 4 * i);
  rejects(['train', '--data', dataFile, '--load', file('huge-header.ckpt', b)],
    /huge-header\.ckpt: the parameter file's config is invalid: .*need 1,40\d MiB of memory; the limit is 256 MiB/);
});

// The longest parameter file: header (92, version 2) + code points (4 x 1,023) + dials,
// Adam's m and v (24 bytes x 4,000,000 dials, the parameter limit; the memory
// bound would allow 256 MiB / 48 bytes = 5.6 million) + hash (8).
const MAX_FILE = 92 + 4 * 1023 + 24 * 4_000_000 + 8;
const grouped = (n) => n.toLocaleString('en-US');

test('--load reads at most the largest parameter file the bound allows, and says so', () => {
  const want = new RegExp(`^microgpt: /dev/zero is larger than ${grouped(MAX_FILE)} bytes \\(92 MiB\\), the limit for a parameter file$`);
  for (const bin of bins) {
    const r = runMeasured(bin, ['train', '--data', dataFile, '--load', '/dev/zero']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr.trimEnd(), want);
    // read up to the limit + 1 and no further (today's 1 GiB read peaks over 1 GiB)
    if (r.maxRssKiB !== null && bin === cli) assert.ok(r.maxRssKiB < 200 * 1024, `peaked at ${r.maxRssKiB} KiB`);
  }
  // a regular file over the limit is refused by its size, without reading it
  const big = path.join(tmp, 'big.ckpt');
  const fd = openSync(big, 'w');
  ftruncateSync(fd, MAX_FILE + 1);
  closeSync(fd);
  rejects(['train', '--data', dataFile, '--load', big], new RegExp(`big\\.ckpt is larger than ${grouped(MAX_FILE)} bytes`));
  const r = runMeasured(cli, ['train', '--data', dataFile, '--load', big]);
  if (r.maxRssKiB !== null) assert.ok(r.maxRssKiB < 20 * 1024, `peaked at ${r.maxRssKiB} KiB`);
  // a dataset over 16 MiB names its limit in bytes and MiB
  rejects(train('/dev/zero'), /^microgpt: \/dev\/zero is larger than 16,777,216 bytes \(16 MiB\), the limit for a dataset$/);
});

test('--samples is bounded at 10,000, as the usage text says', () => {
  const t = (...more) => ['train', '--data', dataFile, '--steps', '1', '--quiet', ...more];
  rejects(t('--samples', '10001'), /--samples/);
  rejects(t('--samples', '10000000'), /--samples/);
  const help = run(cli, ['train', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--samples 0\.\.10000\b/);
  assert.match(help.stdout, /256 MiB of memory/);
  assert.match(help.stdout, new RegExp(`--load at most ${grouped(MAX_FILE)} bytes`));
  const r = run(cli, t('--samples', '10000', '--json', path.join(tmp, 'many.json')));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(readFileSync(path.join(tmp, 'many.json'), 'utf8')).samples.length, 10000);
});
