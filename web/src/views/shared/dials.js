// dials.js - names a dial by tensor, row and column.

/** "wte[21][11]" for a dial index, from the size table. */
export function dialName(tensors, index) {
  const t = tensors.find((x) => index >= x.offset && index < x.offset + x.rows * x.cols);
  if (!t) return '?';
  const k = index - t.offset;
  return `${t.name}[${Math.floor(k / t.cols)}][${k % t.cols}]`;
}
