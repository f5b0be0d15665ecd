// ref.mjs - the reference runs in tests/fixtures/reference and the parameter file format.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import path from 'node:path';
import { reference } from './paths.mjs';

export const loadRun = (name) => JSON.parse(readFileSync(path.join(reference, `${name}.json`), 'utf8'));
export const loadParams = (name) => {
  const b = readFileSync(path.join(reference, `${name}_params.f64`));
  return new Float64Array(b.buffer, b.byteOffset, b.length / 8);
};

export const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The sha256 the fixtures' README gives for one of its files (the README is where that fact lives). */
export function readmeSha256(file) {
  const readme = readFileSync(path.join(reference, 'README.md'), 'utf8');
  const row = readme.split('\n').find((l) => l.startsWith(`| \`${file}\``));
  const m = row && row.match(/sha256 `([0-9a-f]{64})`/);
  if (!m) throw new Error(`tests/fixtures/reference/README.md gives no sha256 for ${file}`);
  return m[1];
}

/** Reads the header and arrays of a parameter file (see c/checkpoint.c). */
export function parseCheckpoint(bytes) {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const u32 = (o) => b.readUInt32LE(o);
  const V = u32(24), P = u32(44), version = u32(4);
  const header = version >= 2 ? 92 : 52; // version 2 adds the records hash (u64) and preset id (32 bytes)
  const off = header + 4 * (V - 1);
  const f64 = (o, n) => { const out = new Float64Array(n); for (let i = 0; i < n; i++) out[i] = b.readDoubleLE(o + 8 * i); return out; };
  return {
    magic: b.toString('latin1', 0, 4), version: u32(4),
    config: { nEmbd: u32(8), nHead: u32(12), nLayer: u32(16), blockSize: u32(20) },
    vocabSize: V, seed: Number(b.readBigUInt64LE(28)), step: u32(36), numSteps: u32(40), numParams: P,
    flags: u32(48), header,
    recordsHash: version >= 2 ? b.readBigUInt64LE(52).toString(16).padStart(16, '0') : null,
    preset: version >= 2 ? b.toString('latin1', 60, 92).replace(/\0+$/, '') : null,
    params: f64(off, P), m: f64(off + 8 * P, P), v: f64(off + 16 * P, P),
  };
}

export function maxAbsDiff(a, b) {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** Index and size of the first loss outside tol, for a useful message (null when all are within). */
export function firstOff(got, want, tol) {
  if (got.length !== want.length) return `${got.length} losses, reference ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol)) return `step ${i + 1}: got ${got[i]}, reference ${want[i]}`;
  }
  return null;
}

/**
 * Compares a finished run {losses, samples, params} with the reference run `name`:
 * every loss and parameter within tol, the names equal. Returns the figures.
 */
export function assertMatchesRun(got, name, tol = 1e-9) {
  const ref = loadRun(name), want = loadParams(name);
  assert.equal(firstOff(got.losses, ref.losses, tol), null);
  assert.deepEqual(got.samples, ref.samples);
  assert.equal(got.params.length, want.length);
  const figures = { lossDiff: maxAbsDiff(got.losses, ref.losses), paramDiff: maxAbsDiff(got.params, want), namesEqual: true };
  assert.ok(figures.paramDiff <= tol, `max parameter difference ${figures.paramDiff}`);
  return figures;
}
