// line - chapter 3, the assembly line for a prefix: palate cleanser
// (RMSNorm), the four sous chefs (attention heads) over the notebook pages
// (KV cache), the back kitchen (MLP, ReLU), the spoonful of stock
// (residual) and the final vote (softmax of the logits).
// Hooks: [data-head=h] rows with [data-weight] cells, [data-zeroed], .vote-bars li[data-course].
import { useStore } from '../../state/store.js';
import { useLive } from '../shared/useLive.js';
import { NameField, courseLabel } from '../shared/Chapter.jsx';
import { VoteBars } from '../shared/Bars.jsx';
import { Cells } from '../shared/Cells.jsx';
import { useNameInput } from '../shared/names.js';

export function Line({ initialName }) {
  const store = useStore();
  const info = store.info.value;
  const { text, asked, problem, onInput } = useNameInput(initialName ?? 'emm', info?.vocab);
  const live = useLive((c) => c.request('inspect', { text: asked }), [asked]);
  const r = live.data;
  if (!info || !r) return <p class="caption">Opening the kitchen…</p>;
  const n = r.n, p = n - 1, L = r.layers, H = r.heads, F = r.hidden, V = r.vocabSize;
  const labels = Array.from(r.tokens, (t) => courseLabel(info.vocab, t));
  const l = L - 1;
  const pre = r.mlpPre.subarray((l * n + p) * F, (l * n + p + 1) * F);
  const post = r.mlpPost.subarray((l * n + p) * F, (l * n + p + 1) * F);
  const zeroed = Array.from(pre, (x) => x <= 0);
  const nZero = zeroed.filter(Boolean).length;
  const s = (k, li = 0) => r.stream[(li * n + p) * 3 + k];
  const probs = r.probs.subarray(p * V, (p + 1) * V);
  return (
    <div class="line">
      <NameField id="line-prefix" label="What comes after…" value={text} onInput={onInput} error={problem ?? live.error} hint="Ming answers one question per course: what comes next?" />
      <ol class="line-stations">
        <li class="panel">
          <h3>Palate cleanser (RMSNorm)</h3>
          <p class="caption">Before each station the stream is rescaled to a steady size, so no flavor drowns the others.
            The stream entering the line for "{labels.slice(1).join('')}" has size |x| = <b data-stream="in">{s(0).toFixed(2)}</b> (square root of the sum of squares of its 16 numbers).</p>
        </li>
        <li class="panel">
          <h3>The sous-chef roundtable (attention, {H} heads)</h3>
          <p class="caption">The only station that looks back. Each sous chef reads the notebook pages (the KV cache) of the courses so far and decides how much each one matters now; each row sums to 100%. Roles like "richness" or "texture" are illustrations: real heads learn whatever helps.</p>
          <div class="line-heads" role="table" aria-label="Attention weights of each head over the earlier courses">
            <div role="row" class="line-head-row line-head-labels">
              <span role="columnheader">chef</span>
              {labels.map((c) => <span role="columnheader">{c}</span>)}
            </div>
            {Array.from({ length: H }, (_, h) => {
              const w = r.attention.subarray(((l * H + h) * n + p) * n, ((l * H + h) * n + p + 1) * n);
              return (
                <div role="row" class="line-head-row" data-head={h}>
                  <span role="rowheader">#{h + 1}</span>
                  {Array.from(w, (x) => (
                    <span role="cell" class="line-weight" data-weight={x.toFixed(4)} ref={(el) => el && el.style.setProperty('--w', String(x))}>
                      {(x * 100).toFixed(0)}%
                    </span>
                  ))}
                </div>
              );
            })}
          </div>
          <p class="caption">A spoonful of the original stock (the residual) is stirred back in: |x| {s(0).toFixed(2)} → <b data-stream="mid">{s(1).toFixed(2)}</b>.</p>
        </li>
        <li class="panel">
          <h3>The back kitchen (MLP: 16 → 64 → 16)</h3>
          <p class="caption">Open wide into 64 units, then the quality check (ReLU) zeroes every unit that fails: <b data-zeroed={nZero}>{nZero} of {F}</b> failed (grey) for this course. The rest are compressed back to 16.</p>
          <Cells values={pre} max={Math.max(1e-9, ...Array.from(pre, Math.abs))} grey={zeroed} cell={Math.max(5, Math.min(12, Math.floor(560 / F)))} label={`${F} back-kitchen units, ${nZero} zeroed`} />
          <p class="caption">Another spoonful of stock: |x| {s(1).toFixed(2)} → <b data-stream="out">{s(2, L - 1).toFixed(2)}</b>.{L > 1 ? ` (${L} stations stacked; the last is shown.)` : ' microgpt runs the line once; a real GPT stacks dozens.'}</p>
          <span class="visually-hidden">{post.length}</span>
        </li>
        <li class="panel">
          <h3>The final vote (logits → softmax)</h3>
          <p class="caption">Scores for all {V} next courses, made into percentages that sum to 100%.</p>
          <VoteBars probs={probs} vocab={info.vocab} label="Next-course probabilities, sorted" />
        </li>
      </ol>
    </div>
  );
}
