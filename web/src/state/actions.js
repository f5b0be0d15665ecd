// actions.js - what the controls do: open the kitchen (worker + engine +
// records), train, pause, reset, and draw names at the risk dial's setting.
import { batch } from '@preact/signals';
import { createClient, watchKitchen } from '../client.js';
import { retryUrls } from '../kitchen/urls.js';
import { createStore, STEP_CHOICES, PACE_NAMES, isOver, isCooking } from './store.js';
import { presetList, presetUrl, presetOf } from '../features/setup/presets.js';

export const NAME_COUNT = 20;

// performance marks of the kitchen's opening ('kitchen:connected', ...), read by the bench
const mark = (what) => { try { performance.mark(`kitchen:${what}`); } catch { /* old browser */ } };

/** Why this browser cannot open the kitchen, or null. */
export function missingFeature() {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function')
    return 'This browser cannot run WebAssembly, which Ming needs to cook.';
  if (typeof Worker !== 'function') return 'This browser cannot run Web Workers, where Ming trains.';
  return null;
}

/** The set of names in the records (the master's menu), from the training text. */
export const toRecords = (text) => new Set(text.split(/\r\n|\r|\n/).map((l) => l.trim()).filter(Boolean));

/**
 * Makes a store bound to a kitchen. urls: {worker, wasm, data}.
 * options.connect: async () => client (default: a dedicated worker of our
 * own); options.join: share a kitchen another page opened; options.start:
 * 'trained' asks for a trained Ming at once. Returns {store, actions}; call
 * actions.open() to start.
 */
export function createKitchenApp(urls, options = {}) {
  let store = null;
  const actions = { urls }; // urls: for the features that fetch parts of the site (features/proof)
  const { connect, join = false, start = 'fresh' } = options;

  // a worker of our own, watched: one that stops answering is declared dead
  // (the banner offers Retry, which starts a new one)
  function newClient(again = false) {
    const { worker: url, workerName } = again ? retryUrls(urls) : urls;
    const worker = new Worker(url, { type: 'module', name: workerName });
    const client = createClient(worker);
    watchKitchen(client, () => client.fail('it stopped answering'));
    return client;
  }

  const fail = (err, retry = actions.open) => batch(() => {
    store.phase.value = 'failed';
    store.error.value = { message: err.message || String(err), retry };
  });

  // where the records come from: the page's default, a preset or the reader's
  // own text (a Retry opens the kitchen with the same records)
  let source = { dataUrl: String(urls.data) };
  // the kitchen's info, taken whole: a new run, maybe new records or size
  const adopt = (info, menu) => batch(() => {
    store.info.value = info;
    if (menu) store.menu.value = menu;
    if (info.config) store.config.value = { ...info.config };
    store.clearCurve();
    store.applyStatus(info);
    store.error.value = null;
  });

  let opens = 0; // the latest open() speaks for the page
  actions.open = async () => {
    const mine = ++opens;
    const missing = missingFeature();
    if (missing) { fail(new Error(missing), null); return; }
    // Retry after a failure starts over for real: a new worker (connect
    // closes the old connection) and a new download of the engine and records
    const again = store.phase.value === 'failed';
    const replay = store.step.value; // a run to restore if our kitchen was lost
    const was = store.state.value;   // ... and how it went on
    mark('open');
    batch(() => { store.phase.value = 'loading'; store.error.value = null; });
    try {
      if (connect) store.replaceClient(await connect({ again }));
      else if (again || !store.client || store.client.dead) {
        store.client?.terminate();
        store.replaceClient(newClient(again));
      }
      mark('connected');
      // a trained Ming, when asked for, comes with the init reply (one round
      // trip); a run to replay is replayed after it
      const opening = store.client.request('init', { wasm: String(urls.wasm), ...source, config: store.config.value,
        seed: store.seed.value, steps: store.numSteps.value, join, trained: start === 'trained' && replay === 0,
        reload: again, pace: store.pace.value }); // a join keeps the kitchen's pace (the reply brings it)
      // asked at once: the kitchen answers as soon as the text is in, so the
      // menu is built here while the kitchen cooks
      const records = store.client.request('records').then(toRecords);
      records.catch(() => {}); // awaited below; not unhandled if opening fails first
      const opened = await opening;
      mark('opened');
      let info = opened;
      if (opened.step === 0 && replay > 0) {
        const run = { seed: store.seed.value, steps: store.numSteps.value };
        if (was === 'warming') {
          // lost while cooking a post's run for a widget: the new kitchen
          // cooks it whole (deterministic, so the same Ming), answered meanwhile
          store.client.request('ensureTrained', run).catch(() => {});
          info = await store.client.request('info');
        } else {
          info = await store.client.request('ensureTrained', { ...run, upTo: replay });
          // lost mid-run: the reader's run goes on
          if (was === 'training' && info.step < info.numSteps) info = { ...info, ...(await store.client.request('resume')) };
        }
      }
      mark('trained');
      const menu = await records;
      if (join && info.seed !== undefined) store.seed.value = info.seed;
      batch(() => {
        adopt(info, menu);
        if (info.records) store.records.value = { ...store.records.value, hash: info.records.hash, preset: info.records.preset || store.records.value.preset };
        store.phase.value = 'ready';
      });
      if (info.step > 0) {
        // a kitchen that cooked already (another widget's): fetch its curve.
        // It holds every loss whose progress event came before the reply
        // (one port, in order), so it replaces what those events added.
        const history = await store.client.request('losses').catch(() => null);
        if (history) { store.clearCurve(); store.series.push(history); store.curveVersion.value++; }
      }
      await actions.resample();
      mark('names');
    } catch (err) {
      // an open() whose kitchen was lost while a newer one reconnects says nothing
      if (mine === opens) fail(new Error(`The kitchen could not open: ${err.message}`));
    }
  };

  const guard = async (fn) => {
    try { return await fn(); } catch (err) {
      if (!store.client.dead) store.error.value = { message: err.message };
      return undefined;
    }
  };

  actions.train = () => guard(async () => {
    const st = store.state.value;
    // a run that ended (or was stopped) starts over; Train while Ming cooks a
    // post's run (warming) makes it the reader's
    if (isOver(st)) await actions.reset();
    if (store.view.value !== null) actions.viewAt(null); // the run goes on from its latest dish: show it
    const status = await store.client.request(st === 'paused' ? 'resume' : 'start', { steps: store.numSteps.value });
    store.applyStatus(status);
  });
  actions.pause = () => guard(async () => store.applyStatus(await store.client.request('pause')));
  actions.reset = () => guard(() => store.request('reset', { seed: store.seed.value, steps: store.numSteps.value }));
  actions.setSteps = (n) => {
    if (!STEP_CHOICES.includes(n)) return;
    store.numSteps.value = n;
    if (store.state.value === 'idle') guard(async () => store.applyStatus(await store.client.request('reset', { seed: store.seed.value, steps: n })));
  };
  // The pace is the kitchen's: every page of it hears the change (a state event).
  actions.setPace = (pace) => {
    if (!PACE_NAMES.includes(pace)) return;
    store.pace.value = pace;
    if (store.phase.value === 'ready') guard(async () => store.applyStatus(await store.client.request('setPace', { pace })));
  };
  // one dish (while idle or paused), or the rest of the run at full speed
  const latest = () => { if (store.view.value !== null) actions.viewAt(null); };
  actions.step = () => guard(async () => { latest(); store.applyStatus(await store.client.request('step')); });
  actions.finish = () => guard(async () => { latest(); store.applyStatus(await store.client.request('finish')); });

  // The timeline: one viewAt in flight, the newest dish asked for wins
  // (null: back to the latest). The view event moves every view (store.js).
  let viewing = null, nextView;
  actions.viewAt = async (step) => {
    if (store.phase.value !== 'ready') return;
    nextView = step;
    if (viewing) return viewing;
    viewing = guard(async () => {
      let asked;
      do {
        asked = nextView;
        const tl = await store.client.request('viewAt', { step: asked });
        if (tl && nextView === asked) store.applyView(tl.view);
      } while (nextView !== asked);
    });
    try { await viewing; } finally { viewing = null; }
  };

  // Ming's records (features/setup): {preset: id} (downloaded by the kitchen
  // now) or {text, name} (the reader's own: a string or a file's bytes). A
  // new run at the seed, length and size of now; records the engine refuses
  // change nothing. Resolves to null, or the message saying what was wrong.
  actions.setRecords = async (what) => {
    try {
      let next, named;
      if (typeof what?.preset === 'string') {
        const p = (await presetList(urls)).find((x) => x.id === what.preset);
        if (!p) return `there is no preset '${what.preset.slice(0, 40)}'`;
        next = { dataUrl: String(presetUrl(urls, p)), preset: p.id };
        named = { preset: p.id, name: p.label };
      } else if (typeof what?.text === 'string' || what?.text instanceof Uint8Array) {
        next = { text: what.text, preset: '' };
        named = { preset: null, name: typeof what.name === 'string' && what.name ? what.name : 'your list' };
      } else return 'give the records as {preset} or {text, name}';
      if (store.phase.value !== 'ready') return 'the kitchen is not open yet';
      const info = await store.client.slowly(store.client.request('init', { wasm: String(urls.wasm), ...next,
        config: store.config.value, seed: store.seed.value, steps: store.numSteps.value }));
      const text = await store.client.request('records');
      source = next.text === undefined ? next : { text, preset: '' };
      batch(() => {
        adopt(info, toRecords(text));
        store.records.value = { ...named, hash: info.records.hash, text: named.preset ? null : text };
      });
      await actions.resample();
      return null;
    } catch (err) { return err.message || String(err); }
  };
  actions.presets = () => presetList(urls);
  // The page's default records, named by the preset they are (by sha256), once asked (the setup panel)
  actions.nameRecords = async () => {
    if (store.records.value.preset !== null || store.records.value.text !== null) return;
    const hash = store.records.value.hash;
    const p = await presetOf(urls, await store.client.request('records')).catch(() => null);
    if (p && store.records.value.hash === hash && store.records.value.preset === null)
      store.records.value = { ...store.records.value, preset: p.id, name: p.label };
  };
  // Ming's size ({nEmbd, nHead, nLayer, blockSize}): a new run (reset with
  // config, PROTOCOL.md). A size the kitchen refuses changes nothing.
  // Resolves to null, or the kitchen's message.
  actions.setSize = async (config) => {
    try {
      if (store.phase.value !== 'ready') return 'the kitchen is not open yet';
      const info = await store.client.request('reset', { seed: store.seed.value, steps: store.numSteps.value, config });
      adopt(info);
      await actions.resample();
      return null;
    } catch (err) { return err.message || String(err); }
  };

  actions.setSeed = (seed) => {
    if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31) return false;
    store.seed.value = seed;
    return true;
  };

  // One names request in flight at a time; the newest setting wins. The
  // names of a dish are the kitchen's (`names`: the same dish always shows
  // the same names, on every page); Re-roll draws others from the run's stream.
  let inFlight = null, queued = null;
  actions.resample = async ({ reroll = false } = {}) => {
    if (store.phase.value !== 'ready') return;
    if (inFlight) { queued = { reroll: reroll || queued?.reroll }; return inFlight; }
    inFlight = guard(async () => {
      let ask = { reroll };
      do {
        queued = null;
        const fields = { count: NAME_COUNT, temperature: store.temperature.value };
        let step = store.shownStep.peek(); // a re-roll's dish: the one shown when asked (the kitchen answers in order)
        const names = ask.reroll ? await store.client.request('sample', fields)
          : await store.client.request('names', fields).then((r) => { step = r?.step; return r?.names; });
        if (Array.isArray(names)) batch(() => { store.names.value = names; store.namesStep.value = step; });
        ask = queued;
      } while (ask);
    });
    try { await inFlight; } finally { inFlight = null; }
  };
  actions.setTemperature = (t) => {
    if (!(t >= 0.1 && t <= 1.5)) return;
    store.temperature.value = t;
    actions.resample();
  };

  store = createStore(connect ? null : newClient());
  // Fresh names while Ming cooks (a few times a second) and when he stops.
  let lastDraw = 0;
  store.onStatus = (prev, next) => {
    const now = performance.now();
    if (isCooking(next) ? now - lastDraw > 400 : isCooking(prev)) {
      lastDraw = now;
      actions.resample();
    }
  };
  store.onView = () => actions.resample();
  // A new run asked for through store.request (init: maybe other records or
  // sizes; reset: maybe other sizes; load) is followed as open() follows the
  // first: the new info (courses, block, sizes), the records of an init, a
  // new curve and the names of the new Ming. Views read all of it from the
  // store, so each view shows the model that is open.
  store.onNewRun = async (info, type) => {
    const menu = type === 'init' ? toRecords(await store.client.request('records')) : store.records.value;
    batch(() => {
      store.info.value = info;
      store.records.value = menu;
      store.clearCurve();
      store.applyStatus(info);
      store.error.value = null;
    });
    await actions.resample();
  };
  store.replaceClient = (client) => store.rebind(client);
  return { store, actions };
}
