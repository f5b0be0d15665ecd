// DialWall.jsx - the wall of dials: one small cell per parameter, in
// parameter order, coloured on the diverging scale; tensors separated by a
// gap and named. Canvas, so 4,192 (or 26,816) cells redraw cheaply.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { cssVar, divergingTable, robustMax } from './colors.js';
import { ScaleLegend } from './ScaleLegend.jsx';
import { useFrameDraw } from './useFrameDraw.js';

/** Layout: each tensor's cells row-major, `cols` cells per wall row. */
export function wallLayout(tensors, cols, cell) {
  const boxes = [];
  let y = 0;
  for (const t of tensors) {
    const size = t.rows * t.cols, wallRows = Math.ceil(size / cols);
    boxes.push({ ...t, y: y + 14, wallRows });
    y += 14 + wallRows * cell + 6;
  }
  return { boxes, height: y };
}

// The scale's 256 colours as RGBA pixels of an ImageData's Uint32 view (one
// write a dial, at every dish drawn); bytes R, G, B, A in memory order.
const packed = new WeakMap();
const OPAQUE_BLACK = new Uint32Array(Uint8Array.of(0, 0, 0, 255).buffer)[0]; // not a number: as before, black
function packedTable(table) {
  let out = packed.get(table);
  if (!out) {
    const bytes = new Uint8Array(256 * 4);
    for (let i = 0; i < 256; i++) bytes.set([table[3 * i], table[3 * i + 1], table[3 * i + 2], 255], 4 * i);
    packed.set(table, out = new Uint32Array(bytes.buffer));
  }
  return out;
}

/** Draws the wall on canvas; then data-shows-dish says the dish drawn. */
function drawWall(canvas, { values, tensors, scale, highlight, cols, width, dish }) {
  if (!values || !tensors) return;
  const cell = Math.max(2, Math.floor((width || canvas.clientWidth || 600) / cols));
  const { boxes, height } = wallLayout(tensors, cols, cell);
  const dpr = globalThis.devicePixelRatio || 1;
  const w = Math.round(cols * cell * dpr), h = Math.round(height * dpr);
  // a new size only when it changed (setting it reallocates the canvas)
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; canvas.style.height = `${height}px`; }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cols * cell, height);
  ctx.font = '11px system-ui, sans-serif';
  const muted = cssVar('--muted'), ink = cssVar('--ink');
  // one pixel per dial in an off-screen image, scaled up per tensor: a few
  // milliseconds for 4,192 dials (a fillRect per dial took tens)
  const totalRows = boxes.reduce((a, b) => a + b.wallRows, 0);
  const img = new ImageData(cols, Math.max(1, totalRows));
  const lut = packedTable(divergingTable()), px = new Uint32Array(img.data.buffer);
  let row0 = 0;
  for (const b of boxes) {
    // a tensor's cells are row-major, `cols` a row: dial k is pixel row0 * cols + k
    const size = b.rows * b.cols, base = row0 * cols;
    for (let k = 0; k < size; k++) {
      const t = values[b.offset + k] / scale;
      px[base + k] = t >= -1 && t <= 1 ? lut[Math.round((t + 1) * 127.5)] : t > 1 ? lut[255] : t < -1 ? lut[0] : OPAQUE_BLACK;
    }
    b.row0 = row0;
    row0 += b.wallRows;
  }
  // the off-screen image kept with its canvas (a new one a draw cost a new context)
  const rows = Math.max(1, totalRows);
  if (canvas._src?.width !== cols || canvas._src?.height !== rows) canvas._src = new OffscreenCanvas(cols, rows);
  const src = canvas._src;
  src.getContext('2d').putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  for (const b of boxes) {
    ctx.fillStyle = muted;
    ctx.fillText(`${b.name} (${b.rows}×${b.cols})`, 0, b.y - 3);
    ctx.drawImage(src, 0, b.row0, cols, b.wallRows, 0, b.y, cols * cell, b.wallRows * cell);
    const k = highlight - b.offset;
    if (k >= 0 && k < b.rows * b.cols) {
      ctx.strokeStyle = ink;
      ctx.lineWidth = 2;
      ctx.strokeRect((k % cols) * cell - 1, b.y + Math.floor(k / cols) * cell - 1, cell + 2, cell + 2);
    }
  }
  canvas._pick = (x, y) => {
    const c = Math.floor(x / cell);
    for (const b of boxes) {
      const r = Math.floor((y - b.y) / cell);
      const k = r * cols + c;
      if (r >= 0 && c < cols && k < b.rows * b.cols && y >= b.y && y < b.y + b.wallRows * cell) return b.offset + k;
    }
    return -1;
  };
  if (Number.isInteger(dish)) canvas.dataset.showsDish = String(dish);
  else delete canvas.dataset.showsDish;
}

export function DialWall({ values, tensors, max, highlight = -1, onPick, label, cols = 64, negative, positive, unit, dish }) {
  const auto = useMemo(() => (max === undefined && values ? robustMax(values) : 1), [max === undefined && values]);
  const scale = max ?? auto;
  // the cells are sized to the wall's width: follow it (window resized, phone turned)
  const [width, setWidth] = useState(0);
  const ref = useFrameDraw(drawWall, { values, tensors, scale, highlight, cols, width, dish },
    [values, tensors, scale, highlight, cols, width, dish]);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || typeof ResizeObserver !== 'function') return undefined;
    const ro = new ResizeObserver(() => setWidth(canvas.clientWidth));
    ro.observe(canvas);
    return () => ro.disconnect();
  }, []);
  const onClick = onPick && ((e) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const i = e.currentTarget._pick?.(e.clientX - rect.left, e.clientY - rect.top);
    if (i >= 0) onPick(i);
  });
  return (
    <figure class="dial-wall">
      <canvas ref={ref} role="img" aria-label={label} onClick={onClick} class={onPick ? 'pickable' : undefined} />
      <figcaption><ScaleLegend max={scale} negative={negative} positive={positive} unit={unit} /></figcaption>
    </figure>
  );
}
