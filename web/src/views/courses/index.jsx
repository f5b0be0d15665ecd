// courses - chapter 2, one course at a time: a name becomes bells and
// courses, ids, and each course's flavor card (wte row) and sequence tag
// (wpe row). Hooks: [data-ids] (e.g. "26 4 12 12 0 26"), .courses-card canvases.
import { useStore } from '../../state/store.js';
import { useLive } from '../shared/useLive.js';
import { NameField, courseLabel } from '../shared/Chapter.jsx';
import { Cells } from '../shared/Cells.jsx';
import { ScaleLegend } from '../shared/ScaleLegend.jsx';
import { useNameInput } from '../shared/names.js';

const SCALE = 0.3;

export function Courses({ initialName }) {
  const store = useStore();
  const info = store.info.value;
  const { text: name, asked: good, problem, onInput } = useNameInput(initialName ?? 'emma', info?.vocab);
  const snap = useLive((c) => c.request('snapshot'), []).data;
  if (!info) return <p class="caption">Opening the kitchen…</p>;
  const bos = info.vocab.length - 1;
  const ids = [bos, ...[...good].map((ch) => info.vocab.indexOf(ch)), bos];
  const wte = info.tensors.find((t) => t.name === 'wte'), wpe = info.tensors.find((t) => t.name === 'wpe');
  const E = wte.cols;
  const row = (t, r) => snap?.params.subarray(t.offset + r * E, t.offset + (r + 1) * E);
  return (
    <div class="courses">
      <NameField id="courses-name" label="A name" value={name} onInput={onInput} error={problem} hint="Ming reads it as courses between two bells." />
      <div class="courses-seq" aria-label="The name as courses">
        {ids.map((id, p) => (
          <div class={`courses-token ${id === bos ? 'bell' : ''}`}>
            <span class="courses-char">{courseLabel(info.vocab, id)}</span>
            <span class="courses-id">{id}</span>
          </div>
        ))}
      </div>
      <p class="caption">Course ids: <code data-ids={ids.join(' ')}>{ids.join(' ')}</code>. An id says which course, not what it is like.</p>
      <table class="courses-cards">
        <thead><tr><th scope="col">course</th><th scope="col">flavor card (wte row, 16 numbers)</th><th scope="col">sequence tag (wpe row)</th></tr></thead>
        <tbody>
          {ids.map((id, p) => (
            <tr>
              <th scope="row">{courseLabel(info.vocab, id)} <span class="courses-pos">#{p}</span></th>
              <td><Cells values={row(wte, id)} max={SCALE} label={`flavor card of ${courseLabel(info.vocab, id)}`} /></td>
              <td>{p < info.blockSize ? <Cells values={row(wpe, p)} max={SCALE} label={`sequence tag of position ${p}`} /> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ScaleLegend max={SCALE} negative="blue: negative" positive="red: positive" />
      <p class="caption">Both start as random numbers and gain meaning as Ming trains (step {store.step.value.toLocaleString('en-US')}). Real GPTs cut text into about 100,000 word pieces, not letters.</p>
    </div>
  );
}
