// format.js - the page's link: the one place that knows how a run's state
// is written in a URL and read back (version LINK_VERSION). Pure functions,
// no page: encodeLink(state) -> '?v=1&seed=...#chapter-3', and
// decodeLink(search, hash) -> {state, notes}. A field the link does not
// carry, or one that is bad, is left out of state (the page keeps its
// default) with a note saying what was wrong; a link of another version is
// read as no link at all, with a note.
//
//   v        the format's version (1)
//   seed     the run's seed             steps  the run's length (1000, 5000, 20000)
//   at       the dish trained to        view   the dish shown (scrubbed to), if not the latest
//   t        the risk dial (temperature, 0.1-1.5)   pace  watch, fast or instant
//   size     Ming's size: nEmbd-nHead-nLayer-blockSize (the engine checks each)
//   records  the records' preset id; or, for records of one's own:
//   mine     the text, deflated (CompressionStream 'deflate-raw') and base64url,
//            when that is at most MINE_MAX_BYTES; mine-hash their FNV-1a 64
//            hash (when the text is too big to carry, it names them);
//            mine-name their name
//   n.<view> the name typed in a chapter's view (e.g. n.line=emm)
//   #chapter-N or #trainer: the chapter (the URL's hash)
import { ENGINE, STEP_CHOICES, DEFAULT_CONFIG } from '../../limits.js';
import { parseOptions, quoteCut } from '../../embed/options.js';

export const LINK_VERSION = 1;
// records of one's own travel in the link up to this many deflated bytes
export const MINE_MAX_BYTES = 4096;
// the link's own bounds: a typed name, a records name; a preset id is C's (printable ASCII)
export const LINK_NAME_MAX = 64;
const PRESET_MAX = ENGINE.limits.presetBytes;
const PRESET_RE = new RegExp(`^[\\x20-\\x7e]{1,${PRESET_MAX}}$`);
const HASH_RE = /^[0-9a-f]{16}$/;
const SIZE_KEYS = Object.keys(DEFAULT_CONFIG); // the engine's sizes, in C's order (mg_config)
const CHAPTER_RE = /^(chapter-[1-9]\d?|trainer)$/;
const base64Chars = (n) => Math.ceil((4 * n) / 3);

// --- base64url and deflate, with the platform's own streams -----------------

function toBase64Url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function pipe(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}
export const deflate = (bytes) => pipe(bytes, new CompressionStream('deflate-raw'));
export const inflate = (bytes) => pipe(bytes, new DecompressionStream('deflate-raw'));

// --- encode -----------------------------------------------------------------

/** A size as the link writes it: nEmbd-nHead-nLayer-blockSize. */
export const sizeKey = (config) => SIZE_KEYS.map((k) => config[k]).join('-');

/**
 * The link for state {seed, steps, at, view, temperature, pace, config,
 * records: {preset, name, hash, text}, names: {viewId: name}, chapter}:
 * {href: '?v=1&...#chapter-3', leftOut: null, or 'records' when records of
 * one's own were too big to carry (the link names them by hash)}.
 * Fields that are undefined or null are left out.
 */
export async function encodeLink(state) {
  const q = new URLSearchParams();
  q.set('v', String(LINK_VERSION));
  const put = (key, v) => { if (v !== undefined && v !== null) q.set(key, String(v)); };
  put('seed', state.seed);
  put('steps', state.steps);
  if (state.at > 0) put('at', state.at);
  if (Number.isInteger(state.view)) put('view', state.view);
  put('t', state.temperature);
  put('pace', state.pace);
  if (state.config) q.set('size', sizeKey(state.config));
  let leftOut = null;
  const r = state.records;
  if (r?.preset) q.set('records', r.preset);
  else if (r && (r.text || r.hash)) {
    const packed = r.text ? await deflate(new TextEncoder().encode(r.text)) : null;
    if (packed && packed.length <= MINE_MAX_BYTES) q.set('mine', toBase64Url(packed));
    else leftOut = 'records';
    if (r.hash) q.set('mine-hash', r.hash);
    if (r.name) q.set('mine-name', [...r.name].slice(0, LINK_NAME_MAX).join(''));
  }
  for (const [id, name] of Object.entries(state.names ?? {})) if (name) q.set(`n.${id}`, name);
  const hash = state.chapter && CHAPTER_RE.test(state.chapter) ? `#${state.chapter}` : '';
  return { href: `?${q}${hash}`, leftOut };
}

// --- decode -----------------------------------------------------------------

/**
 * Reads a link: search (location.search) and hash (location.hash). views:
 * the ids of the views whose typed names a link may carry. Returns
 * {state, notes}: state has only the fields the link carries and that are
 * good (records.text is the inflated text of records carried; records of
 * one's own not carried have text null); notes say what was not used, and why.
 */
export async function decodeLink(search, hash = '', { views = [] } = {}) {
  const q = new URLSearchParams(search);
  const state = {}, notes = [];
  const bad = (key, value, accepted, fallback = 'the default') =>
    notes.push(`${key}=${quoteCut(value)} is not accepted: ${accepted}. Using ${fallback}.`);
  const keys = [...new Set(q.keys())];
  if (!keys.length && !hash) return { state, notes };

  if (q.has('v') && q.get('v') !== String(LINK_VERSION)) {
    notes.push(`This link is of another version of the page (v=${quoteCut(q.get('v'))}; this page reads v=${LINK_VERSION}), so it opens with the defaults.`);
    return { state, notes };
  }
  // seed, steps, t and pace mean what they mean in a widget's options
  // (embed/options.js checks them, with its notes)
  const widget = parseOptions(search);
  for (const [key, field] of [['seed', 'seed'], ['steps', 'steps'], ['t', 'temperature'], ['pace', 'pace']]) {
    if (!q.has(key)) continue;
    const note = widget.notes.find((n) => n.startsWith(`${key}=`));
    if (note) notes.push(note);
    else state[field] = widget[field];
  }
  const whole = (key, max, fallback) => {
    if (!q.has(key)) return undefined;
    const v = q.get(key);
    if (/^\d{1,9}$/.test(v) && Number(v) <= max) return Number(v);
    bad(key, v, `a whole number from 0 to ${max} (the run's length)`, fallback);
    return undefined;
  };
  const steps = state.steps ?? STEP_CHOICES[0];
  state.at = whole('at', steps, 'an untrained Ming');
  if (q.has('view')) state.view = whole('view', state.at ?? 0, 'the latest dish');
  if (q.has('size')) {
    const v = q.get('size'), parts = v.split('-');
    if (parts.length === 4 && parts.every((p) => /^\d{1,6}$/.test(p)))
      state.config = Object.fromEntries(SIZE_KEYS.map((k, i) => [k, Number(parts[i])]));
    else bad('size', v, `four whole numbers, width-sous chefs-stations-longest set (n_embd-n_head-n_layer-block_size), e.g. ${sizeKey(DEFAULT_CONFIG)}`);
  }
  await readRecords(q, state, bad, notes);
  for (const key of keys.filter((k) => k.startsWith('n.'))) {
    const id = key.slice(2), v = q.get(key);
    if (!views.includes(id)) { notes.push(`${quoteCut(key)} names no view of this page (they are ${views.join(', ')}); it is left out.`); continue; }
    if (v && [...v].length <= LINK_NAME_MAX) (state.names ??= {})[id] = v;
    else bad(key, v, `a name of 1 to ${LINK_NAME_MAX} characters`, 'the view\u2019s own example');
  }
  const chapter = decodeURIComponent(hash.replace(/^#/, ''));
  if (CHAPTER_RE.test(chapter)) state.chapter = chapter;
  const known = new Set(['v', 'seed', 'steps', 'at', 'view', 't', 'pace', 'size', 'records', 'mine', 'mine-hash', 'mine-name']);
  const unknown = keys.filter((k) => !known.has(k) && !k.startsWith('n.'));
  if (unknown.length) notes.push(`This link has fields this page does not know (${quoteCut(unknown.join(', '))}); they are left out.`);
  for (const k of Object.keys(state)) if (state[k] === undefined) delete state[k];
  return { state, notes };
}

async function readRecords(q, state, bad, notes) {
  if (q.has('records')) {
    const v = q.get('records');
    if (PRESET_RE.test(v)) state.records = { preset: v };
    else bad('records', v, `a preset id (1 to ${PRESET_MAX} printable ASCII characters)`, 'the default records');
    return;
  }
  if (!q.has('mine') && !q.has('mine-hash')) return;
  const rec = { preset: '', name: null, hash: null, text: null };
  if (q.has('mine-name')) {
    const v = q.get('mine-name');
    if ([...v].length <= LINK_NAME_MAX) rec.name = v;
    else bad('mine-name', v, `a name of at most ${LINK_NAME_MAX} characters`, 'no name');
  }
  if (q.has('mine-hash')) {
    const v = q.get('mine-hash');
    if (HASH_RE.test(v)) rec.hash = v;
    else bad('mine-hash', v, 'a records hash: 16 hex digits', 'no hash');
  }
  if (q.has('mine')) {
    const v = q.get('mine');
    const packed = v.length <= base64Chars(MINE_MAX_BYTES) ? fromBase64Url(v) : null;
    let text = null;
    if (packed) {
      try { text = new TextDecoder('utf-8', { fatal: true }).decode(await inflate(packed)); } catch { text = null; }
    }
    if (text) rec.text = text;
    else {
      notes.push(`The records this link carries (mine=${quoteCut(v)}) could not be read: the link was cut or changed. Using the default records.`);
      return;
    }
  } else if (rec.hash) {
    notes.push(`This link carries everything but its records, which were too big for a link: your own records${rec.name ? ` "${quoteCut(rec.name)}"` : ''} (hash ${rec.hash}). Open that file to train the same Ming.`);
  }
  if (rec.text || rec.hash) state.records = rec;
}
