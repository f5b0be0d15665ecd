// ref.mjs - the reference runs in ../shared/reference and the parameter file format.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { reference } from './paths.mjs';

export const loadRun = (name) => JSON.parse(readFileSync(path.join(reference, `${name}.json`), 'utf8'));
export const loadParams = (name) => {
  const b = readFileSync(path.join(reference, `${name}_params.f64`));
  return new Float64Array(b.buffer, b.byteOffset, b.length / 8);
};

/** Reads the header and arrays of a parameter file (see c/checkpoint.c). */
export function parseCheckpoint(bytes) {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const u32 = (o) => b.readUInt32LE(o);
  const V = u32(24), P = u32(44);
  const off = 52 + 4 * (V - 1);
  const f64 = (o, n) => { const out = new Float64Array(n); for (let i = 0; i < n; i++) out[i] = b.readDoubleLE(o + 8 * i); return out; };
  return {
    magic: b.toString('latin1', 0, 4), version: u32(4),
    config: { nEmbd: u32(8), nHead: u32(12), nLayer: u32(16), blockSize: u32(20) },
    vocabSize: V, seed: Number(b.readBigUInt64LE(28)), step: u32(36), numSteps: u32(40), numParams: P,
    flags: u32(48), params: f64(off, P), m: f64(off + 8 * P, P), v: f64(off + 16 * P, P),
  };
}

export function maxAbsDiff(a, b) {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}
