// kitchen.js - the worker side of the protocol: one engine session (Ming and
// his dials), a training loop that runs in chunks, and a table of requests
// answered between chunks so sliders stay live while Ming trains.
// Transport-free: give it a post(message, transfer) function that reaches
// every connected page (events go to all of them), and feed incoming
// messages to handle(message, reply) with the reply function of the port
// they came from; worker.js and shared-worker.js connect it.
import { loadEngine, EngineError, Status } from '../engine.js';

export const PROGRESS_INTERVAL_MS = 25; // progress events at most this often
const CHUNK_TARGET_MS = 6;              // one chunk of steps, then look at the mailbox

// Resolves after pending messages had their turn (a macrotask, unclamped).
function yieldToEvents() {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { ch.port1.close(); resolve(); };
    ch.port2.postMessage(0);
  });
}

const now = () => performance.now();

/**
 * The kitchen. post(message, transfer) reaches every connected page.
 * prefetch: {wasm, dataUrl} to start downloading and compiling at once,
 * before any page asks (used by init when it names the same URLs).
 */
export function createKitchen(post, prefetch = null) {
  let engine = null;
  let session = null;
  let text = null;
  let state = 'idle';      // idle | training | paused | done
  let planned = 1000;      // steps of the run
  let elapsedMs = 0;       // training time of this run, pauses excluded
  let looping = false;     // a training loop is running (between its chunks)
  let stopAt = Infinity;   // the loop pauses at this dish (ensureTrained cooks to one)
  let cooking = null;      // {promise, resolve, reject} while ensureTrained cooks
  let stopped = false;     // the run was ended with stop: reset to train again
  let pendingLosses = [];
  let history = [];        // every loss of this run, for pages that join later
  let lastPost = 0;
  let rate = 0;            // steps per second, measured
  let opening = null;      // the first init, while the engine loads
  let loadingText = null;  // the records as the first init loads them
  let fresh = null;        // an untrained twin (same seed and sizes), for "before training"
  let milestones = [];     // loss and a few names at dishes 1, 100, 500 and the last

  const MILESTONE_NAMES = 5;
  const milestoneSteps = () => [...new Set([1, 100, 500, planned].filter((m) => m <= planned))];

  function freshTwin() {
    if (!fresh) {
      const s = need();
      fresh = engine.createSession({ text, seed: s.info().seed, ...s.config });
    }
    return fresh;
  }
  function dropTwin() { fresh?.destroy(); fresh = null; }

  function recordMilestone(step, loss) {
    // names from a private stream, so the run's own names stay the reference's
    const names = session.sample(MILESTONE_NAMES, 0.5, { seed: step });
    const m = { step, loss, names };
    milestones.push(m);
    post({ type: 'milestone', ...m });
  }

  const need = () => {
    if (!session) throw new EngineError(Status.STATE, 'the kitchen is not open yet: send init first');
    return session;
  };

  function emitState() {
    const info = session.info();
    post({ type: 'state', state, step: info.step, numSteps: planned, elapsedMs, stepsPerSec: rate, seed: info.seed });
  }

  function flushProgress() {
    const losses = Float64Array.from(pendingLosses);
    for (const l of pendingLosses) history.push(l);
    pendingLosses = [];
    lastPost = now();
    post({ type: 'progress', step: session.info().step, numSteps: planned, losses, elapsedMs,
      stepsPerSec: rate, state });
  }

  async function trainLoop() {
    looping = true;
    let chunk = 10;
    while (state === 'training') {
      const step = session.info().step;
      const nextMilestone = milestoneSteps().find((m) => m > step) ?? planned;
      const n = Math.min(chunk, planned - step, stopAt - step, nextMilestone - step);
      if (n <= 0) { state = step >= planned ? 'done' : 'paused'; break; }
      const t0 = now();
      let losses;
      try {
        losses = session.train(n, planned);
      } catch (err) {
        state = 'paused';
        post({ type: 'error', message: err.message });
        cooking?.reject(err);
        break;
      }
      const dt = now() - t0;
      elapsedMs += dt;
      for (const l of losses) pendingLosses.push(l);
      if (step + n === nextMilestone) recordMilestone(step + n, losses[n - 1]);
      const r = n / Math.max(dt, 1e-3) * 1000;
      rate = rate ? 0.7 * rate + 0.3 * r : r;
      chunk = Math.max(1, Math.min(5000, Math.round(rate * CHUNK_TARGET_MS / 1000)));
      if (step + n >= planned) state = 'done';
      else if (step + n >= stopAt) state = 'paused';
      if (state !== 'training' || now() - lastPost >= PROGRESS_INTERVAL_MS) flushProgress();
      if (state === 'training') await yieldToEvents();
    }
    looping = false;
    stopAt = Infinity;
    if (pendingLosses.length) flushProgress();
    emitState();
    finishCooking();
  }

  // Whoever waits for a trained Ming gets one, or the run as a pause, reset
  // or load left it.
  function finishCooking() {
    const c = cooking;
    cooking = null;
    c?.resolve();
  }

  function start(steps) {
    const s = need();
    if (stopped) throw new EngineError(Status.STATE, `this run was stopped at step ${s.info().step}; reset to train again`);
    const step = s.info().step;
    if (steps !== undefined) {
      if (!Number.isInteger(steps) || steps < 1 || steps > 1e8)
        throw new EngineError(Status.ARG, `steps must be a whole number from 1 to 100000000 (got ${steps})`);
      if (step > 0 && steps !== planned && state !== 'idle')
        throw new EngineError(Status.STATE, `this run is planned for ${planned} steps; reset to plan ${steps}`);
      if (step === 0) planned = steps;
    }
    if (step >= planned) { state = 'done'; emitState(); return status(); }
    stopAt = Infinity; // Train while ensureTrained cooks: the run goes on to the end
    if (state !== 'training') {
      state = 'training';
      lastPost = now();
      emitState();
      // a loop paused a moment ago may still be between chunks: it goes on
      if (!looping) trainLoop();
    }
    return status();
  }

  function halt(next) {
    need();
    if (next === 'done' && state !== 'idle') stopped = true;
    if (state === 'training' || (next === 'done' && state !== 'idle')) state = next;
    if (!looping) emitState();
    return status();
  }

  function status() {
    const info = session.info();
    return { state, step: info.step, numSteps: planned, elapsedMs, stepsPerSec: rate, seed: info.seed };
  }

  function snapshot() {
    const s = need();
    const a = s.adamState();
    return { params: s.params().slice(), m: a.m.slice(), v: a.v.slice(), update: a.update.slice(),
      grads: a.grads.slice(), step: s.info().step };
  }

  const fetchRecords = (dataUrl) => fetch(dataUrl).then((res) => {
    if (!res.ok) throw new EngineError(Status.IO, `could not load the records from ${dataUrl}: HTTP ${res.status}`);
    return res.text();
  });
  // A prefetch that fails is forgotten: init then tries again and reports why.
  const early = prefetch && {
    wasm: String(prefetch.wasm),
    dataUrl: String(prefetch.dataUrl),
    engine: loadEngine(prefetch.wasm).catch(() => null),
    text: fetchRecords(prefetch.dataUrl).catch(() => null),
  };
  const usePrefetched = async (key, url) => {
    if (!early || typeof url !== 'string' || String(new URL(url, early[key])) !== early[key]) return null;
    return early[key === 'wasm' ? 'engine' : 'text'];
  };

  async function openKitchen({ wasm, text: t, dataUrl, seed, config, steps }) {
    // the engine and the records download side by side
    const records = t !== undefined ? t
      : usePrefetched('dataUrl', dataUrl).then((text_) => text_ ?? fetchRecords(dataUrl));
    loadingText = Promise.resolve(records);
    loadingText.catch(() => {}); // reported below; not unhandled if the engine fails first
    if (!engine) engine = (await usePrefetched('wasm', wasm)) ?? await loadEngine(wasm);
    t = await records;
    const next = engine.createSession({ text: t, seed, ...config });
    if (session) { state = 'idle'; session.destroy(); }
    dropTwin();
    milestones = [];
    session = next;
    stopped = false;
    history = [];
    pendingLosses = [];
    text = t;
    planned = steps;
    elapsedMs = 0;
    state = 'idle';
    return describe();
  }

  const handlers = {
    // trained: then, if nothing was cooked yet, cook the run (as
    // ensureTrained; a kitchen joined keeps its own seed and plan), so a page
    // gets a trained Ming in one round trip
    async init({ wasm, text: t, dataUrl, seed = 42, config = {}, steps = 1000, join = false, trained = false }) {
      // another widget opened (or is opening) this kitchen already: join it
      if (join && (session || opening)) {
        await opening;
        return trained ? handlers.ensureTrained({ seed: need().info().seed, steps: planned }) : describe();
      }
      let done;
      opening = new Promise((r) => { done = r; });
      try {
        await openKitchen({ wasm, text: t, dataUrl, seed, config, steps });
        if (!trained) return describe();
        await yieldToEvents(); // a records request waiting for the text is answered first
        return handlers.ensureTrained({ seed, steps }); // opening ends now: joiners need not wait for the cooking
      } finally { opening = null; done(); }
    },
    start: ({ steps }) => start(steps),
    pause: () => halt('paused'),
    resume: () => start(),
    stop: () => halt('done'),
    reset({ seed, steps, config }) {
      need();
      if (steps !== undefined && (!Number.isInteger(steps) || steps < 1 || steps > 1e8))
        throw new EngineError(Status.ARG, `steps must be a whole number from 1 to 100000000 (got ${steps})`);
      if (state === 'training') state = 'paused'; // the loop ends after its chunk
      stopped = false;
      if (config) {
        const next = engine.createSession({ text, seed: seed ?? session.info().seed, ...config });
        session.destroy();
        session = next;
      } else {
        session.reset(seed ?? session.info().seed);
      }
      if (steps !== undefined) planned = steps;
      state = 'idle';
      elapsedMs = 0;
      rate = 0;
      pendingLosses = [];
      history = [];
      milestones = [];
      dropTwin();
      finishCooking();
      if (!looping) emitState();
      return describe();
    },
    status: () => (need(), status()),
    info: () => describe(),
    sample: ({ count = 20, temperature = 0.5, seed }) => need().sample(count, temperature, seed === undefined ? {} : { seed }),
    probs: ({ prefix = '', temperature = 1 }) => need().nextProbs(prefix, temperature),
    attention: ({ text: t }) => need().attention(t),
    inspect: ({ text: t, fresh: f }) => (need(), f ? freshTwin() : session).inspect(t),
    grad: ({ name }) => need().grad(name),
    nameLoss: ({ name, fresh: f }) => (need(), f ? freshTwin() : session).nameLoss(name),
    // Turns one dial by amount, measures the penalty again, and turns it back.
    nudge({ name, index, amount }) {
      const s = need();
      if (!Number.isInteger(index) || index < 0 || index >= s.numParams)
        throw new EngineError(Status.ARG, `choose a dial from 0 to ${s.numParams - 1} (got ${index})`);
      if (typeof amount !== 'number' || !Number.isFinite(amount) || Math.abs(amount) > 1)
        throw new EngineError(Status.ARG, `the nudge must be a number from -1 to 1 (got ${amount})`);
      const { loss: before, grads } = s.grad(name);
      const original = s.params()[index];
      s.setParam(index, original + amount);
      let after;
      try { after = s.nameLoss(name); } finally { s.setParam(index, original); }
      return { index, amount, before, after, measured: after - before, predicted: grads[index] * amount, gradient: grads[index] };
    },
    milestones: () => milestones,
    // the training text as loaded, so a page needs no download of its own;
    // asked while the first init opens, it answers once the text is in
    // (before any cooking that init asked for)
    records: async () => (session || !loadingText ? (need(), text) : loadingText),
    memory: () => ({ wasmBytes: engine ? engine.memory.buffer.byteLength : 0 }),
    // every loss the pages were sent so far; the ones not yet sent follow in
    // the next progress event (a page that joins adds those to these)
    losses: () => Float64Array.from(history),
    // A trained Ming for a widget that asks for one: if nothing was cooked
    // yet, cook the reference run (seed 42, 1,000 dishes) now, and answer
    // when it is done. It cooks in the training loop's chunks, so other
    // requests (sliders, heartbeats, other widgets) are answered meanwhile,
    // and callers that ask while it cooks wait for the same run.
    // Training the reader did is never thrown away.
    // With upTo, replays the reader's run to that dish instead (a new host
    // kitchen taking over from a widget frame that was removed).
    async ensureTrained({ seed = 42, steps = 1000, upTo } = {}) {
      const s = need();
      if (cooking) { await cooking.promise; return describe(); }
      if (s.info().step > 0 || state === 'training') return describe();
      const target = Math.min(upTo ?? steps, steps);
      if (!Number.isInteger(steps) || steps < 1 || steps > 1e8 || !Number.isInteger(target) || target < 0)
        throw new EngineError(Status.ARG, `steps must be whole numbers (got ${steps}, ${upTo})`);
      if (s.info().seed !== seed) s.reset(seed);
      planned = steps;
      dropTwin();
      milestones = [];
      if (target === 0) { emitState(); return describe(); }
      let resolve, reject;
      const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
      cooking = { promise, resolve, reject };
      stopAt = target;
      state = 'training';
      lastPost = now();
      emitState();
      if (!looping) trainLoop();
      await promise;
      return describe();
    },
    stepStats: () => need().stepStats(),
    snapshot,
    docLengths: () => need().docLengths(),
    save: () => need().save(),
    load({ bytes }) {
      const s = need();
      if (state === 'training') state = 'paused';
      s.load(bytes);
      stopped = false;
      history = [];
      pendingLosses = [];
      dropTwin();
      milestones = [];
      finishCooking();
      const info = s.info();
      if (info.numSteps) planned = info.numSteps;
      state = info.step === 0 ? 'idle' : info.step >= planned ? 'done' : 'paused';
      if (!looping) emitState();
      return describe();
    },
    setParam: ({ index, value }) => need().setParam(index, value),
  };

  function describe() {
    const s = need();
    return { ...s.info(), config: s.config, vocab: s.vocabulary, tensors: s.tensorTable, ...status() };
  }

  async function handle(msg, reply = post) {
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return;
    const { id, type } = msg;
    const fn = Object.hasOwn(handlers, type) ? handlers[type] : null;
    try {
      if (!fn) throw new EngineError(Status.ARG, `unknown request type '${type}'`);
      const result = await fn(msg);
      reply({ id, result });
    } catch (err) {
      reply({ id, error: { message: err.message, code: err.code ?? null, status: err.status ?? null } });
    }
  }

  return { handle, get state() { return state; } };
}
