// colors.js - the diverging blue/red scale (ColorBrewer RdBu ends, safe for
// the common colour-blindnesses) used for dial values and gradients.
const NEG = [33, 102, 172], POS = [178, 24, 43];
const MID_LIGHT = [247, 247, 247], MID_DARK = [58, 53, 49];

let darkQuery; // made once: matchMedia parses its query at every call
export const isDark = () => (darkQuery ??= globalThis.matchMedia?.('(prefers-color-scheme: dark)'))?.matches
  && document.documentElement.dataset.theme !== 'light' || document.documentElement.dataset.theme === 'dark';

// The page's colours (custom properties of :root, styles.css), read once per
// theme: reading them at every draw made the browser recompute styles each time.
let vars = { key: null, values: {} };
export function cssVar(name) {
  const root = document.documentElement, key = `${isDark()}|${root.dataset.theme ?? ''}`;
  if (vars.key !== key) vars = { key, values: {} };
  return (vars.values[name] ??= getComputedStyle(root).getPropertyValue(name).trim());
}

/** rgb() of v on a scale from -max (blue) through 0 (neutral) to +max (red). */
export function diverging(v, max, dark = isDark()) {
  const t = Math.max(-1, Math.min(1, max > 0 ? v / max : 0));
  const end = t < 0 ? NEG : POS, mid = dark ? MID_DARK : MID_LIGHT, a = Math.abs(t);
  const c = mid.map((m, i) => Math.round(m + (end[i] - m) * a));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** A scale bound that ignores a few outliers: the 99th percentile of |v|. */
export function robustMax(values) {
  if (!values.length) return 1;
  const a = Float64Array.from(values, Math.abs).sort();
  return a[Math.min(a.length - 1, Math.floor(a.length * 0.99))] || a[a.length - 1] || 1;
}

const tables = {}; // light and dark, made once each

/** 256 rgb triples from -max (0) through 0 (127.5) to +max (255), for fast fills. */
export function divergingTable(dark = isDark()) {
  if (tables[dark]) return tables[dark];
  const t = tables[dark] = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const m = diverging((i / 255) * 2 - 1, 1, dark).match(/\d+/g);
    t[3 * i] = +m[0]; t[3 * i + 1] = +m[1]; t[3 * i + 2] = +m[2];
  }
  return t;
}
