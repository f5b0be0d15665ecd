// RiskDial.jsx - the temperature slider: the risk dial by the kitchen door.
import { useStore } from '../../state/store.js';

export const MARKS = [
  { t: 0.1, label: 'ultra-safe' },
  { t: 0.5, label: 'microgpt\u2019s default' },
  { t: 0.7, label: 'about where ChatGPT runs' },
  { t: 1.5, label: 'bold' },
];
const MIN = 0.1, MAX = 1.5;

export function RiskDial({ actions }) {
  const store = useStore();
  const t = store.temperature.value;
  const pos = (v) => `${((v - MIN) / (MAX - MIN)) * 100}%`;
  return (
    <div class="risk-dial">
      <label for="temperature" class="dial-label">
        The risk dial (temperature): <output for="temperature" data-temperature>{t.toFixed(2)}</output>
      </label>
      <input
        id="temperature"
        type="range"
        min={MIN}
        max={MAX}
        step="0.05"
        value={t}
        list="temperature-marks"
        aria-describedby="temperature-help"
        disabled={store.phase.value !== 'ready'}
        onInput={(e) => actions.setTemperature(Math.round(Number(e.currentTarget.value) * 100) / 100)}
      />
      <datalist id="temperature-marks">
        {MARKS.map((m) => <option value={m.t} label={m.label} />)}
      </datalist>
      <div class="marks" aria-hidden="true">
        {MARKS.map((m) => (
          <span class={`mark mark-${String(m.t).replace('.', '-')}`} ref={(el) => el && (el.style.left = pos(m.t))}>
            <b>{m.t}</b> <span class="mark-label">{m.label}</span>
          </span>
        ))}
      </div>
      <p id="temperature-help" class="caption">
        <span class="mark-legend">{MARKS.map((m) => `${m.t} ${m.label}`).join(' · ')}. </span>
        Low: Ming plays it safe and repeats his favourite courses. High: he takes risks, and some dishes make no sense.
        The dial divides the final vote's scores (logits) before they become percentages.
      </p>
    </div>
  );
}
