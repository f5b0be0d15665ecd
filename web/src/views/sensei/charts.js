// charts.js - the two small line charts of chapter 6, on canvas: one dial's
// raw gradient against Adam's memory over the run, and the learning rate.

import { cssVar } from '../shared/colors.js';

const css = (el, name) => cssVar(name);

/** Sizes the canvas to its CSS box at the device's pixel ratio; returns {ctx, w, h}. */
function setup(canvas) {
  const dpr = globalThis.devicePixelRatio || 1;
  // the size its ResizeObserver saw (useFrameDraw.js): reading clientWidth here would force a layout
  const w = canvas._box?.w || canvas.clientWidth || 300, h = canvas._box?.h || canvas.clientHeight || 120;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) { // a new size reallocates the canvas
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.font = '11px system-ui, sans-serif';
  return { ctx, w, h };
}

const fmtStep = (n) => n.toLocaleString('en-US');

/** The grid lines (the zero line and the left axis) and the dish labels under the x axis. */
function axes(ctx, canvas, { w, h, left, right, top, bottom, y0, numSteps }) {
  ctx.strokeStyle = css(canvas, '--grid');
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(left, y0); ctx.lineTo(w - right, y0);
  ctx.moveTo(left, top); ctx.lineTo(left, h - bottom);
  ctx.stroke();
  ctx.fillStyle = css(canvas, '--muted');
  ctx.textAlign = 'left';
  ctx.fillText('dish 0', left, h - 4);
  ctx.textAlign = 'right';
  ctx.fillText(`dish ${fmtStep(numSteps)}`, w - right, h - 4);
}
const tick = (v) => (v === 0 ? '0' : Math.abs(v) >= 0.01 ? v.toFixed(3) : v.toExponential(1));

const DOTS_UP_TO = 120; // points drawn as dots too (more: the line alone)

/**
 * series: {step, g, m}, columns of one dial's readings in order (one per
 * dish); x is the dish (0..numSteps), y is symmetric around 0. Raw gradient
 * in --curve, memory m in --accent.
 */
export function drawMemory(canvas, series, numSteps) {
  const { ctx, w, h } = setup(canvas);
  const left = 50, right = 8, top = 8, bottom = 18;
  const n = series.step.length;
  let lim = 1e-6;
  for (let i = 0; i < n; i++) lim = Math.max(lim, Math.abs(series.g[i]), Math.abs(series.m[i]));
  const x = (step) => left + (step / Math.max(1, numSteps)) * (w - left - right);
  const y = (v) => top + (1 - (v + lim) / (2 * lim)) * (h - top - bottom);
  axes(ctx, canvas, { w, h, left, right, top, bottom, y0: y(0), numSteps });
  ctx.fillText(`+${tick(lim)}`, left - 4, top + 8);
  ctx.fillText('0', left - 4, y(0) + 4);
  ctx.fillText(`-${tick(lim)}`, left - 4, h - bottom);
  const line = (col, color, width) => {
    ctx.strokeStyle = color; ctx.fillStyle = color; ctx.lineWidth = width;
    ctx.beginPath();
    if (n > 2 * (w - left - right)) {
      // more readings than pixel columns (a long run): each column's lowest
      // to highest reading, one stroke, so 20,000 dishes cost a few hundred
      for (let i = 0; i < n;) {
        const px = Math.round(x(series.step[i]));
        let lo = col[i], hi = col[i];
        for (i++; i < n && Math.round(x(series.step[i])) === px; i++) { lo = Math.min(lo, col[i]); hi = Math.max(hi, col[i]); }
        ctx.lineTo(px, y(hi)); ctx.lineTo(px, y(lo));
      }
    } else {
      for (let i = 0; i < n; i++) (i ? ctx.lineTo(x(series.step[i]), y(col[i])) : ctx.moveTo(x(series.step[i]), y(col[i])));
    }
    ctx.stroke();
    if (n > DOTS_UP_TO) return;
    for (let i = 0; i < n; i++) { ctx.beginPath(); ctx.arc(x(series.step[i]), y(col[i]), 2.2, 0, 2 * Math.PI); ctx.fill(); }
  };
  if (!n) {
    ctx.textAlign = 'center';
    ctx.fillText('no readings yet: press Train', (left + w - right) / 2, top + 16);
  }
  line(series.g, css(canvas, '--curve'), 1.2);
  line(series.m, css(canvas, '--accent'), 2);
  return lim;
}

/** The learning rate: lr at dish 0, falling in a straight line to 0 at numSteps; now marked. */
export function drawRate(canvas, step, numSteps, lr) {
  const { ctx, w, h } = setup(canvas);
  const left = 50, right = 8, top = 10, bottom = 18;
  const x = (s) => left + (s / Math.max(1, numSteps)) * (w - left - right);
  const y = (v) => top + (1 - v / lr) * (h - top - bottom);
  axes(ctx, canvas, { w, h, left, right, top, bottom, y0: y(0), numSteps });
  ctx.fillText(String(lr), left - 8, top + 4);
  ctx.fillText('0', left - 8, y(0) + 4);
  ctx.strokeStyle = css(canvas, '--ink');
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(x(0), y(lr)); ctx.lineTo(x(numSteps), y(0));
  ctx.stroke();
  const s = Math.min(step, numSteps), now = lr * (1 - s / numSteps);
  ctx.fillStyle = css(canvas, '--accent');
  ctx.beginPath();
  ctx.arc(x(s), y(now), 5, 0, 2 * Math.PI);
  ctx.fill();
}
