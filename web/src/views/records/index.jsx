// records - chapter 1, the ingredients: the master's records (the training
// set). Hooks: [data-records-count], [data-courses-count] (the figures),
// [data-sample] (the rolling names, joined by spaces), [data-action=more-names],
// .records-bar[data-len][data-count] (the histogram), [data-in-records]
// ("true" | "false" | "invalid"), [data-pair-loss=a|b] (penalties of the
// pair, with data-name), [data-pair-verdict] ("a" | "b" | "tie" | "");
// data-shows-dish on .records-pair (the dish of the pair's penalties).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useComputed } from '@preact/signals';
import { useStore, blindPenalty } from '../../state/store.js';
import { useLive } from '../shared/useLive.js';
import { NameField } from '../shared/Chapter.jsx';
import { useNameInput, fitName, nameHint } from '../shared/names.js';
import { useFocusWithin } from '../shared/useFocusWithin.js';

const SAMPLE = 8;
const fmt = (n) => n.toLocaleString('en-US');
const reducedMotionQuery = () => globalThis.matchMedia?.('(prefers-reduced-motion: reduce)');

const gcd = (a, b) => (b ? gcd(b, a % b) : a);

/** Handful r of a fixed walk through the records: a stride of about 0.618 of
 * the list, coprime with its length so the walk visits every record once
 * before it repeats. No random numbers: every reader sees the same handfuls. */
function pick(list, n, r) {
  const len = list.length, out = [];
  if (!len) return out;
  let stride = Math.max(1, Math.round(len * 0.6180339887));
  while (gcd(stride, len) !== 1) stride++;
  for (let i = 0; i < n; i++) out.push(list[(((r * n + i) % len) * stride) % len]);
  return out;
}

/** Whether the reader asked for less motion (follows changes of the setting). */
function useReducedMotion() {
  const [reduced, setReduced] = useState(() => !!reducedMotionQuery()?.matches);
  useEffect(() => {
    const q = reducedMotionQuery();
    if (!q?.addEventListener) return undefined;
    const on = () => setReduced(q.matches);
    q.addEventListener('change', on);
    return () => q.removeEventListener('change', on);
  }, []);
  return reduced;
}

function RollingSample({ records }) {
  const list = useMemo(() => (records ? [...records] : []), [records]);
  const reduced = useReducedMotion();
  // the rolling stops while hovered or focused, and with the Pause button (WCAG 2.2.2)
  const [paused, setPaused] = useState(false);
  const [held, setHeld] = useState(0); // hover and focus, counted
  const still = reduced || paused || held > 0;
  const round = useRef(0); // the handful on show
  const next = () => setShown(pick(list, SAMPLE, ++round.current));
  const [shown, setShown] = useState(() => pick(list, SAMPLE, 0));
  useEffect(() => { setShown(pick(list, SAMPLE, round.current)); }, [list]);
  useEffect(() => {
    if (still || !list.length) return undefined;
    const t = setInterval(next, 2000);
    return () => clearInterval(t);
  }, [list, still]);
  const hold = (d) => () => setHeld((h) => Math.max(0, h + d));
  return (
    <div class="records-sample" data-rolling={still ? 'paused' : 'rolling'}
      onMouseEnter={hold(1)} onMouseLeave={hold(-1)} onFocusIn={hold(1)} onFocusOut={hold(-1)}>
      <p class="caption">{SAMPLE} records at a time, a fixed walk through the book{reduced ? '' : ', new ones every two seconds unless paused'}:</p>
      <ul aria-live="off" data-sample={shown.join(' ')}>
        {shown.length ? shown.map((n) => <li title={n}>{n}</li>) : <li class="records-wait">…</li>}
      </ul>
      <div class="records-sample-buttons">
        <button type="button" data-action="more-names" onClick={next} disabled={!list.length}>Draw {SAMPLE} more</button>
        {!reduced && (
          <button type="button" data-action="pause-rolling" onClick={() => setPaused(!paused)}>
            {paused ? 'Roll again' : 'Pause'}
          </button>
        )}
      </div>
    </div>
  );
}

function Histogram({ lengths }) {
  const rows = useMemo(() => {
    if (!lengths) return null;
    const counts = [];
    for (const l of lengths) counts[l] = (counts[l] ?? 0) + 1;
    const out = [];
    for (let l = 1; l < counts.length; l++) out.push([l, counts[l] ?? 0]);
    return out;
  }, [lengths]);
  const max = rows ? Math.max(1, ...rows.map((r) => r[1])) : 1;
  return (
    <figure class="records-hist">
      <figcaption class="caption">How long the names are: number of names (bar height) for each length.</figcaption>
      <div class="records-plot">
        <span class="records-yaxis" aria-hidden="true">names</span>
        <div class="records-bars" role="list" aria-label="Number of names per length">
          {rows?.map(([l, c]) => (
            <div class="records-bar" role="listitem" data-len={l} data-count={c} aria-label={`${fmt(c)} names of ${l} course${l === 1 ? '' : 's'}`}>
              <span class="records-count" aria-hidden="true">{c ? fmt(c) : '0'}</span>
              <span class="records-fill" ref={(el) => el && (el.style.height = `${(c / max) * 100}%`)} />
              <span class="records-len" aria-hidden="true">{l}</span>
            </div>
          ))}
        </div>
      </div>
      <p class="records-xaxis" aria-hidden="true">courses (characters) per name</p>
    </figure>
  );
}

function InRecords({ records, info, initial, onName }) {
  const { text: query, asked, problem, onInput: setQuery, maxLength } = useNameInput(initial, onName, { trim: true });
  const q = asked;
  const known = records ? records.has(q) : null;
  const answer = problem ? null : known === null ? 'Reading the records…'
    : known ? `Yes: "${q}" is in the records.` : `No: "${q}" is not in the records.`;
  return (
    <div class="panel records-query">
      <NameField id="records-query" label="Is this name in the records?" value={query} onInput={setQuery} error={problem} maxLength={maxLength}
        hint={nameHint(info)} />
      <p class="records-answer" data-in-records={problem ? 'invalid' : String(!!known)} aria-live="polite">{answer}</p>
    </div>
  );
}

const verdictOf = (a, b) => (Math.abs(a - b) < 0.0005 ? 'tie' : a < b ? 'a' : 'b');

// the pair: "emma" and "amme", or, for records without them, a record and its courses reversed
const PAIR = ['emma', 'amme'];
const pairA = (info, records) => fitName(PAIR[0], info, records);
const pairB = (info, records) => (fitName(PAIR[0], info, records) === PAIR[0] ? PAIR[1] : [...pairA(info, records)].reverse().join(''));

function OrderMatters({ info, records, untrained }) {
  const A = useNameInput(PAIR[0], undefined, { fallback: pairA }), B = useNameInput(PAIR[1], undefined, { fallback: pairB });
  const { text: a, asked: askA, problem: problemA, onInput: inputA } = A;
  const { text: b, asked: askB, problem: problemB, onInput: inputB } = B;
  const live = useLive((c) => Promise.all([c.request('nameLoss', { name: askA }), c.request('nameLoss', { name: askB })])
    .then(([la, lb]) => ({ a: askA, b: askB, la, lb })), [askA, askB]);
  const d = live.data;
  const sameCourses = [...askA].sort().join('') === [...askB].sort().join('');
  const verdict = d ? verdictOf(d.la, d.lb) : '';
  const line = !d ? 'Asking Ming…'
    : verdict === 'tie' ? 'Ming finds them equally plausible (the penalties differ by less than 0.0005).'
      : `Ming finds "${verdict === 'a' ? d.a : d.b}" more plausible (lower penalty)${untrained ? ', by chance: untrained, his dials are random.'
        : sameCourses && d.a !== d.b ? ': for him the order matters.' : '.'}`;
  const max = d ? Math.max(d.la, d.lb, blindPenalty(info.vocab.length)) : 1;
  const [verdictLive, within] = useFocusWithin(); // the verdict changes as Ming trains: told only while comparing
  const row = (key, name, loss) => (
    <li>
      <span class="records-pair-name" title={name}>{name}</span>
      <span class="records-pair-track"><span class="records-pair-fill" ref={(el) => el && (el.style.width = `${(loss / max) * 100}%`)} /></span>
      <b data-pair-loss={key} data-name={name}>{loss.toFixed(3)}</b>
    </li>
  );
  return (
    <div class="panel records-pair" data-shows-dish={live.dish} {...within}>
      <p><strong>"{info ? pairA(info, records) : PAIR[0]}" against "{info ? pairB(info, records) : PAIR[1]}":</strong> the same courses in another order, two different meals.
        Ming's penalty for each (the loss: mean of −ln p over its courses, in nats; lower = more plausible to him):</p>
      <div class="records-pair-fields">
        <NameField id="records-pair-a" label="First name" value={a} onInput={inputA} error={problemA} maxLength={A.maxLength} />
        <NameField id="records-pair-b" label="Second name" value={b} onInput={inputB} error={problemB} maxLength={B.maxLength} />
      </div>
      <ul class="records-pair-list">
        {d ? [row('a', d.a, d.la), row('b', d.b, d.lb)] : [<li>…</li>, <li>…</li>]}
      </ul>
      <p class="caption records-verdict" data-pair-verdict={verdict} aria-live={verdictLive}>{line}</p>
      {d && !sameCourses ? <p class="caption">These two do not use the same courses; try an anagram to see order alone at work.</p> : null}
    </div>
  );
}

export function Records({ initialName, onName }) {
  const store = useStore();
  const info = store.info.value, records = store.menu.value;
  const lengths = useLive((c) => c.request('docLengths'), [], { every: 60_000, perDish: false }).data;
  const untrained = useComputed(() => store.shownStep.value === 0).value; // re-render when it flips, not every dish
  return (
    <div class="records">
      <dl class="records-figures">
        <div><dt>records (names)</dt><dd data-records-count>{info ? fmt(info.numDocs) : '…'}</dd></div>
        <div><dt>distinct courses (characters)</dt><dd data-courses-count>{info ? info.vocab.filter((v) => v !== null).length : '…'}</dd></div>
        <div><dt>plus the service bell (BOS)</dt><dd>1</dd></div>
      </dl>
      <p class="caption">Only the order of the courses is recorded, no recipes. A real GPT's records are a large part of the written internet.</p>
      <div class="grid2">
        <RollingSample records={records} />
        <Histogram lengths={lengths} />
      </div>
      <InRecords records={records} info={info} initial={initialName ?? 'emma'} onName={onName} />
      <OrderMatters info={info} records={records} untrained={untrained} />
    </div>
  );
}
