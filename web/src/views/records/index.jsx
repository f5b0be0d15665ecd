// records - chapter 1, the ingredients: the master's records (the training
// set). Hooks: [data-records-count], [data-courses-count], [data-in-records],
// [data-pair-loss=emma|amme], .records-hist bars.
import { useEffect, useState } from 'preact/hooks';
import { useStore } from '../../state/store.js';
import { useLive } from '../shared/useLive.js';
import { NameField } from '../shared/Chapter.jsx';

const fmt = (n) => n.toLocaleString('en-US');
const reducedMotion = () => globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

function pick(list, n) {
  const out = [];
  for (let i = 0; i < n && list.length; i++) out.push(list[Math.floor(Math.random() * list.length)]);
  return out;
}

function RollingSample({ records }) {
  const list = records ? [...records] : [];
  const [shown, setShown] = useState(() => pick(list, 8));
  useEffect(() => {
    if (!records) return undefined;
    setShown(pick(list, 8));
    if (reducedMotion()) return undefined;
    const t = setInterval(() => setShown(pick(list, 8)), 2000);
    return () => clearInterval(t);
  }, [records]);
  return (
    <div class="records-sample">
      <p class="caption">A few records, drawn at random{reducedMotion() ? '' : ' every two seconds'}:</p>
      <ul aria-live="off">{shown.map((n) => <li>{n}</li>)}</ul>
      <button type="button" onClick={() => setShown(pick(list, 8))}>Show others</button>
    </div>
  );
}

function Histogram({ lengths }) {
  if (!lengths) return <div class="records-hist" />;
  const counts = [];
  for (const l of lengths) counts[l] = (counts[l] ?? 0) + 1;
  const max = Math.max(...counts.filter(Boolean));
  const rows = [];
  for (let l = 1; l < counts.length; l++) rows.push([l, counts[l] ?? 0]);
  return (
    <figure class="records-hist" aria-label="How long the names are">
      <figcaption class="caption">Letters per name (bars: number of records)</figcaption>
      <div class="records-bars">
        {rows.map(([l, c]) => (
          <div class="records-bar" title={`${c} names with ${l} letters`}>
            <span class="records-count">{c ? fmt(c) : ''}</span>
            <span class="records-fill" ref={(el) => el && (el.style.height = `${(c / max) * 100}%`)} />
            <span class="records-len">{l}</span>
          </div>
        ))}
      </div>
    </figure>
  );
}

export function Records({ initialName }) {
  const store = useStore();
  const info = store.info.value, records = store.records.value;
  const [query, setQuery] = useState(initialName ?? 'emma');
  const lengths = useLive((c) => c.request('docLengths'), [], { every: 60_000 }).data;
  const pair = useLive(async (c) => ({
    emma: await c.request('nameLoss', { name: 'emma' }), amme: await c.request('nameLoss', { name: 'amme' }),
  }), []).data;
  const q = query.trim();
  const valid = /^[a-z]+$/.test(q);
  const answer = !q ? 'Type a name.' : !valid ? 'The records hold only lowercase letters a–z: try a name like "emma".'
    : records?.has(q) ? `Yes: "${q}" is in the records.` : `No: "${q}" is not in the records.`;
  return (
    <div class="records">
      <dl class="records-figures">
        <div><dt>records (names)</dt><dd data-records-count>{info ? fmt(info.numDocs) : '…'}</dd></div>
        <div><dt>distinct courses (letters)</dt><dd data-courses-count>{info ? info.vocab.length - 1 : '…'}</dd></div>
        <div><dt>plus the service bell (BOS)</dt><dd>1</dd></div>
      </dl>
      <p class="caption">Only the order of the courses is recorded, no recipes. A real GPT's records are a large part of the written internet.</p>
      <div class="grid2">
        <RollingSample records={records} />
        <Histogram lengths={lengths} />
      </div>
      <div class="panel">
        <NameField id="records-query" label="Is this name in the records?" value={query} onInput={setQuery} />
        <p data-in-records={valid ? String(!!records?.has(q)) : 'invalid'} class={valid ? '' : 'note error'}>{answer}</p>
      </div>
      <div class="panel records-pair">
        <p><strong>"emma" against "amme":</strong> the same courses in another order, two different meals. Ming's penalty (loss, in nats per course; lower = more plausible to him):</p>
        <ul>
          <li>emma: <b data-pair-loss="emma">{pair ? pair.emma.toFixed(3) : '…'}</b></li>
          <li>amme: <b data-pair-loss="amme">{pair ? pair.amme.toFixed(3) : '…'}</b></li>
        </ul>
        <p class="caption">{pair ? (pair.emma < pair.amme ? 'Ming finds "emma" more plausible: order matters.' : 'Untrained, Ming cannot tell them apart yet: press Train.') : ''}</p>
      </div>
    </div>
  );
}
