// service - chapter 7, Ming cooks solo: one name generated course by course.
// From the bell, each course asks the kitchen for Ming's vote (probs at the
// risk dial's temperature) and draws the course here, weighted by the vote
// (the likeliest at temperature 0), until he picks the bell or 15 courses.
// Then the invented dishes: of 200 names drawn from a private stream (the
// run's own names are untouched), the share not in the master's records.
// Hooks: #service-temperature (with [data-service-temperature]),
// [data-action=cook], [data-solo-name] (the dish so far), [data-solo-step=k]
// (one per course shown, k from 0, data-course: the pick), [data-solo-vote=k]
// (the vote on show), [data-solo-done] (once the dish is served),
// [data-invented-share] (0..1, "" until counted; data-invented, data-sampled,
// data-share-temperature: the temperature it was counted at).
import { useEffect, useRef, useState } from 'preact/hooks';
import { useStore, isCooking } from '../../state/store.js';
import { useLive } from '../shared/useLive.js';
import { VoteBars } from '../shared/Bars.jsx';
import { BELL, courseLabel } from '../shared/Chapter.jsx';

const MAX_COURSES = 15, SAMPLES = 200, SAMPLE_SEED = 7, REVEAL_MS = 280, TOP = 8;
const T_MIN = 0.1, T_MAX = 1.5;
export const MARKS = [
  { t: 0.1, label: 'ultra-safe' },
  { t: 0.5, label: 'default' },
  { t: 0.7, label: 'chat assistants' },
  { t: 1.5, label: 'bold' },
];

/** A weighted choice from probabilities that sum to 1 (u: a uniform number in [0, 1)). */
export function choose(probs, u = Math.random()) {
  let x = u;
  for (let i = 0; i < probs.length; i++) {
    x -= probs[i];
    if (x < 0) return i;
  }
  // rounding left a sliver: the last course with any chance
  for (let i = probs.length - 1; i > 0; i--) if (probs[i] > 0) return i;
  return 0;
}

export function argmax(probs) {
  let k = 0;
  for (let i = 1; i < probs.length; i++) if (probs[i] > probs[k]) k = i;
  return k;
}

const reducedMotion = () => globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fmt = (n) => n.toLocaleString('en-US');

function RiskDial({ t, setT, onSettle }) {
  const pos = (v) => `${((v - T_MIN) / (T_MAX - T_MIN)) * 100}%`;
  return (
    <div class="service-dial">
      <label for="service-temperature">
        Ming's own risk dial (temperature): <output for="service-temperature" data-service-temperature={t}>{t.toFixed(2)}</output>
      </label>
      <input id="service-temperature" type="range" min={T_MIN} max={T_MAX} step="0.05" value={t}
        list="service-marks" aria-describedby="service-temperature-help"
        onInput={(e) => setT(Math.round(Number(e.currentTarget.value) * 100) / 100)}
        onChange={(e) => onSettle(Math.round(Number(e.currentTarget.value) * 100) / 100)} />
      <datalist id="service-marks">{MARKS.map((m) => <option value={m.t} label={m.label} />)}</datalist>
      <div class="service-marks" aria-hidden="true">
        {MARKS.map((m, i) => (
          <span class={`service-mark${i === 0 ? ' first' : i === MARKS.length - 1 ? ' last' : ''}`} ref={(el) => el && (el.style.left = pos(m.t))}>
            <b>{m.t}</b> <span class="service-mark-label">{m.label}</span>
          </span>
        ))}
      </div>
      <p id="service-temperature-help" class="caption">
        <span class="service-mark-legend">{MARKS.map((m) => `${m.t} ${m.label}`).join(' · ')}. </span>
        The dial divides the vote's scores (logits) before they become percentages: low, and Ming's favourite wins almost every
        time; high, and long shots get their chance.
      </p>
    </div>
  );
}

function Dish({ dish, revealed, view, setView, vocab, busy }) {
  const bos = vocab.length - 1;
  const shown = dish ? dish.courses.slice(0, revealed) : [];
  const name = shown.filter((c) => c.pick !== bos).map((c) => vocab[c.pick]).join('');
  const k = view ?? shown.length - 1;
  const c = shown[k];
  const done = dish && revealed === dish.courses.length && !busy;
  const ending = !done ? '\u00a0' : dish.courses.at(-1)?.pick === bos
    ? `He rang the bell after ${name.length} course${name.length === 1 ? '' : 's'}.`
    : `He stopped after ${MAX_COURSES} courses: his notebook holds 16 with the bell.`;
  return (
    <>
      <p class="service-dish">
        Ming's dish: <b class="service-name" data-solo-name={name}>{name || (busy ? '…' : '(the bell at once)')}</b>
      </p>
      <p class="caption service-ending" data-solo-done={done ? '' : undefined}>
        {dish ? `Cooked at dish ${fmt(dish.step)} of training, temperature ${dish.t.toFixed(2)}. ` : ''}{ending}
      </p>
      <ol class="service-courses" aria-label="The courses of the dish; choose one to see the vote it came from">
        <li class="service-chip bell" aria-label="the bell: the set begins">{BELL}</li>
        {shown.map((s, i) => (
          <li data-solo-step={i} data-course={courseLabel(vocab, s.pick)}>
            <button type="button" class={`service-chip${s.pick === bos ? ' bell' : ''}`} aria-pressed={i === k ? 'true' : 'false'}
              aria-label={`course ${i + 1}: ${courseLabel(vocab, s.pick)}; show its vote`} onClick={() => setView(i)}>
              {courseLabel(vocab, s.pick)}
            </button>
          </li>
        ))}
      </ol>
      <div class="panel service-vote" data-solo-vote={c ? k : undefined}>
        <p class="caption service-vote-head">
          {c
            ? <>Course {k + 1}, after the bell{k ? ` and ${k} course${k === 1 ? '' : 's'}` : ''}: Ming's vote at temperature {dish.t.toFixed(2)}, top {TOP} of {vocab.length} courses
                in percent. He picks <b class="service-pick">{courseLabel(vocab, c.pick)}</b>{dish.t === 0 ? ', the likeliest.' : ', drawn at random with these chances.'}</>
            : 'The bell rings; Ming is about to vote on his first course…'}
        </p>
        {c ? <VoteBars probs={c.probs} vocab={vocab} highlight={c.pick} limit={TOP} label={`Ming's vote for course ${k + 1}`} />
          : <ol class="vote-bars" aria-hidden="true" />}
      </div>
    </>
  );
}

function Invented({ t }) {
  const store = useStore();
  const records = store.records.value;
  const { data, error } = useLive(async (c) => ({ t, names: await c.request('sample', { count: SAMPLES, temperature: t, seed: SAMPLE_SEED }) }), [t], { every: 500 });
  const names = data?.names ?? [];
  const invented = records ? names.filter((n) => !records.has(n)) : [];
  const known = records ? names.filter((n) => records.has(n)) : [];
  const few = (list) => [...new Set(list)].slice(0, 8).map((n) => n || '(the bell at once)').join(', ') || '–';
  const share = names.length && records ? invented.length / names.length : null;
  return (
    <div class="panel service-invented">
      <h3>Invented dishes (hallucinations)</h3>
      <p data-invented-share={share === null ? '' : share.toFixed(3)} data-invented={invented.length} data-sampled={names.length}
        data-share-temperature={data ? data.t : undefined}>
        {share === null
          ? 'Counting…'
          : <>Of {SAMPLES} names Ming cooks at temperature {data.t.toFixed(2)}, <b>{invented.length}</b> ({Math.round(share * 100)}%) are not in the master's records.</>}
      </p>
      <div class="service-bar" aria-hidden="true"><span ref={(el) => el && (el.style.width = `${(share ?? 0) * 100}%`)} /></div>
      <p class="caption service-list"><span class="service-tag invented">invented</span> {few(invented)}</p>
      <p class="caption service-list"><span class="service-tag known">on the menu</span> {few(known)}</p>
      {error && <p class="note error" role="alert">{error}</p>}
      <p class="caption">
        They sound right, and no station checks facts: Ming only knows what tastes plausible. The names come from a private
        stream of random numbers (seed {SAMPLE_SEED}), so the run's own names are untouched; they are counted again as Ming trains.
      </p>
    </div>
  );
}

export function Service({ initialTemperature, onTemperature }) {
  const store = useStore();
  const info = store.info.value;
  const t0 = Number.isFinite(initialTemperature) ? initialTemperature : store.temperature.value;
  const [t, setT] = useState(Math.min(T_MAX, Math.max(0, t0)));
  useEffect(() => { onTemperature?.(t); }, [t]); // the page's Embed code starts the widget at it
  const [dish, setDish] = useState(null);
  const [revealed, setRevealed] = useState(0);
  const [view, setView] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const gen = useRef(0);

  const cook = async (temperature = t) => {
    if (!info || store.phase.value !== 'ready') return;
    const g = ++gen.current;
    const bos = info.vocab.length - 1, courses = [], step = store.step.value;
    setBusy(true);
    setError(null);
    setView(null);
    let prefix = '';
    try {
      for (let k = 0; k < MAX_COURSES; k++) {
        // temperature 0 means "the likeliest": show the plain vote and take its top
        const probs = await store.client.request('probs', { prefix, temperature: temperature > 0 ? temperature : 1 });
        if (g !== gen.current) return;
        const pick = temperature > 0 ? choose(probs) : argmax(probs);
        courses.push({ prefix, probs, pick });
        if (pick === bos) break;
        prefix += info.vocab[pick];
      }
    } catch (e) {
      if (g === gen.current) { setError(e.message); setBusy(false); }
      return;
    }
    setDish({ courses, t: temperature, step });
    if (reducedMotion()) {
      setRevealed(courses.length);
    } else {
      for (let i = 1; i <= courses.length; i++) {
        setRevealed(i);
        await sleep(REVEAL_MS);
        if (g !== gen.current) return;
      }
    }
    setBusy(false);
  };

  // the first dish once the kitchen is open; a new one when a run stops or starts over
  const prev = useRef(null);
  const state = store.state.value;
  useEffect(() => {
    if (!info) return;
    if (prev.current === null || (state !== prev.current && !isCooking(state))) cook();
    prev.current = state;
  }, [info, state]);
  useEffect(() => () => { gen.current++; }, []);

  if (!info) return <p class="caption">Opening the kitchen…</p>;
  return (
    <div class="service">
      <RiskDial t={t} setT={setT} onSettle={(v) => cook(v)} />
      <div class="service-head">
        <button type="button" class="primary" onClick={() => cook()} disabled={busy} data-action="cook">Cook another</button>
        <span class="caption">One course at a time: the bell, a vote, a pick, fed back in, until he picks the bell.</span>
      </div>
      {error && <p class="note error" role="alert">{error}</p>}
      <Dish dish={dish} revealed={revealed} view={view} setView={setView} vocab={info.vocab} busy={busy} />
      <Invented t={t} />
    </div>
  );
}
