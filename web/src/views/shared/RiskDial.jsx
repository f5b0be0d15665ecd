// RiskDial.jsx - the risk dial (temperature): one slider with the same marks
// wherever it appears (the trainer, chapter 7): MARKS are written here once.
// onRest(t) is called once the dial
// comes to rest: no key or pointer held on it and no new value for REST_MS
// (what a screen reader hears then is one summary, not one per key press).
import { useEffect, useRef } from 'preact/hooks';
import { UI_TEMPERATURE } from '../../limits.js';

// the dial's range (limits.js: the page's, inside the engine's)
export const { min: T_MIN, max: T_MAX, step: T_STEP } = UI_TEMPERATURE;
export const MARKS = [
  { t: T_MIN, label: 'ultra-safe' },
  { t: UI_TEMPERATURE.default, label: 'default' },
  { t: 0.7, label: 'chat assistants' },
  { t: T_MAX, label: 'bold' },
];
const REST_MS = 400;
const round = (v) => Math.round(Number(v) * 100) / 100;

/**
 * id: the input's id; label: its text; value; disabled; help: the caption
 * under it (after the marks' legend on small screens); outputAttrs: hooks
 * for the shown value; onInput(t) on every move, onChange(t) when released,
 * onRest(t) when at rest.
 */
export function RiskDial({ id, label, value, disabled, help, outputAttrs, onInput, onChange, onRest }) {
  const pos = (v) => `${((v - T_MIN) / (T_MAX - T_MIN)) * 100}%`;
  const r = useRef({ held: false, timer: 0, value }).current;
  r.value = value;
  r.onRest = onRest;
  const settle = () => {
    clearTimeout(r.timer);
    r.timer = 0;
    if (!r.held && r.onRest) r.timer = setTimeout(() => { r.timer = 0; r.onRest?.(r.value); }, REST_MS);
  };
  const hold = () => { r.held = true; clearTimeout(r.timer); r.timer = 0; };
  const release = () => { if (r.held) { r.held = false; settle(); } };
  useEffect(() => {
    addEventListener('pointerup', release);
    addEventListener('pointercancel', release);
    return () => { clearTimeout(r.timer); removeEventListener('pointerup', release); removeEventListener('pointercancel', release); };
  }, []);
  return (
    <div class="risk-dial">
      <label for={id} class="dial-label">
        {label}: <output for={id} {...outputAttrs}>{value.toFixed(2)}</output>
      </label>
      <input
        id={id}
        type="range"
        min={T_MIN}
        max={T_MAX}
        step={T_STEP}
        value={value}
        list={`${id}-marks`}
        aria-describedby={`${id}-help`}
        disabled={disabled}
        onKeyDown={hold}
        onKeyUp={release}
        onPointerDown={hold}
        onBlur={release}
        onInput={(e) => { onInput?.(round(e.currentTarget.value)); if (!r.held) settle(); }}
        onChange={(e) => onChange?.(round(e.currentTarget.value))}
      />
      <datalist id={`${id}-marks`}>
        {MARKS.map((m) => <option value={m.t} label={m.label} />)}
      </datalist>
      <div class="marks" aria-hidden="true">
        {MARKS.map((m, i) => (
          <span class={`mark${i === 0 ? ' first' : i === MARKS.length - 1 ? ' last' : ''}`} ref={(el) => el && (el.style.left = pos(m.t))}>
            <b>{m.t}</b> <span class="mark-label">{m.label}</span>
          </span>
        ))}
      </div>
      <p id={`${id}-help`} class="caption">
        <span class="mark-legend">{MARKS.map((m) => `${m.t} ${m.label}`).join(' · ')}. </span>
        {help}
      </p>
    </div>
  );
}
