// FileControls.jsx - "Save Ming" (his dials in a .mgpt file: the parameter
// file the CLI reads with --load) and "Load Ming" (a button, or a file
// dropped anywhere on the page), with what happened in words, and for a file
// of other records or another size the offer to switch and load it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useStore } from '../../state/store.js';
import { saveMing, loadMing, FILE_EXTENSION } from './file.js';

export function FileControls({ actions }) {
  const store = useStore();
  const input = useRef(null);
  const [said, setSaid] = useState(null); // {ok, message, offer?: {label, run}}
  const [over, setOver] = useState(false);
  const ready = store.phase.value === 'ready';
  const load = async (file) => {
    if (!file) return;
    setSaid({ ok: true, message: `Reading ${file.name}…`, busy: true });
    setSaid(await loadMing(store, actions, file));
  };
  const accept = async (offer) => {
    setSaid({ ok: true, message: `${offer.label}…`, busy: true });
    setSaid(await offer.run());
  };
  const save = async () => {
    try {
      const { name, bytes } = await saveMing(store);
      setSaid({ ok: true, message: `Saved ${name} (${bytes.toLocaleString('en-US')} bytes): Ming at dish ${store.shownStep.value.toLocaleString('en-US')}. Load it here, or with build/microgpt train --load.` });
    } catch (err) { setSaid({ ok: false, message: `Ming could not be saved: ${err.message}.` }); }
  };
  // a file dropped on the page is a Ming to load (unless a view took it first)
  useEffect(() => {
    const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
    const onOver = (e) => { if (!hasFiles(e) || e.defaultPrevented) return; e.preventDefault(); setOver(true); };
    const onLeave = (e) => { if (!e.relatedTarget) setOver(false); };
    const onDrop = (e) => {
      setOver(false);
      if (!hasFiles(e) || e.defaultPrevented) return;
      e.preventDefault();
      if (store.phase.value === 'ready') load(e.dataTransfer.files[0]);
    };
    document.addEventListener('dragover', onOver);
    document.addEventListener('dragleave', onLeave);
    document.addEventListener('drop', onDrop);
    return () => {
      document.removeEventListener('dragover', onOver);
      document.removeEventListener('dragleave', onLeave);
      document.removeEventListener('drop', onDrop);
    };
  }, []);
  return (
    <div class={`ming-file${over ? ' drop-over' : ''}`}>
      <button type="button" disabled={!ready} onClick={save} data-action="save-ming">Save Ming</button>
      <button type="button" disabled={!ready} onClick={() => input.current?.click()} data-action="load-ming">Load Ming</button>
      <input ref={input} type="file" accept={FILE_EXTENSION} class="visually-hidden" tabIndex={-1} aria-hidden="true"
        data-file-input onChange={(e) => { load(e.currentTarget.files[0]); e.currentTarget.value = ''; }} />
      <span class={`note${said && !said.ok ? ' error' : ''}`} role={said && !said.ok ? 'alert' : 'status'} data-file-said
        data-ok={said ? String(said.ok) : undefined} data-busy={said?.busy ? 'true' : undefined}>
        {said ? said.message : over ? 'Drop the .mgpt file to load Ming.' : 'Save Ming\u2019s dials (the parameters) in a file, or load a file, here or by dropping it on the page.'}
      </span>
      {said?.offer && <button type="button" disabled={!ready} onClick={() => accept(said.offer)} data-action="switch-load">{said.offer.label}</button>}
    </div>
  );
}
