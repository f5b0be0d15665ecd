// courses - chapter 2, one course at a time: a name becomes bells and
// courses, ids, and each course's flavor card (wte row) and sequence tag
// (wpe row). Hooks: [data-ids] (e.g. "26 4 12 12 0 26"), [data-name] (the
// name shown), .courses-cards canvases with data-values (4 decimals) and
// data-kind="card"|"tag", [data-step] (the dish the dials are from), data-shows-dish on .courses.
import { useStore } from '../../state/store.js';
import { useLive } from '../shared/useLive.js';
import { NameField, courseLabel, courseText } from '../shared/Chapter.jsx';
import { Cells } from '../shared/Cells.jsx';
import { ScaleLegend } from '../shared/ScaleLegend.jsx';
import { useNameInput, nameHint } from '../shared/names.js';

const SCALE = 0.4; // fixed, so the cards visibly grow as Ming trains (untrained |v| < 0.25; trained 95% below 0.4)

export function Courses({ initialName, onName }) {
  const store = useStore();
  const info = store.info.value;
  const { text: name, asked: good, problem, onInput, maxLength } = useNameInput(initialName ?? 'emma', onName);
  const live = useLive((c) => c.request('snapshot'), []);
  const snap = live.data;
  if (!info) return <p class="caption">Opening the kitchen…</p>;
  const V = info.vocab.length, bos = V - 1; // the bell is the last course
  const ids = [bos, ...[...good].map((ch) => info.vocab.indexOf(ch)), bos];
  const wte = info.tensors.find((t) => t.name === 'wte'), wpe = info.tensors.find((t) => t.name === 'wpe');
  const E = wte.cols;
  const row = (t, r) => snap?.params.subarray(t.offset + r * E, t.offset + (r + 1) * E);
  const data = (v) => (v ? Array.from(v, (x) => x.toFixed(4)).join(' ') : undefined);
  return (
    <div class="courses" data-name={good} data-shows-dish={live.dish}>
      <NameField id="courses-name" label="A name" value={name} onInput={onInput} error={problem} maxLength={maxLength}
        hint={`${nameHint(info)} Ming reads it as courses between two bells.`} />
      <div class="courses-seq" aria-label="The name as courses">
        {ids.map((id, p) => (
          <div class={`courses-token ${id === bos ? 'bell' : ''}`}>
            <span class="courses-char">{courseText(info.vocab, id)}</span>
            <span class="courses-id">{id}</span>
          </div>
        ))}
      </div>
      <p class="caption">Course ids: <code data-ids={ids.join(' ')}>{ids.join(' ')}</code>. An id says which course, not what it is like.</p>
      <details class="courses-vocab-box">
        <summary>All {V} courses (the vocabulary)</summary>
        <p class="caption" id="courses-vocab-title">Every character of his records, in code-point order, and the bell last:</p>
        <ol class="courses-vocab" tabIndex={0} aria-labelledby="courses-vocab-title" data-vocab-size={V}>
          {info.vocab.map((ch, id) => (
            <li data-course-id={id} data-course={courseLabel(info.vocab, id)} class={ch === null ? 'bell' : undefined}>
              <span class="courses-vocab-char">{courseText(info.vocab, id)}</span> <span class="courses-id">{id}</span>
            </li>
          ))}
        </ol>
      </details>
      <table class="courses-cards">
        <thead><tr><th scope="col">course</th><th scope="col">flavor card (wte row, {E} numbers)</th><th scope="col">sequence tag (wpe row)</th></tr></thead>
        <tbody>
          {ids.map((id, p) => (
            <tr>
              <th scope="row">{courseText(info.vocab, id)} <span class="courses-pos">#{p}</span></th>
              <td data-label="flavor card (wte row)"><Cells values={row(wte, id)} max={SCALE} data={data(row(wte, id))} label={`flavor card of ${courseLabel(info.vocab, id)}: ${E} numbers`} /></td>
              <td data-label={`sequence tag of position ${p} (wpe row)`}>{p < info.blockSize ? <Cells values={row(wpe, p)} max={SCALE} data={data(row(wpe, p))} label={`sequence tag of position ${p}: ${E} numbers`} /> : <span class="caption">none: only ever served, never read</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ScaleLegend max={SCALE} negative="blue: negative" positive="red: positive" />
      <p class="caption">Each row: a course and its position (#0 is the opening bell). The flavor card belongs to the course wherever it comes; the sequence tag belongs to the position whatever comes there.
        Both start as random numbers and gain meaning as Ming trains (dials from dish <span data-step={snap?.step ?? 0}>{(snap?.step ?? 0).toLocaleString('en-US')}</span>). Real GPTs cut text into about 100,000 word pieces, not letters.</p>
    </div>
  );
}
