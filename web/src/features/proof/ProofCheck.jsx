// ProofCheck.jsx - the proof, checked in the reader's browser: when a run has
// the records, seed, size and length of a reference run the site ships
// (reference/*.json), every penalty is compared as Ming cooks it and, at the
// end, the names he prints; the line says what it found, or the first dish
// (or name) where the run differs. Its own chunk, loaded by Proof.jsx when a
// run starts; nothing is downloaded before.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useSignalEffect } from '@preact/signals';
import { useStore } from '../../state/store.js';
import { compareRun, describeProof } from '../../proof/compare.js';
import { findReference } from './reference.js';

/** The proof's line. indexUrl: where reference/index.json is (kitchen/urls.js); idle: the line before a run (Proof.jsx). */
export function ProofCheck({ indexUrl, idle }) {
  const store = useStore();
  // found: {ref} for this run, or {why} (cannot check); names: the run's final names
  const [found, setFound] = useState(null);
  const [names, setNames] = useState(null);
  const run = useRef({ gen: 0, started: false, asked: false }).current;

  // A run starts with its first loss (the series is cleared by a new run):
  // ask the kitchen what it is cooking and look for its reference.
  useSignalEffect(() => {
    store.curveVersion.value;
    const n = store.series.length;
    if (n === 0) {
      if (run.started) { run.gen++; run.started = false; run.asked = false; setFound(null); setNames(null); }
      return;
    }
    if (run.started || !indexUrl) return;
    run.started = true;
    const gen = run.gen, client = store.client;
    (async () => {
      const info = await client.request('info');
      const r = await findReference(indexUrl, { seed: info.seed, steps: info.numSteps, config: info.config },
        () => client.request('records'));
      if (gen === run.gen) setFound(r.ref ? { ref: r.ref } : r.why ? { why: r.why } : null);
    })().catch((err) => {
      if (gen === run.gen) setFound({ why: `The reference run could not be loaded (${err.message}), so this run is not checked.` });
    });
  });

  // The names, once the run is over at the reference's length (the dish
  // shown must be the last: a scrubbed page asks when it comes back).
  const ref = found?.ref;
  const st = store.state.value, view = store.view.value, step = store.step.value;
  useEffect(() => {
    if (!ref || run.asked || st !== 'done' || view !== null || step !== ref.steps) return;
    run.asked = true;
    const gen = run.gen;
    store.client.request('finalNames', { count: ref.names.length, temperature: ref.temperature })
      .then((r) => { if (gen === run.gen && r.step === ref.steps) setNames(r.names); else if (gen === run.gen) run.asked = false; })
      .catch(() => { if (gen === run.gen) run.asked = false; });
  }, [ref, st, view, step]);

  let text = idle, state = 'idle', attrs = {};
  if (ref) store.curveVersion.value; // redraw with each loss, while there is a reference to compare with
  const losses = store.series.raw;
  if (found?.why) { text = found.why; state = 'unavailable'; }
  else if (ref && losses.length === step) { // the run's losses from dish 1 (not a run resumed from a file)
    const r = compareRun(ref, losses, names);
    text = describeProof(r, ref);
    state = r.firstDiff !== null ? 'differs' : r.firstNameDiff ? 'names-differ' : r.complete ? 'same' : 'checking';
    attrs = { 'data-compared': r.compared, 'data-first-diff': r.firstDiff ?? '', 'data-name-diff': r.firstNameDiff?.index ?? '' };
  }
  return (
    <div class="proof" data-proof={state} {...attrs}>
      <p>{text}</p>
      {state !== 'idle' && state !== 'unavailable' && names && (
        <details class="proof-names">
          <summary>The {names.length} names compared (risk {ref.temperature})</summary>
          <p data-proof-names>{names.join(', ')}</p>
        </details>
      )}
    </div>
  );
}
