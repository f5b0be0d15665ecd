// runB.js - run B on the page: the kitchen's companion run (PROTOCOL.md,
// "Run B, the companion"), as signals beside the store's run A. One per
// store (runBOf), shared by Compare (the trainer) and Grow Ming (chapter 8):
// the kitchen has one run B, and the feature that trained it last owns it.
import { signal, batch } from '@preact/signals';
import { createSeries } from '../../state/store.js';

const NAMES_EVERY_MS = 500; // run B's names while it cooks, at most this often

/** The index of the first dish whose losses differ (dish = index + 1), or -1 if none of the shared ones do. */
export function firstDiffer(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Run B of the store's page (made on first use). */
export const runBOf = (store, actions) => (store.runB ??= createRunB(store, actions));

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

function createRunB(store, actions) {
  const b = {
    owner: signal(null),     // 'compare' or 'grow': the feature that trained it
    status: signal(null),    // run B's status (companionStatus), kept current by its events
    series: createSeries(),  // its losses and penalty
    curveVersion: signal(0),
    names: signal([]),
    error: signal(null),
    computeA: signal(0),     // run A's engine time (computeMs of its progress and state events)
  };
  let bound = null, lastNames = 0, naming = null;
  const names = async () => {
    if (naming) return;
    naming = (async () => {
      try {
        const r = await store.client.request('names', { run: 'B', count: 20, temperature: store.temperature.value });
        b.names.value = r.names;
      } catch { /* run B dropped meanwhile: no names */ } finally { naming = null; }
    })();
  };
  const cooking = (st) => st?.state === 'training';
  function bind() {
    const c = store.client;
    if (!c || bound === c) return;
    bound = c;
    c.on('companionProgress', (m) => {
      if (bound !== c) return;
      batch(() => {
        if (m.losses?.length) { b.series.push(m.losses); b.curveVersion.value++; }
        b.status.value = { ...b.status.value, ...m };
      });
      const now = performance.now();
      if (!cooking(m) || now - lastNames > NAMES_EVERY_MS) { lastNames = now; names(); }
    });
    c.on('companionState', (m) => {
      if (bound !== c) return;
      b.status.value = m.open ? { ...b.status.value, ...m } : null;
      if (m.open && !cooking(m) && m.step > 0) names();
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
        b.series.clear();
        b.curveVersion.value++;
        b.names.value = [];
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
  b.pause = () => ask('companionPause');
  b.resume = () => ask('companionStart');
  b.drop = async () => { await ask('companionDrop'); batch(() => { b.owner.value = null; b.series.clear(); b.curveVersion.value++; b.names.value = []; }); };
  return b;
}
