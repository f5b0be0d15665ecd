// run.js - the run: one record per run, replaced whole when a run begins
// (init, reset, load), one state enum, and the training loop that cooks in
// chunks of about 6 ms so requests are answered between two chunks.
import { KitchenCode, fail, badRequest, wholeNumber } from './errors.js';

export const PROGRESS_INTERVAL_MS = 25; // progress events at most this often
const CHUNK_TARGET_MS = 6;              // one chunk of steps, then look at the mailbox
export const MAX_STEPS = 1e8;           // the engine's bound on a run's length
const MILESTONE_NAMES = 5;

/** The states of a run, as `status`, `state` and `progress` carry them. */
export const State = Object.freeze({
  IDLE: 'idle',         // step 0, nothing cooking
  WARMING: 'warming',   // cooking a trained Ming for a widget that asked for one (ensureTrained, init trained)
  TRAINING: 'training', // the reader's run (start, resume)
  PAUSED: 'paused',     // stopped between steps; resume goes on
  DONE: 'done',         // reached the planned steps
  STOPPED: 'stopped',   // ended with stop; start and resume fail until reset
});
const cooks = (state) => state === State.TRAINING || state === State.WARMING;

/** A new run at step `step` of `planned`; every field of a run lives here. */
export function newRun({ planned, step = 0 }) {
  return {
    planned,               // steps of the run
    state: step === 0 ? State.IDLE : step >= planned ? State.DONE : State.PAUSED,
    elapsedMs: 0,          // training time of this run, pauses excluded
    rate: 0,               // steps per second, measured
    history: [],           // every loss sent in progress events, for pages that join later
    pendingLosses: [],     // losses not sent yet
    lastPost: 0,           // when the last progress event went out
    milestones: [],        // {step, loss, names} at dishes 1, 100, 500 and the last
    stopAt: Infinity,      // the loop pauses at this dish (warming cooks to one)
    cooking: null,         // {promise, resolve, reject} while warming
    looping: false,        // a training loop is running (between its chunks)
  };
}

export const checkSteps = (steps, name = 'steps') => wholeNumber(name, steps, 1, MAX_STEPS);

const now = () => performance.now();

// Resolves after pending messages had their turn (a macrotask, unclamped).
export function yieldToEvents() {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { ch.port1.close(); resolve(); };
    ch.port2.postMessage(0);
  });
}

/**
 * The run's requests on the kitchen k ({session, run, post, need(),
 * replaceRun(run), describe()}): start, pause, resume, stop, reset, load,
 * ensureTrained, status.
 */
export function runHandlers(k) {
  const milestoneSteps = (planned) => [...new Set([1, 100, 500, planned].filter((m) => m <= planned))];

  function status() {
    const { run } = k;
    if (!k.session) return { state: run.state, step: 0, numSteps: run.planned, elapsedMs: 0, stepsPerSec: 0, seed: null, open: false };
    const info = k.session.info();
    return { state: run.state, step: info.step, numSteps: run.planned, elapsedMs: run.elapsedMs,
      stepsPerSec: run.rate, seed: info.seed, open: true };
  }
  k.status = status;
  k.emitState = () => k.post({ type: 'state', ...status() });

  function flushProgress(run) {
    const losses = Float64Array.from(run.pendingLosses);
    for (const l of run.pendingLosses) run.history.push(l);
    run.pendingLosses = [];
    run.lastPost = now();
    const { state, step, numSteps, elapsedMs, stepsPerSec } = status();
    k.post({ type: 'progress', step, numSteps, losses, elapsedMs, stepsPerSec, state });
  }

  function recordMilestone(run, step, loss) {
    // names from a private stream, so the run's own names stay the reference's
    const m = { step, loss, names: k.session.sample(MILESTONE_NAMES, 0.5, { seed: step }) };
    run.milestones.push(m);
    k.post({ type: 'milestone', ...m });
  }

  // Whoever waits for a trained Ming gets one, or the run as a pause, stop,
  // reset or load left it.
  function finishCooking(run) {
    const c = run.cooking;
    run.cooking = null;
    c?.resolve();
  }
  k.finishCooking = finishCooking;

  // One loop per run; it ends when the run stops cooking or is replaced
  // (the run that replaced it has reported itself).
  async function trainLoop(run) {
    run.looping = true;
    let chunk = 10;
    const session = k.session;
    while (k.run === run && cooks(run.state)) {
      const step = session.info().step;
      const nextMilestone = milestoneSteps(run.planned).find((m) => m > step) ?? run.planned;
      const n = Math.min(chunk, run.planned - step, run.stopAt - step, nextMilestone - step);
      if (n <= 0) { run.state = step >= run.planned ? State.DONE : State.PAUSED; break; }
      const t0 = now();
      let losses;
      try {
        losses = session.train(n, run.planned);
      } catch (err) {
        run.state = State.PAUSED;
        k.post({ type: 'error', message: err.message, code: err.code ?? null, status: err.status ?? null });
        run.cooking?.reject(err);
        run.cooking = null;
        break;
      }
      const dt = now() - t0;
      run.elapsedMs += dt;
      for (const l of losses) run.pendingLosses.push(l);
      if (step + n === nextMilestone) recordMilestone(run, step + n, losses[n - 1]);
      const r = n / Math.max(dt, 1e-3) * 1000;
      run.rate = run.rate ? 0.7 * run.rate + 0.3 * r : r;
      chunk = Math.max(1, Math.min(5000, Math.round(run.rate * CHUNK_TARGET_MS / 1000)));
      if (step + n >= run.planned) run.state = State.DONE;
      else if (step + n >= run.stopAt) run.state = State.PAUSED;
      if (!cooks(run.state) || now() - run.lastPost >= PROGRESS_INTERVAL_MS) flushProgress(run);
      if (cooks(run.state)) await yieldToEvents();
    }
    run.looping = false;
    if (k.run !== run) return;
    run.stopAt = Infinity;
    if (run.pendingLosses.length) flushProgress(run);
    k.emitState();
    finishCooking(run);
  }

  // Sets the run cooking (training or warming); a loop between two chunks goes on.
  function cook(run, state) {
    const was = run.state;
    run.state = state;
    if (was !== state) { run.lastPost = now(); k.emitState(); }
    if (!run.looping) trainLoop(run);
  }

  function start(steps) {
    const s = k.need(), run = k.run;
    const step = s.info().step;
    if (run.state === State.STOPPED)
      fail(KitchenCode.STOPPED, `this run was stopped at step ${step}; reset to train again`);
    if (steps !== undefined) {
      checkSteps(steps);
      if (step > 0 && steps !== run.planned && run.state !== State.IDLE)
        fail(KitchenCode.WRONG_STATE, `this run is planned for ${run.planned} steps; reset to plan ${steps}`);
      if (step === 0) run.planned = steps;
    }
    if (step >= run.planned) {
      run.state = State.DONE;
      if (!run.looping) k.emitState();
      return status();
    }
    run.stopAt = Infinity; // Train while warming: the run goes on to the end
    cook(run, State.TRAINING);
    return status();
  }

  function halt(next) {
    k.need();
    const run = k.run;
    if (!cooks(run.state) && !(next === State.STOPPED && run.state === State.PAUSED)) return status();
    run.state = next;
    if (!run.looping) k.emitState(); // else the loop reports it after its chunk
    return status();
  }

  return {
    start: ({ steps }) => start(steps),
    resume: () => start(),
    pause: () => halt(State.PAUSED),
    stop: () => halt(State.STOPPED),
    status,
    reset({ seed, steps, config }) {
      const s = k.need();
      if (steps !== undefined) checkSteps(steps);
      if (seed !== undefined) k.checkSeed(seed);
      const old = k.run;
      if (config !== undefined) {
        const next = k.engine.createSession({ text: k.text, seed: seed ?? s.info().seed, ...k.pickConfig(config) });
        k.session.destroy();
        k.session = next;
      } else {
        s.reset(seed ?? s.info().seed);
      }
      k.replaceRun(newRun({ planned: steps ?? old.planned }));
      return k.describe();
    },
    load({ bytes }) {
      const s = k.need();
      s.load(bytes);
      const info = s.info();
      k.replaceRun(newRun({ planned: info.numSteps || k.run.planned, step: info.step }));
      return k.describe();
    },
    // A trained Ming for a widget that asks for one: if nothing was cooked
    // yet, cook the run (seed 42, 1,000 dishes by default) now, and answer
    // when it is done. It cooks in the training loop's chunks, so other
    // requests (sliders, heartbeats, other widgets) are answered meanwhile,
    // and callers that ask while it cooks wait for the same run. Training
    // the reader did is never thrown away. With upTo, cooks the run to that
    // dish only (a new host kitchen replaying a removed frame's run).
    async ensureTrained({ seed = 42, steps = 1000, upTo } = {}) {
      const s = k.need();
      const run = k.run;
      if (run.cooking) { await run.cooking.promise; return k.describe(); }
      if (s.info().step > 0 || cooks(run.state)) return k.describe();
      k.checkSeed(seed);
      checkSteps(steps);
      const target = upTo === undefined ? steps : wholeNumber('upTo', upTo, 0, steps);
      if (s.info().seed !== seed) s.reset(seed);
      const fresh = newRun({ planned: steps });
      k.replaceRun(fresh, { quiet: target > 0 });
      if (target === 0) return k.describe();
      let resolve, reject;
      const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
      fresh.cooking = { promise, resolve, reject };
      fresh.stopAt = target;
      cook(fresh, State.WARMING);
      await promise;
      return k.describe();
    },
  };
}
