// sensei - chapter 6, the master's training method: Adam turns the dials.
// Hooks: [data-sensei-step], [data-milestone=step] items, canvases .sensei-history and .sensei-lr.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useStore } from '../../state/store.js';
import { useLive } from '../shared/useLive.js';
import { DialWall } from '../shared/DialWall.jsx';
import { dialName } from '../shared/dials.js';

const LR = 0.01, B2 = 0.99, EPS = 1e-8, HISTORY = 300;

/** Adam's per-dial step size at step s: lr_t / (sqrt(v_hat) + eps). */
export function stepSizes(v, step, numSteps) {
  const out = new Float64Array(v.length);
  if (step < 1) return out;
  const lr = LR * (1 - (step - 1) / numSteps), c2 = 1 - B2 ** step;
  for (let i = 0; i < v.length; i++) out[i] = lr / (Math.sqrt(v[i] / c2) + EPS);
  return out;
}

function drawLines(canvas, series, { min, max, colors, labels }) {
  const dpr = globalThis.devicePixelRatio || 1, w = canvas.clientWidth || 300, h = canvas.clientHeight || 120;
  canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const cs = getComputedStyle(canvas);
  ctx.strokeStyle = cs.getPropertyValue('--grid'); ctx.beginPath();
  const y = (v) => h - 14 - ((v - min) / (max - min || 1)) * (h - 24);
  ctx.moveTo(0, y(0)); ctx.lineTo(w, y(0)); ctx.stroke();
  ctx.font = '11px system-ui, sans-serif';
  series.forEach((s, k) => {
    ctx.strokeStyle = cs.getPropertyValue(colors[k]); ctx.lineWidth = 1.5; ctx.beginPath();
    s.forEach((v, i) => { const x = (i / Math.max(1, HISTORY - 1)) * w; if (i) ctx.lineTo(x, y(v)); else ctx.moveTo(x, y(v)); });
    ctx.stroke();
    ctx.fillStyle = cs.getPropertyValue(colors[k]);
    ctx.fillText(labels[k], 6 + k * 120, 11);
  });
}

function History({ dialIndex, snap, label }) {
  const ref = useRef(null);
  const hist = useRef({ dial: -1, step: -1, g: [], m: [] });
  const h = hist.current;
  if (h.dial !== dialIndex) { h.dial = dialIndex; h.g = []; h.m = []; h.step = -1; }
  if (snap && snap.step !== h.step && snap.step > 0) {
    h.step = snap.step;
    h.g.push(snap.grads[dialIndex]); h.m.push(snap.m[dialIndex]);
    if (h.g.length > HISTORY) { h.g.shift(); h.m.shift(); }
  }
  useEffect(() => {
    if (!ref.current) return;
    const all = [...h.g, ...h.m, 0];
    const lim = Math.max(1e-6, ...all.map(Math.abs));
    drawLines(ref.current, [h.g, h.m], { min: -lim, max: lim, colors: ['--muted', '--accent'], labels: ['raw gradient', "Adam's memory (m)"] });
  });
  return <canvas ref={ref} class="sensei-history" role="img" aria-label={label} />;
}

function LearningRate({ step, numSteps }) {
  const ref = useRef(null);
  useEffect(() => {
    const c = ref.current;
    const dpr = globalThis.devicePixelRatio || 1, w = c.clientWidth || 300, h = c.clientHeight || 80;
    c.width = Math.round(w * dpr); c.height = Math.round(h * dpr);
    const ctx = c.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const cs = getComputedStyle(c);
    ctx.strokeStyle = cs.getPropertyValue('--ink'); ctx.lineWidth = 1.5;
    ctx.beginPath(); ctx.moveTo(0, 14); ctx.lineTo(w, h - 14); ctx.stroke();
    const x = (step / numSteps) * w;
    ctx.fillStyle = cs.getPropertyValue('--accent');
    ctx.beginPath(); ctx.arc(x, 14 + (step / numSteps) * (h - 28), 5, 0, 2 * Math.PI); ctx.fill();
    ctx.font = '11px system-ui, sans-serif'; ctx.fillStyle = cs.getPropertyValue('--muted');
    ctx.fillText('0.01', 4, 11); ctx.textAlign = 'right'; ctx.fillText(`0 at dish ${numSteps.toLocaleString('en-US')}`, w - 4, h - 2);
  }, [step, numSteps]);
  return <canvas ref={ref} class="sensei-lr" role="img" aria-label={`Learning rate falling from 0.01 to 0 over ${numSteps} dishes; now at dish ${step}`} />;
}

export function Sensei() {
  const store = useStore();
  const info = store.info.value;
  const [chosen, setChosen] = useState(-1);
  // two walls of 4,192 cells: four times a second is enough to watch them move
  const snap = useLive((c) => c.request('snapshot'), [], { every: 250 }).data;
  const milestones = useLive((c) => c.request('milestones'), []).data ?? [];
  if (!info || !snap) return <p class="caption">Opening the kitchen…</p>;
  let dial = chosen;
  if (dial < 0) { // the dial the last step pushed hardest
    dial = 0;
    for (let i = 1; i < snap.grads.length; i++) if (Math.abs(snap.grads[i]) > Math.abs(snap.grads[dial])) dial = i;
  }
  // in decades around the median dial, so dials never touched (v = 0) don't wash out the rest
  const sizes = stepSizes(snap.v, snap.step, store.numSteps.value);
  const logs = Float64Array.from(sizes, (x) => (x > 0 ? Math.log10(x) : 0));
  const mid = snap.step ? Float64Array.from(logs).sort()[logs.length >> 1] : 0;
  const rel = Float64Array.from(logs, (x) => (snap.step ? x - mid : 0));
  const lr = LR * (1 - snap.step / store.numSteps.value);
  return (
    <div class="sensei">
      <p class="caption">Each dish: cook (forward), trace (backward), adjust (Adam). Dish <b data-sensei-step>{snap.step.toLocaleString('en-US')}</b> of {store.numSteps.value.toLocaleString('en-US')}; press Train and watch the wall move.</p>
      <DialWall values={snap.params} tensors={info.tensors} max={0.3} highlight={dial} onPick={setChosen}
        label="All dials (parameter values)" negative="negative" positive="positive" />
      <div class="grid2">
        <div class="panel">
          <h3>Memory (momentum)</h3>
          <p class="caption sensei-fixed">Dial #{dial} = {dialName(info.tensors, dial)} (click the wall to choose another): its raw gradient at each dish against Adam's memory m, a running average that smooths the jolts. Sampled about ten times a second.</p>
          <History dialIndex={dial} snap={snap} label={`Gradient and momentum of dial ${dial}`} />
        </div>
        <div class="panel">
          <h3>Lighter over time (decay)</h3>
          <p class="caption sensei-fixed">The learning rate falls in a straight line from 0.01 to 0 over the run: now {lr.toFixed(5)}.</p>
          <LearningRate step={snap.step} numSteps={store.numSteps.value} />
        </div>
      </div>
      <div class="panel">
        <h3>A personal touch for every dial</h3>
        <p class="caption">How far Adam may turn each dial per unit of memory: lr ÷ (√v̂ + ε). Sensitive dials (large recent gradients) are turned gently, stubborn ones harder; colours appear after the first dish.</p>
        <DialWall values={rel} tensors={info.tensors} max={2} label="Per-dial step sizes, in decades around the median dial" negative="decades gentler" positive="decades harder" />
      </div>
      <div class="panel">
        <h3>Milestones of your run</h3>
        <ul class="sensei-milestones">
          {[...new Set([1, 100, 500, store.numSteps.value])].map((step) => {
            const m = milestones.find((x) => x.step === step);
            return (
              <li data-milestone={m ? step : undefined}>
                <span><b>dish {step.toLocaleString('en-US')}</b>: {m ? `penalty ${m.loss.toFixed(3)}` : 'not cooked yet'}</span>
                <span class="sensei-names">{m ? m.names.map((n) => n || '(bell)').join(', ') : '\u00a0'}</span>
              </li>
            );
          })}
        </ul>
        <p class="caption">Recorded as your run passes these dishes; names at temperature 0.5. Nobody writes a rule; the dials settle.</p>
      </div>
    </div>
  );
}
