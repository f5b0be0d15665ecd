// Cells.jsx - one row of numbers as coloured cells on the diverging scale
// (a flavor card, a sequence tag, the back kitchen's units), on a canvas.
import { useEffect, useRef } from 'preact/hooks';
import { diverging } from './colors.js';

export function Cells({ values, max = 1, label, grey, cell = 16, data }) {
  const ref = useRef(null);
  useEffect(() => {
    const c = ref.current;
    if (!c || !values) return;
    const dpr = globalThis.devicePixelRatio || 1;
    c.width = Math.round(values.length * cell * dpr);
    c.height = Math.round(cell * dpr);
    c.style.width = `${values.length * cell}px`;
    c.style.height = `${cell}px`;
    const ctx = c.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const muted = getComputedStyle(c).getPropertyValue('--grid');
    for (let i = 0; i < values.length; i++) {
      ctx.fillStyle = grey?.[i] ? muted : diverging(values[i], max);
      ctx.fillRect(i * cell, 0, cell - 1, cell - 1);
    }
  }, [values, max, grey, cell]);
  return <canvas ref={ref} class="cells" role="img" aria-label={label} data-values={data} />;
}
