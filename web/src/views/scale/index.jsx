// scale - chapter 8, from a street cart to three stars: Ming's figures, read
// from the live model and this run, beside a large model's (approximate),
// and the loop that never changes: cook, score, trace, adjust.
// Hooks: [data-scale=dials|records|courses|line|layers|heads|width|time]
// (Ming's figures; time says "press Train" until dishes were cooked, then
// "… s for 1,000 dishes on this device"), [data-scale-rate] (dishes per
// second of this run, "–" before).
import { useComputed } from '@preact/signals';
import { useStore } from '../../state/store.js';
import { WhenNear } from '../../features/OnDemand.jsx';

const fmt = (n) => n.toLocaleString('en-US');
// Grow Ming (the main page's only: store.twoRuns): its own chunk, loaded as the reader nears it
const loadGrow = () => import('../../features/compare/GrowMing.jsx').then((m) => m.GrowMing);

/** Seconds for 1,000 dishes at this run's pace, or null before any dish. */
export function secondsPer1000(elapsedMs, step) {
  return step > 0 && elapsedMs > 0 ? elapsedMs / step : null;
}

function Row({ label, ming, big, hook }) {
  return (
    <div class="scale-row" role="row">
      <span class="scale-what" role="rowheader">{label}</span>
      <span class="scale-ming" role="cell" data-scale={hook}>{ming}</span>
      <span class="scale-big" role="cell">{big}</span>
    </div>
  );
}

export function Scale({ actions }) {
  const store = useStore();
  // text bound to the signals: a dish cooked updates two text nodes, not the view
  const time = useComputed(() => {
    const secs = secondsPer1000(store.elapsedMs.value, store.step.value);
    return secs === null ? 'press Train' : `${secs.toFixed(2)} s for 1,000 dishes on this device`;
  });
  const rate = useComputed(() => (store.stepsPerSec.value ? fmt(Math.round(store.stepsPerSec.value)) : '–'));
  const info = store.info.value;
  if (!info) return <p class="caption">Opening the kitchen…</p>;
  const courses = info.vocab.length;
  return (
    <div class="scale">
      <div class="scale-table" role="table" aria-label="Ming's kitchen beside a large model's">
        <div class="scale-row scale-headrow" role="row">
          <span role="columnheader">the kitchen (standard term)</span>
          <span role="columnheader">Ming, live on this page</span>
          <span role="columnheader">a large chat model (approximate)</span>
        </div>
        <Row label="dials (parameters)" hook="dials" ming={fmt(info.numParams)} big="hundreds of billions" />
        <Row label="records (training data)" hook="records" ming={`${fmt(info.numDocs)} names`} big="trillions of tokens" />
        <Row label="courses (vocabulary)" hook="courses" ming={`${courses}: ${courses - 1} characters and the bell`} big="about 100,000 word pieces" />
        <Row label="stations, sous chefs, flavor card (layers, heads, width)" hook="line"
          ming={<><span data-scale="layers">{fmt(info.nLayer)}</span> station{info.nLayer === 1 ? '' : 's'}, <span data-scale="heads">{fmt(info.nHead)}</span> sous
            chefs, cards of <span data-scale="width">{fmt(info.nEmbd)}</span></>}
          big="dozens of each; cards of thousands" />
        <Row label="training time" hook="time" ming={time} big="thousands of GPUs for months" />
      </div>
      <p class="caption">
        Ming's figures are live (this run: <span data-scale-rate>{rate}</span> dishes per second); the
        large model's are orders of magnitude. The Python original: about a minute on a laptop.
      </p>
      {store.home.twoRuns && <WhenNear load={loadGrow} margin="400px" box="grow" reserve="11em" actions={actions} />}
      <h3 class="scale-loop-title">The loop never changes</h3>
      <ol class="scale-loop" aria-label="The training loop, at every scale">
        <li><b>cook</b> (forward)</li>
        <li><b>score</b> (loss)</li>
        <li><b>trace</b> (backward)</li>
        <li><b>adjust</b> (Adam)</li>
      </ol>
      <p class="scale-close">
        Chat assistants then go to finishing school with the same loop: fine-tuning on conversations (a new menu) and
        learning from human preferences (critics choosing the better of two dishes).
      </p>
    </div>
  );
}
