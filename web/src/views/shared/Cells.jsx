// Cells.jsx - one row of numbers as coloured cells on the diverging scale
// (a flavor card, a sequence tag, the back kitchen's units), on a canvas.
import { useLayoutEffect, useRef } from 'preact/hooks';
import { cssVar, diverging } from './colors.js';

export function Cells({ values, max = 1, label, grey, cell = 16, data }) {
  const ref = useRef(null);
  // drawn before the frame is painted, with the text around it; the page's
  // colours read once per theme (a getComputedStyle per draw recomputed the page's styles)
  useLayoutEffect(() => {
    const c = ref.current;
    if (!c || !values) return;
    const dpr = globalThis.devicePixelRatio || 1;
    const w = Math.round(values.length * cell * dpr), h = Math.round(cell * dpr);
    if (c.width !== w || c.height !== h) { // a new size reallocates the canvas
      c.width = w; c.height = h;
      c.style.width = `${values.length * cell}px`;
      c.style.height = `${cell}px`;
    }
    const ctx = c.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, values.length * cell, cell);
    const muted = cssVar('--grid');
    for (let i = 0; i < values.length; i++) {
      ctx.fillStyle = grey?.[i] ? muted : diverging(values[i], max);
      ctx.fillRect(i * cell, 0, cell - 1, cell - 1);
    }
  }, [values, max, grey, cell]);
  return <canvas ref={ref} class="cells" role="img" aria-label={label} data-values={data} />;
}
