// Failures free what they allocated: 60 rounds of every kind of rejected
// input (a dataset rejected after being parsed to its last line, bad configs,
// bad parameter files, unreadable names, bad temperatures) leave the wasm
// memory where it was after 10 rounds. A leak of one parsed dataset
// (~0.5 MB of records) per round would add over 20 MB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dataFile, wasmUrl, engineUrl } from '../helpers/paths.mjs';

const { loadEngine, EngineError } = await import(engineUrl);
const engine = await loadEngine(wasmUrl);
const names = readFileSync(dataFile, 'utf8');

test('rejected inputs do not leak wasm memory', () => {
  const utf8 = new TextEncoder().encode(names);
  const badTail = new Uint8Array(utf8.length + 3);
  badTail.set(utf8);
  badTail.set([0xc3, 0x28, 0x0a], utf8.length); // invalid UTF-8 on the very last line
  const s = engine.createSession({ text: names, seed: 1 });
  s.train(3, 10);
  const good = s.save();
  const flipped = good.slice(); flipped[3000] ^= 4;
  const deep = engine.createSession({ text: names, nLayer: 2 });
  const deepBytes = deep.save();
  deep.destroy();
  const failing = [
    () => engine.createSession({ text: badTail }),
    () => engine.createSession({ text: names + 'ab\0c\n' }),
    () => engine.createSession({ text: names, nEmbd: 16, nHead: 3 }),
    () => engine.createSession({ text: names, blockSize: 999 }),
    () => engine.createSession({ text: names, seed: -1 }),
    () => s.load(flipped),
    () => s.load(deepBytes),
    () => s.load(good.subarray(0, good.length - 1)),
    () => s.inspect('Emma'),
    () => s.grad('x'.repeat(40)),
    () => s.nameLoss('zoë'),
    () => s.nextProbs('em', NaN),
    () => s.sample(3, -1),
    () => s.train(5, 20),
  ];
  const sizes = [];
  for (let round = 0; round < 60; round++) {
    for (const fn of failing) assert.throws(fn, EngineError);
    sizes.push(engine.memory.buffer.byteLength);
  }
  assert.ok(sizes[59] - sizes[9] <= 1 << 20, `grew from ${sizes[9]} to ${sizes[59]} bytes`);
  // and the session that saw all of it is intact
  assert.equal(s.info().step, 3);
  s.load(good);
  assert.deepEqual(s.save(), good);
  s.destroy();
});

test('a deep session created and destroyed 40 times reuses its memory', () => {
  const sizes = [];
  for (let i = 0; i < 40; i++) {
    const s = engine.createSession({ text: names, seed: i, nEmbd: 64, nHead: 4, nLayer: 4, blockSize: 32 });
    s.train(1, 10);
    s.grad('emma');
    s.inspect('abcdefghijklmnopqrstuvwxyz');
    s.destroy();
    sizes.push(engine.memory.buffer.byteLength);
  }
  assert.equal(sizes[39], sizes[9], `grew from ${sizes[9]} to ${sizes[39]} bytes`);
});
