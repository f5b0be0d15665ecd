// 200 sessions made, used and destroyed leave the wasm memory within a fixed bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine, names } from '../helpers/engine.mjs';

test('200 create/train/sample/save/destroy cycles do not grow memory', () => {
  const sizes = [];
  for (let i = 0; i < 200; i++) {
    const s = engine.createSession({ text: names, seed: i });
    s.train(5, 100);
    s.sample(5, 0.7);
    s.save();
    s.inspect('emma');
    s.grad('anna');
    try { s.nameLoss('Bad!'); } catch { /* expected */ }
    s.destroy();
    sizes.push(engine.memory.buffer.byteLength);
  }
  // after warm-up the heap stops growing: a leak of even one record set
  // (about 300 KB per session) would add 50 MB over the last 180 cycles
  assert.ok(sizes[199] - sizes[19] <= 1 << 20, `grew from ${sizes[19]} to ${sizes[199]} bytes`);
  assert.ok(sizes[199] <= 64 << 20, `${sizes[199]} bytes`);
});
