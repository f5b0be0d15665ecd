// LossChart.jsx - the diner's penalty (loss) per dish (step), drawn on a
// canvas: each step faint, the penalty (mean of the last 100) in ink, and the line of
// blind guessing at ln V (V courses: the records' characters and the bell). Plain canvas rather than a chart library: one
// chart, 20,000 points decimated to one min/max pair per pixel column, and
// nothing more to download.
import { useEffect, useRef } from 'preact/hooks';
import { useSignalEffect } from '@preact/signals';
import { useStore, blindPenalty, PENALTY_WINDOW } from '../../state/store.js';
import { cssVar as rootVar } from '../shared/colors.js';
import { fitCanvas, penaltyGrid } from '../shared/penaltyFrame.js';

/** The penalty axis for blind guessing at blind (ln V): 1.5 to 4 for a-z
 * (ln 27 = 3.30), wider for more courses (up) or fewer (down to 0). */
export function penaltyAxis(blind) {
  if (blind === null) return { min: 1.5, max: 4, tick: 0.5 }; // before the model is known
  const top = Math.max(4, Math.ceil(2 * blind + 1) / 2);
  const min = Math.max(0, Math.min(1.5, Math.floor(2 * blind - 3) / 2));
  const tick = top - min > 3 ? 1 : 0.5;
  return { min, max: min + tick * Math.ceil((top - min) / tick), tick }; // the top on a tick
}

const cssVar = (el, name) => rootVar(name);

export function drawLossChart(canvas, series, numSteps, view = null, vocabSize = 0) {
  // no line of blind guessing until the model's courses are known
  const blind = vocabSize > 1 ? blindPenalty(vocabSize) : null;
  const fit = fitCanvas(canvas);
  if (!fit) return;
  const { ctx, w, h } = fit;
  const pad = { l: 44, r: 16, t: 10, b: 34 };
  const ink = cssVar(canvas, '--ink'), muted = cssVar(canvas, '--muted'), accent = cssVar(canvas, '--accent');
  const line = cssVar(canvas, '--curve'), grid = cssVar(canvas, '--grid');
  // axes and grid
  const { x, y, pw, ph } = penaltyGrid(ctx, { w, h, pad, numSteps, axis: penaltyAxis(blind), muted, grid });
  ctx.textAlign = 'center';
  ctx.fillText('dish (training step)', pad.l + pw / 2, h - 14);
  ctx.save();
  ctx.translate(11, pad.t + ph / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText('penalty (loss)', 0, -6);
  ctx.restore();

  // blind guessing
  if (blind !== null) {
    ctx.strokeStyle = accent;
    ctx.setLineDash([5, 4]);
    ctx.beginPath(); ctx.moveTo(pad.l, y(blind)); ctx.lineTo(w - pad.r, y(blind)); ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = accent;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    ctx.fillText(`blind guessing, ln ${vocabSize} ≈ ${blind.toFixed(2)}`, w - pad.r - 4, y(blind) - 3);
  }

  const n = series.length;
  if (!n) return;
  const raw = series.raw, smooth = series.smooth;
  // every step, faint: one vertical min-max stroke per pixel column
  ctx.strokeStyle = line;
  ctx.globalAlpha = 0.25;
  ctx.beginPath();
  const perPx = Math.max(1, (numSteps - 1) / pw);
  for (let i = 0; i < n;) {
    const end = Math.min(n, Math.floor(i + perPx) + 1);
    let lo = raw[i], hi = raw[i];
    for (let j = i + 1; j < end; j++) { if (raw[j] < lo) lo = raw[j]; if (raw[j] > hi) hi = raw[j]; }
    const px = x(i);
    ctx.moveTo(px, y(hi)); ctx.lineTo(px, y(lo) + 0.5);
    i = end;
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
  // the moving average
  ctx.strokeStyle = ink;
  ctx.lineWidth = 2;
  ctx.beginPath();
  const stride = Math.max(1, Math.floor(perPx / 2));
  ctx.moveTo(x(0), y(smooth[0]));
  for (let i = stride; i < n; i += stride) ctx.lineTo(x(i), y(smooth[i]));
  ctx.lineTo(x(n - 1), y(smooth[n - 1]));
  ctx.stroke();
  if (view === null) return;
  // the dish every view shows (the timeline): dish N is the loss at index N - 1
  ctx.strokeStyle = accent;
  ctx.beginPath(); ctx.moveTo(x(Math.max(0, view - 1)), pad.t); ctx.lineTo(x(Math.max(0, view - 1)), pad.t + ph); ctx.stroke();
}

export function LossChart() {
  const store = useStore();
  const ref = useRef(null);
  const onScreen = useRef(true);
  // drawn only while on screen (the reader may be reading another chapter),
  // at most once per animation frame; it catches up when scrolled to. The
  // series itself is current at once (store.js).
  const frame = useRef(0);
  const draw = () => { frame.current = 0; if (ref.current && onScreen.current) drawLossChart(ref.current, store.series, store.numSteps.value, store.view.value, store.info.value?.vocab.length); };
  const redraw = () => { if (!frame.current) frame.current = requestAnimationFrame(draw); };
  useSignalEffect(() => {
    store.curveVersion.value;
    store.numSteps.value;
    store.view.value;
    store.info.value; // another model: another line of blind guessing
    redraw();
  });
  useEffect(() => () => cancelAnimationFrame(frame.current), []);
  useEffect(() => {
    const ro = new ResizeObserver(([e]) => { ref.current._box = { w: e.contentRect.width, h: e.contentRect.height }; redraw(); });
    ro.observe(ref.current);
    const io = typeof IntersectionObserver === 'function'
      ? new IntersectionObserver(([e]) => { onScreen.current = e.isIntersecting; redraw(); }) : null;
    io?.observe(ref.current);
    const mq = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
    mq?.addEventListener?.('change', redraw);
    return () => { ro.disconnect(); io?.disconnect(); mq?.removeEventListener?.('change', redraw); };
  }, []);
  return (
    <canvas
      ref={ref}
      class="loss-chart"
      role="img"
      aria-label={`Loss curve: ${store.series.length} of ${store.numSteps.value} dishes (training steps), penalty (mean loss of the last ${PENALTY_WINDOW}) ${Number.isFinite(store.penalty.value) ? store.penalty.value.toFixed(3) : 'not yet measured'}`}
      data-points={store.series.length}
      data-view={store.view.value ?? ''}
    />
  );
}
