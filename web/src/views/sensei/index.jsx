// sensei - chapter 6, the master's training method: Adam turns the dials.
// The wall of all dials moving while Ming trains; one dial's raw gradient
// against Adam's memory m at every dish (the kitchen records the watched
// dial's history, whatever the pace; up to the dish the timeline shows);
// the learning rate falling over the run; every dial's own step size (the
// personal touch); milestones of the reader's own run.
// Hooks: [data-sensei-step] (the dish the snapshot shows), #sensei-dial (the
// followed dial's number), [data-sensei-dial=index] (with data-gradient and
// data-memory), canvas.sensei-history (data-points: the dishes drawn, also
// data-samples; data-first, data-last: their first and last dish; data-dial),
// canvas.sensei-lr (data-lr: the learning rate now), [data-sensei-median]
// (the median dial's step size), [data-milestone=step] items (once recorded);
// data-shows-dish (the dish shown, useLive.js) on .sensei, on each wall's
// canvas and on the history chart, each once drawn.
import { useMemo, useRef, useState } from 'preact/hooks';
import { useStore, PENALTY_DEFINITION } from '../../state/store.js';
import { useLive } from '../shared/useLive.js';
import { useFrameDraw } from '../shared/useFrameDraw.js';
import { DialWall } from '../shared/DialWall.jsx';
import { dialName } from '../shared/dials.js';
import { DialPicker } from '../shared/DialPicker.jsx';
import { useWallCols } from '../shared/useWallCols.js';
import { shownName } from '../shared/names.js';
import { drawMemory, drawRate } from './charts.js';
import { historyAsk, mergeHistory, cutHistory } from './history.js';
import { ENGINE, learningRate, milestoneSteps } from '../../limits.js';

const { lr: LR, beta2: B2, eps: EPS } = ENGINE.adam; // C's (c/microgpt.h)
const fmt = (n) => n.toLocaleString('en-US');
const sig = (x) => (x === 0 ? '0' : `${x > 0 ? '+' : '-'}${Math.abs(x).toPrecision(3)}`);

export { learningRate }; // C's schedule (limits.js)

/**
 * Each dial's step size at the last dish: lr_t / (sqrt(v_hat) + eps), with
 * step dishes done (the last was dish step - 1, counted from 0, as in
 * c/adam.c), v_hat = v / (1 - beta2^step). Adam turns a dial by this times
 * its (bias-corrected) memory m.
 */
export function stepSizes(v, step, numSteps) {
  const out = new Float64Array(v.length);
  if (step < 1) return out;
  const lr = learningRate(step - 1, numSteps), c2 = 1 - B2 ** step;
  for (let i = 0; i < v.length; i++) out[i] = lr / (Math.sqrt(v[i] / c2) + EPS);
  return out;
}

/** log10 of each step size relative to the median dial (dials never moved: 0); and the median. */
export function relativeSizes(sizes, v) {
  // plain loops, each log once: at every dish drawn while Ming trains
  // (Float64Array.from with a function was most of this view's script time)
  const n = sizes.length, logs = new Float64Array(n), moved = new Float64Array(n); // a typed array sorts numbers natively
  let count = 0;
  for (let i = 0; i < n; i++) if (v[i] > 0) { logs[i] = Math.log10(sizes[i]); moved[count++] = logs[i]; }
  if (!count) return { rel: logs, median: 0 };
  const mid = moved.subarray(0, count).sort()[count >> 1];
  for (let i = 0; i < n; i++) if (v[i] > 0) logs[i] -= mid;
  return { rel: logs, median: 10 ** mid };
}

/** The watched dial's history (the kitchen's dialHistory) as the chart's columns, or empty ones. */
function readings(hist, dial) {
  if (!hist || hist.index !== dial) return { step: new Float64Array(0), g: new Float64Array(0), m: new Float64Array(0) };
  return { step: hist.step, g: hist.grad, m: hist.m };
}

/** drawMemory, then the canvas says the dish drawn (data-shows-dish). */
function drawHistory(canvas, { series, numSteps, dish }) {
  drawMemory(canvas, series, numSteps);
  canvas.dataset.showsDish = String(dish);
}

function MemoryChart({ series, numSteps, dial, dish }) {
  const ref = useFrameDraw(drawHistory, { series, numSteps, dish }, [series, numSteps, dish]);
  const n = series.step.length;
  return (
    <canvas ref={ref} class="sensei-history" role="img" data-points={n} data-samples={n} data-dial={dial}
      data-first={n ? series.step[0] : undefined} data-last={n ? series.step[n - 1] : undefined}
      aria-label={n
        ? `Dial ${dial}: raw gradient and Adam's memory at ${fmt(n)} dishes; at dish ${fmt(series.step[n - 1])} gradient ${sig(series.g[n - 1])}, memory ${sig(series.m[n - 1])}`
        : `Dial ${dial}: no readings yet; press Train`} />
  );
}

const drawLr = (canvas, { step, numSteps }) => drawRate(canvas, step, numSteps, LR);

function RateChart({ step, numSteps }) {
  const ref = useFrameDraw(drawLr, { step, numSteps }, [step, numSteps]);
  const now = learningRate(Math.min(step, numSteps), numSteps);
  return (
    <canvas ref={ref} class="sensei-lr" role="img" data-lr={now}
      aria-label={`Learning rate falling in a straight line from ${LR} at dish 0 to 0 at dish ${numSteps}; now ${now.toFixed(5)} at dish ${step}`} />
  );
}

const penaltyText = (v) => (Number.isFinite(v) ? v.toFixed(3) : '–');
const shownNames = (m) => m.names.map(shownName).join(', ');

function Milestones({ store }) {
  const list = useLive((c) => c.request('milestones'), [], { perDish: false }).data ?? [];
  const steps = milestoneSteps(store.numSteps.value);
  store.curveVersion.value; // the penalty at a dish is read from the run's series (store.js)
  return (
    <div class="panel">
      <h3>Milestones of your run</h3>
      <ul class="sensei-milestones">
        {steps.map((step) => {
          const m = list.find((x) => x.step === step);
          return (
            <li data-milestone={m ? step : undefined}>
              <span class="sensei-ms-head"><b>dish {fmt(step)}</b>{m ? <> penalty <b data-milestone-penalty>{penaltyText(store.series.at(step))}</b></> : ' not cooked yet'}</span>
              <span class="sensei-names" title={m ? shownNames(m) : undefined}>{m ? shownNames(m) : '\u00a0'}</span>
            </li>
          );
        })}
      </ul>
      <p class="caption">
        The penalty at each dish ({PENALTY_DEFINITION}, in nats per course, as in the trainer), and a few names Ming
        invented at that moment (temperature 0.5). Nobody writes a rule; the dials settle.
      </p>
    </div>
  );
}

export function Sensei() {
  const store = useStore();
  const info = store.info.value;
  const [chosen, setChosen] = useState(-1);
  const cols = useWallCols();
  // the watched dial is the kitchen's (every page follows the same one): by
  // default the dial the sensei pushed hardest at the first dish, which the
  // kitchen picks then and tells every page (the watchDial event)
  const dial = store.watchDial.value;
  // the dials and the dial's history asked together: one answer, one
  // render, one draw of each chart per dish shown. The history is the
  // whole run's, held here and cut at the dish shown: only new dishes' points come
  const held = useRef(null);
  const live = useLive((c) => Promise.all([c.request('snapshot'), dial >= 0 ? c.request('dialHistory', historyAsk(dial, held.current)) : null])
    .then(([snap, answer]) => {
      if (answer) held.current = mergeHistory(held.current, answer);
      return { snap, hist: answer ? cutHistory(held.current, snap.step) : null, step: snap.step };
    }), [dial], { every: 100 });
  const { snap, hist } = live.data ?? {};
  const numSteps = store.numSteps.value;
  // each dial's step size, once per snapshot (not at every render)
  const { rel, median } = useMemo(() => (snap ? relativeSizes(stepSizes(snap.v, snap.step, numSteps), snap.v) : {}), [snap, numSteps]);
  const series = useMemo(() => readings(hist, dial), [hist, dial]);
  const follow = (index) => {
    setChosen(index);
    store.client.request('watchDial', { index }).catch(() => {}); // the watchDial event moves every page
  };
  if (!info || !snap) return <p class="caption">Opening the kitchen…</p>;

  const points = series.step.length;
  const lrNow = learningRate(Math.min(snap.step, numSteps), numSteps);
  return (
    <div class="sensei" data-shows-dish={live.dish}>
      <p class="caption sensei-lede">
        Each dish: cook (forward), trace (backward), adjust (Adam). Dish <b data-sensei-step>{fmt(snap.step)}</b> of {fmt(numSteps)}.
      </p>
      <DialWall values={snap.params} tensors={info.tensors} max={0.3} highlight={dial} onPick={follow} cols={cols} dish={snap.step}
        label={`All ${info.numParams} dials (parameter values) at dish ${snap.step}`} negative="below zero" positive="above zero" />
      <p class="caption">Every dial's value, on a fixed scale so the motion shows: press Train and watch the wall move. Click a dial to follow it below.</p>

      <div class="grid2">
        <div class="panel sensei-memory">
          <h3>Memory (momentum)</h3>
          <DialPicker id="sensei-dial" label="Follow dial number" value={dial} numParams={info.numParams} onPick={follow} />
          <p class="caption sensei-fixed" data-sensei-dial={dial >= 0 ? dial : undefined}
            data-gradient={dial >= 0 ? snap.grads[dial] : undefined} data-memory={dial >= 0 ? snap.m[dial] : undefined}>
            {dial >= 0
              ? <>Dial #{dial} = <b>{dialName(info.tensors, dial)}</b>{chosen !== dial ? ' (the one the sensei pushed hardest at first)' : ''}:
                  value {sig(snap.params[dial])}, last gradient {sig(snap.grads[dial])}, memory m {sig(snap.m[dial])}.</>
              : 'Press Train: after the first dishes the dial the sensei pushes hardest is followed here (or choose one).'}
          </p>
          <MemoryChart series={series} numSteps={numSteps} dial={dial} dish={snap.step} />
          <p class="sensei-legend">
            <span class="sensei-key sensei-key-g" aria-hidden="true" /> raw gradient of the dish{' '}
            <span class="sensei-key sensei-key-m" aria-hidden="true" /> Adam's memory m (a running average, 85% old + 15% new)
          </p>
          <p class="caption sensei-sampled">
            {points
              ? <>One reading per dish: {fmt(points)} reading{points === 1 ? '' : 's'}, dishes {fmt(series.step[0])} to {fmt(series.step[points - 1])}{hist.stride > 1 ? ` (every ${hist.stride}th dish of a long run)` : ''}.</>
              : 'One reading per dish, once Ming cooks.'}
            {' '}The memory smooths the jolts of single dishes.
          </p>
        </div>
        <div class="panel">
          <h3>Lighter over time (decay)</h3>
          <RateChart step={snap.step} numSteps={numSteps} />
          <p class="caption">
            The learning rate (how far the sensei may turn a dial per dish) falls in a straight line from {LR} at dish 0 to 0
            at dish {fmt(numSteps)}: now <b>{lrNow.toFixed(5)}</b> (dot).
          </p>
        </div>
      </div>

      <div class="panel">
        <h3>A personal touch for every dial</h3>
        <DialWall values={rel} tensors={info.tensors} max={2} highlight={dial} onPick={follow} cols={cols} dish={snap.step}
          label="Every dial's step size, in powers of ten around the median dial" negative="(×0.01) gentler" positive="harder (×100)" unit="" />
        <p class="caption">
          Each dial's step size, lr ÷ (√v̂ + ε) with v̂ = v ÷ (1 − {B2}<sup>dish</sup>) and ε = 10<sup>−{-Math.log10(EPS)}</sup>: how far Adam turns it per unit of memory.
          Dials whose recent gradients were large (v) are turned gently (blue), quiet ones harder (red). Scale: powers of ten around the
          median dial; dials never moved yet are neutral.
        </p>
        <p class="sensei-median">The median dial's step size at the last dish: <b data-sensei-median>{snap.step ? median.toPrecision(3) : '–'}</b> per unit of memory</p>
      </div>

      <Milestones store={store} />
    </div>
  );
}
