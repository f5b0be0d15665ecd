// The 256 MiB bound of a session (MG_MAX_SESSION_BYTES) through the wasm
// engine: a config over it is refused with its figure before the heap grows,
// and the engine goes on working. The heap only ever grows, so a refusal
// after allocating would show in engine.memory for good.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine, names, engineModule } from '../helpers/engine.mjs';

const { EngineError, Status } = engineModule;
const MiB = 2 ** 20;
const heap = () => engine.memory.buffer.byteLength;

function refused(config, pattern) {
  assert.throws(() => engine.createSession({ text: names, ...config }), (e) => {
    assert.ok(e instanceof EngineError, `${e}`);
    assert.equal(e.status, 'CONFIG');
    assert.match(e.message, pattern);
    return true;
  });
}

test('a config over the bound is refused with its figure, and the heap stays small', () => {
  // 3,970,538 dials (under the parameter limit) and 1,144 MiB of attention weights
  refused({ nEmbd: 143, nHead: 143, nLayer: 16, blockSize: 256 },
    /^n_embd 143, n_head 143, n_layer 16, block_size 256 need 1,40\d MiB of memory; the limit is 256 MiB: choose a smaller n_embd, n_head, n_layer or block_size$/);
  // 361 MiB: the wasm heap (up to 1 GiB) could have held this one
  refused({ nEmbd: 143, nHead: 13, nLayer: 16, blockSize: 256 }, /need 36\d MiB of memory; the limit is 256 MiB/);
  // just over: 256.8 MiB by the layout microgpt.h documents
  refused({ nEmbd: 64, nHead: 64, nLayer: 7, blockSize: 256 }, /need 257 MiB of memory; the limit is 256 MiB/);
  assert.ok(heap() < 32 * MiB, `the heap grew to ${(heap() / MiB).toFixed(0)} MiB`);
});

test('a parameter file whose header asks for more than the bound is refused before it is read', () => {
  const s = engine.createSession({ text: names });
  try {
    const V = s.vocabSize, P = 2 * V * 143 + 256 * 143 + 16 * 12 * 143 * 143;
    const b = new Uint8Array(52 + 4 * (V - 1) + 8);
    const d = new DataView(b.buffer);
    b.set([0x4d, 0x47, 0x50, 0x54]); // "MGPT"
    [1, 143, 143, 16, 256, V].forEach((x, i) => d.setUint32(4 + 4 * i, x, true));
    d.setUint32(44, P, true);
    d.setUint32(48, 1, true);
    assert.throws(() => s.load(b), (e) => {
      assert.equal(e.status, 'CHECKPOINT');
      assert.match(e.message, /config is invalid: .*need 1,40\d MiB of memory; the limit is 256 MiB/);
      return true;
    });
  } finally {
    s.destroy();
  }
  assert.ok(heap() < 32 * MiB, `the heap grew to ${(heap() / MiB).toFixed(0)} MiB`);
});

test('the engine still works after the refusals', () => {
  const s = engine.createSession({ text: names });
  const losses = s.train(10, 10);
  assert.equal(losses.length, 10);
  assert.ok(losses.every(Number.isFinite));
  assert.equal(s.info().step, 10);
  s.destroy();
  assert.ok(heap() < 32 * MiB);
});

test('the limits are exported for JS (mgw_limits)', () => {
  const p = engine.scratch;
  assert.equal(engine.x.mgw_limits(p), Status.OK);
  const [session, data, vocab, embd, layer, block, params, file, steps, samples] =
    engine.u32().subarray(p >> 2, (p >> 2) + 10);
  assert.equal(session, 256 * MiB);
  assert.equal(data, 16 * MiB);
  assert.deepEqual([vocab, embd, layer, block, params], [1024, 512, 16, 256, 4_000_000]);
  // header 92 (version 2), 1,023 code points, 4,000,000 dials with Adam's m and v, hash 8
  assert.equal(file, 92 + 4 * 1023 + 24 * 4_000_000 + 8);
  assert.deepEqual([steps, samples], [100_000_000, 10_000]);
  // engine.js reads them from C, not a copy of its own
  assert.equal(engine.limits.textBytes, 16 * MiB);
  assert.equal(engine.limits.paramFileBytes, file);
  assert.equal(engine.limits.samples, 10_000);
});

test('a parameter file larger than any valid one is refused before it is copied into wasm memory', () => {
  const s = engine.createSession({ text: 'emma\nolivia\nava\n' });
  try {
    const before = heap();
    const tooBig = new Uint8Array(engine.limits.paramFileBytes + 1);
    assert.throws(() => s.load(tooBig), (e) => e.status === 'CHECKPOINT' && /largest valid one is 96004192 bytes/.test(e.message));
    assert.equal(heap(), before);
  } finally { s.destroy(); }
});
