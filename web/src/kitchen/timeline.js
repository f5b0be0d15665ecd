// timeline.js - the run's past, so every page can show Ming as he was after
// any dish: snapshots of the run (parameter files: dials, Adam's memory and
// the step) every K dishes, and the view session, a second session of the
// same records, seed and sizes, restored from the nearest snapshot and
// trained forward to the dish asked for. Training is deterministic, so the
// view holds bit for bit the run's state at that dish. Also the watched
// dial's history: its gradient, m, v and update at every dish.
import { KitchenCode, fail, badRequest, wholeNumber } from './errors.js';
import { MAX_SAMPLE_COUNT } from './queries.js';
import { yieldToEvents } from './run.js';
import { ENGINE } from '../limits.js';

// The snapshots of one run take at most this much (besides the run's first
// state), or one snapshot if a single parameter file is bigger: enough for
// the longest run at the default size at K 100 (a scrub move replays half
// as many dishes as at K 200: the bench's scrubbing goal).
export const SNAPSHOT_BUDGET_BYTES = 24 * 2 ** 20;
// K at the start of a run: a snapshot every 100 dishes, so a replay is at
// most K - 1 dishes after a load. When the budget is full K doubles and
// every other snapshot goes (a 20,000-dish run at the default size: K 100,
// 200 snapshots of 100,772 bytes, 19.2 MiB).
export const FIRST_INTERVAL = 100;
// Points of the watched dial's history kept (5 columns of 8 bytes: 5 MiB);
// beyond, every other point goes and then every second dish is recorded.
export const DIAL_HISTORY_POINTS = 2 ** 17;
const REPLAY_CHUNK_MS = 16; // replay steps between two looks at the mailbox (a replay of K dishes is one or two)
const MEASURE_MS = 5;      // one chunk of the device measurement
const MEASURE_PLAN = 1e6;  // the run length the measurement trains in (any will do)
const MEASURE_MAX_PARAMS = 1e5; // bigger models learn deviceRate from their full-speed chunks only
const MEASURE_CHUNKS = 8;  // at most; stops when a chunk is no faster than the best (the engine is warm)

/** The private stream of name i at dish `step` (names, milestones): every dish has its own 200. */
export const namesSeed = (step) => step * MAX_SAMPLE_COUNT;

/**
 * The answer to dialHistory (PROTOCOL.md) from history h: its points up to
 * dish `shown`, or with latest: true up to `newest` (the run's latest dish);
 * with historyId and after, only the points after dish `after` when the page
 * holds this very history (appended: true). index, if given, must be h's dial.
 */
export function historyAnswer(h, { index, latest = false, historyId, after } = {}, shown, newest) {
  if (index !== undefined && index !== h.index)
    badRequest(h.index < 0
      ? `no dial is watched yet (the kitchen picks one at the first dish); send watchDial {index: ${index}} first`
      : `dial ${JSON.stringify(index)?.slice(0, 20)} is not the watched dial (${h.index}); send watchDial {index: ${index}} first`);
  if (typeof latest !== 'boolean') badRequest(`latest must be true or false (got ${JSON.stringify(latest)?.slice(0, 20)})`);
  if (historyId !== undefined && typeof historyId !== 'string') badRequest(`historyId must be the historyId of an earlier dialHistory answer, a string (got ${JSON.stringify(historyId)?.slice(0, 20)})`);
  if (after !== undefined) wholeNumber('after (the last dish of the points held)', after, 0, Number.MAX_SAFE_INTEGER);
  const appended = historyId === h.id && after !== undefined;
  return { ...h.upTo(latest ? newest : shown, appended ? after : -Infinity), appended };
}

/** One dial's figures at every dish, in columns (a run's whole length is bounded by DIAL_HISTORY_POINTS). */
let histories = 0; // a serial number for each history made in this kitchen

export class DialHistory {
  constructor(index) {
    this.index = index; // -1: not chosen yet (the kitchen picks it at the first dish)
    this.n = 0;
    this.stride = 1;    // dishes between two points (1 until the history is thinned)
    this.cols = DialHistory.columns(256);
    this.serial = ++histories;
  }
  /** Names these points: a page holding points of the same id may ask only
   * for the ones after its last (a new dial, a new run or a thinning change it). */
  get id() { return `${this.serial}.${this.index}.${this.stride}`; }
  static columns(cap) {
    return { step: new Float64Array(cap), grad: new Float64Array(cap), m: new Float64Array(cap),
      v: new Float64Array(cap), update: new Float64Array(cap) };
  }
  push(step, grad, m, v, update) {
    if (step % this.stride) return;
    const cap = this.cols.step.length;
    if (this.n === cap) {
      if (cap < DIAL_HISTORY_POINTS) this.grow(Math.min(2 * cap, DIAL_HISTORY_POINTS));
      else { this.thin(); if (step % this.stride) return; }
    }
    const c = this.cols, i = this.n++;
    c.step[i] = step; c.grad[i] = grad; c.m[i] = m; c.v[i] = v; c.update[i] = update;
  }
  grow(cap) {
    const next = DialHistory.columns(cap);
    for (const key of Object.keys(next)) next[key].set(this.cols[key].subarray(0, this.n));
    this.cols = next;
  }
  thin() {
    this.stride *= 2;
    const c = this.cols;
    let j = 0;
    for (let i = 0; i < this.n; i++) {
      if (c.step[i] % this.stride) continue;
      for (const key of Object.keys(c)) c[key][j] = c[key][i];
      j++;
    }
    this.n = j;
  }
  /** The number of points of dishes up to `step`. */
  count(step) {
    let lo = 0, hi = this.n; // first point after step
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.cols.step[mid] <= step) lo = mid + 1; else hi = mid; }
    return lo;
  }
  /** Copies of the columns for dishes after `after` (none: from the first) up to `step`. */
  upTo(step, after = -Infinity) {
    const from = this.count(after), to = Math.max(from, this.count(step));
    const out = { index: this.index, stride: this.stride, historyId: this.id };
    for (const [key, col] of Object.entries(this.cols)) out[key] = col.slice(from, to);
    return out;
  }
  get bytes() { return 5 * 8 * this.cols.step.length; }
}

/**
 * The timeline on the kitchen k ({session, text, engine, run, post,
 * runSession(), status()}). One per kitchen; begin() starts it over for a new run.
 */
export function createTimeline(k) {
  const t = {
    base: null,      // {step, file}: the run's first state (step 0, a loaded file, or dials turned by hand)
    interval: FIRST_INTERVAL,
    steps: [],       // dishes of the snapshots after the base, ascending
    files: [],       // their parameter files
    bytes: 0,        // the snapshots' bytes (without the base)
    view: null,      // the dish shown, or null: the latest
    session: null,   // the view session
    sessionOf: null, // the text and sizes it was made for
    holds: null,     // the dish the view session holds now (null: nothing known)
    epoch: 0,        // changes whenever the dish shown changes (a read drawing in chunks starts over)
  };
  let wanted = null;  // the dish the latest viewAt asked for
  let driving = null; // the replay under way
  let measuring = null;

  // (the seed does not matter: a parameter file brings its own)
  const sessionKey = () => JSON.stringify(k.session.config);
  function viewSession() {
    if (!t.session || t.sessionOf.text !== k.text || t.sessionOf.key !== sessionKey()) {
      t.session?.destroy();
      t.session = null;
      t.holds = null;
      t.session = k.createSession({ text: k.text, seed: k.session.info().seed, config: k.session.config });
      t.sessionOf = { text: k.text, key: sessionKey() };
    }
    return t.session;
  }

  function setView(step) {
    if (t.view === step) return;
    t.view = step;
    t.epoch++;
    k.post({ type: 'view', step });
  }

  /** A new run (or dials turned by hand): its current state is the base; no snapshots, no view. */
  t.begin = (session) => {
    t.base = { step: session.info().step, file: session.save() };
    t.interval = FIRST_INTERVAL;
    t.steps = []; t.files = []; t.bytes = 0;
    wanted = null;
    setView(null);
    t.holds = null;
    t.epoch++;
  };

  /** The next dish after `step` the run must stop at for a snapshot. */
  t.nextSnapshot = (step) => (Math.floor(step / t.interval) + 1) * t.interval;

  /** After a chunk of the run: a snapshot if the run is at a multiple of K. */
  t.record = (session) => {
    const step = session.info().step;
    if (step % t.interval || step <= t.base.step || step <= (t.steps.at(-1) ?? -1)) return;
    const file = session.save();
    t.steps.push(step); t.files.push(file); t.bytes += file.length;
    while (t.bytes > SNAPSHOT_BUDGET_BYTES && t.steps.length > 1) {
      t.interval *= 2;
      const keep = t.steps.map((s) => s % t.interval === 0);
      t.files = t.files.filter((_, i) => keep[i]);
      t.steps = t.steps.filter((_, i) => keep[i]);
      t.bytes = t.files.reduce((sum, f) => sum + f.length, 0);
    }
  };

  t.describe = () => ({ base: t.base?.step ?? 0, interval: t.interval, count: t.steps.length, bytes: t.bytes,
    baseBytes: t.base?.file.length ?? 0, budget: SNAPSHOT_BUDGET_BYTES, view: t.view });

  /** The session reads answer from: the view session while a view is set. */
  t.reader = () => (t.view === null ? null : t.session);
  /** Resolves when no replay is under way (reads wait for it). */
  t.settled = () => driving ?? Promise.resolve();

  // The nearest state at or before `step` - 1 (so the view session trains at
  // least one dish and holds that dish's gradient and update too), or the base.
  function nearest(step) {
    let lo = 0, hi = t.steps.length; // first snapshot >= step
    while (lo < hi) { const mid = (lo + hi) >> 1; if (t.steps[mid] < step) lo = mid + 1; else hi = mid; }
    return lo > 0 ? { step: t.steps[lo - 1], file: t.files[lo - 1] } : t.base;
  }

  // Brings the view session to the dish wanted, in chunks; a later viewAt
  // changes the target on the way.
  async function drive(run) {
    await k.readsDone(); // names being drawn from the view are finished first
    const s = viewSession();
    measuring = null;    // the device measurement, if under way, stops
    while (k.run === run && wanted !== null) {
      const N = wanted;
      if (t.holds === N) { setView(N); return; }
      const from = nearest(N);
      if (t.holds === null || t.holds < from.step || t.holds > N) {
        t.holds = null;
        s.load(from.file);
        t.holds = from.step;
      }
      const n = Math.min(N - t.holds, Math.max(1, Math.round((k.deviceRate || 1000) * REPLAY_CHUNK_MS / 1000)));
      t.holds = null; // while training, nothing known
      s.train(n, run.planned);
      t.holds = s.info().step;
      if (t.holds !== N) await yieldToEvents();
    }
  }

  /** viewAt: show dish `step` (base..latest), or null: back to the latest. */
  t.viewAt = async (step) => {
    const s = k.runSession();
    if (step === null) { wanted = null; setView(null); return t.describe(); }
    const latest = s.info().step;
    if (!Number.isInteger(step) || step < t.base.step || step > latest)
      badRequest(t.base.step > 0 && Number.isInteger(step) && step >= 0 && step < t.base.step
        ? `dish ${step} is before this run's first known dish ${t.base.step} (it was loaded or its dials were turned by hand there); choose a dish from ${t.base.step} to ${latest}`
        : `the dish to show must be a whole number from ${t.base.step} to ${latest}, the latest dish, or null for the latest (got ${JSON.stringify(step)?.slice(0, 40)})`);
    wanted = step;
    if (!driving) {
      const run = k.run;
      driving = drive(run).finally(() => { driving = null; });
    }
    try { await driving; } catch (err) { wanted = null; setView(null); throw err; }
    return t.describe();
  };

  /** The run's state was changed by hand (setParam): the timeline starts over at this dish. */
  t.rebase = () => t.begin(k.runSession());

  // What this device could do: the engine's full speed, measured on the view
  // session in a few chunks (other requests are answered between them); the
  // run is not touched. The training loop refines it with its full-speed chunks.
  t.measureDevice = async () => {
    if (!k.session || k.session.numParams > MEASURE_MAX_PARAMS) return;
    const token = {};
    measuring = token;
    try {
      let best = 0, bestMs = 0;
      for (let i = 0; i < MEASURE_CHUNKS && measuring === token; i++) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        // never while the view session shows a dish or replays to one
        if (measuring !== token || driving || t.view !== null || !k.session) return;
        const s = viewSession();
        if (i === 0 || s.info().step > MEASURE_PLAN / 2) s.reset(k.session.info().seed);
        t.holds = null;
        // one dish a call at first, then more, so a big model never blocks for long
        let n = 0, per = 1;
        const t0 = performance.now();
        while (performance.now() - t0 < MEASURE_MS) { s.train(per, MEASURE_PLAN); n += per; per *= 2; }
        const ms = performance.now() - t0, rate = n / ms * 1000;
        const warm = i >= 2 && rate < best * 1.05;
        if (rate > best) { best = rate; bestMs = ms; }
        if (warm) break;
      }
      if (measuring === token && best > 0 && !k.deviceRate) {
        k.noteDeviceRate(best * bestMs / 1000, bestMs, { measured: true });
        k.emitState(); // every page learns what this device could do, without asking
      }
    } catch { /* out of memory for a second session: the training loop measures instead */ }
    finally { if (measuring === token) measuring = null; }
  };

  t.destroy = () => { t.session?.destroy(); t.session = null; t.holds = null; };

  // ---- the requests -------------------------------------------------------
  const view = () => t.view ?? k.runSession().info().step;
  t.handlers = {
    viewAt: ({ step = null }) => t.viewAt(step),
    timeline: () => (k.runSession(), t.describe()),
    watchDial({ index }) {
      const s = k.runSession();
      wholeNumber('index (the dial)', index, 0, s.numParams - 1);
      return k.watchDial(index);
    },
  };
  // reads: answered for the dish shown
  t.reads = {
    // the names of the dish shown: the same dish always shows the same names
    async names({ count = ENGINE.defaults.names, temperature = ENGINE.temperature.default }) {
      const step = view();
      const names = await k.sample({ count, temperature, seed: namesSeed(step) });
      return { step, names };
    },
    // latest: up to the run's latest dish, whatever the dish shown (a page
    // that holds the history cuts it at the dish shown itself: scrubbing
    // never changes it). historyId and after: the page holds these points
    // (an earlier answer's historyId) up to dish `after`: only the ones after
    // it come (appended: true), or all of them when the id is no longer the
    // history's (a new dial, a new run, a thinning). (A request's own `id` is the client's.)
    dialHistory(fields) {
      const s = k.runSession();
      return historyAnswer(k.run.watch, fields, view(), s.info().step);
    },
  };
  return t;
}
