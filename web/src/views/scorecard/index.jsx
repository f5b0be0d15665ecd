// scorecard - chapter 4, the diner's scorecard: for each course of a name,
// the chance Ming gave the course that came and its penalty -ln p; the mean
// is the loss. Hooks: [data-score-row], [data-mean-penalty], [data-fresh-penalty].
import { useStore, LN_VOCAB } from '../../state/store.js';
import { useLive } from '../shared/useLive.js';
import { NameField, courseLabel } from '../shared/Chapter.jsx';
import { useNameInput } from '../shared/names.js';

const MAX_PENALTY = 6;

export function Scorecard({ initialName }) {
  const store = useStore();
  const info = store.info.value;
  const { text, asked, problem, onInput } = useNameInput(initialName ?? 'emma', info?.vocab);
  const now = useLive((c) => c.request('inspect', { text: asked }), [asked]);
  const before = useLive((c) => c.request('nameLoss', { name: asked, fresh: true }), [asked], { every: 60_000 });
  const r = now.data;
  if (!info || !r) return <p class="caption">Opening the kitchen…</p>;
  const V = r.vocabSize;
  const rows = Array.from(r.next, (next, p) => ({ p, course: courseLabel(info.vocab, next), chance: r.probs[p * V + next], penalty: r.penalty[p] }));
  const mean = rows.reduce((a, x) => a + x.penalty, 0) / rows.length;
  const x = (v) => `${(Math.min(v, MAX_PENALTY) / MAX_PENALTY) * 100}%`;
  return (
    <div class="scorecard">
      <NameField id="scorecard-name" label="A name to score" value={text} onInput={onInput} error={problem ?? now.error} hint="Each course is scored by the chance Ming gave it." />
      <div class="scorecard-table" role="table" aria-label="Chance and penalty per course">
        <div role="row" class="scorecard-row scorecard-headrow">
          <span role="columnheader">course</span><span role="columnheader">chance Ming gave it</span><span role="columnheader">penalty −ln p</span>
        </div>
        {rows.map((row) => (
          <div role="row" class="scorecard-row" data-score-row={row.p}>
            <span role="cell" class="scorecard-course">{row.course}</span>
            <span role="cell">{(row.chance * 100).toFixed(1)}%</span>
            <span role="cell" class="scorecard-bar-cell">
              <span class="scorecard-bar" ref={(el) => el && (el.style.width = x(row.penalty))} />
              <span class="scorecard-blind" ref={(el) => el && (el.style.left = x(LN_VOCAB))} aria-hidden="true" />
              <span class="scorecard-num">{row.penalty.toFixed(2)}</span>
            </span>
          </div>
        ))}
      </div>
      <p class="caption">The dashed line is blind guessing among 27 courses: ln 27 ≈ 3.30 per course. Penalty bars are cut at {MAX_PENALTY}.</p>
      <dl class="scorecard-sum">
        <div><dt>mean penalty now (the loss of "{asked}")</dt><dd data-mean-penalty={mean.toFixed(6)}>{mean.toFixed(3)}</dd></div>
        <div><dt>before any training (same seed)</dt><dd data-fresh-penalty>{before.data !== null ? before.data.toFixed(3) : '…'}</dd></div>
        <div><dt>blind guessing</dt><dd>{LN_VOCAB.toFixed(3)}</dd></div>
      </dl>
      <p class="caption">Training exists to bring that number down: at dish {store.step.value.toLocaleString('en-US')} of {store.numSteps.value.toLocaleString('en-US')}.</p>
    </div>
  );
}
