// CompareChart.jsx - two runs' penalties (smoothed losses) on one canvas:
// run A in ink, run B in the curve colour, dashed, and the first dish where
// their losses differ marked. The canvas says what it drew in data-drawn-a,
// data-drawn-b (points) and data-marker (the dish marked), for the tests.
import { useStore, blindPenalty } from '../../state/store.js';
import { useFrameDraw } from '../../views/shared/useFrameDraw.js';
import { cssVar } from '../../views/shared/colors.js';
import { penaltyAxis } from '../../views/trainer/LossChart.jsx';

function draw(canvas, { runs, numSteps, marker, blind }) {
  const { min: Y_MIN, max: Y_MAX, tick } = penaltyAxis(Number.isFinite(blind) ? blind : null);
  const dpr = globalThis.devicePixelRatio || 1;
  // the size useFrameDraw's ResizeObserver saw (no layout forced at a draw)
  const w = canvas._box?.w ?? canvas.clientWidth, h = canvas._box?.h ?? canvas.clientHeight;
  if (!w || !h) return;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const pad = { l: 40, r: 12, t: 10, b: 30 };
  const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
  const x = (i) => pad.l + (i / Math.max(1, numSteps - 1)) * pw;
  const y = (v) => pad.t + (1 - (Math.min(Y_MAX, Math.max(Y_MIN, v)) - Y_MIN) / (Y_MAX - Y_MIN)) * ph;
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillStyle = cssVar('--muted');
  ctx.strokeStyle = cssVar('--grid');
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let v = Y_MIN; v <= Y_MAX + 1e-4; v += tick) {
    ctx.beginPath(); ctx.moveTo(pad.l, y(v)); ctx.lineTo(w - pad.r, y(v)); ctx.stroke();
    ctx.fillText(v.toFixed(1), pad.l - 6, y(v));
  }
  ctx.textBaseline = 'top';
  for (let q = 0; q <= 4; q++) {
    ctx.textAlign = q === 0 ? 'left' : q === 4 ? 'right' : 'center';
    ctx.fillText(Math.round((numSteps * q) / 4).toLocaleString('en-US'), pad.l + (q / 4) * pw, h - pad.b + 6);
  }
  const accent = cssVar('--accent');
  ctx.strokeStyle = accent;
  ctx.setLineDash([2, 4]);
  // blind guessing, ln V (V: the live model's courses)
  if (Number.isFinite(blind)) { ctx.beginPath(); ctx.moveTo(pad.l, y(blind)); ctx.lineTo(w - pad.r, y(blind)); ctx.stroke(); }
  const drawn = [];
  for (const [i, series] of runs.entries()) {
    const n = series.length, smooth = series.smooth;
    drawn.push(n);
    if (!n) continue;
    ctx.strokeStyle = cssVar(i === 0 ? '--ink' : '--curve');
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
  // the page's run A: its courses give the line of blind guessing (run B is of the same records)
  const V = useStore().home.info.value?.vocab?.length;
  const args = { runs, numSteps: numSteps(), marker: marker(), blind: V ? blindPenalty(V) : NaN };
  const ref = useFrameDraw(draw, args, [...versions.map((v) => v.value), args.numSteps, args.marker, args.blind]);
  return <canvas ref={ref} class="compare-chart" role="img" aria-label={label} />;
}
