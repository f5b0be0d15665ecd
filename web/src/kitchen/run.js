// run.js - the run: one record per run, replaced whole when a run begins
// (init, reset, load), one state enum, and the training loop that cooks in
// chunks of about 6 ms so requests are answered between two chunks, at the
// kitchen's pace (so every page and widget sees the same run).
import { KitchenCode, fail, badRequest, wholeNumber } from './errors.js';
import { DialHistory, namesSeed } from './timeline.js';
import { ENGINE, PACES, DEFAULT_PACE, milestoneSteps } from '../limits.js';

export const PROGRESS_INTERVAL_MS = 25; // progress events at most this often
const CHUNK_TARGET_MS = 6;              // one chunk of steps, then look at the mailbox
const MILESTONE_NAMES = 5;
const MAX_LAG_MS = 250;                 // a paced run that fell this far behind drops the debt instead of rushing
const MIN_WAIT_MS = 4;                  // a paced run looks at its clock at most this often
const RATE_WINDOW_MS = 1000;            // stepsPerSec: dishes over the last second of cooking

export { PACES, DEFAULT_PACE }; // limits.js: the page's options know them too
export function checkPace(pace) {
  if (typeof pace !== 'string' || !Object.hasOwn(PACES, pace))
    badRequest(`pace must be one of ${Object.keys(PACES).join(', ')} (got ${JSON.stringify(pace)?.slice(0, 40)})`);
  return pace;
}

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
export function newRun({ planned, step = 0, watchIndex = -1 }) {
  return {
    planned,               // steps of the run
    state: step === 0 ? State.IDLE : step >= planned ? State.DONE : State.PAUSED,
    elapsedMs: 0,          // wall time of this run while cooking, pauses excluded
    computeMs: 0,          // the engine's time in the run's dishes (what a dish costs, whatever the pace)
    rate: 0,               // steps per second of wall time, measured (the pace, or the device's speed at instant)
    finishing: false,      // finish: the rest at full speed, whatever the pace
    watch: new DialHistory(watchIndex), // the watched dial at every dish
    history: [],           // every loss sent in progress events, for pages that join later
    pendingLosses: [],     // losses not sent yet
    lastPost: 0,           // when the last progress event went out
    milestones: [],        // {step, loss, names} at the milestone dishes (limits.js: C's, and the last)
    stopAt: Infinity,      // the loop pauses at this dish (warming cooks to one)
    cooking: null,         // {promise, resolve, reject} while warming
    looping: false,        // a training loop is running (between its chunks)
    restartClock: false,   // the pace's clock starts again (the run was set cooking)
  };
}

export const checkSteps = (steps, name = 'steps') => wholeNumber(name, steps, 1, ENGINE.limits.runSteps);

const now = () => performance.now();

// Resolves after pending messages had their turn (a macrotask, unclamped).
export function yieldToEvents() {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { ch.port1.close(); resolve(); };
    ch.port2.postMessage(0);
  });
}

// ---- what every run does, run A (below) and run B (companion.js) --------

// a run's events name run B; run A's carry no run (older pages know no other)
const named = (name) => (name === 'B' ? { run: 'B' } : {});

/** The dishes run r may cook from `step` in one go: up to its next milestone, one until its watched dial is picked. */
export function dishesBefore(r, step) {
  const nextMilestone = milestoneSteps(r.planned).find((m) => m > step) ?? r.planned;
  return Math.min(r.planned - step, nextMilestone - step, r.watch.index < 0 ? 1 : Infinity);
}

/**
 * Cooks n dishes (at most dishesBefore) of run r ({planned, watch,
 * pendingLosses, milestones}) on its session: their losses (sent by
 * emitProgress), the watched dial at each dish, the milestone reached.
 * Events go through post, named for run `name`. Returns the compute time in ms;
 * throws the engine's error.
 */
export function cookDishes(session, r, n, post, name = 'A') {
  const step = session.info().step, w = r.watch;
  const t0 = now();
  const { losses, watch } = session.trainWatch(n, r.planned, w.index);
  const dt = now() - t0;
  if (w.index < 0) {
    // the dial the sensei pushed hardest at the first dish cooked (n is 1 then)
    const a = session.adamState();
    let best = 0;
    for (let i = 1; i < a.grads.length; i++) if (Math.abs(a.grads[i]) > Math.abs(a.grads[best])) best = i;
    w.index = best;
    w.push(step + n, a.grads[best], a.m[best], a.v[best], a.update[best]);
    post({ type: 'watchDial', ...named(name), index: best, from: step + n }); // every page's chart follows, as for a page's choice
  } else {
    for (let i = 0; i < n; i++) w.push(step + i + 1, watch[4 * i], watch[4 * i + 1], watch[4 * i + 2], watch[4 * i + 3]);
  }
  for (const l of losses) r.pendingLosses.push(l);
  if (milestoneSteps(r.planned).includes(step + n)) {
    // names from the dish's private streams (the run's own stream stays the
    // reference's): the first of what `names` shows at that dish
    const m = { step: step + n, loss: losses[n - 1], names: session.sample(MILESTONE_NAMES, ENGINE.temperature.default, { seed: namesSeed(step + n) }) };
    r.milestones.push(m);
    post({ type: 'milestone', ...named(name), ...m });
  }
  return dt;
}

/** Sends run r's losses not sent yet in one progress event of `type` with its status, and keeps them in its history. */
export function emitProgress(post, type, r, status) {
  const losses = Float64Array.from(r.pendingLosses);
  for (const l of r.pendingLosses) r.history.push(l);
  r.pendingLosses = [];
  r.lastPost = now();
  const { run, state, step, numSteps, elapsedMs, computeMs, stepsPerSec, deviceRate } = status;
  post({ type, ...named(run), step, numSteps, losses, elapsedMs, computeMs, stepsPerSec, ...(deviceRate === undefined ? {} : { deviceRate }), state });
}

/**
 * The run's requests on the kitchen k ({session, run, post, pace,
 * deviceRate, timeline, runSession(), replaceRun(run), describe(),
 * noteDeviceRate(steps, ms)}): start, pause, resume, stop, step, finish, setPace,
 * reset, load, ensureTrained, status.
 */
export function runHandlers(k) {
  function status() {
    const { run } = k;
    const common = { pace: k.pace, finishing: run.finishing, deviceRate: k.deviceRate, view: k.timeline.view,
      earliest: k.timeline.base?.step ?? 0, watchDial: run.watch.index };
    if (!k.session) return { state: run.state, step: 0, numSteps: run.planned, elapsedMs: 0, computeMs: 0, stepsPerSec: 0, seed: null, open: false, ...common };
    const info = k.session.info();
    return { state: run.state, step: info.step, numSteps: run.planned, elapsedMs: run.elapsedMs, computeMs: run.computeMs,
      stepsPerSec: run.rate, seed: info.seed, open: true, ...common };
  }
  k.status = status;
  k.emitState = () => k.post({ type: 'state', ...status() });

  const flushProgress = (run) => emitProgress(k.post, 'progress', run, status());

  // Whoever waits for a trained Ming gets one, or the run as a pause, stop,
  // reset or load left it.
  function finishCooking(run) {
    const c = run.cooking;
    run.cooking = null;
    c?.resolve();
  }
  k.finishCooking = finishCooking;

  // Trains n dishes of the run (n stops at the next milestone and snapshot):
  // their losses, the watched dial at each, the milestone, the snapshot;
  // a full-speed chunk (full) refines the device's rate.
  // Returns the compute time in ms; throws the engine's error.
  function cookSteps(run, n, { full = false } = {}) {
    const session = k.session;
    const dt = cookDishes(session, run, n, k.post);
    run.computeMs += dt;
    k.timeline.record(session);
    if (full) k.noteDeviceRate(n, dt);
    return dt;
  }

  // The dishes per second the run cooks at now.
  const paceRate = (run) => (run.state === State.WARMING || run.finishing ? Infinity : PACES[k.pace]);
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // One loop per run; it ends when the run stops cooking or is replaced
  // (the run that replaced it has reported itself). At a finite pace the
  // dishes due are the wall time since the pace's clock started times the
  // rate, cooked in small chunks with waits between them. Run B (companion.js),
  // when it cooks, cooks the same dishes in the same chunks, so both advance
  // at the kitchen's pace; the loop goes on while either cooks.
  async function trainLoop(run) {
    run.looping = true;
    const B = k.companion;
    let chunk = 10;
    const session = k.session;
    let tick = now();   // wall time up to here is counted in elapsedMs
    const seen = [[tick, session.info().step]]; // (time, dish) over the last RATE_WINDOW_MS, for the measured rate
    let clock = null;   // {t, ticks, rate}: when the pace started counting, and at which count of dishes
    let ticks = 0;      // the dishes this loop has cooked (the pace's count, whichever run cooks)
    let aCooking = cooks(run.state);
    while (k.run === run && (cooks(run.state) || B.cooks())) {
      const a = cooks(run.state);
      if (aCooking && !a) endLoop(run); // run A paused or ended while run B goes on
      if (a && !aCooking) seen.splice(0, seen.length, [now(), session.info().step]);
      aCooking = a;
      const step = session.info().step;
      let n;
      if (a) {
        n = Math.min(chunk, dishesBefore(run, step), run.stopAt - step, k.timeline.nextSnapshot(step) - step);
        if (n <= 0) { run.state = step >= run.planned ? State.DONE : State.PAUSED; continue; }
      } else {
        n = Math.min(chunk, B.room());
      }
      const rate = paceRate(run);
      if (run.restartClock) { clock = null; run.restartClock = false; }
      if (Number.isFinite(rate)) {
        // the first dish is due at once
        if (!clock || clock.rate !== rate) clock = { t: now() - 1000 / rate, ticks, rate };
        let due = Math.floor((now() - clock.t) * rate / 1000) - (ticks - clock.ticks);
        if (due > rate * MAX_LAG_MS / 1000) { clock = { t: now() - 1000 / rate, ticks, rate }; due = 1; }
        if (due <= 0) {
          await wait(Math.max(MIN_WAIT_MS, clock.t + (ticks - clock.ticks + 1) * 1000 / rate - now()));
          const t = now();
          if (a) run.elapsedMs += t - tick;
          if (B.cooks()) B.elapse(t - tick);
          tick = t;
          continue;
        }
        n = Math.min(n, due);
      } else {
        clock = null;
      }
      if (a) {
        try {
          cookSteps(run, n, { full: !Number.isFinite(rate) });
        } catch (err) {
          run.state = State.PAUSED;
          run.finishing = false;
          k.post({ type: 'error', message: err.message, code: err.code ?? null, status: err.status ?? null });
          run.cooking?.reject(err);
          run.cooking = null;
          continue;
        }
      }
      const bCooked = B.cooks();
      if (bCooked) B.cook(n);
      ticks += n;
      const t = now();
      if (a) run.elapsedMs += t - tick;
      if (bCooked) B.elapse(t - tick);
      tick = t;
      if (a) {
        seen.push([t, step + n]);
        while (seen.length > 2 && t - seen[1][0] >= RATE_WINDOW_MS) seen.shift();
        run.rate = (step + n - seen[0][1]) / Math.max(t - seen[0][0], 1e-3) * 1000;
      }
      // a chunk of about CHUNK_TARGET_MS for the runs that cook
      const msA = a ? 1000 / (k.deviceRate || run.rate) : 0;
      chunk = Math.max(1, Math.min(5000, Math.round(CHUNK_TARGET_MS / (msA + B.msPerDish()))));
      if (a) {
        if (step + n >= run.planned) run.state = State.DONE;
        else if (step + n >= run.stopAt) run.state = State.PAUSED;
        if (!cooks(run.state) || now() - run.lastPost >= PROGRESS_INTERVAL_MS) flushProgress(run);
      }
      if (bCooked) B.flush();
      if (cooks(run.state) || B.cooks()) await yieldToEvents();
    }
    run.looping = false;
    B.flush(); // run B paused between two chunks: its last losses and its state
    if (k.run !== run) {
      // a new run A took over: its loop (started now if none runs) cooks run B on
      if (B.cooks() && !k.run.looping) trainLoop(k.run);
      return;
    }
    if (aCooking) endLoop(run);
  }

  // Run A stopped cooking (paused, done, stopped): its last losses, its state,
  // and whoever waited for its cooking.
  function endLoop(run) {
    run.stopAt = Infinity;
    if (!cooks(run.state)) run.finishing = false;
    if (run.pendingLosses.length) flushProgress(run);
    k.emitState();
    finishCooking(run);
  }
  // Run B set cooking: the loop cooks it (a new loop if none runs).
  k.kick = () => { if (!k.run.looping) trainLoop(k.run); };

  // Sets the run cooking (training or warming); a loop between two chunks goes on.
  function cook(run, state) {
    const was = run.state;
    run.state = state;
    // a loop still waiting after a pause goes on: its pace starts counting again
    if (was !== state) { run.lastPost = now(); run.restartClock = true; k.emitState(); }
    if (!run.looping) trainLoop(run);
  }

  function start(steps) {
    const s = k.runSession(), run = k.run;
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
    k.runSession();
    const run = k.run;
    if (!cooks(run.state) && !(next === State.STOPPED && run.state === State.PAUSED)) return status();
    run.state = next;
    run.finishing = false;
    if (!run.looping) k.emitState(); // else the loop reports it after its chunk
    return status();
  }

  // One dish, while idle or paused: the run is paused after it (done at its end).
  function stepOnce() {
    const s = k.runSession(), run = k.run;
    const step = s.info().step;
    if (run.state === State.STOPPED)
      fail(KitchenCode.STOPPED, `this run was stopped at step ${step}; reset to train again`);
    if (run.state === State.DONE)
      fail(KitchenCode.WRONG_STATE, `the run is done (dish ${step} of ${run.planned}); reset to cook again`);
    if (cooks(run.state))
      fail(KitchenCode.WRONG_STATE, `Ming is cooking (${run.state}); pause first to cook one dish at a time`);
    const was = run.state;
    const t0 = now();
    try {
      cookSteps(run, 1);
    } catch (err) {
      k.post({ type: 'error', message: err.message, code: err.code ?? null, status: err.status ?? null });
      throw err;
    }
    run.elapsedMs += now() - t0;
    run.state = step + 1 >= run.planned ? State.DONE : State.PAUSED;
    flushProgress(run);
    if (run.state !== was) k.emitState();
    return status();
  }

  // The rest of the run at full speed, then done.
  function finish() {
    const s = k.runSession(), run = k.run;
    if (run.state === State.STOPPED)
      fail(KitchenCode.STOPPED, `this run was stopped at step ${s.info().step}; reset to train again`);
    if (run.state === State.DONE) return status();
    run.finishing = true;
    run.stopAt = Infinity;
    if (run.state === State.TRAINING) { k.emitState(); return status(); }
    cook(run, State.TRAINING);
    return status();
  }

  function setPace(pace) {
    k.pace = checkPace(pace);
    k.emitState(); // every page sees the new pace
    return status();
  }

  return {
    start: ({ steps }) => start(steps),
    resume: () => start(),
    pause: () => halt(State.PAUSED),
    stop: () => halt(State.STOPPED),
    step: () => stepOnce(),
    finish: () => finish(),
    setPace: ({ pace }) => setPace(pace),
    status,
    reset({ seed, steps, config }) {
      const s = k.runSession();
      if (steps !== undefined) checkSteps(steps);
      if (seed !== undefined) k.checkSeed(seed);
      const old = k.run;
      if (config !== undefined) {
        const picked = k.pickConfig(config);
        s.checkConfig({ ...s.config, ...picked }, k.bounds()); // a refused size drops nothing: Ming stays as he was
        k.dropCompanions(); // at most the old session and the new one at once
        const next = k.createSession({ text: k.text, seed: seed ?? s.info().seed, config: { ...s.config, ...picked } });
        const { preset } = s.records();
        if (preset) next.setPreset(preset); // the same records: a file saved later still names their preset
        k.session.destroy();
        k.session = next;
      } else {
        s.reset(seed ?? s.info().seed);
      }
      k.replaceRun(newRun({ planned: steps ?? old.planned }));
      return k.describe();
    },
    load({ bytes }) {
      const s = k.runSession();
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
    async ensureTrained({ seed = ENGINE.defaults.seed, steps = ENGINE.defaults.steps, upTo } = {}) {
      const s = k.runSession();
      const run = k.run;
      // the fields are checked whatever the kitchen does with them
      k.checkSeed(seed);
      checkSteps(steps);
      const target = upTo === undefined ? steps : wholeNumber('upTo', upTo, 0, steps);
      if (run.cooking) { await run.cooking.promise; return k.describe(); }
      if (s.info().step > 0 || cooks(run.state)) return k.describe();
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
