// scorecard - chapter 4, the diner's scorecard: for each course of a name,
// the chance Ming gave the course that came and its penalty -ln p; the mean
// is the loss. Hooks: [data-scored-name], [data-score-row=p] with
// [data-chance] and [data-penalty] (and [data-fresh] before training),
// [data-mean-penalty] (mean of the rows, 6 decimals), [data-name-loss] (the
// kitchen's nameLoss for the same name), [data-fresh-penalty] (the name's
// loss before any training, same seed), [data-blind] (ln V, V the courses:
// the records' characters and the bell); data-shows-dish on .scorecard (the
// dish of the card now).
import { useComputed } from '@preact/signals';
import { useStore, blindPenalty } from '../../state/store.js';
import { useLive } from '../shared/useLive.js';
import { NameField, courseLabel, courseText } from '../shared/Chapter.jsx';
import { useNameInput, nameHint } from '../shared/names.js';

const MAX_PENALTY = 6; // the bars' end, or further when blind guessing is near it (many courses)
const barEnd = (blind) => Math.max(MAX_PENALTY, Math.ceil(blind + 1));
const mean = (a) => a.reduce((s, x) => s + x, 0) / a.length;

export function Scorecard({ initialName, onName }) {
  const store = useStore();
  // bound to the signals as text: a dish cooked does not re-render the card
  const dishText = useComputed(() => `${store.shownStep.value.toLocaleString('en-US')} of ${store.numSteps.value.toLocaleString('en-US')}`);
  const info = store.info.value;
  const { text, asked, problem, onInput, maxLength } = useNameInput(initialName ?? 'emma', onName);
  // now: the course-by-course card and the kitchen's own loss, asked together
  const now = useLive((c) => Promise.all([c.request('inspect', { text: asked }), c.request('nameLoss', { name: asked })])
    .then(([r, loss]) => ({ r, loss })), [asked]);
  // before any training: the kitchen's untrained twin (same seed); it changes
  // only when a reset brings a new seed, so once a second is plenty
  const before = useLive((c) => c.request('inspect', { text: asked, fresh: true }), [asked], { every: 1000, perDish: false });
  const field = (
    <NameField id="scorecard-name" label="A name to score" value={text} onInput={onInput} error={problem ?? now.error} maxLength={maxLength}
      hint={`${nameHint(info)} Each course is scored by the chance Ming gave it.`} />
  );
  const d = now.data;
  if (!info || !d) return <div class="scorecard">{field}<p class="caption">Opening the kitchen…</p></div>;
  const { r } = d, V = r.vocabSize, blind = blindPenalty(V), end = barEnd(blind);
  const pct = (v) => `${(Math.min(v, end) / end) * 100}%`;
  const name = Array.from(r.tokens, (t) => courseLabel(info.vocab, t)).slice(1).join('');
  const fresh = before.data && before.data.n === r.n ? before.data.penalty : null;
  const rows = Array.from(r.next, (next, p) => ({
    p, course: courseText(info.vocab, next), chance: r.probs[p * V + next], penalty: r.penalty[p], fresh: fresh?.[p],
  }));
  const m = mean(rows.map((x) => x.penalty));
  const freshMean = fresh ? mean(Array.from(fresh)) : null;
  const same = Math.abs(m - d.loss) < 5e-7;
  return (
    <div class="scorecard" data-scored-name={name} data-shows-dish={now.dish}>
      {field}
      <p class="caption">"{name}" is served as {rows.length} courses (its characters, then the closing bell). Each row: the chance Ming gave the course that came, and the penalty −ln p (in nats; 0 for a sure bet).</p>
      <div class="scorecard-table" role="table" aria-label={`Chance and penalty per course of "${name}"`}>
        <div role="row" class="scorecard-row scorecard-headrow">
          <span role="columnheader">course</span><span role="columnheader">chance p</span><span role="columnheader">penalty −ln p (nats, bars cut at {end})</span>
        </div>
        {rows.map((row) => (
          <div role="row" class="scorecard-row" data-score-row={row.p} data-chance={row.chance.toPrecision(10)} data-penalty={row.penalty.toFixed(6)}
            data-fresh={row.fresh === undefined ? undefined : row.fresh.toFixed(6)}>
            <span role="cell" class="scorecard-course">{row.course}</span>
            <span role="cell" class="scorecard-chance">{(row.chance * 100).toFixed(1)}%</span>
            <span role="cell" class="scorecard-bar-cell" aria-label={`penalty ${row.penalty.toFixed(2)}${row.fresh === undefined ? '' : `, before training ${row.fresh.toFixed(2)}`}`}>
              <span class="scorecard-bar" ref={(el) => el && (el.style.width = pct(row.penalty))} />
              <span class="scorecard-blind" ref={(el) => el && (el.style.left = pct(blind))} aria-hidden="true" />
              {row.fresh === undefined ? null
                : <span class="scorecard-before" ref={(el) => el && (el.style.left = pct(row.fresh))} aria-hidden="true" />}
              <span class="scorecard-num">{row.penalty.toFixed(2)}</span>
            </span>
          </div>
        ))}
      </div>
      <p class="caption scorecard-key">
        <span class="scorecard-key-item"><span class="scorecard-key-bar" aria-hidden="true" />penalty now</span>
        <span class="scorecard-key-item"><span class="scorecard-key-before" aria-hidden="true" />before any training</span>
        <span class="scorecard-key-item"><span class="scorecard-key-blind" aria-hidden="true" />blind guessing among {V} courses: ln {V} ≈ {blind.toFixed(2)}</span>
      </p>
      <dl class="scorecard-sum">
        <div class="scorecard-now">
          <dt>mean penalty now = the loss of "{name}"</dt>
          <dd data-mean-penalty={m.toFixed(6)}>{m.toFixed(3)}</dd>
          <dd class="scorecard-check" data-name-loss={d.loss.toFixed(6)}>
            the kitchen's loss for "{name}": {d.loss.toFixed(3)} {same ? '(the same)' : '(a moment later)'}
          </dd>
        </div>
        <div>
          <dt>before any training (same seed)</dt>
          <dd data-fresh-penalty>{freshMean !== null ? freshMean.toFixed(3) : '…'}</dd>
        </div>
        <div>
          <dt>blind guessing (ln {V})</dt>
          <dd data-blind>{blind.toFixed(3)}</dd>
        </div>
      </dl>
      <p class="caption scorecard-foot">Training exists to bring the loss down (nats per course). Dish {dishText}.</p>
    </div>
  );
}
