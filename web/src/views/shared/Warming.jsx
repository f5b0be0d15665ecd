// Warming.jsx - says so while the kitchen cooks a post's run for a widget
// that asked for a trained Ming (run state 'warming'): the seed and length of
// the run, and how far it got.
import { useStore } from '../../state/store.js';

const fmt = (n) => n.toLocaleString('en-US');

export function Warming() {
  const store = useStore();
  if (store.state.value !== 'warming') return null;
  return (
    <p class="note warming" data-warming>
      Ming is cooking the reference run for this post (seed {store.seed.value}, {fmt(store.numSteps.value)} dishes):
      dish {fmt(store.step.value)}…
    </p>
  );
}
