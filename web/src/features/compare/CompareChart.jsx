// CompareChart.jsx - two runs' penalties (smoothed losses) on one canvas:
// run A in ink, run B in the curve colour, dashed, and the first dish where
// their losses differ marked. The canvas says what it drew in data-drawn-a,
// data-drawn-b (points) and data-marker (the dish marked), for the tests.
import { useStore, blindPenalty } from '../../state/store.js';
import { useFrameDraw } from '../../views/shared/useFrameDraw.js';
import { cssVar } from '../../views/shared/colors.js';
import { penaltyAxis } from '../../views/trainer/LossChart.jsx';
import { fitCanvas, penaltyGrid } from '../../views/shared/penaltyFrame.js';

function draw(canvas, { runs, numSteps, marker, blind }) {
  const fit = fitCanvas(canvas);
  if (!fit) return;
  const { ctx, w, h } = fit;
  const pad = { l: 40, r: 12, t: 10, b: 30 };
  const { x, y, pw, ph } = penaltyGrid(ctx, { w, h, pad, numSteps, axis: penaltyAxis(Number.isFinite(blind) ? blind : null),
    muted: cssVar('--muted'), grid: cssVar('--grid') });
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
