// options.js - the embed contract: widget IDs and the query options of
// embed.html?w=ID, each validated with a note that says what was wrong and
// what is accepted (the widget then goes on with the default).
import { PACES, DEFAULT_PACE } from '../kitchen/run.js';

const PACE_NAMES = Object.keys(PACES);
export const WIDGET_IDS = ['records', 'courses', 'line', 'scorecard', 'trace', 'sensei', 'service', 'scale', 'dials', 'trainer'];
// Views where watching Ming learn is the point start untrained.
const STARTS_FRESH = new Set(['trainer', 'sensei', 'dials']);
export const defaultStart = (id) => (STARTS_FRESH.has(id) ? 'fresh' : 'trained');
// The longest bad value a note repeats; longer ones are cut with an ellipsis.
export const QUOTE_MAX = 40;

/** At most QUOTE_MAX characters of a bad value (whole code points), then an ellipsis. */
export function quoteCut(value) {
  const chars = [...value.slice(0, 2 * QUOTE_MAX + 1)]; // enough UTF-16 units for QUOTE_MAX + 1 code points
  return chars.length > QUOTE_MAX ? `${chars.slice(0, QUOTE_MAX).join('')}\u2026` : value;
}

export function parseOptions(search) {
  const q = new URLSearchParams(search);
  const notes = [];
  const id = q.get('w');
  // an unknown ID is repeated on the page cut like a note's value
  const o = { id: WIDGET_IDS.includes(id) ? id : null, rawId: id === null ? null : quoteCut(id), notes };
  const bad = (key, value, accepted, fallback, quoted = false) => {
    const shown = quoteCut(value);
    notes.push(`${key}=${quoted ? JSON.stringify(shown) : shown} is not accepted: ${accepted}. Using ${fallback}.`);
  };

  o.name = null;
  if (q.has('name')) {
    const v = q.get('name');
    if (/^[a-z]{1,15}$/.test(v)) o.name = v;
    else bad('name', v, 'use 1 to 15 lowercase letters a–z', 'the view\u2019s own example', true);
  }
  o.temperature = 0.5;
  if (q.has('t')) {
    const v = q.get('t'), t = Number(v);
    if (v.trim() !== '' && Number.isFinite(t) && t >= 0.1 && t <= 1.5) o.temperature = Math.round(t * 20) / 20;
    else bad('t', v, 'a temperature from 0.1 to 1.5', '0.5');
  }
  o.seed = 42;
  if (q.has('seed')) {
    const v = q.get('seed');
    if (/^\d{1,10}$/.test(v) && Number(v) <= 2 ** 31) o.seed = Number(v);
    else bad('seed', v, 'a whole number from 0 to 2147483648', '42');
  }
  o.steps = 1000;
  if (q.has('steps')) {
    const v = q.get('steps');
    if (['1000', '5000', '20000'].includes(v)) o.steps = Number(v);
    else bad('steps', v, 'one of 1000, 5000, 20000', '1000');
  }
  o.pace = parsePace(q, bad);
  o.start = defaultStart(o.id);
  if (q.has('start')) {
    const v = q.get('start');
    if (v === 'trained' || v === 'fresh') o.start = v;
    else bad('start', v, 'trained or fresh', o.start);
  }
  o.theme = 'auto';
  if (q.has('theme')) {
    const v = q.get('theme');
    if (['auto', 'light', 'dark'].includes(v)) o.theme = v;
    else bad('theme', v, 'auto, light or dark', 'auto');
  }
  return o;
}

/** pace=watch|fast|instant (the main page's ?pace= too); a bad value gets a
 * note through bad(key, value, accepted, fallback) and the default. */
export function parsePace(q, bad = () => {}) {
  if (!q.has('pace')) return DEFAULT_PACE;
  const v = q.get('pace');
  if (PACE_NAMES.includes(v)) return v;
  bad('pace', v, PACE_NAMES.join(', ').replace(/, (?=[^,]*$)/, ' or '), DEFAULT_PACE);
  return DEFAULT_PACE;
}

/** The embed.html URL for a view with options (defaults left out). */
export function widgetUrl(base, id, opts = {}) {
  const u = new URL('embed.html', base);
  u.searchParams.set('w', id);
  for (const [k, v] of Object.entries(opts)) if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, String(v));
  return u.href;
}
