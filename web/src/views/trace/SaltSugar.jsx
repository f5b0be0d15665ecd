// SaltSugar.jsx - the worked example of chapter 5, computed live from two
// inputs: base = salt × sugar (blend), plate = base + salt (combine); then
// each input's impact on the plate by the chain rule, traced backwards.
// Hooks: #trace-salt, #trace-sugar, [data-plate], [data-salt-impact], [data-sugar-impact].
import { useState } from 'preact/hooks';

/** A number as short as it can be said (6 significant digits at most). */
export const short = (x) => String(Number(x.toPrecision(6)));

/** Forward and backward pass of the example: every value from the inputs. */
export function saltSugar(salt, sugar) {
  const base = salt * sugar;          // blend (multiply)
  const plate = base + salt;          // combine (add)
  // local impacts: d plate/d base = 1, d plate/d salt (direct) = 1,
  // d base/d salt = sugar, d base/d sugar = salt
  const dBase = 1;
  const dSalt = dBase * sugar + 1;    // two paths: through the base, and straight in
  const dSugar = dBase * salt;
  return { base, plate, dBase, dSalt, dSugar };
}

function NumberInput({ id, label, value, onValue }) {
  const [text, setText] = useState(String(value));
  const bad = text.trim() === '' || !Number.isFinite(Number(text)) || Math.abs(Number(text)) > 1e6;
  return (
    <div class="trace-input">
      <label for={id}>{label}</label>
      <input id={id} type="number" step="any" value={text} aria-invalid={bad ? 'true' : 'false'} aria-describedby={`${id}-msg`}
        onInput={(e) => {
          const v = e.currentTarget.value;
          setText(v);
          const n = Number(v);
          if (v.trim() !== '' && Number.isFinite(n) && Math.abs(n) <= 1e6) onValue(n);
        }} />
      <span id={`${id}-msg`} class={bad ? 'note error' : 'note'} role={bad ? 'alert' : undefined}>
        {bad ? 'Type a number (up to a million).' : 'spoonfuls'}
      </span>
    </div>
  );
}

/** The little graph: values going forward (ink), impacts coming back (accent). */
function Graph({ salt, sugar, r }) {
  return (
    <svg class="trace-graph" viewBox="0 16 360 160" role="img"
      aria-label={`Graph: salt ${short(salt)} and sugar ${short(sugar)} blend into base ${short(r.base)}; base and salt combine into plate ${short(r.plate)}. Traced back: salt's impact ${short(r.dSalt)}, sugar's ${short(r.dSugar)}.`}>
      <defs>
        <marker id="trace-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L8,4 L0,8 z" class="trace-arrowhead" />
        </marker>
      </defs>
      {/* edges, forward */}
      <path d="M80,96 L142,102" class="trace-edge" marker-end="url(#trace-arrow)" />
      <path d="M80,148 L144,114" class="trace-edge" marker-end="url(#trace-arrow)" />
      <path d="M177,104 L243,104" class="trace-edge" marker-end="url(#trace-arrow)" />
      <path d="M42,76 C60,26 230,26 256,86" class="trace-edge" marker-end="url(#trace-arrow)" />
      <path d="M279,104 L296,104" class="trace-edge" marker-end="url(#trace-arrow)" />
      {/* local impacts on the edges, read backwards */}
      <text x="112" y="91" class="trace-local">×{short(sugar)}</text>
      <text x="120" y="146" class="trace-local">×{short(salt)}</text>
      <text x="210" y="98" class="trace-local">×1</text>
      <text x="150" y="34" class="trace-local">×1 (salt straight in)</text>
      {/* nodes: value forward, impact back */}
      <g class="trace-node"><rect x="4" y="76" width="76" height="40" rx="6" />
        <text x="42" y="92">salt {short(salt)}</text><text x="42" y="109" class="trace-impact">impact {short(r.dSalt)}</text></g>
      <g class="trace-node"><rect x="4" y="128" width="76" height="40" rx="6" />
        <text x="42" y="144">sugar {short(sugar)}</text><text x="42" y="161" class="trace-impact">impact {short(r.dSugar)}</text></g>
      <g class="trace-op"><circle cx="160" cy="104" r="17" /><text x="160" y="110">×</text></g>
      <text x="160" y="140" class="trace-val">base {short(r.base)}</text>
      <text x="160" y="155" class="trace-val trace-impact">impact 1</text>
      <g class="trace-op"><circle cx="262" cy="104" r="17" /><text x="262" y="110">+</text></g>
      <g class="trace-node plate"><rect x="298" y="84" width="58" height="40" rx="6" />
        <text x="327" y="100">plate</text><text x="327" y="117">{short(r.plate)}</text></g>
    </svg>
  );
}

export function SaltSugar() {
  const [salt, setSalt] = useState(2);
  const [sugar, setSugar] = useState(3);
  const r = saltSugar(salt, sugar);
  return (
    <div class="panel trace-example">
      <h3>The worked example: salt and sugar</h3>
      <div class="trace-inputs">
        <NumberInput id="trace-salt" label="salt" value={salt} onValue={setSalt} />
        <NumberInput id="trace-sugar" label="sugar" value={sugar} onValue={setSugar} />
      </div>
      <Graph salt={salt} sugar={sugar} r={r} />
      <div class="trace-passes">
        <div>
          <h4>Cook (forward pass)</h4>
          <ol class="trace-steps">
            <li>blend (multiply): base = salt × sugar = {short(salt)} × {short(sugar)} = <b data-base>{short(r.base)}</b></li>
            <li>combine (add): plate = base + salt = {short(r.base)} + {short(salt)} = <b data-plate>{short(r.plate)}</b></li>
          </ol>
        </div>
        <div>
          <h4>Trace back (backward pass, chain rule)</h4>
          <ol class="trace-steps">
            <li>the plate's impact on itself: 1</li>
            <li>base: the plate moves 1 per unit of base → <b>{short(r.dBase)}</b></li>
            <li>sugar: base moves by salt = {short(salt)} per unit, × 1 → <b data-sugar-impact>{short(r.dSugar)}</b></li>
            <li>salt, used twice: through the base (sugar = {short(sugar)}) × 1, plus straight in (1) → <b data-salt-impact>{short(r.dSalt)}</b></li>
          </ol>
        </div>
      </div>
      <p class="caption">
        An impact number (gradient) says how much the plate changes per spoonful more of an ingredient. Multiply the local
        impacts along a path; add up the paths. The whole kitchen uses six such operations: combine (add), blend (multiply),
        reduce (power), extract (log), ferment (exp) and the quality check (ReLU), and each knows how to trace back through itself.
      </p>
    </div>
  );
}
