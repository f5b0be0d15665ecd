// service - chapter 7, Ming cooks solo: one name generated course by course,
// drawn by the engine's own sampler (the kitchen's sampleTrace: mg_sample's
// draw from a private stream seeded with the dish's seed). From the bell, each
// course shows Ming's vote (the probabilities at the risk dial's temperature),
// the number the sampler rolled and the course it lands on, until he picks
// the bell or the block is full. Nothing is drawn in JavaScript: the page
// shows the draw the C sampler made. Cook another takes the next seed.
// Then the invented dishes: of 200 names drawn from a private stream (the
// run's own names are untouched), the share not in the master's records.
// Hooks: #service-temperature (with [data-service-temperature]),
// [data-action=cook] (aria-disabled="true" while cooking: it keeps focus),
// [data-solo-seed] (the dish's seed), [data-solo-name] (the dish so far),
// [data-solo-step=k] (one per course shown, k from 0, data-course: the pick,
// data-u: the number rolled, "" at temperature 0), [data-solo-vote=k] (the
// vote on show, with [data-solo-roll]: the roll's sentence), [data-solo-done]
// (once the dish is served), [data-invented-share] (0..1, "" until counted;
// data-invented, data-sampled, data-share-temperature: the temperature it
// was counted at), data-shows-dish on .service-invented (the dish of the
// count; the solo dish says its own dish: "Cooked at dish N").
import { useEffect, useRef, useState } from 'preact/hooks';
import { useStore, isCooking } from '../../state/store.js';
import { useLive } from '../shared/useLive.js';
import { useFocusWithin } from '../shared/useFocusWithin.js';
import { shownName, BELL_AT_ONCE } from '../shared/names.js';
import { RiskDial, T_MAX } from '../shared/RiskDial.jsx';
import { VoteBars } from '../shared/Bars.jsx';
import { BELL, courseLabel, courseText } from '../shared/Chapter.jsx';

// the first dish's seed: every reader's first dish is the same one
export const FIRST_SEED = 1;
const SAMPLES = 200, SAMPLE_SEED = 7, REVEAL_MS = 280, TOP = 8;

/** Where the roll lands: the share of the course picked, laid end to end in course order (as random.choices does). */
function landing(probs, token) {
  let lo = 0;
  for (let i = 0; i < token; i++) lo += probs[i];
  return { lo, hi: lo + probs[token] };
}

const reducedMotion = () => globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fmt = (n) => n.toLocaleString('en-US');

const two = (u) => u.toFixed(2);

/** The sentence of one course's roll: the number drawn and where it lands. */
function rollText(c, vocab, t) {
  const pick = courseText(vocab, c.token);
  if (!(t > 0)) return `Temperature 0: no roll. Ming takes the likeliest course, '${pick}'.`;
  const { lo, hi } = landing(c.probs, c.token);
  return `Ming rolled ${two(c.u)}: that lands on '${pick}', whose share of the strip (the vote end to end, ${courseText(vocab, 0)} to the bell) runs from ${two(lo)} to ${two(hi)}.`;
}

/** The vote's shares end to end, in course order (the bell last), and the roll's mark on them. */
function RollStrip({ c, vocab, t }) {
  const { lo, hi } = landing(c.probs, c.token);
  return (
    <div class="service-strip" aria-hidden="true">
      <span class="service-strip-pick" ref={(el) => el && Object.assign(el.style, { left: `${lo * 100}%`, width: `${(hi - lo) * 100}%` })}>
        {hi - lo > 0.06 ? courseText(vocab, c.token) : ''}
      </span>
      {t > 0 && <span class="service-strip-roll" ref={(el) => el && (el.style.left = `${c.u * 100}%`)} />}
    </div>
  );
}

function Dish({ dish, revealed, view, setView, vocab, busy, block }) {
  const bos = vocab.length - 1;
  const shown = dish ? dish.steps.slice(0, revealed) : [];
  const name = shown.filter((c) => c.token !== bos).map((c) => vocab[c.token]).join('');
  const k = view ?? shown.length - 1;
  const c = shown[k];
  const done = dish && revealed === dish.steps.length && !busy;
  const ending = !done ? '\u00a0' : dish.steps.at(-1)?.token === bos
    ? `He rang the bell after ${name.length} course${name.length === 1 ? '' : 's'}.`
    : `He stopped after ${block} courses: his notebook holds no more.`;
  return (
    <>
      <p class="service-dish">
        Ming's dish: <b class="service-name" data-solo-name={name}>{busy && !name ? '…' : shownName(name)}</b>
      </p>
      <p class="caption service-ending" data-solo-done={done ? '' : undefined}>
        {dish ? `Cooked at dish ${fmt(dish.step)} of training, temperature ${dish.t.toFixed(2)}, seed ${dish.seed}. ` : ''}{ending}
      </p>
      <ol class="service-courses" aria-label="The courses of the dish; choose one to see the vote it came from">
        <li class="service-chip bell" aria-label="the bell: the set begins">{BELL}</li>
        {shown.map((x, i) => (
          <li data-solo-step={i} data-course={courseLabel(vocab, x.token)} data-u={dish.t > 0 ? String(x.u) : ''}>
            <button type="button" class={`service-chip${x.token === bos ? ' bell' : ''}`} aria-pressed={i === k ? 'true' : 'false'}
              aria-label={`course ${i + 1}: ${courseText(vocab, x.token)}${dish.t > 0 ? `, rolled ${two(x.u)}` : ''}; show its vote`} onClick={() => setView(i)}>
              {courseText(vocab, x.token)}
            </button>
          </li>
        ))}
      </ol>
      <div class="panel service-vote" data-solo-vote={c ? k : undefined}>
        <p class="caption service-vote-head">
          {c
            ? <>Course {k + 1}, after the bell{k ? ` and ${k} course${k === 1 ? '' : 's'}` : ''}: Ming's vote at temperature {dish.t.toFixed(2)}, top {TOP} of {vocab.length} courses
                in percent.</>
            : 'The bell rings; Ming is about to vote on his first course…'}
        </p>
        <p class="caption service-roll" data-solo-roll={c ? c.token : undefined}>{c ? rollText(c, vocab, dish.t) : '\u00a0'}</p>
        {c ? <RollStrip c={c} vocab={vocab} t={dish.t} /> : <div class="service-strip" aria-hidden="true" />}
        {c ? <VoteBars probs={c.probs} vocab={vocab} highlight={c.token} limit={TOP} label={`Ming's vote for course ${k + 1}`} />
          : <ol class="vote-bars" aria-hidden="true" />}
      </div>
    </>
  );
}

function Invented({ t }) {
  const store = useStore();
  const records = store.menu.value;
  const { data, error, dish } = useLive(async (c) => ({ t, names: await c.request('sample', { count: SAMPLES, temperature: t, seed: SAMPLE_SEED }) }), [t], { every: 500 });
  const names = data?.names ?? [];
  const invented = records ? names.filter((n) => !records.has(n)) : [];
  const known = records ? names.filter((n) => records.has(n)) : [];
  const few = (list) => [...new Set(list)].slice(0, 8).map(shownName).join(', ') || '–';
  const share = names.length && records ? invented.length / names.length : null;
  return (
    <div class="panel service-invented" data-shows-dish={share === null ? undefined : dish}>
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
  const [said, setSaid] = useState('');
  // a dish cooked because the run moved on is not told out of context: only while the reader works here
  const [saidLive, within] = useFocusWithin();
  const gen = useRef(0);
  const seed = useRef(FIRST_SEED); // the seed of the dish on show
  const cooking = useRef(false);

  // the kitchen's sampler draws the dish; here it is only revealed
  const cook = async (temperature = t, dishSeed = seed.current) => {
    if (!info || store.phase.value !== 'ready') return;
    const g = ++gen.current;
    const step = store.shownStep.value;
    seed.current = dishSeed;
    cooking.current = true;
    setBusy(true);
    setError(null);
    setView(null);
    let trace;
    try {
      trace = await store.client.request('sampleTrace', { seed: dishSeed, temperature });
    } catch (e) {
      if (g === gen.current) { setError(e.message); setBusy(false); cooking.current = false; }
      return;
    }
    if (g !== gen.current) return;
    setDish({ ...trace, t: temperature, step, seed: dishSeed });
    if (reducedMotion()) {
      setRevealed(trace.steps.length);
    } else {
      for (let i = 1; i <= trace.steps.length; i++) {
        setRevealed(i);
        await sleep(REVEAL_MS);
        if (g !== gen.current) return;
      }
    }
    cooking.current = false;
    setBusy(false);
    setSaid(`Ming's dish, seed ${dishSeed}: ${trace.name || BELL_AT_ONCE}.`);
  };
  // a click while a dish is on its way is ignored: the button stays focusable
  const another = () => { if (!cooking.current) cook(t, seed.current + 1); };

  // the first dish once the kitchen is open; the same seed again when a run
  // stops or starts over, or another model opens (other records: other courses)
  const prev = useRef(null), prevInfo = useRef(null);
  const state = store.state.value;
  useEffect(() => {
    if (!info) return;
    if (prev.current === null || info !== prevInfo.current || (state !== prev.current && !isCooking(state))) cook();
    prev.current = state;
    prevInfo.current = info;
  }, [info, state]);
  useEffect(() => () => { gen.current++; }, []);

  if (!info) return <p class="caption">Opening the kitchen…</p>;
  return (
    <div class="service" {...within}>
      <RiskDial id="service-temperature" label="Ming's own risk dial (temperature)" value={t}
        outputAttrs={{ 'data-service-temperature': t }} onInput={setT} onChange={(v) => cook(v)}
        help="The dial divides the vote's scores (logits) before they become percentages: low, and Ming's favourite wins almost every time; high, and long shots get their chance." />
      <div class="service-head">
        <button type="button" class="primary" onClick={another} aria-disabled={busy ? 'true' : 'false'} data-action="cook">Cook another</button>
        <span class="caption">
          Dish seed <b data-solo-seed={dish ? dish.seed : seed.current}>{dish ? dish.seed : seed.current}</b>: the kitchen's sampler rolls its
          numbers from it, so the same seed and dial cook the same dish; Cook another takes the next seed. One course at a time: the bell,
          a vote, a roll, a pick, fed back in, until he picks the bell.
        </span>
      </div>
      {error && <p class="note error" role="alert">{error}</p>}
      <p class="visually-hidden" aria-live={saidLive}>{said}</p>
      <Dish dish={dish} revealed={revealed} view={view} setView={setView} vocab={info.vocab} busy={busy} block={info.blockSize} />
      <Invented t={t} />
    </div>
  );
}
