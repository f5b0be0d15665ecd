// line - chapter 3, the assembly line for a prefix, at its LAST course:
// palate cleanser (RMSNorm), the four sous chefs (attention heads) over the
// notebook pages (KV cache), the back kitchen (MLP, ReLU), the spoonful of
// stock (residual) and the final vote (softmax of the logits).
// Hooks: [data-prefix] (the prefix shown), [data-head=h] rows with
// [data-weight] cells (fractions, each row sums to 1), [data-zeroed] (units
// zeroed of [data-units]), [data-stream=in|mid|out] (|x| entering, after the
// attention add, after the MLP add), .vote-bars li[data-course] (sorted);
// data-shows-dish on .line (the dish of the pass shown).
import { useStore } from '../../state/store.js';
import { useLive } from '../shared/useLive.js';
import { NameField, courseLabel, courseText } from '../shared/Chapter.jsx';
import { VoteBars } from '../shared/Bars.jsx';
import { useNameInput, nameHint } from '../shared/names.js';
import { UnitGrid } from './UnitGrid.jsx';

const f2 = (x) => x.toFixed(2);

export function Line({ initialName, onName }) {
  const store = useStore();
  const info = store.info.value;
  const { text, asked, problem, onInput, maxLength } = useNameInput(initialName ?? 'emm', onName, { prefix: 3 });
  const live = useLive((c) => c.request('inspect', { text: asked }), [asked]);
  const r = live.data;
  const field = (
    <NameField id="line-prefix" label="What comes after…" value={text} onInput={onInput} error={problem ?? live.error} maxLength={maxLength}
      hint={`${nameHint(info)} Ming answers one question per course: what comes next?`} />
  );
  if (!info || !r) return <div class="line">{field}<p class="caption line-wait">Opening the kitchen…</p></div>;
  const n = r.n, p = n - 1, L = r.layers, H = r.heads, F = r.hidden, V = r.vocabSize;
  const E = F / 4;
  const labels = Array.from(r.tokens, (t) => courseLabel(info.vocab, t));
  const prefix = labels.slice(1).join('');
  const l = 0; // microgpt has one layer; with more, the first is shown
  const post = r.mlpPost.subarray((l * n + p) * F, (l * n + p + 1) * F);
  const pre = r.mlpPre.subarray((l * n + p) * F, (l * n + p + 1) * F);
  const zeroed = Array.from(pre, (x) => !(x > 0));
  const nZero = zeroed.filter(Boolean).length;
  const maxPost = Math.max(1e-9, ...post);
  const s = (k) => r.stream[(l * n + p) * 3 + k];
  const probs = r.probs.subarray(p * V, (p + 1) * V);
  const cols = { gridTemplateColumns: `3em repeat(${n}, minmax(2.5em, 3.4em))` };
  const last = labels[p];
  return (
    <div class="line" data-prefix={prefix} data-shows-dish={live.dish}>
      {field}
      <p class="caption">Following the last course, "{last}" at position {p} (after "{prefix}"), through each station:</p>
      <ol class="line-stations">
        <li class="panel">
          <h3>Palate cleanser (RMSNorm)</h3>
          <p class="caption">Before each station Ming takes a copy of the stream ({E} numbers) and rescales it to a steady size:
            root mean square 1, so its size |x| (square root of the sum of squares) is √{E} = {f2(Math.sqrt(E))}. No flavor drowns the others.
            The flavor card plus the sequence tag are cleansed once on the way in, which is why the stream enters the line at size {f2(s(0))}.</p>
        </li>
        <li class="panel">
          <h3>The sous-chef roundtable (attention, {H} heads)</h3>
          <p class="caption">The only station that looks back. Each sous chef reads the notebook pages (the KV cache) of every course so far, the bell included, and weighs how much each matters now.
            Each row sums to 100%. Roles like "richness" or "texture" are only illustrations: real heads learn whatever helps.</p>
          <div class="line-heads" role="table" tabIndex={0} aria-label={`Attention weights (%) of each sous chef over the earlier courses, for "${last}" at position ${p}`}>
            <div role="row" class="line-head-row line-head-labels" style={cols}>
              <span role="columnheader">chef</span>
              {Array.from(r.tokens, (t, i) => <span role="columnheader" title={`position ${i}`}>{courseText(info.vocab, t)}</span>)}
            </div>
            {Array.from({ length: H }, (_, h) => {
              const w = r.attention.subarray(((l * H + h) * n + p) * n, ((l * H + h) * n + p + 1) * n);
              return (
                <div role="row" class="line-head-row" data-head={h} style={cols}>
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
          <p class="caption">Columns: the notebook page of each earlier course (position 0 is the bell). Darker = more weight.</p>
        </li>
        <li class="panel">
          <h3>The back kitchen (MLP: {E} → {F} → {E})</h3>
          <p class="caption">The copy is opened wide into {F} units, then the quality check (ReLU) zeroes every unit that fails (below 0):
            {' '}<b data-zeroed={nZero} data-units={F}>{nZero} of {F} failed the quality check</b> for "{last}". The rest are compressed back to {E} numbers.</p>
          <UnitGrid values={post} zeroed={zeroed} max={maxPost} label={`${F} back-kitchen units: ${nZero} zeroed, ${F - nZero} passed`} />
          <p class="line-units-legend caption">
            <span class="line-key line-key-zero" aria-hidden="true" /> grey ×: failed, zeroed
            <span class="line-key line-key-pass" aria-hidden="true" /> red: passed, darker = stronger (0 to {f2(maxPost)})
          </p>
        </li>
        <li class="panel">
          <h3>A spoonful of stock (the residual)</h3>
          <p class="caption">After each station its result is added to the original stream, so nothing tasted earlier is lost. The stream's size |x| along the line:</p>
          <ol class="line-stock">
            <li><span>entering</span><b data-stream="in">{f2(s(0))}</b></li>
            <li><span>+ roundtable</span><b data-stream="mid">{f2(s(1))}</b></li>
            <li><span>+ back kitchen</span><b data-stream="out">{f2(s(2))}</b></li>
          </ol>
          <p class="caption">{L > 1 ? `Ming has ${L} such lines stacked; the first is shown.` : 'microgpt runs the line once (one layer); a real GPT stacks dozens.'}</p>
        </li>
        <li class="panel">
          <h3>The final vote (logits → softmax)</h3>
          <p class="caption">The stream leaving the line is turned into scores for all {V} possible next courses, made into percentages that sum to 100%: Ming's bet on what follows "{prefix}".</p>
          <VoteBars probs={probs} vocab={info.vocab} label={`Next-course probabilities after "${prefix}", sorted, in percent`} />
        </li>
      </ol>
    </div>
  );
}
