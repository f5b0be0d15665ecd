// service - chapter 7, Ming cooks solo: one name generated course by course
// at the risk dial's setting, and the share of invented dishes.
// Hooks: [data-solo-step] items, [data-solo-name], [data-invented-share] (0..1), #service-temperature.
import { useEffect, useState } from 'preact/hooks';
import { useStore } from '../../state/store.js';
import { useLive } from '../shared/useLive.js';
import { VoteBars } from '../shared/Bars.jsx';
import { courseLabel } from '../shared/Chapter.jsx';
import { MARKS } from '../trainer/RiskDial.jsx';

const MAX = 15, SAMPLES = 200;

/** Weighted choice, as the sampler draws (here with the page's own random numbers). */
function choose(probs) {
  let x = Math.random(), i = 0;
  for (; i < probs.length - 1; i++) { x -= probs[i]; if (x < 0) break; }
  return i;
}

export function Service({ initialTemperature }) {
  const store = useStore();
  const info = store.info.value;
  const [t, setT] = useState(initialTemperature ?? store.temperature.value);
  const [steps, setSteps] = useState([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const cook = async () => {
    if (!info || busy) return;
    setBusy(true); setError(null);
    const bos = info.vocab.length - 1, out = [];
    let prefix = '';
    try {
      for (let k = 0; k <= MAX; k++) {
        const probs = await store.client.request('probs', { prefix, temperature: t });
        const pick = k === MAX ? bos : choose(probs);
        out.push({ prefix, probs, pick });
        setSteps([...out]);
        if (pick === bos) break;
        prefix += info.vocab[pick];
      }
    } catch (e) { setError(e.message); }
    setBusy(false);
  };
  useEffect(() => { if (info && !steps.length) cook(); }, [info]);
  const share = useLive((c) => c.request('sample', { count: SAMPLES, temperature: t, seed: 7 }), [t], { every: 500 });
  const records = store.records.value;
  const sampled = share.data ?? [];
  const invented = records ? sampled.filter((n) => !records.has(n)) : [];
  const known = records ? sampled.filter((n) => records.has(n)) : [];
  const name = steps.filter((s) => s.pick !== info?.vocab.length - 1).map((s) => info.vocab[s.pick]).join('');
  if (!info) return <p class="caption">Opening the kitchen…</p>;
  return (
    <div class="service">
      <div class="service-dial">
        <label for="service-temperature">The risk dial (temperature): <output for="service-temperature">{t.toFixed(2)}</output></label>
        <input id="service-temperature" type="range" min="0.1" max="1.5" step="0.05" value={t}
          onInput={(e) => setT(Math.round(Number(e.currentTarget.value) * 100) / 100)} />
        <p class="caption">{MARKS.map((m) => `${m.t} ${m.label}`).join(' · ')}</p>
      </div>
      <div class="service-head">
        <p>Ming's dish: <b class="service-name" data-solo-name={name}>{name || (busy ? '…' : '(nothing)')}</b>{steps.length && steps.at(-1).pick === info.vocab.length - 1 ? ' (he rang the bell)' : ''}</p>
        <button type="button" onClick={cook} disabled={busy} data-action="cook">Cook another</button>
      </div>
      {error && <p class="note error" role="alert">{error}</p>}
      <ol class="service-steps">
        {steps.map((s, k) => (
          <li data-solo-step={k} class="panel">
            <p class="caption">After <b>{['bell', ...s.prefix].join(' · ')}</b>, the vote at {t.toFixed(2)}; Ming picks <b class="service-pick">{courseLabel(info.vocab, s.pick)}</b>.</p>
            <VoteBars probs={s.probs} vocab={info.vocab} highlight={s.pick} limit={6} label={`Vote for course ${k + 1}`} />
          </li>
        ))}
      </ol>
      <div class="panel">
        <h3>Invented dishes (hallucinations)</h3>
        <p data-invented-share={sampled.length ? (invented.length / sampled.length).toFixed(3) : ''}>
          {sampled.length ? <>Of {SAMPLES} names at this setting, <b>{invented.length}</b> ({Math.round((100 * invented.length) / sampled.length)}%) are not in the records.</> : 'Counting…'}
        </p>
        <p class="caption service-list">Invented: {invented.slice(0, 8).join(', ') || '–'}</p>
        <p class="caption service-list">On the menu: {known.slice(0, 8).join(', ') || '–'}</p>
        <p class="caption">No station checks facts: Ming only knows what tastes plausible.</p>
      </div>
    </div>
  );
}
