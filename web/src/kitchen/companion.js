// companion.js - run B: a second run trained in the same kitchen beside the
// reader's run (run A), for "Compare" and "Grow Ming". Its own session
// (records, seed, sizes), plan, losses, milestones, watched dial and figures;
// it cooks in the chunks of run A's training loop (run.js), so both advance
// at the kitchen's pace, and its session counts against the kitchen's memory
// bound like every other. Run B has no timeline: the dish it shows is its
// latest. Every read a view makes answers for run B when it names
// `run: 'B'` (kitchen.js routes it here): the same queries (queries.js) on
// run B's session.
// The kitchen loads this module on demand (kitchen.js, at the first request
// about run B) and hands it the kitchen's own modules (errors.js, run.js,
// queries.js, timeline.js) rather than this module importing them: the
// bundler then keeps them in worker.js, one file at start, where a chunk
// shared by the two would be a second file and gzip worse.

const RATE_WINDOW_MS = 1000; // stepsPerSec: dishes over the last second of cooking
const CHUNK_TARGET_MS = 6;   // run B's share of a chunk once its speed is known

const now = () => performance.now();

/**
 * Run B on the kitchen k ({session, text, pace, post, createSession(),
 * pickConfig(), checkSeed(), freshTwin(), kick()}), with the kitchen's
 * modules. The training loop asks cooks(), room(), cook(n), elapse(ms),
 * flush() and msPerDish().
 */
export function createCompanion(k, { errors, run, queries: { queryHandlers }, timeline: { DialHistory, namesSeed, historyAnswer }, limits: { ENGINE } }) {
  const { KitchenCode, fail, badRequest, wholeNumber } = errors;
  const { checkSteps, newRun, cookDishes, dishesBefore, emitProgress, State, PROGRESS_INTERVAL_MS } = run;
  /** Run B's states: a subset of run A's (no warming, no stop: drop it instead). */
  const CompanionState = Object.freeze({ IDLE: State.IDLE, TRAINING: State.TRAINING, PAUSED: State.PAUSED, DONE: State.DONE });
  const noRunB = () => fail(KitchenCode.NOT_OPEN, "there is no run B: send 'companion' first");
  let b = null; // the companion run (a run record of run.js, plus its session), or null
  let made = 0; // run B's made so far: each new one has its own id

  function status() {
    if (!b) return { run: 'B', open: false, state: null, step: 0, numSteps: 0 };
    const info = b.session.info();
    return { run: 'B', open: true, id: b.id, state: b.state, step: info.step, numSteps: b.planned, seed: info.seed,
      config: b.session.config, numParams: b.session.numParams, numDocs: info.numDocs,
      sameRecords: b.text === k.text, elapsedMs: b.elapsedMs, computeMs: b.computeMs, stepsPerSec: b.rate,
      view: null, earliest: 0, watchDial: b.watch.index };
  }
  // as run A's info (kitchen.js describe): what a view of run B reads its courses, block and dials from
  function describe() {
    const s = c.session();
    return { ...s.info(), config: s.config, vocab: s.vocabulary, tensors: s.tensorTable, ...status(),
      records: s.records(), cutRecords: s.cutRecords(), limits: k.engine.limits };
  }
  const emitState = () => k.post({ type: 'companionState', ...status() });
  const flush = () => emitProgress(k.post, 'companionProgress', b, status());

  const c = {
    status,
    cooks: () => b?.state === CompanionState.TRAINING,
    /** The dishes run B may cook in this chunk: to its next milestone; one until its speed is known. */
    room() {
      const left = dishesBefore(b, b.session.info().step);
      return b.msPerDish ? Math.min(left, Math.max(1, Math.round(CHUNK_TARGET_MS / b.msPerDish))) : Math.min(left, 1);
    },
    /** Its compute time per dish (0 until measured), so the loop sizes its chunks for both runs. */
    msPerDish: () => (c.cooks() ? b.msPerDish : 0),
    /** Cooks up to n dishes of run B; an engine error pauses it (an `error` event with `run: 'B'`). */
    cook(n) {
      const m = Math.min(n, c.room());
      if (m <= 0) { b.state = CompanionState.DONE; return; }
      const step = b.session.info().step;
      let dt;
      try { dt = cookDishes(b.session, b, m, k.post, 'B'); } catch (err) {
        b.state = CompanionState.PAUSED;
        k.post({ type: 'error', run: 'B', message: `run B: ${err.message}`, code: err.code ?? null, status: err.status ?? null });
        return;
      }
      b.computeMs += dt;
      b.msPerDish = b.msPerDish ? 0.7 * b.msPerDish + 0.3 * (dt / m) : dt / m;
      const t = now();
      b.seen.push([t, step + m]);
      while (b.seen.length > 2 && t - b.seen[1][0] >= RATE_WINDOW_MS) b.seen.shift();
      b.rate = (step + m - b.seen[0][1]) / Math.max(t - b.seen[0][0], 1e-3) * 1000;
      if (step + m >= b.planned) b.state = CompanionState.DONE;
    },
    /** Wall time passed while run B cooked (waits for the pace included, as run A counts it). */
    elapse(ms) { if (b) b.elapsedMs += ms; },
    /** After a chunk: a progress event at most every PROGRESS_INTERVAL_MS, and when run B stops. */
    flush({ force = false } = {}) {
      if (!b) return;
      const cooking = c.cooks();
      if (b.pendingLosses.length && (force || !cooking || now() - b.lastPost >= PROGRESS_INTERVAL_MS)) flush();
      if (!cooking && b.wasCooking) { b.wasCooking = false; emitState(); }
    },
    /** Run B's session (for the reads that name run 'B'). */
    session: () => b?.session ?? noRunB(),
    current: () => b?.session ?? null,
    /** Drops run B (a new kitchen, `companionDrop`, a new run B). */
    drop({ quiet = false } = {}) {
      if (!b) return;
      b.session.destroy();
      b = null;
      if (!quiet) emitState();
    },
  };

  function start() {
    if (!b) noRunB();
    if (b.session.info().step >= b.planned) { b.state = CompanionState.DONE; return status(); }
    if (b.state !== CompanionState.TRAINING) {
      b.state = CompanionState.TRAINING;
      b.wasCooking = true;
      b.lastPost = now();
      b.seen = [[now(), b.session.info().step]];
      emitState();
    }
    k.kick(); // the training loop cooks run B beside run A (it starts one if none runs)
    return status();
  }

  // run B's own requests: each named companion... (kitchen.js downloads this module for those names only)
  c.handlers = {
    // A new run B (any old one is dropped first): text, seed, config and
    // steps default to run A's; a partial config changes only the sizes it names.
    companion({ text, seed, config, steps }) {
      const a = k.runSession();
      if (text !== undefined && typeof text !== 'string') badRequest(`text must be a string of names, one a line (got ${typeof text})`);
      if (seed !== undefined) k.checkSeed(seed);
      if (steps !== undefined) checkSteps(steps);
      const sizes = { ...a.config, ...k.pickConfig(config) };
      c.drop({ quiet: true }); // its memory is free for the new one
      let session;
      try {
        session = k.createSession({ text: text ?? k.text, seed: seed ?? a.info().seed, config: sizes });
      } catch (err) {
        err.message = `run B: ${err.message}`;
        emitState();
        throw err;
      }
      b = { ...newRun({ planned: steps ?? k.run.planned }), session, text: text ?? k.text, id: ++made,
        msPerDish: 0, seen: [], wasCooking: false };
      emitState();
      return { ...status(), vocab: session.vocabulary };
    },
    companionStart: () => start(),
    companionPause() {
      if (!b) noRunB();
      if (b.state === CompanionState.TRAINING) b.state = CompanionState.PAUSED; // the loop reports it after its chunk
      return status();
    },
    companionDrop() { c.drop(); return status(); },
    companionStatus: () => status(),
    // every loss of run B sent in companionProgress events so far
    companionLosses: () => (b ? Float64Array.from(b.history) : new Float64Array(0)),
  };

  // The kitchen as run B's reads see it: run B's session, records, run
  // record and untrained twin; no timeline (the dish is run B's latest).
  const asB = Object.create(k, {
    need: { value: () => c.session() },
    freshTwin: { value: () => { const s = c.session(); return k.freshTwin({ text: b.text, seed: s.info().seed, config: s.config }); } },
    run: { get: () => b ?? noRunB() },
    text: { get: () => (b ?? noRunB()).text },
    timeline: { value: { epoch: 0 } },
  });
  const queries = queryHandlers(asB);
  const latest = () => c.session().info().step;
  /** The reads a request with `run: 'B'` is answered by (kitchen.js): the same fields and results as run A's. */
  c.reads = {
    ...queries,
    // the names of run B's latest dish, from that dish's streams (as run A's `names`)
    async names({ count = ENGINE.defaults.names, temperature = ENGINE.temperature.default }) {
      const step = latest();
      return { step, names: await queries.sample({ count, temperature, seed: namesSeed(step) }) };
    },
    dialHistory: (fields) => historyAnswer((b ?? noRunB()).watch, fields, latest(), latest()), // no timeline: its latest dish
    info: () => describe(),
    status: () => status(),
    records: () => asB.text,
    menu: () => c.session().recordList(), // as the engine took them (run A's `menu`)
  };
  /** Run B's requests that change it, beside companion*: the dial it watches. */
  c.changes = {
    watchDial({ index }) {
      const s = c.session();
      wholeNumber('index (the dial)', index, 0, s.numParams - 1);
      const from = s.info().step + 1; // the history of the new dial starts at the next dish
      if (b.watch.index !== index) {
        b.watch = new DialHistory(index);
        k.post({ type: 'watchDial', run: 'B', index, from });
      }
      return { index, from };
    },
  };
  return c;
}
