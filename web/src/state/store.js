// store.js - the page's state as signals, made by one factory and passed by
// context (tests build their own). Kitchen events are applied as they
// arrive; the loss curve is kept as columnar typed arrays.
import { signal, computed, batch } from '@preact/signals';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ENGINE, DEFAULT_CONFIG, UI_TEMPERATURE, PACES, DEFAULT_PACE } from '../limits.js';

// The kitchen's paces (run.js), slowest first: watch is the default.
export const PACE_NAMES = Object.keys(PACES);
export { DEFAULT_PACE };

/** The penalty of blind guessing among V courses (info.vocab.length): ln V (ln 27 for a-z and the bell). */
export const blindPenalty = (V) => Math.log(V);
// the requests whose reply is a new run's info (other records, sizes or dials)
export const NEW_RUN_REQUESTS = ['init', 'reset', 'load'];
export { STEP_CHOICES } from '../limits.js';
// The run's penalty: the mean loss of the last PENALTY_WINDOW dishes (fewer
// at the start). The one figure shown as "the penalty at dish N" everywhere:
// the counters, the bar, the curve's ink line, the milestones, the announcements.
export const PENALTY_WINDOW = 100;
export const PENALTY_DEFINITION = `the mean loss of the last ${PENALTY_WINDOW} dishes`;

/** A growing series of losses and their penalty (windowed mean), as Float64Arrays. */
export function createSeries(capacity = 1024) {
  let raw = new Float64Array(capacity), smooth = new Float64Array(capacity), length = 0, sum = 0;
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
        sum += v;
        if (length >= PENALTY_WINDOW) sum -= raw[length - PENALTY_WINDOW];
        smooth[length] = sum / Math.min(length + 1, PENALTY_WINDOW);
        length++;
      }
    },
    /** The penalty after dish `step` (counted from 1), NaN if not in the series. */
    at(step) { return Number.isInteger(step) && step >= 1 && step <= length ? smooth[step - 1] : NaN; },
    clear() { length = 0; sum = 0; },
  };
}

// The kitchen's run states (PROTOCOL.md). warming: cooking a trained Ming
// for a widget that asked for one; stopped: ended with stop (Train resets).
export const RUN_STATES = ['idle', 'warming', 'training', 'paused', 'done', 'stopped'];
/** Ming is cooking (the reader's run, or a post's run for a widget). */
export const isCooking = (st) => st === 'training' || st === 'warming';
/** The run is over: Train starts a new one (after a reset). */
export const isOver = (st) => st === 'done' || st === 'stopped';

// The events of each run (PROTOCOL.md): run B's progress and state come as
// companion* events; its watchDial, milestone and error events name it.
const RUN_EVENTS = { A: { progress: 'progress', state: 'state' }, B: { progress: 'companionProgress', state: 'companionState' } };
const ofRun = (m, run) => (m.run ?? 'A') === run;

/**
 * A page's state of one run of its kitchen: run A, the reader's (the
 * default), or run B, the companion (features/compare/runB.js makes its
 * store, whose client names run B in every request). home: the page's own
 * store (run A's), which holds what only the page has: shownRun, the run
 * whose store the chapter views read.
 */
export function createStore(client, { run = 'A', home = null } = {}) {
  const s = {
    client,
    run,
    shownRun: signal('A'),          // the run the chapter views show: 'A' or 'B' (run B's while it exists)
    runBMade: signal(false),        // true once the page has made run B's store (store.runB, runB.js): its switch may show
    phase: signal('loading'),       // loading | ready | failed
    error: signal(null),            // {message, retry}
    info: signal(null),             // sizes, vocab, tensors, numDocs
    state: signal('idle'),          // one of RUN_STATES
    step: signal(0),
    numSteps: signal(1000),
    elapsedMs: signal(0),
    stepsPerSec: signal(0),
    seed: signal(ENGINE.defaults.seed),
    temperature: signal(UI_TEMPERATURE.default),
    names: signal([]),
    namesStep: signal(null),        // the dish the names were drawn at
    curveVersion: signal(0),        // bumps when the series changes (the chart redraws at its next frame)
    modelVersion: signal(0),        // bumps when the dials change (views refetch)
    series: createSeries(),
    menu: signal(null),             // Set of the training names (the master's menu)
    // Ming's records: {preset (id or null), name, hash (FNV-1a 64 as parameter
    // files name it), text (the reader's own text; null for a preset)}
    records: signal({ preset: null, name: '', hash: '', text: null }),
    config: signal({ ...DEFAULT_CONFIG }), // Ming's size: {nEmbd, nHead, nLayer, blockSize}
    pace: signal(DEFAULT_PACE),     // the kitchen's pace (every page of the kitchen sees the same)
    finishing: signal(false),       // the rest of the run cooks at full speed
    deviceRate: signal(0),          // what this device could do: dishes per second at full speed (0: not measured)
    view: signal(null),             // the dish shown (scrubbed to), or null: the latest
    earliest: signal(0),            // the first dish the timeline can show
    watchDial: signal(-1),          // the dial whose every dish the kitchen records (chapter 6)
  };
  s.home = home ?? s;
  let kitchenSeed = null; // the last seed the kitchen reported
  s.busy = computed(() => s.phase.value !== 'ready');
  // the dish every view shows: the one scrubbed to, or the latest
  s.shownStep = computed(() => s.view.value ?? s.step.value);
  // the penalty now (PENALTY_DEFINITION)
  s.penalty = computed(() => {
    s.curveVersion.value;
    const n = s.series.length;
    return n ? s.series.smooth[n - 1] : NaN;
  });

  // Kitchen news changes the signals as it arrives, in every frame: an
  // off-screen cross-origin frame gets no animation frames, and its widget
  // must be current the moment it is seen. Only drawing waits for a frame.
  s.applyStatus = (st) => batch(() => {
    if (!st) return;
    if (typeof st.state === 'string' && RUN_STATES.includes(st.state)) {
      const prev = s.state.value;
      s.state.value = st.state;
      s.onStatus?.(prev, st.state);
    }
    if (Number.isInteger(st.step)) s.step.value = st.step;
    if (Number.isInteger(st.numSteps)) s.numSteps.value = st.numSteps;
    if (Number.isFinite(st.elapsedMs)) s.elapsedMs.value = st.elapsedMs;
    if (Number.isFinite(st.stepsPerSec)) s.stepsPerSec.value = st.stepsPerSec;
    // the kitchen's seed, whoever set it, once it changes: news that carries
    // the same seed (a pace change, another page's pause) leaves a seed the
    // reader has typed for the next run
    if (Number.isInteger(st.seed) && st.seed !== kitchenSeed) s.seed.value = kitchenSeed = st.seed;
    if (PACE_NAMES.includes(st.pace)) s.pace.value = st.pace;
    if (typeof st.finishing === 'boolean') s.finishing.value = st.finishing;
    if (Number.isFinite(st.deviceRate) && st.deviceRate > 0) s.deviceRate.value = st.deviceRate;
    if (Number.isInteger(st.earliest)) s.earliest.value = st.earliest;
    if (Number.isInteger(st.watchDial)) s.watchDial.value = st.watchDial;
    if ('view' in st) s.applyView(st.view);
    s.modelVersion.value++;
  });
  // the dish shown changed: every view refetches (they read the kitchen's
  // session of that dish), and the names are drawn for it
  s.applyView = (step) => {
    const v = Number.isInteger(step) ? step : null;
    if (s.view.value === v) return;
    s.view.value = v;
    s.modelVersion.value++;
    s.onView?.(v);
  };
  s.rebind = (c) => {
    s.client = c;
    if (!c) return;
    const events = RUN_EVENTS[run];
    c.on(events.progress, (m) => batch(() => {
      if (s.client !== c) return; // a kitchen we left
      if (m.losses?.length) { s.series.push(m.losses); s.curveVersion.value++; }
      s.applyStatus(m);
    }));
    c.on(events.state, (m) => { if (s.client === c) s.applyStatus(m); });
    if (run === 'A') c.on('view', (m) => { if (s.client === c) s.applyView(m.step); }); // run B has no timeline
    c.on('watchDial', (m) => { if (s.client === c && ofRun(m, run) && Number.isInteger(m.index)) s.watchDial.value = m.index; });
    c.on('error', (m) => { if (s.client === c && ofRun(m, run)) s.error.value = { message: m.message }; });
    c.on('crash', (err) => {
      if (s.client !== c) return;
      batch(() => {
        s.phase.value = 'failed';
        s.state.value = 'idle';
        s.error.value = { message: `${err.message}. Press Retry to start the kitchen again.`, crashed: true };
      });
    });
  };
  s.rebind(client);
  // A request on the store's kitchen. A new run (init: maybe other records
  // or sizes; reset; load) is followed before the reply is handed on
  // (s.onNewRun, actions.js): every view reads its vocab, block and records
  // from the store, so a view never shows one model with another's courses.
  s.request = async (type, fields, transfer) => {
    const reply = await s.client.request(type, fields, transfer);
    if (NEW_RUN_REQUESTS.includes(type)) await s.onNewRun?.(reply, type);
    return reply;
  };
  s.clearCurve = () => { s.series.clear(); s.curveVersion.value++; };
  return s;
}

export const StoreContext = createContext(null);
export const useStore = () => useContext(StoreContext);
