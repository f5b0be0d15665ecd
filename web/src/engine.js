// engine.js - the microgpt WebAssembly module as a JS API, for Node and
// browser workers alike. One method per export of c/wasm_exports.c; typed
// arrays and strings in and out; every failure throws an EngineError carrying
// the C message. Results are copied out of wasm memory before it is freed.

import { DEFAULT_CONFIG, SEED_MAX } from './limits.js';
import { readFactValues, nameFacts } from './engine-facts.js';

// Mirrors mg_status in c/microgpt.h.
export const Status = Object.freeze({
  OK: 0, ARG: 1, NOMEM: 2, DATA: 3, CONFIG: 4, CHECKPOINT: 5, STATE: 6, IO: 7,
});
const statusNames = Object.fromEntries(Object.entries(Status).map(([k, v]) => [v, k]));

export class EngineError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.status = statusNames[code] ?? 'UNKNOWN';
  }
}

// C's default size and seed range (a seed is a JS number; C takes a double:
// whole numbers 0..2^53), read from the engine (limits.js).
export { DEFAULT_CONFIG, SEED_MAX } from './limits.js';
// JS's own bound: one train() call returns its losses in one array.
const TRAIN_CALL_STEPS = 1e6;

/** Throws ARG unless temperature is a number; C checks its range (mg_check_temperature). */
function checkTemperature(t) {
  if (typeof t !== 'number') throw new EngineError(Status.ARG, `temperature must be a number (got ${describe(t)})`);
}

/** Throws ARG unless seed is a whole number 0..2^53 (a JS number: null is not 0). */
function checkSeed(seed) {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > SEED_MAX)
    throw new EngineError(Status.ARG, `the seed must be a whole number from 0 to 2^53 (got ${describe(seed)})`);
}

/** A short, safe rendering of a bad argument for a message. */
function describe(v) {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (v === null || typeof v !== 'object') return String(v);
  return Array.isArray(v) ? 'an array' : 'an object';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function wasmBytes(source) {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return source;
  const url = source instanceof URL ? source : new URL(String(source), globalThis.location?.href ?? `file://${globalThis.process?.cwd?.()}/`);
  if (url.protocol === 'file:') {
    const { readFile } = await import(/* webpackIgnore: true */ 'node:fs/promises');
    return readFile(url);
  }
  const res = await fetch(url);
  if (!res.ok) throw new EngineError(Status.IO, `could not load the engine from ${url}: HTTP ${res.status}`);
  // compile while it downloads, where the server says application/wasm
  if (WebAssembly.compileStreaming && res.headers.get('Content-Type') === 'application/wasm')
    return WebAssembly.compileStreaming(res);
  return res.arrayBuffer();
}

/**
 * Loads the engine. source: a URL (http(s) or file:), a path, the wasm bytes,
 * or a compiled WebAssembly.Module (share one module between sessions).
 */
export async function loadEngine(source) {
  if (typeof WebAssembly !== 'object') throw new EngineError(Status.IO, 'this browser cannot run WebAssembly');
  const bytes = await wasmBytes(source);
  const module = bytes instanceof WebAssembly.Module ? bytes : await WebAssembly.compile(bytes);
  const instance = await WebAssembly.instantiate(module, {
    env: { emscripten_notify_memory_growth() {} },
  });
  instance.exports._initialize();
  return new Engine(instance.exports, module);
}

export class Engine {
  constructor(exports, module) {
    this.x = exports;
    this.module = module;
    // scratch space for out-parameters, allocated once
    this.scratch = this.x.mgw_malloc(256);
    // the bounds of c/microgpt.h, checked here too so a refused argument
    // never reaches wasm memory (which never shrinks) or is coerced on its way
    // (and the rest of the engine's facts: engine-facts.js)
    this.facts = nameFacts(readFactValues(this.x, this.scratch, (rc) => this.check(rc)));
    this.limits = this.facts.limits;
  }

  get memory() { return this.x.memory; }
  u8() { return new Uint8Array(this.x.memory.buffer); }
  u32() { return new Uint32Array(this.x.memory.buffer); }
  f64() { return new Float64Array(this.x.memory.buffer); }

  /** Throws the C message if rc is not OK. */
  check(rc) {
    if (rc === Status.OK) return;
    const p = this.x.mgw_error();
    const u8 = this.u8();
    let end = p;
    while (u8[end]) end++;
    throw new EngineError(rc, decoder.decode(u8.subarray(p, end)) || `engine error ${rc}`);
  }

  /** Adam's learning rate at 0-based step s of a run of numSteps steps (C's schedule, mg_learning_rate). */
  learningRate(s, numSteps) {
    if (!Number.isInteger(s) || !Number.isInteger(numSteps) || Math.abs(s) >= 2 ** 31 || Math.abs(numSteps) >= 2 ** 31)
      throw new EngineError(Status.ARG, `the step and run length must be whole numbers (got ${describe(s)} of ${describe(numSteps)})`);
    this.check(this.x.mgw_learning_rate(s, numSteps, this.scratch));
    return this.f64()[this.scratch >> 3];
  }

  /** Copies bytes into fresh wasm memory; the caller frees the pointer. */
  alloc(bytes) {
    const p = this.x.mgw_malloc(bytes.length);
    if (!p) throw new EngineError(Status.NOMEM, 'out of memory');
    this.u8().set(bytes, p);
    return p;
  }

  /**
   * Runs fn(ptr, len) with text (a string or UTF-8 bytes) in wasm memory.
   * Text over the limit is refused before it is encoded or copied: a UTF-8
   * encoding has at least as many bytes as the string has UTF-16 units.
   */
  withText(text, fn, code = Status.ARG) {
    if (typeof text !== 'string' && !(text instanceof Uint8Array))
      throw new EngineError(Status.ARG, `expected text (a string), got ${typeof text}`);
    const max = this.limits.textBytes;
    const tooLong = (n) => new EngineError(code,
      `the text is ${n > max * 4 ? 'more than ' : ''}${Math.min(n, max * 4)} bytes; the limit is ${max} bytes (${max / 2 ** 20} MiB)`);
    if (text.length > max) throw tooLong(text.length);
    const bytes = typeof text === 'string' ? encoder.encode(text) : text;
    if (bytes.length > max) throw tooLong(bytes.length);
    const p = this.alloc(bytes);
    try { return fn(p, bytes.length); } finally { this.x.mgw_free(p); }
  }

  /** Runs fn(ptr) with a scratch buffer of n bytes, freed afterwards. */
  withBuffer(n, fn) {
    const p = this.x.mgw_malloc(n);
    if (!p) throw new EngineError(Status.NOMEM, 'out of memory');
    try { return fn(p); } finally { this.x.mgw_free(p); }
  }

  /**
   * What a parameter file says about itself, checked as a load checks it but
   * without a session: {version, config, vocabSize, seed, step, numSteps,
   * numParams, hasAdam, recordsHash (16 hex digits; null in a version 1 file),
   * preset (the records' preset id; '' if none or version 1)}. Throws the C
   * message on a corrupt file.
   */
  peekFile(bytes) {
    if (!(bytes instanceof Uint8Array)) throw new EngineError(Status.ARG, 'peekFile() takes the file as a Uint8Array');
    const max = this.limits.paramFileBytes;
    if (bytes.length > max)
      throw new EngineError(Status.CHECKPOINT, `the parameter file is ${bytes.length} bytes; the largest valid one is ${max} bytes`);
    const out = this.scratch, preset = this.scratch + 4 * PEEK_FIELDS.length;
    const p = this.alloc(bytes);
    try { this.check(this.x.mgw_peek(p, bytes.length, out, preset)); } finally { this.x.mgw_free(p); }
    const u = this.u32().subarray(out >> 2, (out >> 2) + PEEK_FIELDS.length);
    const f = Object.fromEntries(PEEK_FIELDS.map((k, i) => [k, u[i]]));
    return {
      version: f.version, config: { nEmbd: f.nEmbd, nHead: f.nHead, nLayer: f.nLayer, blockSize: f.blockSize },
      vocabSize: f.vocabSize, seed: f.seedHi * 2 ** 32 + f.seedLo, step: f.step, numSteps: f.numSteps,
      numParams: f.numParams, hasAdam: f.hasAdam === 1,
      recordsHash: f.hasRecords ? hex64(f.hashLo, f.hashHi) : null, preset: this.cString(preset),
    };
  }

  /** The NUL-terminated UTF-8 string at p in wasm memory. */
  cString(p) {
    const u8 = this.u8();
    let end = p;
    while (u8[end]) end++;
    return decoder.decode(u8.subarray(p, end));
  }

  /**
   * A new kitchen: the dataset (text, one name per line), a seed and the
   * model sizes. Throws on an empty or invalid dataset or a bad config.
   */
  /**
   * A new session. bounds: {maxBytes, maxWork}, tighter than the core's own
   * (mg_bounds: a caller that keeps several sessions or must answer quickly).
   */
  createSession({ text, seed = this.facts.defaults.seed, bounds = {}, ...config } = {}) {
    const c = this.checkConfigArgs(config);
    const { maxBytes, maxWork } = checkBounds(bounds);
    checkSeed(seed);
    const out = this.scratch;
    this.withText(text, (p, n) =>
      this.check(this.x.mgw_create(c.nEmbd, c.nHead, c.nLayer, c.blockSize, p, n, seed, maxBytes, maxWork, out)), Status.DATA);
    return new Session(this, this.u32()[out >> 2]);
  }

  /** The sizes with the defaults filled in, as C takes them (C checks their ranges). */
  checkConfigArgs(config) {
    const c = { ...DEFAULT_CONFIG, ...config };
    // C checks each size's range and the sizes together (n_head divides n_embd, the
    // memory bound); here only what would not reach C as it is: a fraction, or a
    // number past a C int (said with C's range for it)
    const { nEmbd, nLayer, blockSize } = this.limits;
    const max = { nEmbd, nHead: nEmbd, nLayer, blockSize };
    for (const k of Object.keys(DEFAULT_CONFIG)) {
      if (!Number.isInteger(c[k])) throw new EngineError(Status.CONFIG, `${k} must be a whole number (got ${describe(c[k])})`);
      if (Math.abs(c[k]) >= 2 ** 31) throw new EngineError(Status.CONFIG, `${k} must be a whole number from 1 to ${max[k]} (got ${describe(c[k])})`);
    }
    return c;
  }
}

/** {maxBytes, maxWork}: whole numbers 0..2^53 (0: the core's own bound). */
function checkBounds({ maxBytes = 0, maxWork = 0 } = {}) {
  for (const [k, v] of [['maxBytes', maxBytes], ['maxWork', maxWork]])
    if (!Number.isInteger(v) || v < 0 || v > SEED_MAX) throw new EngineError(Status.ARG, `${k} must be a whole number from 0 to 2^53 (got ${describe(v)})`);
  return { maxBytes, maxWork };
}

// The order of mgw_inspect_layout's values (c/microgpt.h mg_inspect_layout):
// the size, then each part's offset in doubles, the parts in writing order.
const INSPECT_FIELDS = ['size', 'tokens', 'next', 'att', 'mlpPre', 'mlpPost', 'stream', 'probs', 'penalty'];

// The order of mgw_peek's values (c/wasm_exports.c).
const PEEK_FIELDS = ['version', 'nEmbd', 'nHead', 'nLayer', 'blockSize', 'vocabSize', 'seedLo', 'seedHi', 'step',
  'numSteps', 'numParams', 'hasAdam', 'hasRecords', 'hashLo', 'hashHi'];
/** A 64-bit hash from its two 32-bit halves, as 16 hex digits (as C prints it). */
const hex64 = (lo, hi) => hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');

const INFO_FIELDS = ['nEmbd', 'nHead', 'nLayer', 'blockSize', 'vocabSize', 'numParams', 'step',
  'numSteps', 'numDocs', 'numTensors', 'paramsPtr', 'mPtr', 'vPtr', 'updatePtr', 'gradsPtr', 'seedLo', 'seedHi'];

export class Session {
  constructor(engine, ptr) {
    this.engine = engine;
    this.ptr = ptr;
    const info = this.info();
    this.config = { nEmbd: info.nEmbd, nHead: info.nHead, nLayer: info.nLayer, blockSize: info.blockSize };
    this.vocabSize = info.vocabSize;
    this.numParams = info.numParams;
    this.tensorTable = this.tensors();
    this.vocabulary = this.vocab();
  }

  get x() {
    if (!this.ptr) throw new EngineError(Status.STATE, 'this session was destroyed; create a new one');
    return this.engine.x;
  }
  check(rc) { this.engine.check(rc); }

  /** Figures of the run: sizes, step, planned steps, number of records, seed. */
  info() {
    const e = this.engine;
    this.check(this.x.mgw_info(this.ptr, e.scratch));
    const u = e.u32().subarray(e.scratch >> 2, (e.scratch >> 2) + INFO_FIELDS.length);
    const info = Object.fromEntries(INFO_FIELDS.map((k, i) => [k, u[i]]));
    info.seed = info.seedHi * 2 ** 32 + info.seedLo;
    return info;
  }

  /** The size table: [{name, rows, cols, offset}] in parameter order. */
  tensors() {
    const e = this.engine;
    const n = this.info().numTensors;
    const out = [];
    for (let i = 0; i < n; i++) {
      const name = e.scratch, shape = e.scratch + 32;
      this.check(this.x.mgw_tensor(this.ptr, i, name, shape));
      const u8 = e.u8();
      let end = name;
      while (u8[end]) end++;
      const [rows, cols, offset] = e.u32().subarray(shape >> 2, (shape >> 2) + 3);
      out.push({ name: decoder.decode(u8.slice(name, end)), rows, cols, offset });
    }
    return out;
  }

  /** The courses: characters by token id; the last id is the bell (BOS), shown as null. */
  vocab() {
    const n = this.vocabSize - 1;
    return this.engine.withBuffer(4 * n + 4, (p) => {
      this.check(this.x.mgw_vocab(this.ptr, p));
      const cps = Array.from(this.engine.u32().subarray(p >> 2, (p >> 2) + n));
      return [...cps.map((c) => String.fromCodePoint(c)), null];
    });
  }

  /** Length in courses of every record (document), in file order. */
  docLengths() {
    const n = this.info().numDocs;
    return this.engine.withBuffer(4 * n, (p) => {
      this.check(this.x.mgw_doc_lengths(this.ptr, p, n));
      return new Int32Array(this.engine.x.memory.buffer, p, n).slice();
    });
  }

  /** The records as the engine took them (each line stripped of the
   * whitespace Python's str.strip removes, blank lines dropped; C's rule,
   * c/dataset.c), in file order: from their courses and lengths. */
  recordList() {
    const lengths = this.docLengths();
    const chars = this.vocab();
    const total = lengths.reduce((a, b) => a + b, 0);
    return this.engine.withBuffer(2 * total + 2, (p) => {
      this.check(this.x.mgw_doc_tokens(this.ptr, p, total));
      const ids = new Uint16Array(this.engine.x.memory.buffer, p, total);
      const out = new Array(lengths.length);
      for (let i = 0, at = 0; i < lengths.length; at += lengths[i], i++) {
        let r = '';
        for (let j = at; j < at + lengths[i]; j++) r += chars[ids[j]];
        out[i] = r;
      }
      return out;
    });
  }

  /** Trains n steps of a run of numSteps; returns the n losses. */
  train(n, numSteps) {
    return this.trainWatch(n, numSteps, -1).losses;
  }

  /**
   * Trains n steps of a run of numSteps, following dial #index (-1: none):
   * {losses: Float64Array(n), watch: Float64Array(n x 4) of the dial's
   * gradient, Adam's m and v and its update after each step (null for -1)}.
   */
  trainWatch(n, numSteps, index) {
    if (!Number.isInteger(n) || !Number.isInteger(numSteps))
      throw new EngineError(Status.ARG, `train(n, numSteps) takes whole numbers (got ${n}, ${numSteps})`);
    const { runSteps } = this.engine.limits;
    if (numSteps < 1 || numSteps > runSteps)
      throw new EngineError(Status.ARG, `the run length must be 1..${runSteps} steps (got ${numSteps})`);
    if (n < 0 || n > Math.min(numSteps, TRAIN_CALL_STEPS))
      throw new EngineError(Status.ARG, `one call trains 0..${Math.min(numSteps, TRAIN_CALL_STEPS)} steps of this run (got ${n}); train in chunks`);
    const watched = index !== -1;
    if (watched && (!Number.isInteger(index) || index < 0 || index >= this.numParams))
      throw new EngineError(Status.ARG, `dial ${describe(index)} does not exist (0..${this.numParams - 1})`);
    const m = Math.max(n, 1);
    return this.engine.withBuffer(8 * m * (watched ? 5 : 1), (p) => {
      const w = watched ? p + 8 * m : 0;
      this.check(this.x.mgw_train_watch(this.ptr, n, numSteps, p, index, w));
      const buf = this.engine.x.memory.buffer;
      return { losses: new Float64Array(buf, p, n).slice(), watch: watched ? new Float64Array(buf, w, 4 * n).slice() : null };
    });
  }

  /**
   * count new names at a temperature (0 = always the likeliest course).
   * With {seed}, names come from a private stream and the run's stream is untouched.
   */
  sample(count, temperature, { seed = -1 } = {}) {
    const max = this.engine.limits.samples;
    if (!Number.isInteger(count) || count < 0 || count > max)
      throw new EngineError(Status.ARG, `the number of names must be 0..${max} (got ${describe(count)})`);
    checkTemperature(temperature);
    if (seed !== -1) checkSeed(seed);
    // rounded up to 8 so the length that follows the names is aligned
    const cap = Math.ceil(Math.max(1, count) * (this.config.blockSize * 4 + 1) / 8) * 8;
    return this.engine.withBuffer(cap + 8, (p) => {
      const lenPtr = p + cap;
      this.check(this.x.mgw_sample(this.ptr, count, temperature, seed, p, cap, lenPtr));
      const len = this.engine.u32()[lenPtr >> 2];
      const text = decoder.decode(this.engine.u8().slice(p, p + len));
      return count ? text.slice(0, -1).split('\n') : [];
    });
  }

  /**
   * One name from a private stream seeded with seed (the name sample(1, t, {seed})
   * gives; the run's stream is untouched) and how it was drawn, course by course:
   * {name, steps: [{probs (V, at the temperature), u (the uniform number in [0, 1)
   * drawn; NaN at temperature 0, the likeliest), token (the pick; the bell ends)}]}.
   */
  sampleTrace(seed, temperature) {
    checkSeed(seed);
    checkTemperature(temperature);
    const e = this.engine, V = this.vocabSize, block = this.config.blockSize;
    const cap = Math.ceil((block * 4 + 1) / 8) * 8, rows = block * (V + 2); // as mg_sample_trace needs
    return e.withBuffer(8 * rows + cap + 8, (trace) => {
      const out = trace + 8 * rows, lenPtr = out + cap, nPtr = lenPtr + 4;
      this.check(this.x.mgw_sample_trace(this.ptr, seed, temperature, out, cap, lenPtr, trace, rows, nPtr));
      const len = e.u32()[lenPtr >> 2], n = e.u32()[nPtr >> 2];
      const all = new Float64Array(e.x.memory.buffer, trace, n * (V + 2)).slice();
      const steps = [];
      for (let p = 0; p < n; p++) {
        const row = all.subarray(p * (V + 2), (p + 1) * (V + 2));
        steps.push({ probs: row.slice(0, V), u: row[V], token: row[V + 1] });
      }
      return { name: decoder.decode(e.u8().slice(out, out + len)), steps };
    });
  }

  /** Starts over with seed: new shuffle, new random dials, step 0. */
  reset(seed = this.info().seed) {
    checkSeed(seed);
    this.check(this.x.mgw_reset(this.ptr, seed));
  }

  reseedSampler(seed) {
    checkSeed(seed);
    this.check(this.x.mgw_reseed_sampler(this.ptr, seed));
  }

  /** Live, read-only view of every dial (do not keep it across calls: memory
   * may grow; write dials with setParam, which refreshes the model's copies). */
  params() {
    return new Float64Array(this.engine.x.memory.buffer, this.info().paramsPtr, this.numParams);
  }

  /** Live views of Adam's memory (m), per-dial scale (v) and last update, and the last step's gradient. */
  adamState() {
    const i = this.info(), buf = this.engine.x.memory.buffer, n = this.numParams;
    return {
      m: new Float64Array(buf, i.mPtr, n), v: new Float64Array(buf, i.vPtr, n),
      update: new Float64Array(buf, i.updatePtr, n), grads: new Float64Array(buf, i.gradsPtr, n),
    };
  }

  /** The records the session was made from: {hash (FNV-1a 64 of the text's
   * UTF-8 bytes, 16 hex digits; parameter files name it), preset (id or '')}. */
  records() {
    const e = this.engine, hash = e.scratch, preset = e.scratch + 8;
    this.check(this.x.mgw_records(this.ptr, hash, preset));
    const [lo, hi] = e.u32().subarray(hash >> 2, (hash >> 2) + 2);
    return { hash: hex64(lo, hi), preset: e.cString(preset) };
  }

  /**
   * The dial count of another config for these records, within bounds (as
   * createSession takes them): throws the message creating it would give.
   * Nothing is allocated.
   */
  checkConfig(config, bounds = {}) {
    const c = this.engine.checkConfigArgs(config);
    const { maxBytes, maxWork } = checkBounds(bounds);
    const e = this.engine;
    this.check(this.x.mgw_check_config(this.ptr, c.nEmbd, c.nHead, c.nLayer, c.blockSize, maxBytes, maxWork, e.scratch));
    return e.u32()[e.scratch >> 2];
  }

  /** How many records are longer than the block takes (their ends are not trained on). */
  cutRecords() {
    const e = this.engine;
    this.check(this.x.mgw_cut_records(this.ptr, e.scratch));
    return e.u32()[e.scratch >> 2];
  }

  /** Names the records' preset (saved in the parameter file; '' for none):
   * at most 32 printable ASCII characters (C checks). */
  setPreset(id) {
    if (typeof id !== 'string') throw new EngineError(Status.ARG, `a preset id is a string (got ${describe(id)})`);
    const x = this.x;
    this.engine.withText(id, (p, n) => this.check(x.mgw_set_preset(this.ptr, p, n)));
  }

  /** The parameter file (checkpoint) as bytes. */
  save() {
    const e = this.engine, out = e.scratch, lenOut = e.scratch + 8;
    this.check(this.x.mgw_save(this.ptr, out, lenOut));
    const [p, len] = [e.u32()[out >> 2], e.u32()[lenOut >> 2]];
    const bytes = e.u8().slice(p, p + len);
    this.x.mgw_free(p);
    return bytes;
  }

  /** Restores dials, Adam's memory and step from a parameter file. */
  load(bytes) {
    if (!(bytes instanceof Uint8Array)) throw new EngineError(Status.ARG, 'load() takes the file as a Uint8Array');
    const x = this.x; // throws on a destroyed session, before anything is copied
    const max = this.engine.limits.paramFileBytes;
    if (bytes.length > max)
      throw new EngineError(Status.CHECKPOINT, `the parameter file is ${bytes.length} bytes; the largest valid one is ${max} bytes`);
    const p = this.engine.alloc(bytes);
    try { this.check(x.mgw_load(this.ptr, p, bytes.length)); } finally { x.mgw_free(p); }
  }

  /** Probabilities of each next course after [BOS, prefix...] at a temperature. */
  nextProbs(prefix, temperature = 1) {
    checkTemperature(temperature);
    const V = this.vocabSize;
    return this.engine.withBuffer(8 * V, (out) => this.engine.withText(prefix, (p, n) => {
      this.check(this.x.mgw_next_probs(this.ptr, p, n, temperature, out));
      return new Float64Array(this.engine.x.memory.buffer, out, V).slice();
    }));
  }

  /** Everything the chapter views show for a name or prefix (see c/microgpt.h, mg_inspect). */
  inspect(text) {
    const e = this.engine;
    const chars = Math.min(typeof text === 'string' ? [...text].length : text?.length ?? 0, this.config.blockSize);
    // where C writes each part (mg_inspect_layout: the size, then the offsets in this order)
    this.check(this.x.mgw_inspect_layout(this.ptr, chars, e.scratch));
    const at = Object.fromEntries(INSPECT_FIELDS.map((k, i) => [k, e.u32()[(e.scratch >> 2) + i]]));
    return e.withBuffer(8 * at.size + 8, (out) => e.withText(text, (p, n) => {
      const nOut = out + 8 * at.size;
      this.check(this.x.mgw_inspect(this.ptr, p, n, out, at.size, nOut));
      const N = e.u32()[nOut >> 2];
      const all = new Float64Array(e.x.memory.buffer, out, at.size).slice();
      const { nLayer: L, nHead: H, nEmbd } = this.config, F = 4 * nEmbd, V = this.vocabSize;
      const part = (k, i) => all.subarray(at[k], at[INSPECT_FIELDS[i + 1]] ?? at.size);
      const parts = Object.fromEntries(INSPECT_FIELDS.slice(1).map((k, i) => [k, part(k, i + 1)]));
      return {
        n: N, layers: L, heads: H, hidden: F, vocabSize: V,
        tokens: Int32Array.from(parts.tokens), next: Int32Array.from(parts.next),
        attention: parts.att, mlpPre: parts.mlpPre, mlpPost: parts.mlpPost,
        stream: parts.stream, probs: parts.probs, penalty: parts.penalty,
      };
    }));
  }

  /** Attention weights for a text: Float64Array [layer][head][pos][pos] and n positions. */
  attention(text) {
    const r = this.inspect(text);
    return { n: r.n, layers: r.layers, heads: r.heads, weights: r.attention };
  }

  /** The loss of one name and its gradient for every dial, without changing anything. */
  grad(name) {
    const e = this.engine, P = this.numParams;
    return e.withBuffer(8 * P + 8, (out) => e.withText(name, (p, n) => {
      this.check(this.x.mgw_name_grad(this.ptr, p, n, out, out + 8 * P));
      const all = new Float64Array(e.x.memory.buffer, out, P + 1).slice();
      return { loss: all[P], grads: all.subarray(0, P) };
    }));
  }

  /** Mean penalty (loss) of one name at the current dials. */
  nameLoss(name) {
    const e = this.engine;
    return e.withText(name, (p, n) => {
      this.check(this.x.mgw_name_loss(this.ptr, p, n, e.scratch));
      return e.f64()[e.scratch >> 3];
    });
  }

  /** Per tensor: gradient L2 norm and RMS of Adam's update, for the last step. */
  stepStats() {
    const T = this.tensorTable.length;
    return this.engine.withBuffer(16 * T, (p) => {
      this.check(this.x.mgw_step_stats(this.ptr, p));
      const a = new Float64Array(this.engine.x.memory.buffer, p, 2 * T).slice();
      return this.tensorTable.map((t, i) => ({ name: t.name, gradNorm: a[2 * i], stepSize: a[2 * i + 1] }));
    });
  }

  /** Turns dial #index to value. */
  setParam(index, value) {
    if (!Number.isInteger(index)) throw new EngineError(Status.ARG, `dial index must be a whole number (got ${describe(index)})`);
    if (index < 0 || index >= this.numParams) // as C words it; checked here before int32 could wrap it
      throw new EngineError(Status.ARG, `dial ${index} does not exist (0..${this.numParams - 1})`);
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new EngineError(Status.ARG, `a dial must be a finite number (got ${describe(value)})`);
    this.check(this.x.mgw_set_param(this.ptr, index, value));
  }

  /** Frees the session; later calls throw. Safe to call twice. */
  destroy() {
    if (!this.ptr) return;
    this.engine.x.mgw_destroy(this.ptr);
    this.ptr = 0;
  }
}
