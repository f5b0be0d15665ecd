// Compare.jsx - two runs side by side in the trainer: the reader's run is A;
// run B is trained in the same kitchen with another seed or length (and,
// where the page has them, other sizes or records: runBFields). The
// penalties overlay, the first dish where the losses differ is marked, the
// figures and the names sit side by side.
// Hooks: [data-action=compare|train-b|pause-b|drop-b], #compare-seed,
// #compare-steps, [data-first-differ] (the dish, '' while none differs),
// [data-compare-figure=<what>] rows with [data-run=A|B] cells,
// [data-compare-names=A|B] lists.
import './styled.js';
import { useState } from 'preact/hooks';
import { useComputed } from '@preact/signals';
import { useStore, STEP_CHOICES, PENALTY_WINDOW } from '../../state/store.js';
import { UI_SEED_TEXT, isUiSeed, parseUiSeed } from '../../limits.js';
import { runBOf, runBFields, firstDiffer } from './runB.js';
import { CompareChart } from './CompareChart.jsx';
import { RunSwitch } from './ShownRun.jsx';

const fmt = (n) => n.toLocaleString('en-US');
const penalty = (series) => (series.length ? series.smooth[series.length - 1].toFixed(3) : '–');
const seconds = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '–');
const perDish = (ms, step) => (step > 0 && Number.isFinite(ms) ? `${(ms / step).toFixed(3)} ms` : '–');

/** The figures of runs A and B, one row each (dials, records, seed, dish, time, engine time per dish, penalty). */
export function Figures({ store, b, rows, label }) {
  store.curveVersion.value; b.curveVersion.value;
  const info = store.info.value, st = b.status.value;
  const cells = {
    dials: [info ? fmt(info.numParams) : '–', st ? fmt(st.numParams) : '–'],
    size: [info ? `${info.nEmbd}/${info.nHead}/${info.nLayer}/${info.blockSize}` : '–',
      st?.config ? `${st.config.nEmbd}/${st.config.nHead}/${st.config.nLayer}/${st.config.blockSize}` : '–'],
    records: [info ? `${fmt(info.numDocs)} names` : '–', st ? `${fmt(st.numDocs)} names${st.sameRecords ? ' (the same)' : ''}` : '–'],
    seed: [String(store.seed.value), st ? String(st.seed) : '–'],
    dish: [`${fmt(store.step.value)} / ${fmt(store.numSteps.value)}`, st ? `${fmt(st.step)} / ${fmt(st.numSteps)}` : '–'],
    time: [seconds(store.elapsedMs.value), seconds(st?.elapsedMs)],
    perDish: [perDish(b.computeA.value, store.step.value), perDish(st?.computeMs, st?.step)],
    penalty: [penalty(store.series), penalty(b.series)],
  };
  const names = { dials: 'dials (parameters)', size: 'size (width/sous chefs/stations/longest set)', records: 'records',
    seed: 'seed', dish: 'dish (training step)', time: 'time', perDish: 'engine time per dish', penalty: `final penalty (loss, last ${PENALTY_WINDOW})` };
  return (
    <table class="compare-figures">
      <caption class="visually-hidden">{label}</caption>
      <thead><tr><th scope="col">figure</th><th scope="col">run A</th><th scope="col">run B</th></tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr data-compare-figure={r}><th scope="row">{names[r]}</th><td data-run="A">{cells[r][0]}</td><td data-run="B">{cells[r][1]}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

export function Compare({ actions }) {
  const store = useStore();
  if (!store.twoRuns) return null; // the main page's (main.jsx), not an embedded widget's
  return <ComparePanel store={store} actions={actions} />;
}

function ComparePanel({ store, actions }) {
  const b = runBOf(store, actions);
  const [open, setOpen] = useState(false);
  const [seedText, setSeedText] = useState('');
  const [steps, setSteps] = useState(null);
  const [note, setNote] = useState(null);
  const ready = store.phase.value === 'ready';
  // the first dish where the two runs' losses differ (-1: none yet)
  const differ = useComputed(() => {
    store.curveVersion.value; b.curveVersion.value;
    return firstDiffer(store.series.raw, b.series.raw);
  });
  const mine = b.owner.value === 'compare';
  const st = mine ? b.status.value : null;
  const seedB = seedText === '' ? store.seed.value + 1 : Number(seedText);
  const stepsB = steps ?? store.numSteps.value;
  const train = () => {
    if (!isUiSeed(parseUiSeed(seedB))) { setNote(`The seed of run B is ${UI_SEED_TEXT}.`); return; }
    setNote(null);
    b.train('compare', runBFields({ seed: seedB, steps: stepsB }));
  };
  const shared = Math.min(store.series.length, b.series.length);
  const d = differ.value;
  return (
    <div class="compare" data-compare>
      <button type="button" data-action="compare" aria-expanded={open ? 'true' : 'false'} aria-controls="compare-panel"
        onClick={() => setOpen(!open)}>Compare two runs</button>
      {open && (
        <div id="compare-panel" class="compare-panel" role="region" aria-label="Compare two runs">
          <p class="caption">
            Run A is the run above. Choose run B and train it in the same kitchen, beside A, at the same pace
            (the same records{store.info.value ? ` and size: ${fmt(store.info.value.numParams)} dials` : ''}).
          </p>
          <div class="controls" role="group" aria-label="Run B">
            <label class="field"><span>Seed of run B</span>
              <input id="compare-seed" type="text" inputMode="numeric" size="6" value={seedText === '' ? String(seedB) : seedText}
                onInput={(e) => setSeedText(e.currentTarget.value.trim())} disabled={!ready} /></label>
            <label class="field"><span>Dishes of run B</span>
              <select id="compare-steps" value={stepsB} onChange={(e) => setSteps(Number(e.currentTarget.value))} disabled={!ready}>
                {STEP_CHOICES.map((n) => <option value={n}>{fmt(n)}</option>)}
              </select></label>
            <button type="button" class="primary" data-action="train-b" disabled={!ready} onClick={train}>Train run B</button>
            {st && (st.state === 'training'
              ? <button type="button" data-action="pause-b" onClick={() => b.pause()}>Pause B</button>
              : st.state === 'paused' && <button type="button" data-action="resume-b" onClick={() => b.resume()}>Resume B</button>)}
            {st && <button type="button" data-action="drop-b" onClick={() => b.drop()}>Drop B</button>}
          </div>
          {(note || (mine && b.error.value)) && <p class="note error" role="alert">{note ?? b.error.value}</p>}
          {b.owner.value === 'grow' && <p class="note">Run B is Grow Ming's (chapter 8) now; Train run B replaces it.</p>}
          <RunSwitch where="compare" />
          {mine && <>
            <CompareChart runs={[store.series, b.series]} versions={[store.curveVersion, b.curveVersion]}
              numSteps={() => Math.max(store.numSteps.value, b.status.value?.numSteps ?? 0)}
              marker={() => (differ.value >= 0 ? differ.value + 1 : null)}
              label={`The penalties of run A (ink) and run B (dashed)${d >= 0 ? `; they first differ at dish ${fmt(d + 1)}` : ''}`} />
            <p class="compare-key"><span class="key-a">run A</span> <span class="key-b">run B</span>
              <span class="key-m">first dish that differs</span></p>
            <p data-first-differ={d >= 0 ? String(d + 1) : ''} aria-live="polite">
              {d >= 0
                ? <>The penalties (losses) first differ at <strong>dish {fmt(d + 1)}</strong>: A {store.series.raw[d].toFixed(4)},
                  B {b.series.raw[d].toFixed(4)}.</>
                : shared ? `The penalties are equal at all ${fmt(shared)} dishes both have cooked.` : 'Run B has not cooked yet.'}
            </p>
            <Figures store={store} b={b} label="Runs A and B compared"
              rows={['dials', 'records', 'seed', 'dish', 'time', 'perDish', 'penalty']} />
            <div class="compare-names">
              <div><h4>Run A's names</h4><ol data-compare-names="A">{store.names.value.map((n) => <li>{n || '(empty)'}</li>)}</ol></div>
              <div><h4>Run B's names</h4><ol data-compare-names="B">{b.names.value.map((n) => <li>{n || '(empty)'}</li>)}</ol></div>
            </div>
          </>}
        </div>
      )}
    </div>
  );
}
