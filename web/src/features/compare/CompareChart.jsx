// CompareChart.jsx - two runs' penalties (smoothed losses) on one canvas:
// run A in ink, run B in the curve colour, dashed, and the first dish where
// their losses differ marked. The canvas says what it drew in data-drawn-a,
// data-drawn-b (points) and data-marker (the dish marked), for the tests.
import { useEffect, useRef } from 'preact/hooks';
import { useSignalEffect } from '@preact/signals';
import { useStore, blindPenalty } from '../../state/store.js';

const Y_MIN = 1.5, Y_MAX = 4.0;
const css = (el, name) => getComputedStyle(el).getPropertyValue(name).trim();

function draw(canvas, runs, numSteps, marker, blind) {
  const dpr = globalThis.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (!w || !h) return;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const pad = { l: 40, r: 12, t: 10, b: 30 };
  const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
  const x = (i) => pad.l + (i / Math.max(1, numSteps - 1)) * pw;
  const y = (v) => pad.t + (1 - (Math.min(Y_MAX, Math.max(Y_MIN, v)) - Y_MIN) / (Y_MAX - Y_MIN)) * ph;
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillStyle = css(canvas, '--muted');
  ctx.strokeStyle = css(canvas, '--grid');
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let v = Y_MIN; v <= Y_MAX + 1e-9; v += 0.5) {
    ctx.beginPath(); ctx.moveTo(pad.l, y(v)); ctx.lineTo(w - pad.r, y(v)); ctx.stroke();
    ctx.fillText(v.toFixed(1), pad.l - 6, y(v));
  }
  ctx.textBaseline = 'top';
  for (let q = 0; q <= 4; q++) {
    ctx.textAlign = q === 0 ? 'left' : q === 4 ? 'right' : 'center';
    ctx.fillText(Math.round((numSteps * q) / 4).toLocaleString('en-US'), pad.l + (q / 4) * pw, h - pad.b + 6);
  }
  const accent = css(canvas, '--accent');
  ctx.strokeStyle = accent;
  ctx.setLineDash([2, 4]);
  // blind guessing, ln V (V: the live model's courses)
  if (Number.isFinite(blind)) { ctx.beginPath(); ctx.moveTo(pad.l, y(blind)); ctx.lineTo(w - pad.r, y(blind)); ctx.stroke(); }
  const drawn = [];
  for (const [i, series] of runs.entries()) {
    const n = series.length, smooth = series.smooth;
    drawn.push(n);
    if (!n) continue;
    ctx.strokeStyle = css(canvas, i === 0 ? '--ink' : '--curve');
    ctx.lineWidth = 2;
    ctx.setLineDash(i === 0 ? [] : [6, 3]);
    const stride = Math.max(1, Math.floor((numSteps - 1) / pw / 2));
    ctx.beginPath();
    ctx.moveTo(x(0), y(smooth[0]));
    for (let j = stride; j < n; j += stride) ctx.lineTo(x(j), y(smooth[j]));
    ctx.lineTo(x(n - 1), y(smooth[n - 1]));
    ctx.stroke();
  }
  ctx.setLineDash([]);
  if (marker !== null) {
    // dish N is the loss at index N - 1
    ctx.strokeStyle = accent;
    ctx.lineWidth = 2;
    ctx.beginPath(); ctx.moveTo(x(marker - 1), pad.t); ctx.lineTo(x(marker - 1), pad.t + ph); ctx.stroke();
  }
  canvas.dataset.drawnA = String(drawn[0] ?? 0);
  canvas.dataset.drawnB = String(drawn[1] ?? 0);
  canvas.dataset.marker = marker === null ? '' : String(marker);
}

/** runs: [seriesA, seriesB]; versions: signals that bump when they change; marker(): the dish to mark or null. */
export function CompareChart({ runs, versions, numSteps, marker, label }) {
  const ref = useRef(null);
  const frame = useRef(0);
  const latest = useRef({});
  const V = useStore().info.value?.vocab?.length;
  latest.current = { runs, numSteps, marker, blind: V ? blindPenalty(V) : NaN };
  const redraw = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const l = latest.current;
      if (ref.current) draw(ref.current, l.runs, l.numSteps(), l.marker(), l.blind);
    });
  };
  useSignalEffect(() => { for (const v of versions) v.value; numSteps(); marker(); redraw(); });
  useEffect(() => {
    const ro = new ResizeObserver(redraw);
    ro.observe(ref.current);
    const mq = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
    mq?.addEventListener?.('change', redraw);
    return () => { ro.disconnect(); mq?.removeEventListener?.('change', redraw); cancelAnimationFrame(frame.current); };
  }, []);
  return <canvas ref={ref} class="compare-chart" role="img" aria-label={label} />;
}
