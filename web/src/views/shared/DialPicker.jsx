// DialPicker.jsx - choose a dial by typing its number: the keyboard's way to
// do what a click on the wall of dials does. Used by dials, trace and sensei.
import { useEffect, useState } from 'preact/hooks';

/** The message for a typed dial number, or null if it names a dial of n. */
export function dialProblem(text, n) {
  const v = String(text).trim();
  if (v === '') return `Type a dial number from 0 to ${(n - 1).toLocaleString('en-US')}.`;
  if (!/^\d+$/.test(v) || Number(v) > n - 1)
    return `"${v}" is not a dial: use a whole number from 0 to ${(n - 1).toLocaleString('en-US')}.`;
  return null;
}

/** value: the chosen dial (or -1); onPick(i) when a valid number is typed. */
export function DialPicker({ id, label, value, numParams, onPick }) {
  const [text, setText] = useState(value >= 0 ? String(value) : '');
  const [touched, setTouched] = useState(false);
  // a click on the wall (or a top-ten button) changes the dial: show its number
  useEffect(() => {
    if (value >= 0 && String(value) !== text.trim()) { setText(String(value)); setTouched(false); }
  }, [value]);
  const problem = touched ? dialProblem(text, numParams) : null;
  const onInput = (e) => {
    const v = e.currentTarget.value;
    setText(v);
    setTouched(true);
    if (!dialProblem(v, numParams)) onPick(Number(v.trim()));
  };
  return (
    <div class="dials-picker">
      <label for={id}>{label}</label>
      <input id={id} type="text" inputMode="numeric" autocomplete="off" size="6" value={text}
        aria-invalid={problem ? 'true' : 'false'} aria-describedby={`${id}-msg`} onInput={onInput} />
      <span id={`${id}-msg`} class={problem ? 'note error' : 'note'} role={problem ? 'alert' : undefined}
        data-input-error={problem ? '' : undefined}>
        {problem ?? `0 to ${(numParams - 1).toLocaleString('en-US')}; numbering starts at 0`}
      </span>
    </div>
  );
}
