// kitchen.js - the worker side of the protocol: one engine session (Ming and
// his dials), the run (run.js), the read-only queries (queries.js) and the
// downloads (loading.js), behind one table of requests answered between
// chunks of training so sliders stay live while Ming trains.
// Transport-free: give it a post(message) function that reaches every
// connected page (events go to all of them), and feed incoming messages to
// handle(message, reply) with the reply function of the port they came
// from; transport.js does that for worker.js and shared-worker.js.
import { DEFAULT_CONFIG, SEED_MAX } from '../engine.js';
import { ENGINE } from '../limits.js';
import { KitchenCode, KitchenError, fail, badRequest, errorReply, wholeNumber, describeValue } from './errors.js';
import { DOWNLOAD_TIMEOUT_MS, TIMEOUT_BOUNDS_MS, fetchEngine, fetchRecords, createPrefetch } from './loading.js';
import { newRun, runHandlers, checkSteps, checkPace, yieldToEvents, DEFAULT_PACE } from './run.js';
import { queryHandlers } from './queries.js';
import { createTimeline, DialHistory } from './timeline.js';
import * as errorsModule from './errors.js';
import * as runModule from './run.js';
import * as queriesModule from './queries.js';
import * as timelineModule from './timeline.js';
import * as limitsModule from '../limits.js';

/** The kitchen's modules, whole, handed to run B's code when it loads (companion.js says why). */
const kitchenModules = { errors: errorsModule, run: runModule, queries: queriesModule, timeline: timelineModule, limits: limitsModule };

export { State } from './run.js';
export { KitchenCode } from './errors.js';
export { PROGRESS_INTERVAL_MS, PACES } from './run.js';

// run B's own requests are named so (companion.js): a type of neither run is
// refused without downloading run B's code
const RUN_B_OWN = /^companion/;
const unknownType = (type) => fail(KitchenCode.UNKNOWN_REQUEST, `unknown request type '${type.slice(0, 40)}'`);

const CONFIG_KEYS = Object.keys(DEFAULT_CONFIG); // nEmbd, nHead, nLayer, blockSize
const DEVICE_DECAY = 0.9; // the weight of a full-speed chunk in deviceRate, per later chunk

/** A promise and its resolve (for who waits until the reads under way end). */
function resolvers() {
  let resolve;
  const promise = new Promise((res) => { resolve = res; });
  return { promise, resolve };
}

/** Only the model sizes, as whole numbers (their bounds are the engine's). */
function pickConfig(config) {
  if (config === undefined || config === null) return {};
  if (typeof config !== 'object' || Array.isArray(config)) badRequest(`config must be an object of ${CONFIG_KEYS.join(', ')} (got ${describeValue(config)})`);
  const extra = Object.keys(config).filter((key) => !CONFIG_KEYS.includes(key));
  if (extra.length) badRequest(`config takes only ${CONFIG_KEYS.join(', ')} (got ${extra.join(', ').slice(0, 40)}); the text and seed are fields of the request`);
  const picked = {};
  for (const key of CONFIG_KEYS) {
    if (config[key] === undefined) continue;
    if (!Number.isInteger(config[key])) badRequest(`config.${key} must be a whole number (got ${describeValue(config[key])})`);
    picked[key] = config[key];
  }
  return picked;
}

// Records given as UTF-8 bytes (a file: C judges its encoding), kept as text
// once the engine took them; a byte order mark stays, as the engine read it.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const asText = (t) => (typeof t === 'string' ? t : utf8.decode(t));

const checkSeed = (seed) => wholeNumber('seed', seed, 0, SEED_MAX); // the engine's seeds
const checkTimeout = (ms) => wholeNumber('timeoutMs', ms, ...TIMEOUT_BOUNDS_MS);

/**
 * The kitchen. post(message) reaches every connected page.
 * prefetch: {wasm, dataUrl} to start downloading and compiling at once,
 * before any page asks (used by the first init that names the same URLs).
 * timeoutMs: each download's time limit (15 s; tests set it lower).
 * pace: the pace a run cooks at until a page sets another (watch, fast, instant).
 */
// The kitchen holds up to four sessions at once (the run, its view for the
// timeline, the untrained twin, run B beside the run), so each gets a quarter
// of the core's memory bound; and a config must cook one name in well under 100 ms, so a request
// never holds up the others (or the heartbeat) for long: MAX_WORK dials x
// block_size, 250 times the reference size.
export const SESSIONS_HELD = 4;
export const MAX_WORK = 2 ** 24;

/** The run a request names: 'A' (the reader's, the default) or 'B'. */
export function checkRunName(run) {
  if (run !== undefined && run !== 'A' && run !== 'B') badRequest(`run must be 'A' (the reader's run) or 'B' (the companion) (got ${JSON.stringify(run)?.slice(0, 40)})`);
  return run ?? 'A';
}

export function createKitchen(post, { prefetch = null, timeoutMs = DOWNLOAD_TIMEOUT_MS, pace = DEFAULT_PACE } = {}) {
  checkTimeout(timeoutMs);
  checkPace(pace);
  const k = {
    post, engine: null, session: null, text: null,
    fresh: null,   // an untrained twin (same seed and sizes), for "before training"
    run: newRun({ planned: 1000 }),
    pace,          // the kitchen's pace, for every page
    deviceRate: 0, // the engine's full speed on this device, dishes per second (0: not measured yet)
    watchChoice: -1, // the dial a page asked to watch (-1: the kitchen picks one at the first dish)
    pickConfig, checkSeed,
  };
  let opening = null;     // the latest init, while it opens
  let loadingText = null; // the records as the first init loads them
  let early = createPrefetch(prefetch, { timeoutMs });

  // The run's session (Ming as the run has him now): what the run's requests change.
  k.runSession = () => k.session ?? fail(KitchenCode.NOT_OPEN, 'the kitchen is not open yet: send init first');
  // The session a read answers from: the view session while a page shows an
  // earlier dish (viewAt), else the run's. Every query takes it from here.
  k.need = () => { const s = k.runSession(); return k.timeline.reader() ?? s; };
  k.timeline = createTimeline(k);
  // Run B (companion.js): kept by reset and load, dropped by init. Its code
  // loads at the first request that needs it (most readers never compare, so
  // the worker starts without it); until then the training loop, which holds
  // this object, sees a run B that never cooks, and the loaded run B's
  // methods are copied onto it.
  k.companion = { cooks: () => false, msPerDish: () => 0, elapse() {}, flush() {}, drop() {} };
  let loadingB = null;
  const runB = () => (loadingB ??= import('./companion.js').then(
    ({ createCompanion }) => Object.assign(k.companion, createCompanion(k, kitchenModules)),
    (err) => { loadingB = null; throw new KitchenError(KitchenCode.DOWNLOAD, `run B's code (companion.js) could not be downloaded (${err.message}): try again`); }));
  // deviceRate: the dishes over the compute time of recent full-speed
  // chunks (each chunk's weight decays), a measurement at open as the prior
  let device = { steps: 0, ms: 0 };
  k.noteDeviceRate = (steps, ms, { measured = false } = {}) => {
    device = measured ? { steps, ms } : { steps: DEVICE_DECAY * device.steps + steps, ms: DEVICE_DECAY * device.ms + ms };
    k.deviceRate = device.steps / Math.max(device.ms, 1e-3) * 1000;
  };
  k.forgetDeviceRate = () => { device = { steps: 0, ms: 0 }; k.deviceRate = 0; };
  let reading = 0, readsIdle = null; // reads under way, and who waits for them to end
  k.readsDone = () => (reading === 0 ? Promise.resolve() : (readsIdle ??= resolvers()).promise);
  k.watchDial = (index) => {
    k.watchChoice = index;
    const step = k.runSession().info().step;
    // the history of the new dial starts at the next dish
    if (k.run.watch.index !== index) {
      k.run.watch = new DialHistory(index);
      k.post({ type: 'watchDial', index, from: step + 1 }); // every page's chart follows
    }
    return { index, from: step + 1 };
  };
  // every session of the kitchen, within the kitchen's bounds
  k.bounds = () => ({ maxBytes: Math.floor(k.engine.limits.sessionBytes / SESSIONS_HELD), maxWork: MAX_WORK });
  k.createSession = ({ text, seed, config }) => k.engine.createSession({ text, seed, ...config, bounds: k.bounds() });
  // the sessions a new run drops anyway, dropped before a new one is made
  // (run B is not one of them: it lives beside any run A until init or companionDrop)
  k.dropCompanions = () => { k.fresh?.destroy(); k.fresh = null; k.timeline.destroy(); };
  // The untrained twin of a run ({text, seed, config}: run A's by default,
  // run B's for its reads): one at a time, made again for the other run.
  let freshOf = null;
  k.freshTwin = (of = null) => {
    if (!of) { const s = k.runSession(); of = { text: k.text, seed: s.info().seed, config: s.config }; }
    const key = JSON.stringify([of.seed, of.config]);
    if (!k.fresh || freshOf.text !== of.text || freshOf.key !== key) {
      k.fresh?.destroy();
      k.fresh = null; // gone even if the new one cannot be made
      k.fresh = k.createSession(of);
      freshOf = { text: of.text, key };
    }
    return k.fresh;
  };
  // A new run replaces the old one whole; whoever waited for the old one's
  // cooking gets Ming as it left him.
  // The snapshots and the view go with the old run; a new session (init,
  // reset with sizes) has its speed measured again.
  let measuredOn = null;
  k.replaceRun = (run, { quiet = false } = {}) => {
    const old = k.run;
    const choice = k.watchChoice < k.session.numParams ? k.watchChoice : -1;
    if (choice !== run.watch.index) run.watch = new DialHistory(choice);
    k.run = run;
    k.finishCooking(old);
    k.fresh?.destroy();
    k.fresh = null;
    k.timeline.begin(k.session);
    if (measuredOn !== k.session) {
      measuredOn = k.session;
      k.forgetDeviceRate();
      k.timeline.destroy();
      k.timeline.measureDevice();
    }
    if (!quiet) k.emitState();
  };
  k.describe = () => {
    const s = k.runSession();
    return { ...s.info(), config: s.config, vocab: s.vocabulary, tensors: s.tensorTable, ...k.status(),
      records: s.records(), cutRecords: s.cutRecords(), limits: k.engine.limits };
  };

  const run = runHandlers(k);
  // reads: answered for the dish shown (they wait for a replay under way)
  const queries = queryHandlers(k);
  k.sample = queries.sample;
  const reads = { ...queries, ...k.timeline.reads };

  async function openKitchen({ wasm, text, dataUrl, preset, seed, config, steps, pace: p, reload, timeoutMs: ms }) {
    const opts = { timeoutMs: ms, reload };
    // a retry (reload) downloads anew, past the prefetch and the HTTP cache
    if (reload) early.drop();
    // the engine and the records download side by side
    const records = text !== undefined ? Promise.resolve(text)
      : (async () => (await early.take('records', dataUrl)) ?? fetchRecords(dataUrl, opts))();
    loadingText = records.then(asText);
    loadingText.catch(() => {}); // reported below; not unhandled if the engine fails first
    if (!k.engine || reload) k.engine = (await early.take('wasm', wasm)) ?? await fetchEngine(wasm, opts);
    const t = await records;
    const shown = k.session ? k.timeline.describe().view : null;
    if (k.session) k.dropCompanions();
    let next = null;
    try {
      next = k.createSession({ text: t, seed, config });
      if (preset !== undefined) next.setPreset(preset);
    } catch (err) {
      // records (or a preset id) the engine refuses: Ming stays as he was,
      // and the dish shown is replayed on a new view session
      next?.destroy();
      if (shown !== null) await k.timeline.viewAt(shown).catch(() => {});
      throw err;
    }
    k.companion.drop(); // new records or a new kitchen: run B goes (kept when init is refused)
    k.session?.destroy();
    k.session = next;
    k.text = asText(t);
    if (p !== undefined) k.pace = p;
    k.replaceRun(newRun({ planned: steps }), { quiet: true });
    return k.describe();
  }

  const handlers = {
    ...run,
    ...reads,
    ...k.timeline.handlers,
    // join: keep a kitchen another widget opened (or is opening).
    // trained: then, if nothing was cooked yet, cook the run (as
    // ensureTrained; a kitchen joined keeps its own seed and plan), so a page
    // gets a trained Ming in one round trip.
    // reload: a Retry; download the engine and the records again.
    // pace: the kitchen's pace from now on (a join keeps the kitchen's pace).
    async init({ wasm, text, dataUrl, preset, seed = ENGINE.defaults.seed, config, steps = ENGINE.defaults.steps, join = false, trained = false,
      reload = false, timeoutMs: ms = timeoutMs, pace: p }) {
      if (p !== undefined) checkPace(p);
      if (join && (k.session || opening)) {
        await opening?.catch(() => {});
        return trained ? run.ensureTrained({ seed: k.runSession().info().seed, steps: k.run.planned }) : k.describe();
      }
      checkSeed(seed);
      checkSteps(steps);
      checkTimeout(ms);
      if (text !== undefined && typeof text !== 'string' && !(text instanceof Uint8Array))
        badRequest(`text must be a string of names, one a line, or its UTF-8 bytes (got ${typeof text})`);
      if (preset !== undefined && typeof preset !== 'string') badRequest(`preset must be a string, the records' preset id (got ${describeValue(preset)})`);
      const picked = pickConfig(config);
      const attempt = openKitchen({ wasm, text, dataUrl, preset, seed, config: picked, steps, pace: p, reload: reload === true, timeoutMs: ms });
      opening = attempt;
      try {
        await attempt;
      } catch (err) {
        early.drop(); // a file that arrived but was bad is never used again
        throw err;
      } finally { if (opening === attempt) opening = null; }
      if (!trained) return k.describe();
      await yieldToEvents(); // a records request waiting for the text is answered first
      return run.ensureTrained({ seed, steps });
    },
    info: () => k.describe(),
    // a size's dial count for the run's records within the kitchen's bounds,
    // or the message a reset with that config would give (nothing changes)
    checkConfig: ({ config }) => {
      const s = k.runSession();
      return { numParams: s.checkConfig({ ...s.config, ...pickConfig(config) }, k.bounds()) };
    },
    // what a parameter file says about itself (engine.peekFile), beside the
    // records and size of the Ming it would replace: a page says what a file
    // needs before it loads it
    peekFile: ({ bytes }) => {
      const s = k.runSession();
      return { file: k.engine.peekFile(bytes), records: s.records(), config: s.config };
    },
    // the training text as loaded, so a page needs no download of its own;
    // asked while the first init opens, it answers once the text is in
    // (before any cooking that init asked for)
    records: async () => (k.session || !loadingText ? (k.runSession(), k.text) : loadingText),
    // the records as the engine took them (C strips and drops lines, no one
    // else), for the page's menu; asked while an init opens, answered once open
    menu: async () => {
      if (opening) await opening.catch(() => {});
      return k.runSession().recordList();
    },
    // a dial of the run turned by hand: replays from before it would not
    // know it, so the timeline starts over at this dish
    setParam({ index, value }) {
      k.runSession().setParam(index, value);
      k.timeline.rebase();
    },
  };

  // Run B's answer to a request of this type; one that only run A has is refused, saying so.
  // Run B answers some of run A's types: any other type is unknown without downloading its code.
  async function forRunB(type) {
    if (!Object.hasOwn(handlers, type)) unknownType(type);
    const B = await runB();
    if (Object.hasOwn(B.reads, type)) return B.reads[type];
    if (Object.hasOwn(B.changes, type)) return B.changes[type];
    if (Object.hasOwn(handlers, type) || Object.hasOwn(B.handlers, type))
      badRequest(`'${type.slice(0, 40)}' is run A's (the reader's run) only; run: 'B' is taken by the reads (${Object.keys(B.reads).join(', ')}) and ${Object.keys(B.changes).join(', ')}`);
    return unknownType(type);
  }

  async function handle(msg, reply = post) {
    if (!msg || typeof msg !== 'object') return;
    const { id, type } = msg;
    if (typeof type !== 'string') {
      // nothing to answer without an id; with one, say what was wrong
      if (id !== undefined) reply({ id, error: errorReply(new KitchenError(KitchenCode.BAD_REQUEST,
        `a request needs a type: a string naming it, such as 'status' (got ${describeValue(type)})`)) });
      return;
    }
    try {
      // a request naming run B is answered by run B (companion.js): its reads and its watched dial
      if (checkRunName(msg.run) === 'B') { reply({ id, result: await (await forRunB(type))(msg) }); return; }
      const isRead = Object.hasOwn(reads, type);
      let fn = Object.hasOwn(handlers, type) ? handlers[type] : null;
      // not run A's: one of run B's own requests (companion.js), or unknown
      if (!fn && RUN_B_OWN.test(type)) { const B = await runB(); fn = Object.hasOwn(B.handlers, type) ? B.handlers[type] : null; }
      if (!fn) unknownType(type);
      if (!isRead) { reply({ id, result: await fn(msg) }); return; }
      await k.timeline.settled(); // a replay under way ends first: the read sees the dish shown
      reading++;
      try { reply({ id, result: await fn(msg) }); } finally {
        if (--reading === 0 && readsIdle) { readsIdle.resolve(); readsIdle = null; }
      }
    } catch (err) {
      reply({ id, error: errorReply(err) });
    }
  }

  return { handle, get state() { return k.run.state; } };
}
