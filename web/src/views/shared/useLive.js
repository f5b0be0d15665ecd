// useLive.js - feeds a view from the live model in the worker: asks again
// when its inputs change and when the dish shown changes (the timeline: at
// once), and while Ming trains (at most every `every` ms, default 100 ms,
// i.e. 10 times a second). One request in flight per view: moves made
// meanwhile become one request for the newest dish, sent as the answer
// comes; answers to stale questions (other inputs) are dropped.
import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { useSignalEffect } from '@preact/signals';
import { useStore } from '../../state/store.js';

/** Whether the view is on screen (a signal-like {value}); views off screen
 * do not refresh while Ming trains, and catch up when scrolled to. */
export const VisibleContext = createContext(null);

/**
 * ask(client) returns a promise of the data. deps: the view's inputs.
 * Returns {data, error, loading, dish}. error is the kitchen's message (for
 * example a name with characters Ming has never seen); the last good data
 * stays so the view keeps showing something. dish: the dish the data is of
 * (the answer's own `step` when it has one, else the dish shown when asked:
 * the kitchen answers in order, after the view it announced). perDish
 * false: the data does not change with the dish shown (the records' lengths,
 * the milestones, Ming before training): a new dish is no reason to ask.
 */
export function useLive(ask, deps, { every = 100, enabled = true, perDish = true } = {}) {
  const store = useStore();
  const visible = useContext(VisibleContext);
  const [state, setState] = useState({ data: null, error: null, loading: true, dish: null });
  const r = useRef({ ask, busy: false, dirty: false, now: false, timer: 0, last: 0, generation: 0, alive: true, hasData: false, view: undefined });
  r.current.ask = ask;

  const run = () => {
    const c = r.current;
    if (!c.alive || !enabled) return;
    if (store.phase.value !== 'ready') return;
    if (c.busy) { c.dirty = true; return; }
    c.busy = true;
    c.last = performance.now();
    const gen = c.generation, asked = store.shownStep.peek();
    Promise.resolve()
      .then(() => c.ask(store.client))
      .then(
        (data) => {
          if (!c.alive || gen !== c.generation) return;
          c.hasData = true;
          setState({ data, error: null, loading: false, dish: Number.isInteger(data?.step) ? data.step : asked });
        },
        (err) => { if (c.alive && gen === c.generation) setState((s) => ({ ...s, error: err.message, loading: false })); },
      )
      .finally(() => {
        c.busy = false;
        if (c.dirty) { c.dirty = false; if (c.now) { c.now = false; run(); } else schedule(); }
      });
  };
  const schedule = () => {
    const c = r.current;
    if (c.timer) return;
    // the first answer comes at once; after that at most one per `every` ms
    const wait = c.hasData ? Math.max(0, every - (performance.now() - c.last)) : 0;
    c.timer = setTimeout(() => { c.timer = 0; run(); }, wait);
  };
  // the reader asked for something (other inputs, another dish): no waiting
  const now = () => {
    const c = r.current;
    clearTimeout(c.timer);
    c.timer = 0;
    if (c.busy) { c.dirty = true; c.now = true; } else run();
  };

  // inputs changed: ask now (a view off screen asks once scrolled to: its
  // inputs may change without the reader, e.g. the kitchen's watched dial)
  useEffect(() => {
    const c = r.current;
    c.generation++;
    if (visible && !visible.peek() && c.hasData) { c.stale = true; return; }
    now();
  }, [...deps, enabled]);
  // the dials moved (training, reset, load) or the dish shown changed: ask
  // again if on screen, throttled while training, at once for a new dish
  useSignalEffect(() => {
    store.modelVersion.value;
    store.phase.value;
    const view = store.view.value, c = r.current;
    const moved = c.view !== undefined && view !== c.view;
    c.view = view;
    if (visible && !visible.value && c.hasData) { c.stale = true; return; }
    c.stale = false;
    if (moved && perDish) now(); else schedule();
  });
  useEffect(() => () => { r.current.alive = false; clearTimeout(r.current.timer); }, []);
  return state;
}

/** The dish every live feed of a view is of, or undefined while they differ
 * (for a view root's data-shows-dish: set once all its data for a dish is in). */
export function dishOf(...lives) {
  const d = lives[0]?.dish;
  return Number.isInteger(d) && lives.every((l) => l.dish === d) ? d : undefined;
}
