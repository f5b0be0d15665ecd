// SetupBody.jsx - the open setup panel (Setup.jsx): the master's records (a
// preset, a pasted list or a text file, one record per line) and Ming's size
// (width, sous chefs, stations, longest set), with the dial count of a size as
// it is typed. Its own chunk, loaded when the reader opens the panel. The
// engine decides what it takes: its messages are shown as they come, with
// what it accepts (its limits, from the kitchen's info); the reader's text
// stays in the box and a refused change leaves Ming as he was.
// Hooks: [data-setup=preset|text|file|nEmbd|nHead|nLayer|blockSize],
// [data-action=use-preset|use-text|apply-size], [data-setup-note=records|size]
// (data-kind ok|error|busy; data-seq counts the notes), [data-setup-dials] (the dial count, data-dials).
import { useEffect, useRef, useState } from 'preact/hooks';
import { useStore } from '../../state/store.js';

const fmt = (n) => n.toLocaleString('en-US');
const mib = (bytes) => `${fmt(Math.round(bytes / 2 ** 20))} MiB`;

// The sizes: their names in the kitchen and in code, and their upper bound
// in engine.limits (sous chefs: at most the width, which they divide).
const SIZES = [
  { key: 'nEmbd', label: 'Width', term: 'n_embd', limit: 'nEmbd' },
  { key: 'nHead', label: 'Sous chefs', term: 'n_head', limit: null },
  { key: 'nLayer', label: 'Stations', term: 'n_layer', limit: 'nLayer' },
  { key: 'blockSize', label: 'Longest set', term: 'block_size', limit: 'blockSize' },
];

/** What the engine takes, in its own limits. */
function accepts(limits) {
  if (!limits) return 'He takes plain text, one record per line.';
  return `He takes plain text (UTF-8), one record per line: at most ${mib(limits.textBytes)}, `
    + `no NUL bytes, at most ${fmt(limits.vocab - 1)} distinct characters.`;
}

/** What the records now are, in a sentence. */
function learned(store) {
  const info = store.info.value, r = store.records.value;
  if (!info) return '';
  const block = info.config.blockSize;
  const cut = info.cutRecords ?? 0;
  return `Ming learns ${r.name || 'the page\u2019s records'}: ${fmt(info.numDocs)} records, ${fmt(info.vocabSize - 1)} courses (characters).`
    + (cut ? ` ${fmt(cut)} ${cut === 1 ? 'record is' : 'records are'} longer than his longest set (block_size ${block}): he learns only the first ${fmt(block)} courses of ${cut === 1 ? 'it' : 'each'}, as microgpt.py does.` : '');
}

function RecordsPicker({ actions }) {
  const store = useStore();
  const ready = store.phase.value === 'ready';
  const [presets, setPresets] = useState(null);
  const [chosen, setChosen] = useState('');
  const [text, setText] = useState(store.records.value.text ?? '');
  const [note, setNoteOnly] = useState(null); // {kind, text, seq}
  const seq = useRef(0); // each note its own number (data-seq), for who waits for the next one
  const setNote = (n) => setNoteOnly({ ...n, seq: ++seq.current });
  const file = useRef(null);
  useEffect(() => {
    actions.presets().then(setPresets, (err) => setNote({ kind: 'error', text: err.message }));
  }, []);
  useEffect(() => { if (ready) actions.nameRecords(); }, [ready]);
  const current = store.records.value.preset;
  useEffect(() => setChosen(current ?? ''), [current]);
  const limits = store.info.value?.limits;

  const run = async (what, label) => {
    setNote({ kind: 'busy', text: `Reading ${label}…` });
    const err = await actions.setRecords(what);
    setNote(err ? { kind: 'error', text: `Ming could not learn ${label}: ${err}. ${accepts(limits)} He still knows his old records.` }
      : { kind: 'ok', text: learned(store) });
  };
  const onFile = async (e) => {
    const f = e.currentTarget.files?.[0];
    e.currentTarget.value = ''; // the same file may be opened again
    if (!f) return;
    // a file over the engine's limit is refused before it is read
    if (limits && f.size > limits.textBytes) {
      setNote({ kind: 'error', text: `Ming could not learn ${f.name}: the file is ${fmt(f.size)} bytes; the limit is ${fmt(limits.textBytes)} bytes (${mib(limits.textBytes)}). ${accepts(limits)}` });
      return;
    }
    await run({ text: new Uint8Array(await f.arrayBuffer()), name: f.name }, f.name);
  };
  const preset = presets?.find((p) => p.id === chosen);
  const shown = note?.kind === 'ok' || !note ? { kind: 'ok', text: learned(store), seq: note?.seq ?? 0 } : note;
  return (
    <fieldset class="setup-records">
      <legend>The master's records (training data)</legend>
      <div class="setup-row">
        <label class="field">
          <span>A preset</span>
          <select data-setup="preset" value={chosen} disabled={!presets} onChange={(e) => setChosen(e.currentTarget.value)}>
            {!current && <option value="">choose a list…</option>}
            {(presets ?? []).map((p) => <option value={p.id}>{p.label} ({fmt(p.count)})</option>)}
          </select>
        </label>
        <button type="button" data-action="use-preset" disabled={!ready || !preset}
          onClick={() => run({ preset: preset.id }, preset.label)}>Learn this preset</button>
      </div>
      {preset && <p class="caption setup-credit">{fmt(preset.count)} records, {fmt(preset.chars)} distinct characters, {fmt(Math.ceil(preset.bytes / 1024))} KB; {preset.package}{preset.version ? `@${preset.version}` : ''}, {preset.licence}.</p>}
      <label class="field setup-text">
        <span>Or your own list, one record per line</span>
        <textarea data-setup="text" rows="5" spellcheck={false} value={text}
          onInput={(e) => setText(e.currentTarget.value)} placeholder={'ming\nmei\nmarco'} />
      </label>
      <div class="setup-row">
        <button type="button" data-action="use-text" disabled={!ready}
          onClick={() => run({ text, name: 'your list' }, 'your list')}>Learn my list</button>
        <button type="button" disabled={!ready} onClick={() => file.current?.click()}>Open a text file…</button>
        <input ref={file} type="file" accept=".txt,text/plain" data-setup="file" class="visually-hidden" tabIndex={-1}
          aria-label="Open a text file of records" onChange={onFile} />
      </div>
      <p class={`note setup-note ${shown.kind}`} data-setup-note="records" data-kind={shown.kind} data-seq={shown.seq}
        role={shown.kind === 'error' ? 'alert' : 'status'}>{shown.text}</p>
    </fieldset>
  );
}

function SizePicker({ actions }) {
  const store = useStore();
  const ready = store.phase.value === 'ready';
  const now = store.config.value, limits = store.info.value?.limits;
  const [draft, setDraft] = useState(now);
  const [check, setCheck] = useState({ numParams: store.info.value?.numParams ?? null, error: null });
  const [note, setNote] = useState(null);
  useEffect(() => setDraft(now), [now]);
  // the dial count of the size typed, from the engine: one question in flight, the newest wins
  const asked = useRef(null);
  useEffect(() => {
    if (!ready) return;
    const config = draft;
    asked.current = config;
    const bad = SIZES.find((s) => !Number.isInteger(config[s.key]));
    if (bad) { setCheck({ numParams: null, error: `${bad.label} (${bad.term}) must be a whole number` }); return; }
    store.client.request('checkConfig', { config }).then(
      (r) => { if (asked.current === config) setCheck({ numParams: r.numParams, error: null }); },
      (err) => { if (asked.current === config) setCheck({ numParams: null, error: err.message }); });
  }, [draft, ready, store.info.value]);
  const same = SIZES.every((s) => draft[s.key] === now[s.key]);
  const apply = async () => {
    setNote({ kind: 'busy', text: 'Rebuilding Ming…' });
    const err = await actions.setSize(draft);
    setNote(err ? { kind: 'error', text: `Ming keeps his size: ${err}` } : null);
  };
  const max = (s) => (s.limit ? limits?.[s.limit] : draft.nEmbd);
  return (
    <fieldset class="setup-size">
      <legend>Ming's size</legend>
      <div class="setup-row">
        {SIZES.map((s) => (
          <label class="field">
            <span>{s.label} ({s.term})</span>
            <input type="number" inputMode="numeric" min="1" max={max(s)} step="1" data-setup={s.key}
              value={Number.isInteger(draft[s.key]) ? draft[s.key] : ''} disabled={!ready}
              onInput={(e) => { const v = e.currentTarget.value; setDraft({ ...draft, [s.key]: /^\d{1,7}$/.test(v) ? Number(v) : NaN }); }} />
          </label>
        ))}
      </div>
      <p class={`setup-dials ${check.error ? 'error' : ''}`} data-setup-dials data-dials={check.numParams ?? undefined}
        role={check.error ? 'alert' : undefined}>
        {check.error ? <>Refused: {check.error}</>
          : check.numParams !== null ? <><b>{fmt(check.numParams)}</b> dials (parameters){same ? ', his size now' : ''}</> : '…'}
      </p>
      <div class="setup-row">
        <button type="button" data-action="apply-size" disabled={!ready || same || !!check.error} onClick={apply}>Rebuild Ming at this size</button>
        <button type="button" disabled={!ready || same} onClick={() => { setDraft(now); setNote(null); }}>Undo</button>
      </div>
      {note && <p class={`note setup-note ${note.kind}`} data-setup-note="size" data-kind={note.kind}
        role={note.kind === 'error' ? 'alert' : 'status'}>{note.text}</p>}
      <p class="caption">A new size is a new Ming: new random dials, dish 0, the same records and seed.</p>
    </fieldset>
  );
}

/** The panel's content: the records, then the size. */
export function SetupBody({ actions }) {
  return (
    <div class="setup-body">
      <RecordsPicker actions={actions} />
      <SizePicker actions={actions} />
    </div>
  );
}
