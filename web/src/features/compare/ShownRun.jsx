// ShownRun.jsx - which run the chapter views show, A (the reader's) or B
// (Compare's or Grow Ming's): the switch (RunSwitch: in the sticky bar and
// in the Compare panel) and ShownRun, which hands a chapter's view the store
// of the run shown (runB.js's store for run B), so every view reads run B's
// courses, block, dials and names with no change of its own. Run B has no
// timeline: its views show its latest dish, and the timeline scrubs run A
// only (the note above each view says so). When run B goes (Drop B, new
// records), the views return to run A.
// Hooks: [data-run-switch=<where>] with input[data-show-run=A|B];
// [data-shown-run=A|B] around each chapter's view; [data-shown-run-note].
import { StoreContext, useStore } from '../../state/store.js';

const fmt = (n) => n.toLocaleString('en-US');

/** The store the chapter views read: run B's while the page shows it and it is open, else the page's (run A's). */
export function shownStore(home) {
  const b = home.runB?.view;
  return home.shownRun.value === 'B' && b?.phase.value === 'ready' ? b : home;
}

/** The switch: "Views show: run A | run B", while a run B exists (where: its place, for its ids). */
export function RunSwitch({ where }) {
  const home = useStore().home;
  const b = home.runB?.view;
  if (!b || b.phase.value !== 'ready') return null;
  const shown = shownStore(home).run;
  const id = `run-switch-${where}`;
  const info = b.info.value;
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
function RunBNote({ store }) {
  const info = store.info.value;
  return (
    <p class="note shown-run-note" data-shown-run-note>
      This view shows <b>run B</b> (seed {info.seed}, {fmt(info.numParams)} dials) at its latest dish, {fmt(store.step.value)} of {fmt(store.numSteps.value)};
      the timeline scrubs run A only.
    </p>
  );
}

/** A chapter's view, given the store of the run shown (a new view for each run: its courses and dials may differ). */
export function ShownRun({ children }) {
  const home = useStore();
  const shown = shownStore(home);
  const key = shown === home ? 'A' : `B${shown.info.value.id}`;
  return (
    <StoreContext.Provider value={shown}>
      <div key={key} class="shown-run" data-shown-run={shown.run}>
        {shown !== home && <RunBNote store={shown} />}
        {children}
      </div>
    </StoreContext.Provider>
  );
}
