// queries.js - the read-only requests: they look at Ming (and may draw names
// from the run's sampler stream) but change no dial of the run. Answered
// between two chunks of training.
import { KitchenCode, fail, badRequest, wholeNumber } from './errors.js';
import { yieldToEvents } from './run.js';
import { ENGINE } from '../limits.js';

// The most names one sample request draws. The service view asks for 200
// (the largest any widget asks); at the default sizes they take 5-15 ms
// (54 ms on a cold first call), so one request stays under 100 ms.
// Bigger models are drawn in chunks (below), so other requests are answered
// between the names.
export const MAX_SAMPLE_COUNT = 200;
const SAMPLE_CHUNK_MS = 20; // names drawn between two looks at the mailbox

/**
 * The query handlers on the kitchen k ({session, engine, need(), freshTwin(),
 * run, timeline}). Each reads Ming from k.need(): the dish a page shows.
 */
export function queryHandlers(k) {
  let msPerName = null; // measured, for the session it was measured on
  let measuredOn = null;

  // Draws in chunks of about SAMPLE_CHUNK_MS: the same names as one call
  // (the run's stream goes on; a private stream's name i uses seed + i).
  async function sample({ count = ENGINE.defaults.names, temperature = ENGINE.temperature.default, seed }) {
    const s = k.need(), epoch = k.timeline.epoch;
    wholeNumber('count (names to draw)', count, 0, MAX_SAMPLE_COUNT);
    if (seed !== undefined) k.checkSeed(seed); // a private stream's seed; none: the run's own stream
    const names = [];
    while (names.length < count) {
      if (measuredOn !== s) { msPerName = null; measuredOn = s; }
      const n = Math.min(count - names.length, msPerName ? Math.max(1, Math.floor(SAMPLE_CHUNK_MS / msPerName)) : 4);
      const t0 = performance.now();
      const opts = seed === undefined ? {} : { seed: typeof seed === 'number' ? seed + names.length : seed };
      for (const name of s.sample(n, temperature, opts)) names.push(name);
      const per = (performance.now() - t0) / n;
      msPerName = msPerName ? 0.5 * msPerName + 0.5 * per : per;
      if (names.length < count) {
        await yieldToEvents();
        // a new Ming meanwhile (init, reset with new sizes, another dish shown): these names are of the old one
        if (k.need() !== s || k.timeline.epoch !== epoch) fail(KitchenCode.WRONG_STATE, 'the kitchen started over while drawing names; ask again');
      }
    }
    return names;
  }

  return {
    sample,
    // one name from a private stream, course by course as the sampler drew it
    sampleTrace: ({ seed, temperature = ENGINE.temperature.default }) => k.need().sampleTrace(seed, temperature),
    probs: ({ prefix = '', temperature = 1 }) => k.need().nextProbs(prefix, temperature),
    attention: ({ text }) => k.need().attention(text),
    inspect: ({ text, fresh }) => (fresh ? k.freshTwin() : k.need()).inspect(text),
    grad: ({ name }) => k.need().grad(name),
    nameLoss: ({ name, fresh }) => (fresh ? k.freshTwin() : k.need()).nameLoss(name),
    // Turns one dial by amount, measures the penalty again, and turns it back.
    nudge({ name, index, amount }) {
      const s = k.need();
      wholeNumber('index (the dial)', index, 0, s.numParams - 1);
      if (typeof amount !== 'number' || !Number.isFinite(amount) || Math.abs(amount) > 1)
        badRequest(`the nudge must be a number from -1 to 1 (got ${amount})`);
      const { loss: before, grads } = s.grad(name);
      const original = s.params()[index];
      s.setParam(index, original + amount);
      let after;
      try { after = s.nameLoss(name); } finally { s.setParam(index, original); }
      return { index, amount, before, after, measured: after - before, predicted: grads[index] * amount, gradient: grads[index] };
    },
    milestones: () => { const step = k.need().info().step; return k.run.milestones.filter((m) => m.step <= step); },
    stepStats: () => k.need().stepStats(),
    snapshot() {
      const s = k.need();
      const a = s.adamState();
      return { params: s.params().slice(), m: a.m.slice(), v: a.v.slice(), update: a.update.slice(),
        grads: a.grads.slice(), step: s.info().step };
    },
    docLengths: () => k.need().docLengths(),
    // every loss the pages were sent so far; the ones not yet sent follow in
    // the next progress event (a page that joins adds those to these)
    losses: () => Float64Array.from(k.run.history),
    memory: () => ({ wasmBytes: k.engine ? k.engine.memory.buffer.byteLength : 0 }),
    save: () => k.need().save(),
    // The names a run prints at its end (microgpt.py's, the proof's): drawn
    // from the stream as training leaves it when nothing else drew from it
    // (a session loaded from the parameter file of the dish shown), so a
    // Re-roll or another page's draws do not change them.
    finalNames({ count = ENGINE.defaults.names, temperature = ENGINE.temperature.default }) {
      const s = k.need();
      wholeNumber('count (names to draw)', count, 0, MAX_SAMPLE_COUNT);
      const twin = k.createSession({ text: k.text, seed: s.info().seed, config: s.config });
      try {
        twin.load(s.save());
        return { step: twin.info().step, names: twin.sample(count, temperature) };
      } finally { twin.destroy(); }
    },
  };
}
