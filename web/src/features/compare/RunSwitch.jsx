// RunSwitch.jsx - the switch of the run the chapter views show and the note
// above a view of run B (ShownRun.jsx loads them, with compare.css, once a
// run B exists: most readers never make one). It imports nothing of
// ShownRun.jsx or OnDemand.jsx, so those stay in the first page's files.
// Hooks: [data-run-switch=<where>] with input[data-show-run=A|B]; [data-shown-run-note].
import { useStore } from '../../state/store.js';

const fmt = (n) => n.toLocaleString('en-US');

/** "Views show: run A | run B" (where: its place, for its ids; shown: the run shown), for a run B that is ready. */
export function RunSwitch({ where, shown }) {
  const home = useStore().home;
  const info = home.runB.view.info.value;
  const id = `run-switch-${where}`;
  const choose = (run) => { home.shownRun.value = run; };
  return (
    <div class="run-switch" role="radiogroup" aria-labelledby={id} data-run-switch={where}>
      <span id={id}>Views show<span class="wide-only"> (the run the chapters read)</span></span>
      <label><input type="radio" name={id} value="A" checked={shown === 'A'} data-show-run="A"
        onChange={() => choose('A')} /> run A</label>
      <label title={`seed ${info.seed}, ${fmt(info.numParams)} dials`}><input type="radio" name={id} value="B" checked={shown === 'B'}
        data-show-run="B" onChange={() => choose('B')} /> run B</label>
    </div>
  );
}

/** What a view of run B shows: run B's seed, size and latest dish, and that the timeline is run A's. */
export function RunBNote({ store }) {
  const info = store.info.value;
  return (
    <p class="note shown-run-note" data-shown-run-note>
      This view shows <b>run B</b> (seed {info.seed}, {fmt(info.numParams)} dials) at its latest dish, {fmt(store.step.value)} of {fmt(store.numSteps.value)};
      the timeline scrubs run A only.
    </p>
  );
}
