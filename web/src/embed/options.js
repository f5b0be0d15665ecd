// options.js - the embed contract: widget IDs and the query options of
// embed.html?w=ID, each validated with a note that says what was wrong and
// what is accepted (the widget then goes on with the default).
import { nameProblem } from '../views/shared/names.js';
import { WIDGETS, WIDGET_IDS } from './widgets.js';
import { UI_SEED, UI_SEED_TEXT, UI_TEMPERATURE as T, STEP_CHOICES, PACES, DEFAULT_PACE, isUiSeed, isUiTemperature, parseUiSeed, roundTemperature } from '../limits.js';

const PACE_NAMES = Object.keys(PACES);
export { WIDGETS, WIDGET_IDS };
// The plain iframe's heights (WIDGETS' plain) are measured for these columns;
// the snippet gives the last height (columns about 700 px wide), the Embed
// panel and README the others. The host script needs none of this: it keeps
// each frame as tall as its content.
export const PLAIN_WIDTHS = [320, 700];
export const PLAIN_BLANK_MAX = 120;
export const widgetTitle = (id) => `Ming's Kitchen: ${WIDGETS[id]?.embedTitle ?? id}`;
/** The plain iframe's height for a column `width` px wide. */
export const plainHeight = (id, width = PLAIN_WIDTHS.at(-1)) => {
  const rows = WIDGETS[id].plain;
  return (rows.findLast(([from]) => from <= width) ?? rows[0])[1];
};

// paper: the kitchen's own; transparent: none, the post shows through (README, Options)
export const BACKGROUNDS = ['paper', 'transparent'];
// Views where watching Ming learn is the point start untrained (WIDGETS' fresh).
export const defaultStart = (id) => (WIDGETS[id]?.fresh ? 'fresh' : 'trained');
// The longest bad value a note repeats; longer ones are cut with an ellipsis.
export const QUOTE_MAX = 40;

/** At most QUOTE_MAX characters of a bad value (whole code points), then an ellipsis. */
export function quoteCut(value) {
  const chars = [...value.slice(0, 2 * QUOTE_MAX + 1)]; // enough UTF-16 units for QUOTE_MAX + 1 code points
  return chars.length > QUOTE_MAX ? `${chars.slice(0, QUOTE_MAX).join('')}\u2026` : value;
}

const NAME_FALLBACK = 'the view\u2019s own example';

/** The note for a name= the live model (info: its courses and block) cannot
 * take, naming the characters his records have; null if it takes it. */
export function nameNote(name, info) {
  const problem = name === null || !info ? null : nameProblem(name, info);
  if (!problem) return null;
  return `name=${JSON.stringify(quoteCut(name))} is not accepted: ${problem[0].toLowerCase()}${problem.slice(1).replace(/\.$/, '')}. Using ${NAME_FALLBACK}.`;
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

  // any records: the name is checked against the live model once the
  // kitchen is open (nameNote), since its courses and block are the model's
  o.name = null;
  if (q.has('name')) {
    const v = q.get('name');
    if (v !== '') o.name = v;
    else bad('name', v, 'a name or prefix of the records\u2019 characters', NAME_FALLBACK, true);
  }
  o.temperature = T.default;
  if (q.has('t')) {
    const v = q.get('t'), t = Number(v);
    if (v.trim() !== '' && Number.isFinite(t) && isUiTemperature(t)) o.temperature = roundTemperature(t);
    else bad('t', v, `a temperature from ${T.min} to ${T.max}`, String(T.default));
  }
  o.seed = UI_SEED.default;
  if (q.has('seed')) {
    const v = q.get('seed');
    if (isUiSeed(parseUiSeed(v))) o.seed = Number(v);
    else bad('seed', v, UI_SEED_TEXT, String(UI_SEED.default));
  }
  o.steps = STEP_CHOICES[0];
  if (q.has('steps')) {
    const v = q.get('steps');
    if (STEP_CHOICES.map(String).includes(v)) o.steps = Number(v);
    else bad('steps', v, `one of ${STEP_CHOICES.join(', ')}`, String(STEP_CHOICES[0]));
  }
  o.pace = parsePace(q, bad);
  o.start = defaultStart(o.id);
  if (q.has('start')) {
    const v = q.get('start');
    if (v === 'trained' || v === 'fresh') o.start = v;
    else bad('start', v, 'trained or fresh', o.start);
  }
  o.bg = 'paper';
  if (q.has('bg')) {
    const v = q.get('bg');
    if (BACKGROUNDS.includes(v)) o.bg = v;
    else bad('bg', v, 'paper or transparent', 'paper');
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
