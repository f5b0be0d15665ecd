// Proof.jsx - the proof's line under the trainer's counters: what it does,
// until a run starts; then the check itself (ProofCheck.jsx, its own chunk,
// loaded with the run's first loss: a reader who only looks needs none of it).
// Hooks: [data-proof=idle|checking|same|differs|names-differ|unavailable].
import { useState } from 'preact/hooks';
import { useSignalEffect } from '@preact/signals';
import { useStore } from '../../state/store.js';
import { useLoaded, NotLoaded } from '../OnDemand.jsx';

const IDLE = 'The proof: a run with the records, seed, size and length of a reference run this site ships is checked against it here, penalty by penalty.';
const loadCheck = () => import('./ProofCheck.jsx').then((m) => m.ProofCheck);

/** The proof's line. indexUrl: where reference/index.json is (kitchen/urls.js). */
export function Proof({ indexUrl }) {
  const store = useStore();
  const [started, setStarted] = useState(false);
  useSignalEffect(() => {
    store.curveVersion.value; // a run starts with its first loss (the series is cleared by a new run)
    if (store.series.length > 0) setStarted(true);
  });
  const { C: Check, error } = useLoaded(loadCheck, started);
  if (error) return <div class="proof" data-proof="unavailable"><NotLoaded error={error} /></div>;
  if (Check) return <Check indexUrl={indexUrl} idle={IDLE} />;
  return <div class="proof" data-proof="idle"><p>{IDLE}</p></div>;
}
