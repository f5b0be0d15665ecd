// Setup.jsx - Ming's setup, a panel under the trainer: its summary line says
// his records and his size; opening it loads what it holds (SetupBody.jsx,
// its own chunk: the records and size pickers), which a first-time reader
// does not need at once. A link's records or size need none of it
// (features/link/link.js asks the actions).
// Hooks: [data-setup-panel], [data-setup-name].
import { useState } from 'preact/hooks';
import { useStore } from '../../state/store.js';
import { useLoaded, NotLoaded, loadStyle } from '../OnDemand.jsx';

const fmt = (n) => n.toLocaleString('en-US');
const loadBody = () => Promise.all([import('./SetupBody.jsx'), loadStyle('setup')]).then(([m]) => m.SetupBody);

export function Setup({ actions }) {
  const store = useStore();
  const info = store.info.value, r = store.records.value;
  const [opened, setOpened] = useState(false);
  const { C: Body, error } = useLoaded(loadBody, opened);
  return (
    <details class="setup" id="setup" data-setup-panel onToggle={(e) => e.currentTarget.open && setOpened(true)}>
      <summary>
        <strong>Ming's setup</strong>: his records (<span data-setup-name>{r.name || 'the page\u2019s records'}</span>) and his size
        ({info ? fmt(info.numParams) : '…'} dials)
      </summary>
      {error ? <NotLoaded error={error} /> : Body ? <Body actions={actions} /> : opened && <p class="caption setup-body">Opening the setup…</p>}
    </details>
  );
}
