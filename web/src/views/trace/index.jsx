// trace - chapter 5, who made it too salty? The chain rule on the salt and
// sugar example (computed from its inputs), then one name's gradient over
// every dial of the live model, the ten dials with the largest impact, and
// the nudge test: turn one dial a little and compare the predicted change
// of the penalty (impact × amount) with the measured one.
// Hooks: #trace-salt, #trace-sugar, [data-plate], [data-salt-impact],
// [data-sugar-impact] (SaltSugar.jsx); #trace-name (+ #trace-name-msg),
// [data-trace-loss] (the name's penalty), [data-trace-step] (the dish the
// gradient was taken at), [data-top-dial=index] (ten items, largest |impact|
// first, with data-impact), #trace-dial (the chosen dial's number),
// [data-trace-chosen=index], #trace-amount, [data-action=nudge],
// [data-nudge-predicted] and [data-nudge-measured] (text and attribute: the
// change of the penalty, "–" until the first nudge); data-shows-dish (the
// dish of the gradient) on .trace and on the wall's canvas (once drawn).
import { useState } from 'preact/hooks';
import { useStore } from '../../state/store.js';
import { useLive } from '../shared/useLive.js';
import { NameField } from '../shared/Chapter.jsx';
import { DialWall } from '../shared/DialWall.jsx';
import { useNameInput, nameHint } from '../shared/names.js';
import { dialName } from '../shared/dials.js';
import { DialPicker } from '../shared/DialPicker.jsx';
import { useWallCols } from '../shared/useWallCols.js';
import { SaltSugar } from './SaltSugar.jsx';

const AMOUNTS = [0.001, 0.01, 0.1, -0.01];
const fmt = (n) => n.toLocaleString('en-US');
/** Five significant digits with the sign always written (ASCII, so Number() reads it back). */
export const sig5 = (x) => (x === 0 ? '0' : `${x > 0 ? '+' : '-'}${Math.abs(x).toPrecision(5)}`);

/** The k dials with the largest |value|, largest first. */
export function topDials(values, k = 10) {
  const top = [];
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (top.length === k && a <= Math.abs(values[top[k - 1]])) continue;
    let j = Math.min(top.length, k - 1);
    while (j > 0 && Math.abs(values[top[j - 1]]) < a) j--;
    top.splice(j, 0, i);
    if (top.length > k) top.pop();
  }
  return top;
}

function Nudge({ store, info, name, dial, setDial, top }) {
  const [amount, setAmount] = useState(0.01);
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const stale = result && (result.index !== dial || result.amount !== amount || result.name !== name);
  const shown = stale ? null : result;
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const step = store.shownStep.value;
      const r = await store.client.request('nudge', { name, index: dial, amount });
      setResult({ ...r, name, step });
    } catch (e) {
      setError(e.message);
    }
    setBusy(false);
  };
  const gap = shown ? shown.measured - shown.predicted : 0;
  return (
    <div class="panel trace-nudge">
      <h3>The nudge test</h3>
      <p class="caption">
        Choose a dial (click it on the wall, pick one of the ten, or type its number), turn it by a small amount and
        taste "{name}" again. The impact number predicts the change of the penalty: impact × amount.
      </p>
      <div class="trace-nudge-controls">
        <DialPicker id="trace-dial" label="Dial number" value={dial} numParams={info.numParams} onPick={setDial} />
        <div class="trace-amount">
          <label for="trace-amount">Turn it by</label>
          <select id="trace-amount" value={amount} onChange={(e) => setAmount(Number(e.currentTarget.value))}>
            {AMOUNTS.map((a) => <option value={a}>{a > 0 ? '+' : '−'}{Math.abs(a)}</option>)}
          </select>
        </div>
        <button type="button" class="primary" onClick={run} disabled={busy} data-action="nudge">Nudge</button>
      </div>
      <p class="trace-chosen" data-trace-chosen={dial}>
        Dial <b>#{dial} = {dialName(info.tensors, dial)}</b>
        {top.includes(dial) ? ` (number ${top.indexOf(dial) + 1} of the ten)` : ''}
      </p>
      {error && <p class="note error" role="alert">{error}</p>}
      <dl class="trace-result" aria-live="polite">
        <div><dt>predicted change of the penalty (impact × amount)</dt>
          <dd data-nudge-predicted={shown ? shown.predicted : ''}>{shown ? sig5(shown.predicted) : '–'}</dd></div>
        <div><dt>measured change (after − before)</dt>
          <dd data-nudge-measured={shown ? shown.measured : ''}>{shown ? sig5(shown.measured) : '–'}</dd></div>
      </dl>
      <p class="caption trace-nudge-note">
        {shown
          ? <>Penalty before {shown.before.toFixed(5)}, after {shown.after.toFixed(5)} (nats per course, at dish {fmt(shown.step)});
            impact {sig5(shown.gradient)}, prediction off by {sig5(gap)}. The kitchen then turned the dial back: Ming keeps his dials.</>
          : 'The kitchen turns the dial, tastes again and turns it back: the nudge never changes Ming for good. For small amounts the two changes agree closely; the gap grows with the square of the amount.'}
      </p>
    </div>
  );
}

export function Trace({ initialName, onName }) {
  const store = useStore();
  const info = store.info.value;
  const input = useNameInput(initialName ?? 'emma', onName);
  const { text, asked, problem } = input;
  const [chosen, setChosen] = useState(-1);
  const cols = useWallCols();
  const live = useLive(async (c) => {
    const step = store.shownStep.peek(); // the dish shown when asked: the kitchen answers from it
    return { ...(await c.request('grad', { name: asked })), name: asked, step };
  }, [asked]);
  const g = live.data;
  const field = (
    <NameField id="trace-name" label="Trace the penalty of the name" value={text} onInput={input.onInput}
      error={problem ?? live.error} maxLength={input.maxLength} hint={nameHint(info)} />
  );
  if (!info || !g) {
    return (
      <div class="trace">
        <SaltSugar />
        <div class="panel"><h3>The real kitchen: one name, every dial</h3>{field}<p class="caption">Opening the kitchen…</p></div>
      </div>
    );
  }
  const top = topDials(g.grads, 10);
  const dial = chosen >= 0 ? chosen : top[0];
  const max = Math.abs(g.grads[top[0]]) || 1;
  return (
    <div class="trace" data-shows-dish={live.dish}>
      <SaltSugar />
      <div class="panel">
        <h3>The real kitchen: one name, every dial</h3>
        <p class="caption">The same tracing, through all six operations of Ming's assembly line, gives every dial its impact number on one name's penalty.</p>
        {field}
        <p class="trace-loss">
          Penalty (loss) of "{g.name}": <b data-trace-loss>{g.loss.toFixed(4)}</b> nats per course, at dish{' '}
          <span data-trace-step>{fmt(g.step)}</span>
        </p>
        <DialWall values={g.grads} tensors={info.tensors} highlight={dial} onPick={setChosen} cols={cols} dish={g.step}
          label={`Impact (gradient) of every dial on the penalty of ${g.name}; the largest is dial ${top[0]}`}
          negative="turning it up lowers the penalty" positive="raises it" unit="" />
        <p class="caption">
          One cell per dial ({fmt(info.numParams)}), in parameter order; colour: its impact number (change of the penalty per unit the
          dial is turned), full colour at the 99th percentile. Click a dial to choose it for the nudge test.
        </p>
        <h4 id="trace-top-title">The ten dials with the largest impact</h4>
        <ol class="trace-top" aria-labelledby="trace-top-title">
          {top.map((i) => (
            <li data-top-dial={i} data-impact={g.grads[i]}>
              <button type="button" aria-pressed={i === dial ? 'true' : 'false'} class={i === dial ? 'chosen' : undefined} onClick={() => setChosen(i)}>
                <span class="trace-top-name" title={`dial #${i} = ${dialName(info.tensors, i)}`}><span class="trace-top-word">dial </span>#{i} = <span class="trace-top-dial">{dialName(info.tensors, i)}</span></span>
                <span class="trace-top-bar" aria-hidden="true"><span class={g.grads[i] > 0 ? 'pos' : 'neg'} ref={(el) => el && (el.style.width = `${(Math.abs(g.grads[i]) / max) * 100}%`)} /></span>
                <span class="trace-top-val">{sig5(g.grads[i])}</span>
              </button>
            </li>
          ))}
        </ol>
        <p class="caption">
          Dials are numbered from 0 in parameter order ({info.tensors.map((t) => t.name).join(', ')}); rows and columns
          count from 0 as well, so dial #0 is {dialName(info.tensors, 0)} and dial #{info.numParams - 1} is {dialName(info.tensors, info.numParams - 1)}.
        </p>
      </div>
      <Nudge store={store} info={info} name={g.name} dial={dial} setDial={setChosen} top={top} />
    </div>
  );
}
