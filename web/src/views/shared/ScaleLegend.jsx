// ScaleLegend.jsx - labels the diverging scale: what blue and red mean and the numbers at each end.
import { useEffect, useRef } from 'preact/hooks';
import { diverging } from './colors.js';

export function ScaleLegend({ max, negative = 'negative', positive = 'positive', unit = '' }) {
  const ref = useRef(null);
  useEffect(() => {
    const c = ref.current;
    const ctx = c.getContext('2d');
    for (let x = 0; x < c.width; x++) {
      ctx.fillStyle = diverging(((x / (c.width - 1)) * 2 - 1) * max, max);
      ctx.fillRect(x, 0, 1, c.height);
    }
  }, [max]);
  const f = (v) => (Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(2) : v.toExponential(1));
  return (
    <div class="scale-legend">
      <span>{f(-max)}{unit} {negative}</span>
      <canvas ref={ref} width="120" height="10" aria-hidden="true" />
      <span>{positive} +{f(max)}{unit}</span>
    </div>
  );
}
