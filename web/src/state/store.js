// store.js - the page's state as signals, made by one factory and passed by
// context (tests build their own). Worker events are buffered and applied
// once per animation frame; the loss curve is kept as columnar typed arrays.
import { signal, computed, batch } from '@preact/signals';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export const LN_VOCAB = Math.log(27); // blind guessing among 27 courses
export const STEP_CHOICES = [1000, 5000, 20000];
export const SMOOTHING = 0.98;        // EMA factor of the smoothed loss line

/** A growing series of losses and their moving average, as Float64Arrays. */
export function createSeries(capacity = 1024) {
  let raw = new Float64Array(capacity), smooth = new Float64Array(capacity), length = 0;
  return {
    get length() { return length; },
    get raw() { return raw.subarray(0, length); },
    get smooth() { return smooth.subarray(0, length); },
    push(values) {
      if (length + values.length > raw.length) {
        const cap = Math.max(raw.length * 2, length + values.length);
        const r = new Float64Array(cap), s = new Float64Array(cap);
        r.set(raw.subarray(0, length)); s.set(smooth.subarray(0, length));
        raw = r; smooth = s;
      }
      for (const v of values) {
        raw[length] = v;
        // bias-corrected EMA, so the line starts at the first loss
        const prev = length ? smooth[length - 1] * (1 - SMOOTHING ** length) : 0;
        smooth[length] = (SMOOTHING * prev + (1 - SMOOTHING) * v) / (1 - SMOOTHING ** (length + 1));
        length++;
      }
    },
    clear() { length = 0; },
  };
}

export function createStore(client, { raf = globalThis.requestAnimationFrame?.bind(globalThis) } = {}) {
  const s = {
    client,
    phase: signal('loading'),       // loading | ready | failed
    error: signal(null),            // {message, retry}
    info: signal(null),             // sizes, vocab, tensors, numDocs
    state: signal('idle'),          // idle | training | paused | done
    step: signal(0),
    numSteps: signal(1000),
    elapsedMs: signal(0),
    stepsPerSec: signal(0),
    seed: signal(42),
    temperature: signal(0.5),
    names: signal([]),
    curveVersion: signal(0),        // bumps when the series changes
    modelVersion: signal(0),        // bumps when the dials change (views refetch)
    series: createSeries(),
    records: signal(null),          // Set of the training names (the master's menu)
  };
  s.busy = computed(() => s.phase.value !== 'ready');
  s.smoothedLoss = computed(() => {
    s.curveVersion.value;
    const n = s.series.length;
    return n ? s.series.smooth[n - 1] : NaN;
  });

  let pending = [], frame = 0, lastStatus = null;
  const flush = () => {
    frame = 0;
    batch(() => {
      for (const l of pending) s.series.push(l);
      if (pending.length) s.curveVersion.value++;
      pending = [];
      if (lastStatus) {
        const prev = s.state.value;
        s.state.value = lastStatus.state;
        s.onStatus?.(prev, lastStatus.state);
        s.step.value = lastStatus.step;
        s.numSteps.value = lastStatus.numSteps;
        s.elapsedMs.value = lastStatus.elapsedMs;
        s.stepsPerSec.value = lastStatus.stepsPerSec;
        if (Number.isInteger(lastStatus.seed)) s.seed.value = lastStatus.seed; // the kitchen's seed, whoever set it
        s.modelVersion.value++;
        lastStatus = null;
      }
    });
  };
  const schedule = () => { if (!frame) frame = raf ? raf(flush) : (flush(), 0); };
  // now, not at the next frame (which an off-screen frame may not get soon)
  s.applyPending = flush;
  s.rebind = (c) => {
    s.client = c;
    if (!c) return;
    c.on('progress', (m) => { pending.push(m.losses); lastStatus = m; schedule(); });
    c.on('state', (m) => { lastStatus = { ...lastStatus, ...m }; schedule(); });
    c.on('error', (m) => { s.error.value = { message: m.message }; });
    c.on('crash', (err) => {
      batch(() => {
        s.phase.value = 'failed';
        s.state.value = 'idle';
        s.error.value = { message: `${err.message}. Press Retry to start the kitchen again.`, crashed: true };
      });
    });
  };
  s.rebind(client);
  s.applyStatus = (st) => { lastStatus = { ...lastStatus, ...st }; flush(); };
  s.clearCurve = () => { pending = []; s.series.clear(); s.curveVersion.value++; };
  return s;
}

export const StoreContext = createContext(null);
export const useStore = () => useContext(StoreContext);
