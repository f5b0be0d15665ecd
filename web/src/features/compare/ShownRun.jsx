// ShownRun.jsx - which run the chapter views show, A (the reader's) or B
// (Compare's or Grow Ming's): the switch (RunSwitch: in the sticky bar and
// in the Compare panel) and ShownRun, which hands a chapter's view the store
// of the run shown (runB.js's store for run B), so every view reads run B's
// courses, block, dials and names with no change of its own. Run B has no
// timeline: its views show its latest dish, and the timeline scrubs run A
// only (the note above each view says so). When run B goes (Drop B, new
// records), the views return to run A. The switch and the note are drawn by
// RunSwitch.jsx, loaded once a run B exists (the first page goes without).
// Hooks: [data-shown-run=A|B] around each chapter's view (RunSwitch.jsx: the rest).
import { signal } from '@preact/signals';
import { StoreContext, useStore } from '../../state/store.js';
import { NotLoaded, loadStyle } from '../OnDemand.jsx';

// RunSwitch.jsx's module once loaded (or why it could not be), as signals:
// what draws it is a component of the first page that reads no signal until
// a run B exists (so it is drawn again with its parent until then), and the
// loaded part draws it again.
const parts = signal(null);
const partsError = signal(null);
let loading = null;
/** RunSwitch.jsx and compare.css, loaded once, at the first draw that needs them. */
function partsNow() {
  loading ??= Promise.all([import('./RunSwitch.jsx'), loadStyle('compare')]).then(
    ([m]) => { parts.value = m; }, (e) => { partsError.value = e.message ?? String(e); });
  return parts.value;
}

/** The store the chapter views read: run B's while the page shows it and it is open, else the page's (run A's). */
export function shownStore(home) {
  const b = home.runBMade.value && home.runB.view; // a signal read: drawn again once run B is made
  return home.shownRun.value === 'B' && b?.phase.value === 'ready' ? b : home;
}

/** The switch: "Views show: run A | run B", while a run B exists (where: its place, for its ids). */
export function RunSwitch({ where }) {
  const home = useStore().home;
  const b = home.runBMade.value && home.runB.view; // a signal read: the bar's switch shows once run B is made
  if (!b || b.phase.value !== 'ready') return null;
  if (partsError.value) return <NotLoaded error={partsError.value} />;
  const p = partsNow();
  return p && <p.RunSwitch where={where} shown={shownStore(home).run} />;
}

/** The note above a view of run B, once its part has loaded. */
function RunBNote({ store }) {
  if (partsError.value) return <NotLoaded error={partsError.value} />;
  const p = partsNow();
  return p && <p.RunBNote store={store} />;
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
