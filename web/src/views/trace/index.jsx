// trace - chapter 5, who made it too salty? The chain rule on the salt and
// sugar example, then one name's gradient over every dial, the dials with
// the largest impact, and the nudge test.
// Hooks: [data-salt-impact], [data-sugar-impact], [data-top-dial] items,
// [data-nudge-predicted], [data-nudge-measured].
import { useState } from 'preact/hooks';
import { useStore } from '../../state/store.js';
import { useLive } from '../shared/useLive.js';
import { NameField } from '../shared/Chapter.jsx';
import { DialWall } from '../shared/DialWall.jsx';
import { useNameInput } from '../shared/names.js';
import { dialName } from '../shared/dials.js';


const sig = (x) => (x === 0 ? '0' : Math.abs(x) >= 1e-3 ? x.toPrecision(5) : x.toExponential(4));

// The worked example: plate = salt x sugar + salt. Forward values and each
// input's impact are computed from the inputs by the chain rule.
function SaltAndSugar() {
  const [salt, setSalt] = useState(2);
  const [sugar, setSugar] = useState(3);
  const base = salt * sugar;                 // blend (multiply)
  const plate = base + salt;                 // combine (add)
  // d plate / d base = 1; d base / d salt = sugar; salt also reaches the plate directly (1)
  const dSalt = 1 * sugar + 1;
  const dSugar = 1 * salt;
  const num = (label, value, set, id) => (
    <label class="trace-input" for={id}>{label}
      <input id={id} type="number" step="0.5" value={value}
        onInput={(e) => { const v = Number(e.currentTarget.value); if (Number.isFinite(v) && e.currentTarget.value !== '') set(v); }} />
    </label>
  );
  return (
    <div class="panel trace-example">
      <h3>The salt-and-sugar example</h3>
      <div class="trace-inputs">{num('salt', salt, setSalt, 'trace-salt')}{num('sugar', sugar, setSugar, 'trace-sugar')}</div>
      <ol class="trace-steps">
        <li>blend: base = salt × sugar = {salt} × {sugar} = <b>{base}</b></li>
        <li>combine: plate = base + salt = {base} + {salt} = <b data-plate>{plate}</b></li>
      </ol>
      <p>Tracing back, multiplying the local impacts along each path:</p>
      <ul class="trace-steps">
        <li>salt's impact = (plate ← base: 1) × (base ← salt: sugar = {sugar}) + (plate ← salt: 1) = <b data-salt-impact>{dSalt}</b> (salt is used twice)</li>
        <li>sugar's impact = (plate ← base: 1) × (base ← sugar: salt = {salt}) = <b data-sugar-impact>{dSugar}</b></li>
      </ul>
      <p class="caption">The whole kitchen uses six such operations (add, multiply, power, log, exp, ReLU), and each knows how to trace back through itself.</p>
    </div>
  );
}

export function Trace({ initialName }) {
  const store = useStore();
  const info = store.info.value;
  const name = useNameInput(initialName ?? 'emma', info?.vocab);
  const { text, asked, problem } = name;
  const [chosen, setChosen] = useState(-1);
  const [amount, setAmount] = useState(0.01);
  const [nudge, setNudge] = useState(null);
  const [nudgeError, setNudgeError] = useState(null);
  const onInput = (v) => { name.onInput(v); setNudge(null); };
  const live = useLive((c) => c.request('grad', { name: asked }), [asked]);
  const g = live.data;
  if (!info || !g) return (<div class="trace"><SaltAndSugar /><p class="caption">Opening the kitchen…</p></div>);
  const order = Array.from(g.grads.keys()).sort((a, b) => Math.abs(g.grads[b]) - Math.abs(g.grads[a]));
  const top = order.slice(0, 10);
  const dial = chosen >= 0 ? chosen : top[0];
  const runNudge = async () => {
    setNudgeError(null);
    try { setNudge(await store.client.request('nudge', { name: asked, index: dial, amount })); } catch (e) { setNudgeError(e.message); }
  };
  return (
    <div class="trace">
      <SaltAndSugar />
      <div class="panel">
        <h3>The real kitchen: one name's gradient</h3>
        <NameField id="trace-name" label="Trace the penalty of the name" value={text} onInput={onInput} error={problem ?? live.error} />
        <p class="caption">Penalty (loss) of "{asked}": <b data-trace-loss>{g.loss.toFixed(4)}</b>. Each cell is one of the {info.numParams.toLocaleString('en-US')} dials; its colour is that dial's impact (gradient): red means turning the dial up raises the penalty, blue lowers it. Click a dial to choose it for the nudge test.</p>
        <DialWall values={g.grads} tensors={info.tensors} highlight={dial} onPick={(i) => { setChosen(i); setNudge(null); }}
          label={`Gradient of the penalty of ${asked} over all dials`} negative="lowers the penalty" positive="raises it" />
        <h4>The ten dials with the largest impact</h4>
        <ol class="trace-top">
          {top.map((i) => (
            <li data-top-dial={i}>
              <button type="button" class={i === dial ? 'chosen' : undefined} aria-pressed={i === dial ? 'true' : 'false'} onClick={() => { setChosen(i); setNudge(null); }}>
                dial #{i} = {dialName(info.tensors, i)}: {sig(g.grads[i])}
              </button>
            </li>
          ))}
        </ol>
        <p class="caption">Dials are numbered from 0 in parameter order (wte, wpe, lm_head, then the layer's matrices).</p>
      </div>
      <div class="panel trace-nudge">
        <h3>The nudge test</h3>
        <p>Turn dial <b>#{dial} = {dialName(info.tensors, dial)}</b> by
          <select aria-label="Nudge amount" value={amount} onChange={(e) => { setAmount(Number(e.currentTarget.value)); setNudge(null); }}>
            {[0.001, 0.01, 0.1, -0.01].map((a) => <option value={a}>{a > 0 ? '+' : ''}{a}</option>)}
          </select>
          {' '}<button type="button" onClick={runNudge} data-action="nudge">Nudge and taste again</button>
        </p>
        {nudgeError && <p class="note error" role="alert">{nudgeError}</p>}
        <dl class="trace-result">
          <div><dt>predicted change (impact × amount)</dt><dd data-nudge-predicted>{nudge ? sig(nudge.predicted) : '–'}</dd></div>
          <div><dt>measured change (after − before)</dt><dd data-nudge-measured>{nudge ? sig(nudge.measured) : '–'}</dd></div>
        </dl>
        <p class="caption">The kitchen turns the dial, measures the penalty of "{asked}" again and turns it back: Ming keeps his dials. The two agree closely for small nudges; the gap grows with the square of the amount.</p>
      </div>
    </div>
  );
}
