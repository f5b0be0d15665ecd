// dials - the wall of all dials alone, live while Ming trains.
// Hooks: [data-dial-picked].
import { useState } from 'preact/hooks';
import { useStore } from '../../state/store.js';
import { useLive } from '../shared/useLive.js';
import { DialWall } from '../shared/DialWall.jsx';
import { dialName } from '../shared/dials.js';

export function Dials() {
  const store = useStore();
  const info = store.info.value;
  const [picked, setPicked] = useState(-1);
  const snap = useLive((c) => c.request('snapshot'), []).data;
  if (!info || !snap) return <p class="caption">Opening the kitchen…</p>;
  return (
    <div class="dials">
      <p class="caption">Every one of Ming's {info.numParams.toLocaleString('en-US')} dials (the parameters), in order, at dish {snap.step.toLocaleString('en-US')}. Click a dial to read it.</p>
      <DialWall values={snap.params} tensors={info.tensors} max={0.3} highlight={picked} onPick={setPicked} label="All dials" negative="negative" positive="positive" />
      <p data-dial-picked={picked >= 0 ? picked : undefined} aria-live="polite">
        {picked >= 0 ? <>dial #{picked} = {dialName(info.tensors, picked)} = {snap.params[picked].toFixed(5)}</> : 'No dial chosen.'}
      </p>
    </div>
  );
}
