// runB.js - run B on the page: the kitchen's companion run (PROTOCOL.md,
// "Run B, the companion"), as a store of its own beside the page's run A
// (store.js's createStore with run 'B': its info, losses, names, watched
// dial), which the chapter views read when the page shows run B
// (store.shownRun, ShownRun.jsx). One per page store (runBOf), shared by
// Compare (the trainer) and Grow Ming (chapter 8): the kitchen has one run B,
// and the feature that trained it last owns it.
import { signal, batch } from '@preact/signals';
import { createStore, isCooking } from '../../state/store.js';
import { NAME_COUNT, menuOf } from '../../state/actions.js';

const NAMES_EVERY_MS = 500; // run B's names while it cooks, at most this often

/** The index of the first dish whose losses differ (dish = index + 1), or -1 if none of the shared ones do. */
export function firstDiffer(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Run B of the store's page (made on first use). */
export function runBOf(store, actions) {
  if (!store.runB) { store.runB = createRunB(store, actions); store.runBMade.value = true; } // the sticky bar's switch follows
  return store.runB;
}

/**
 * The request's fields for a run B: what is given (seed, steps, config,
 * text); the kitchen takes run A's for the rest. Size and records controls
 * plug in here: config {nEmbd, nHead, nLayer, blockSize} (any of them), text.
 */
export function runBFields({ seed, steps, config, text } = {}) {
  const f = {};
  if (seed !== undefined) f.seed = seed;
  if (steps !== undefined) f.steps = steps;
  if (config) f.config = config;
  if (typeof text === 'string') f.text = text;
  return f;
}

/** The kitchen's client as run B's store uses it: every request names run B (the kitchen answers it from run B). */
function clientOfRunB(client) {
  return {
    request: (type, fields = {}, transfer) => client.request(type, { ...fields, run: 'B' }, transfer),
    on: (type, fn) => client.on(type, fn),
    slowly: (promise) => client.slowly(promise),
    get dead() { return client.dead; },
    get slow() { return client.slow; },
  };
}

function createRunB(store, actions) {
  // run B's store: what the chapter views read when they show run B; the
  // kitchen's pace and the risk dial are the page's
  const view = createStore(null, { run: 'B', home: store });
  for (const shared of ['temperature', 'pace', 'finishing', 'deviceRate']) view[shared] = store[shared];
  const b = {
    view,
    owner: signal(null),     // 'compare' or 'grow': the feature that trained it
    status: signal(null),    // run B's status (companionStatus), kept current by its events
    series: view.series,     // its losses and penalty
    curveVersion: view.curveVersion,
    names: view.names,
    error: signal(null),
    computeA: signal(0),     // run A's engine time (computeMs of its progress and state events)
  };
  let bound = null, lastNames = 0, naming = null, adopted = null;
  const names = async () => {
    if (naming) return;
    naming = (async () => {
      try {
        const r = await view.client.request('names', { count: NAME_COUNT, temperature: store.temperature.value });
        batch(() => { view.names.value = r.names; view.namesStep.value = r.step; });
      } catch { /* run B dropped meanwhile: no names */ } finally { naming = null; }
    })();
  };
  view.onStatus = (prev, next) => {
    const now = performance.now();
    if (isCooking(next) ? now - lastNames > NAMES_EVERY_MS : isCooking(prev)) { lastNames = now; names(); }
  };
  // A run B that is new to the page (its id): a new curve at once, then its
  // info (courses, block, dials) and records, and the views may show it.
  async function adopt(st) {
    adopted = st.id;
    batch(() => { view.phase.value = 'loading'; view.info.value = null; view.clearCurve(); view.names.value = []; });
    try {
      const info = await view.client.request('info');
      const menu = info.sameRecords ? store.menu.value : await menuOf(view.client);
      if (adopted !== st.id) return;
      batch(() => {
        view.info.value = info;
        view.config.value = { ...info.config };
        view.menu.value = menu;
        view.applyStatus(info);
        view.phase.value = 'ready';
      });
      names();
    } catch { /* dropped meanwhile: the next run B is adopted in turn */ }
  }
  function gone() {
    adopted = null;
    batch(() => {
      view.phase.value = 'loading';
      view.info.value = null;
      if (store.shownRun.value === 'B') store.shownRun.value = 'A'; // the views return to run A
    });
  }
  function bind() {
    const c = store.client;
    if (!c || bound === c) return;
    bound = c;
    view.rebind(clientOfRunB(c));
    c.on('companionProgress', (m) => { if (bound === c) b.status.value = { ...b.status.value, ...m }; });
    c.on('companionState', (m) => {
      if (bound !== c) return;
      b.status.value = m.open ? { ...b.status.value, ...m } : null;
      if (!m.open) gone();
      else if (m.id !== adopted) adopt(m);
    });
    const noteA = (m) => { if (bound === c && Number.isFinite(m.computeMs)) b.computeA.value = m.computeMs; };
    c.on('progress', noteA);
    c.on('state', noteA);
    c.on('error', (m) => { if (bound === c && m.run === 'B') b.error.value = m.message; });
  }

  // A new run B (fields: runBFields) set cooking beside run A; run A is
  // set cooking too if it has not started, so both train side by side.
  b.train = async (owner, fields) => {
    bind();
    b.error.value = null;
    try {
      const st = await store.client.request('companion', fields);
      batch(() => {
        b.owner.value = owner;
        b.status.value = st;
      });
      if (store.state.value === 'idle' && store.step.value === 0) actions?.train();
      const started = await store.client.request('companionStart');
      b.status.value = { ...b.status.value, ...started };
      const a = await store.client.request('status');
      if (Number.isFinite(a.computeMs)) b.computeA.value = a.computeMs;
    } catch (err) {
      b.error.value = err.message;
    }
  };
  const ask = async (type) => {
    try {
      const st = await store.client.request(type);
      b.status.value = st.open ? { ...b.status.value, ...st } : null;
    } catch (err) { b.error.value = err.message; }
  };
  bind(); // a run B asked for by anyone (another page of the kitchen, a test) is followed too
  b.pause = () => ask('companionPause');
  b.resume = () => ask('companionStart');
  b.drop = async () => { await ask('companionDrop'); batch(() => { b.owner.value = null; view.clearCurve(); view.names.value = []; }); };
  return b;
}
