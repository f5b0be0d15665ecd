// names.js - checks a name against the live model before asking the kitchen,
// so a view can say at once what is wrong and what is accepted. Every rule
// is the model's: the courses are the characters of his records (info.vocab,
// the bell last), and a name fills at most the block less one place (C's
// mg_session_encode_name: n courses make n + 1 predictions in the block).
import { useRef, useState, useEffect } from 'preact/hooks';
import { useStore } from '../../state/store.js';

/** The most courses (characters) a name may have in this model. */
export const maxCourses = (info) => info.blockSize - 1;
/** A name as the page shows it: an empty one is Ming ringing the bell at once. */
export const BELL_AT_ONCE = 'the bell at once';
export const shownName = (n) => (n === '' ? `(${BELL_AT_ONCE})` : n);

/** The records' characters (the courses without the bell), by code point. */
export const courseChars = (vocab) => vocab.filter((c) => c !== null && c !== undefined)
  .sort((a, b) => a.codePointAt(0) - b.codePointAt(0));

// items of a list of characters shown before "and N more"
const LISTED = 30;
const hex = (cp) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
/** One character as a reader can see it: a space or an invisible one by name. */
export const showChar = (c) => (c === ' ' ? 'space' : /^[\p{White_Space}\p{C}\p{M}]$/u.test(c) ? hex(c.codePointAt(0)) : c);

/** The accepted characters in words: runs of three or more consecutive
 * code points as ranges (a–z), the rest one by one; cut after LISTED items. */
export function describeChars(vocab, listed = LISTED) {
  const cps = courseChars(vocab).map((c) => c.codePointAt(0));
  const items = [];
  for (let i = 0; i < cps.length;) {
    let j = i;
    while (j + 1 < cps.length && cps[j + 1] === cps[j] + 1) j++;
    const ch = (k) => showChar(String.fromCodePoint(cps[k]));
    if (j - i >= 2) items.push(`${ch(i)}–${ch(j)}`);
    else for (let k = i; k <= j; k++) items.push(ch(k));
    i = j + 1;
  }
  if (items.length <= listed) return items.join(' ');
  return `${items.slice(0, listed).join(' ')} and ${items.length - listed} more`;
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

// items a hint lists (a refusal lists more)
const HINTED = 6;
/** The hint under a name field: what the model takes, briefly. */
export const nameHint = (info) => (info ? `Courses ${describeChars(info.vocab, HINTED)}, up to ${maxCourses(info)}.` : '');

/** null if name is a usable name or prefix for the model in info, else the message. */
export function nameProblem(name, info, { allowEmpty = false } = {}) {
  const chars = [...name];
  const { vocab } = info;
  if (!chars.length) return allowEmpty ? null : `Type a name: characters of the records (${describeChars(vocab)}).`;
  const bad = chars.find((c) => !vocab.includes(c));
  if (bad !== undefined) {
    return `"${showChar(bad)}" is not one of Ming's ${courseChars(vocab).length} courses (the characters of his records): use ${describeChars(vocab)}.`;
  }
  const max = maxCourses(info);
  if (chars.length > max) return `At most ${plural(max, 'character')} fit in Ming's block of ${info.blockSize} courses (with the bell).`;
  return null;
}

/**
 * A name the model takes: preferred if it fits, else the first record that
 * fits, else the first courses of the vocabulary. prefix: at most that many
 * characters (a prefix to continue rather than a whole name).
 */
export function fitName(preferred, info, records, { prefix = Infinity } = {}) {
  const cut = (n) => [...n].slice(0, Math.min(prefix, maxCourses(info))).join('');
  if (preferred !== undefined && !nameProblem(preferred, info)) return preferred;
  for (const r of records ?? []) if (!nameProblem(cut(r), info)) return cut(r);
  return cut(courseChars(info.vocab).slice(0, 4).join(''));
}

// the model a name was checked against: its courses and its block
const modelKey = (info) => `${info.blockSize}\u0000${info.vocab.join('\u0000')}`;

/**
 * A name field's state: what is typed, the message if it is not usable, and
 * the last usable name (what the view shows while the reader fixes a typo).
 * onAsked(name), if given, hears each usable name (the page's Embed code
 * starts the widget on it). When the model changes (other records, another
 * block), a name it cannot take gives way to one it can (fitName, or
 * options.fallback(info, records)). options.trim: checks the text without
 * its spaces at the ends; options.prefix: as fitName's.
 */
export function useNameInput(initial, onAsked, { trim = false, prefix, fallback } = {}) {
  const store = useStore();
  const info = store.info.value, records = store.menu.value;
  const [, rerender] = useState(0);
  const r = useRef({ text: initial ?? '', asked: initial ?? '', key: null });
  const clean = (v) => (trim ? v.trim() : v);
  const c = r.current;
  if (info && c.key !== modelKey(info)) {
    c.key = modelKey(info);
    const fit = () => (fallback ? fallback(info, records) : fitName(initial, info, records, { prefix }));
    if (nameProblem(clean(c.text), info)) c.text = fit();
    if (nameProblem(clean(c.asked), info)) c.asked = clean(c.text);
  }
  const problem = info ? nameProblem(clean(c.text), info) : null;
  const onInput = (v) => {
    c.text = v;
    if (info && !nameProblem(clean(v), info)) c.asked = clean(v);
    rerender((n) => n + 1);
  };
  useEffect(() => { onAsked?.(c.asked); }, [c.asked]);
  return { text: c.text, asked: c.asked, problem, onInput, maxLength: info ? inputLength(info) : undefined };
}

/** The field's maxLength (UTF-16 units): the longest name of astral
 * characters plus one more, so a name one too long is told, not cut. */
export const inputLength = (info) => 2 * info.blockSize;
