// GrowMing.jsx - chapter 8's Grow Ming: the same records and seed at Ming's
// size (run A, the reader's run) and a bigger one (run B: twice the width and
// sous chefs, one more station), trained side by side in the same kitchen;
// their penalties, dial counts and times compared live.
// Hooks: [data-action=grow], [data-compare-figure=...] [data-run=A|B] as in Compare.
import './styled.js';
import { useStore } from '../../state/store.js';
import { runBOf, runBFields } from './runB.js';
import { CompareChart } from './CompareChart.jsx';
import { Figures } from './Compare.jsx';

/** The bigger size: twice the width and sous chefs, one more station, the same longest set. */
export const biggerSize = (c) => ({ nEmbd: 2 * c.nEmbd, nHead: 2 * c.nHead, nLayer: c.nLayer + 1, blockSize: c.blockSize });

export function GrowMing({ actions }) {
  const store = useStore().home; // the page's run A, also while the chapter views show run B
  const info = store.info.value;
  if (!store.twoRuns || !info) return null; // the main page's (main.jsx), not an embedded widget's
  const b = runBOf(store, actions);
  const big = biggerSize(info);
  const mine = b.owner.value === 'grow';
  const st = mine ? b.status.value : null;
  const cooking = st?.state === 'training';
  return (
    <section class="grow" data-grow aria-labelledby="grow-title">
      <h3 id="grow-title">Grow Ming</h3>
      <p>
        The same records and seed, at Ming's size ({info.nEmbd}-wide cards, {info.nHead} sous chefs, {info.nLayer} station{info.nLayer === 1 ? '' : 's'})
        and a bigger one ({big.nEmbd}-wide cards, {big.nHead} sous chefs, {big.nLayer} stations), trained side by side
        in this kitchen: more dials learn more per dish, and each dish costs more.
      </p>
      <div class="controls">
        <button type="button" class="primary" data-action="grow" disabled={store.phase.value !== 'ready' || cooking}
          onClick={() => b.train('grow', runBFields({ config: big, steps: store.numSteps.value }))}>
          {mine ? 'Grow Ming again' : 'Grow Ming'}</button>
        {mine && (cooking
          ? <button type="button" data-action="pause-grow" onClick={() => b.pause()}>Pause the bigger Ming</button>
          : st?.state === 'paused' && <button type="button" data-action="resume-grow" onClick={() => b.resume()}>Resume the bigger Ming</button>)}
      </div>
      {mine && b.error.value && <p class="note error" role="alert">{b.error.value}</p>}
      {b.owner.value === 'compare' && <p class="note">Run B is the trainer's Compare now; Grow Ming replaces it.</p>}
      {mine && <>
        <CompareChart runs={[store.series, b.series]} versions={[store.curveVersion, b.curveVersion]}
          numSteps={() => Math.max(store.numSteps.value, b.status.value?.numSteps ?? 0)} marker={() => null}
          label="The penalties of Ming at his size (ink) and of the bigger Ming (dashed)" />
        <p class="compare-key"><span class="key-a">Ming ({info.numParams.toLocaleString('en-US')} dials)</span> <span class="key-b">the bigger Ming</span></p>
        <Figures store={store} b={b} label="Ming and the bigger Ming compared" rows={['dials', 'size', 'dish', 'penalty', 'time', 'perDish']} />
      </>}
    </section>
  );
}
