// companion.js - run B: a second run trained in the same kitchen beside the
// reader's run (run A), for "Compare" and "Grow Ming". Its own session
// (records, seed, sizes), plan, losses and figures; it cooks in the chunks of
// run A's training loop (run.js), so both advance at the kitchen's pace, and
// its session counts against the kitchen's memory bound like every other.
// Run B has no timeline, milestones or watched dial: a page reads its losses,
// its status and its names (`sample` and `names` with `run: 'B'`).
import { KitchenCode, fail, badRequest } from './errors.js';
import { checkSteps, PROGRESS_INTERVAL_MS } from './run.js';

const RATE_WINDOW_MS = 1000; // stepsPerSec: dishes over the last second of cooking
const CHUNK_TARGET_MS = 6;   // run B's share of a chunk once its speed is known

/** Run B's states: a subset of run A's (no warming, no stop: drop it instead). */
export const CompanionState = Object.freeze({ IDLE: 'idle', TRAINING: 'training', PAUSED: 'paused', DONE: 'done' });

/** The run a read names: 'A' (the reader's, the default) or 'B'. */
export function checkRunName(run) {
  if (run !== undefined && run !== 'A' && run !== 'B') badRequest(`run must be 'A' (the reader's run) or 'B' (the companion) (got ${JSON.stringify(run)?.slice(0, 40)})`);
  return run ?? 'A';
}

const now = () => performance.now();

/**
 * Run B on the kitchen k ({session, text, pace, post, createSession(),
 * pickConfig(), checkSeed(), kick()}). The training loop asks cooks(),
 * room(), cook(n), elapse(ms), flush() and msPerDish().
 */
export function createCompanion(k) {
  let b = null; // the companion run, or null

  function status() {
    if (!b) return { run: 'B', open: false, state: null, step: 0, numSteps: 0 };
    const info = b.session.info();
    return { run: 'B', open: true, state: b.state, step: info.step, numSteps: b.planned, seed: info.seed,
      config: b.session.config, numParams: b.session.numParams, numDocs: info.numDocs,
      sameRecords: b.text === k.text, elapsedMs: b.elapsedMs, computeMs: b.computeMs, stepsPerSec: b.rate };
  }
  const emitState = () => k.post({ type: 'companionState', ...status() });

  function flush() {
    const losses = Float64Array.from(b.pending);
    for (const l of b.pending) b.history.push(l);
    b.pending = [];
    b.lastPost = now();
    const { run, step, numSteps, elapsedMs, computeMs, stepsPerSec, state } = status();
    k.post({ type: 'companionProgress', run, step, numSteps, losses, elapsedMs, computeMs, stepsPerSec, state });
  }

  const c = {
    status,
    cooks: () => b?.state === CompanionState.TRAINING,
    /** The dishes run B may cook in this chunk: its plan's rest; one until its speed is known. */
    room() {
      const left = b.planned - b.session.info().step;
      return b.msPerDish ? Math.min(left, Math.max(1, Math.round(CHUNK_TARGET_MS / b.msPerDish))) : Math.min(left, 1);
    },
    /** Its compute time per dish (0 until measured), so the loop sizes its chunks for both runs. */
    msPerDish: () => (c.cooks() ? b.msPerDish : 0),
    /** Cooks up to n dishes of run B; an engine error pauses it (an `error` event with `run: 'B'`). */
    cook(n) {
      const m = Math.min(n, c.room());
      if (m <= 0) { b.state = CompanionState.DONE; return; }
      const step = b.session.info().step;
      const t0 = now();
      let losses;
      try { losses = b.session.train(m, b.planned); } catch (err) {
        b.state = CompanionState.PAUSED;
        k.post({ type: 'error', run: 'B', message: `run B: ${err.message}`, code: err.code ?? null, status: err.status ?? null });
        return;
      }
      const dt = now() - t0;
      b.computeMs += dt;
      b.msPerDish = b.msPerDish ? 0.7 * b.msPerDish + 0.3 * (dt / m) : dt / m;
      for (const l of losses) b.pending.push(l);
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
      if (b.pending.length && (force || !cooking || now() - b.lastPost >= PROGRESS_INTERVAL_MS)) flush();
      if (!cooking && b.wasCooking) { b.wasCooking = false; emitState(); }
    },
    /** Run B's session (for `sample` and `names` with run 'B'). */
    session: () => b?.session ?? fail(KitchenCode.NOT_OPEN, "there is no run B: send 'companion' first"),
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
    if (!b) fail(KitchenCode.NOT_OPEN, "there is no run B: send 'companion' first");
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
      b = { session, text: text ?? k.text, planned: steps ?? k.run.planned, state: CompanionState.IDLE,
        elapsedMs: 0, computeMs: 0, rate: 0, msPerDish: 0, history: [], pending: [], lastPost: 0,
        seen: [], wasCooking: false };
      emitState();
      return { ...status(), vocab: session.vocabulary };
    },
    companionStart: () => start(),
    companionPause() {
      if (!b) fail(KitchenCode.NOT_OPEN, "there is no run B: send 'companion' first");
      if (b.state === CompanionState.TRAINING) b.state = CompanionState.PAUSED; // the loop reports it after its chunk
      return status();
    },
    companionDrop() { c.drop(); return status(); },
    companionStatus: () => status(),
    // every loss of run B sent in companionProgress events so far
    companionLosses: () => (b ? Float64Array.from(b.history) : new Float64Array(0)),
  };
  return c;
}
