// Bad input through the JS engine: a clear EngineError, and the engine keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRun } from '../helpers/ref.mjs';
import { engine, names, engineModule } from '../helpers/engine.mjs';
import { wasmUrl } from '../helpers/paths.mjs';

const { EngineError, Status } = engineModule;
const ref = loadRun('microgpt_seed42');

function stillWorks() {
  const s = engine.createSession({ text: names, seed: 42 });
  assert.ok(Math.abs(s.train(1, 1000)[0] - ref.losses[0]) < 1e-12);
  s.destroy();
}
function fails(fn, status, pattern) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof EngineError, `an EngineError, got ${err}`);
    assert.equal(err.code, Status[status], `${err.status}: ${err.message}`);
    assert.match(err.message, pattern);
    return true;
  });
  stillWorks();
}

test('datasets that cannot be used', () => {
  fails(() => engine.createSession({ text: '' }), 'DATA', /empty/);
  fails(() => engine.createSession({ text: ' \n\t\n  \r\n' }), 'DATA', /no names/);
  fails(() => engine.createSession({ text: new Uint8Array([0x61, 0x0a, 0xc3, 0x28, 0x0a]) }), 'DATA', /not valid UTF-8.*line 2/);
  fails(() => engine.createSession({ text: 'ab\0c\n' }), 'DATA', /NUL/);
  fails(() => engine.createSession({ text: 42 }), 'ARG', /expected text/);
});

test('bad configs', () => {
  fails(() => engine.createSession({ text: names, nEmbd: 16, nHead: 3 }), 'CONFIG', /divisible/);
  fails(() => engine.createSession({ text: names, nEmbd: 0 }), 'CONFIG', /n_embd must be/);
  fails(() => engine.createSession({ text: names, nLayer: 1.5 }), 'CONFIG', /whole number/);
  fails(() => engine.createSession({ text: names, nLayer: 1000 }), 'CONFIG', /n_layer must be/);
  fails(() => engine.createSession({ text: names, blockSize: -3 }), 'CONFIG', /block_size/);
  fails(() => engine.createSession({ text: names, seed: -1 }), 'ARG', /seed/);
  fails(() => engine.createSession({ text: names, seed: 0.5 }), 'ARG', /seed/);
});

test('parameter bytes: corrupt, truncated, foreign, mismatched', () => {
  const s = engine.createSession({ text: names, seed: 42 });
  s.train(20, 1000);
  const good = s.save();
  const flipped = good.slice(); flipped[5000] ^= 1;
  fails(() => s.load(flipped), 'CHECKPOINT', /checksum/);
  fails(() => s.load(good.slice(0, good.length - 9)), 'CHECKPOINT', /truncated/);
  fails(() => s.load(new Uint8Array(10)), 'CHECKPOINT', /too short/);
  const magic = good.slice(); magic[0] = 0x58;
  fails(() => s.load(magic), 'CHECKPOINT', /not a microgpt parameter file/);
  fails(() => s.load('not bytes'), 'ARG', /Uint8Array/);
  const deep = engine.createSession({ text: names, seed: 1, nLayer: 2 });
  fails(() => s.load(deep.save()), 'CHECKPOINT', /n_layer 2|2, 1/);
  deep.destroy();
  const abc = engine.createSession({ text: 'abc\ncab\n' });
  // a file names its records: other records are refused by their hash, first
  fails(() => s.load(abc.save()), 'CHECKPOINT', /^this file was trained on other records \(hash [0-9a-f]{16}\), not these \(hash [0-9a-f]{16}\): load those records first$/);
  abc.destroy();
  // the session itself is untouched by the failed loads
  assert.equal(s.info().step, 20);
  s.load(good);
  assert.equal(s.info().step, 20);
  s.destroy();
});

test('temperatures, counts and calls in the wrong order', () => {
  const s = engine.createSession({ text: names, seed: 42 });
  fails(() => s.sample(3, NaN), 'ARG', /temperature/);
  fails(() => s.sample(3, -1), 'ARG', /temperature/);
  fails(() => s.sample(3, 'hot'), 'ARG', /temperature/);
  fails(() => s.nextProbs('em', Infinity), 'ARG', /temperature/);
  fails(() => s.sample(-2, 0.5), 'ARG', /number of names/);
  fails(() => s.train(5, 0), 'ARG', /run length/);
  s.train(10, 20);
  fails(() => s.train(5, 1000), 'STATE', /planned for 20 steps/);
  fails(() => s.train(11, 20), 'STATE', /cannot train 11 more steps/);
  s.train(10, 20);
  fails(() => s.train(1, 20), 'STATE', /step 20 of 20/);
  s.reset(42);
  assert.equal(s.train(1, 50).length, 1, 'after a reset another length can be planned');
  s.destroy();
  s.destroy();
  fails(() => s.train(1, 10), 'STATE', /destroyed/);
  fails(() => s.sample(1, 0.5), 'STATE', /destroyed/);
});

test('names Ming cannot read', () => {
  const s = engine.createSession({ text: names, seed: 42 });
  for (const fn of [(n) => s.inspect(n), (n) => s.grad(n), (n) => s.nameLoss(n)]) {
    fails(() => fn('Emma'), 'ARG', /'E' \(U\+0045\) is not one of the 26 courses/);
    fails(() => fn('em3'), 'ARG', /'3'/);
    fails(() => fn('zoë'), 'ARG', /U\+00EB/);
    fails(() => fn('😀'), 'ARG', /U\+1F600/);
    fails(() => fn(''), 'ARG', /empty/);
    fails(() => fn('abcdefghijklmnop'), 'ARG', /longer than 15/);
  }
  fails(() => s.nextProbs('abcdefghijklmnop', 1), 'ARG', /longer than 15/);
  assert.equal(s.nextProbs('abcdefghijklmno', 1).length, 27);
  s.destroy();
});

// wasm memory never shrinks, so text over the limit must be refused before it
// is copied in; a fresh engine shows any growth the refusal caused.
test('text over 16 MiB is refused before it reaches wasm memory', async () => {
  const fresh = await engineModule.loadEngine(wasmUrl);
  const before = fresh.memory.buffer.byteLength;
  const limit = 16 * 2 ** 20;
  const refused = (text) => assert.throws(() => fresh.createSession({ text }), (err) => {
    assert.ok(err instanceof EngineError, `an EngineError, got ${err}`);
    assert.equal(err.code, Status.DATA, `${err.status}: ${err.message}`);
    assert.match(err.message, /limit is 16777216 bytes \(16 MiB\)/);
    return true;
  });
  refused('ab\n'.repeat(limit / 3 + 1)); // a string longer than the limit
  refused('é\n'.repeat(limit / 3 + 1)); // fewer UTF-16 units than the limit, more UTF-8 bytes
  refused(new Uint8Array(limit + 1).fill(0x61));
  assert.equal(fresh.memory.buffer.byteLength, before, 'wasm memory did not grow');
  // text at the limit still goes in (and fails only for what it is)
  assert.throws(() => fresh.createSession({ text: new Uint8Array(limit).fill(0x0a) }), /no names/);
  const s = fresh.createSession({ text: names, seed: 42 });
  assert.ok(Math.abs(s.train(1, 1000)[0] - ref.losses[0]) < 1e-12);
  s.destroy();
});

test('load() on a destroyed session copies nothing (and so leaks nothing)', async () => {
  const fresh = await engineModule.loadEngine(wasmUrl);
  const s = fresh.createSession({ text: names, seed: 42 });
  const bytes = new Uint8Array(8 * 2 ** 20);
  s.destroy();
  const before = fresh.memory.buffer.byteLength;
  for (let i = 0; i < 4; i++) {
    assert.throws(() => s.load(bytes), (err) => err instanceof EngineError && err.code === Status.STATE && /destroyed/.test(err.message));
  }
  assert.equal(fresh.memory.buffer.byteLength, before, 'four 8 MiB copies were neither made nor kept');
});

test('numeric arguments: null, strings, booleans, fractions and out-of-range values are refused, not coerced', () => {
  const s = engine.createSession({ text: names, seed: 42 });
  for (const bad of [null, '42', true, NaN, -1, 1.5, 2 ** 53 + 2, Infinity, [42]]) {
    fails(() => s.reset(bad), 'ARG', /seed must be a whole number from 0 to 2\^53/);
    fails(() => s.reseedSampler(bad), 'ARG', /seed must be a whole number from 0 to 2\^53/);
    if (bad !== -1) fails(() => s.sample(2, 0.5, { seed: bad }), 'ARG', /seed must be a whole number/); // -1: the run's own stream
    fails(() => engine.createSession({ text: names, seed: bad }), 'ARG', /seed must be a whole number/);
  }
  assert.equal(s.info().seed, 42, 'reset(null) did not reset to seed 0');
  for (const bad of [null, '0.5', true, NaN, Infinity, -Infinity, undefined, [1]])
    fails(() => s.setParam(0, bad), 'ARG', /a dial must be a finite number/);
  for (const bad of [0.5, null, '3', NaN]) fails(() => s.setParam(bad, 0.1), 'ARG', /dial index must be a whole number/);
  for (const bad of [-1, s.numParams, 2 ** 31, 2 ** 32]) fails(() => s.setParam(bad, 0.1), 'ARG', new RegExp(`dial ${bad} does not exist \\(0\\.\\.4191\\)`));
  for (const bad of [null, '0.5', true])
    for (const fn of [(t) => s.sample(2, t), (t) => s.nextProbs('em', t)]) fails(() => fn(bad), 'ARG', /temperature must be a number/);
  for (const bad of [null, '3', 2.5, -1, 10001]) fails(() => s.sample(bad, 0.5), 'ARG', /number of names must be 0..10000 /);
  fails(() => s.train(1001, 1000), 'ARG', /one call trains 0..1000 steps/);
  fails(() => s.train(2e6, 1e8), 'ARG', /one call trains 0..1000000 steps.*chunks/);
  fails(() => s.train(null, 1000), 'ARG', /whole numbers/);
  // the session is as it was, and the good values still work
  assert.equal(s.info().step, 0);
  s.setParam(4191, 0.25);
  assert.equal(s.params()[4191], 0.25);
  s.reset(0);
  assert.equal(s.info().seed, 0);
  s.destroy();
});
