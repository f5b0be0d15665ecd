// UnitGrid.jsx - the back kitchen's units (MLP hidden layer) as a grid of
// cells on a canvas: those the quality check (ReLU) zeroed are grey and
// crossed, the others red, darker for a stronger signal (0 to max).
import { useLayoutEffect, useRef } from 'preact/hooks';
import { cssVar, diverging } from '../shared/colors.js';

export function UnitGrid({ values, zeroed, max, cols = 16, label }) {
  const ref = useRef(null);
  const rows = Math.ceil((values?.length ?? 0) / cols);
  // drawn before the frame is painted, with the text around it; the page's
  // colours read once per theme (a getComputedStyle per draw recomputed the page's styles)
  useLayoutEffect(() => {
    const c = ref.current;
    if (!c || !values) return;
    const cell = 22, dpr = globalThis.devicePixelRatio || 1;
    const w = Math.round(cols * cell * dpr), h = Math.round(rows * cell * dpr);
    if (c.width !== w || c.height !== h) { c.width = w; c.height = h; } // a new size reallocates the canvas
    const ctx = c.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cols * cell, rows * cell);
    const grey = cssVar('--grid') || '#ddd';
    const mark = cssVar('--muted') || '#888';
    ctx.lineWidth = 1.2;
    for (let i = 0; i < values.length; i++) {
      const x = (i % cols) * cell, y = Math.floor(i / cols) * cell;
      if (zeroed[i]) {
        ctx.fillStyle = grey;
        ctx.fillRect(x + 1, y + 1, cell - 2, cell - 2);
        ctx.strokeStyle = mark;
        ctx.beginPath();
        ctx.moveTo(x + 8, y + 8); ctx.lineTo(x + cell - 8, y + cell - 8);
        ctx.moveTo(x + cell - 8, y + 8); ctx.lineTo(x + 8, y + cell - 8);
        ctx.stroke();
      } else {
        ctx.fillStyle = diverging(values[i], max);
        ctx.fillRect(x + 1, y + 1, cell - 2, cell - 2);
        ctx.strokeStyle = diverging(max, max);
        ctx.strokeRect(x + 1.5, y + 1.5, cell - 3, cell - 3);
      }
    }
  }, [values, zeroed, max, cols, rows]);
  return <canvas ref={ref} class="line-units" role="img" aria-label={label} />;
}
