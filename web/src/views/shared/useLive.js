// useLive.js - feeds a view from the live model in the worker: asks again
// when its inputs change (at once) and while Ming trains (at most every
// `every` ms, default 100 ms, i.e. 10 times a second). One request in
// flight per view; answers to stale questions are dropped.
import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { useSignalEffect } from '@preact/signals';
import { useStore } from '../../state/store.js';

/** Whether the view is on screen (a signal-like {value}); views off screen
 * do not refresh while Ming trains, and catch up when scrolled to. */
export const VisibleContext = createContext(null);

/**
 * ask(client) returns a promise of the data. deps: the view's inputs.
 * Returns {data, error, loading}. error is the kitchen's message (for
 * example a name with characters Ming has never seen); the last good data
 * stays so the view keeps showing something.
 */
export function useLive(ask, deps, { every = 100, enabled = true } = {}) {
  const store = useStore();
  const visible = useContext(VisibleContext);
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const r = useRef({ ask, busy: false, dirty: false, timer: 0, last: 0, generation: 0, alive: true, hasData: false });
  r.current.ask = ask;

  const run = () => {
    const c = r.current;
    if (!c.alive || !enabled) return;
    if (store.phase.value !== 'ready') return;
    if (c.busy) { c.dirty = true; return; }
    c.busy = true;
    c.last = performance.now();
    const gen = c.generation;
    Promise.resolve()
      .then(() => c.ask(store.client))
      .then(
        (data) => { if (c.alive && gen === c.generation) { c.hasData = true; setState({ data, error: null, loading: false }); } },
        (err) => { if (c.alive && gen === c.generation) setState((s) => ({ data: s.data, error: err.message, loading: false })); },
      )
      .finally(() => {
        c.busy = false;
        if (c.dirty) { c.dirty = false; schedule(); }
      });
  };
  const schedule = () => {
    const c = r.current;
    if (c.timer) return;
    // the first answer comes at once; after that at most one per `every` ms
    const wait = c.hasData ? Math.max(0, every - (performance.now() - c.last)) : 0;
    c.timer = setTimeout(() => { c.timer = 0; run(); }, wait);
  };

  // inputs changed: ask now
  useEffect(() => {
    r.current.generation++;
    r.current.dirty = false;
    run();
  }, [...deps, enabled]);
  // the dials moved (training, reset, load): ask again, throttled, if on screen
  useSignalEffect(() => {
    store.modelVersion.value;
    store.phase.value;
    if (visible && !visible.value && r.current.hasData) { r.current.stale = true; return; }
    r.current.stale = false;
    schedule();
  });
  useEffect(() => () => { r.current.alive = false; clearTimeout(r.current.timer); }, []);
  return state;
}
