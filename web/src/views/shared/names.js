// names.js - checks a name against the vocabulary before asking the kitchen,
// so a view can say at once what is wrong and what is accepted.
import { useEffect, useState } from 'preact/hooks';

export const MAX_COURSES = 15;

/**
 * A name field's state: what is typed, the message if it is not usable, and
 * the last usable name (what the view shows while the reader fixes a typo).
 * onAsked(name), if given, hears each usable name (the page's Embed code
 * starts the widget on it).
 */
export function useNameInput(initial, vocab, onAsked) {
  const [text, setText] = useState(initial);
  const [asked, setAsked] = useState(initial);
  const problem = vocab ? nameProblem(text, vocab) : null;
  const onInput = (v) => { setText(v); if (vocab && !nameProblem(v, vocab)) setAsked(v); };
  useEffect(() => { onAsked?.(asked); }, [asked]);
  return { text, asked, problem, onInput };
}

/** null if name is a usable name or prefix for vocab, else the message. */
export function nameProblem(name, vocab, { allowEmpty = false } = {}) {
  const chars = [...name];
  if (!chars.length) return allowEmpty ? null : 'Type a name: lowercase letters a–z.';
  const bad = chars.find((c) => !vocab?.includes(c));
  if (bad) return `"${bad}" is not one of Ming's ${vocab ? vocab.length - 1 : 26} courses: use lowercase letters a–z.`;
  if (chars.length > MAX_COURSES) return `At most ${MAX_COURSES} letters fit in Ming's block of 16 courses (with the bell).`;
  return null;
}
