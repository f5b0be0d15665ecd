// penaltyFrame.js - what the two penalty charts (the trainer's loss curve,
// Compare's two runs) draw alike: the canvas at the device's pixel ratio,
// the penalty axis with its grid and the dish ticks.

/** The canvas sized to its box (the size useFrameDraw's ResizeObserver saw:
 * no layout forced at a draw) and cleared: {ctx, w, h}, or null if it has no size. */
export function fitCanvas(canvas) {
  const dpr = globalThis.devicePixelRatio || 1;
  const w = canvas._box?.w ?? canvas.clientWidth, h = canvas._box?.h ?? canvas.clientHeight;
  if (!w || !h) return null;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h };
}

/**
 * Draws the grid of axis ({min, max, tick}, penalties) with its labels and
 * the dish at each quarter of numSteps, inside pad; returns the scales
 * {x(dish), y(penalty), pw, ph}. muted, grid: the labels' and lines' colours.
 */
export function penaltyGrid(ctx, { w, h, pad, numSteps, axis, muted, grid }) {
  const { min, max, tick } = axis;
  const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
  const x = (i) => pad.l + (i / Math.max(1, numSteps - 1)) * pw;
  const y = (v) => pad.t + (1 - (Math.min(max, Math.max(min, v)) - min) / (max - min)) * ph;
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillStyle = muted;
  ctx.strokeStyle = grid;
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let v = min; v <= max + 1e-4; v += tick) {
    ctx.beginPath(); ctx.moveTo(pad.l, y(v)); ctx.lineTo(w - pad.r, y(v)); ctx.stroke();
    ctx.fillText(v.toFixed(1), pad.l - 6, y(v));
  }
  ctx.textBaseline = 'top';
  for (let q = 0; q <= 4; q++) {
    ctx.textAlign = q === 0 ? 'left' : q === 4 ? 'right' : 'center';
    ctx.fillText(Math.round((numSteps * q) / 4).toLocaleString('en-US'), pad.l + (q / 4) * pw, h - pad.b + 6);
  }
  return { x, y, pw, ph };
}
