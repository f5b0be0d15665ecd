// dials - the wall of all dials alone (not a numbered chapter), live while
// Ming trains: one cell per parameter, a legend, and the name and value of
// the dial the reader picks (a click on the wall, or its number typed).
// Hooks: [data-dials-step] (the dish the wall shows), [data-dial-picked]
// (the chosen dial's index, with data-dial-value), #dials-pick (its number),
// data-shows-dish on .dials and on the wall's canvas (once drawn).
import { useState } from 'preact/hooks';
import { useStore } from '../../state/store.js';
import { useFocusWithin } from '../shared/useFocusWithin.js';
import { useLive } from '../shared/useLive.js';
import { DialWall } from '../shared/DialWall.jsx';
import { dialName } from '../shared/dials.js';
import { DialPicker } from '../shared/DialPicker.jsx';

const fmt = (n) => n.toLocaleString('en-US');
const signed = (x) => `${x > 0 ? '+' : x < 0 ? '-' : ''}${Math.abs(x).toFixed(5)}`;

export function Dials() {
  const store = useStore();
  const info = store.info.value;
  const [picked, setPicked] = useState(-1);
  const feed = useLive((c) => c.request('snapshot'), []);
  const snap = feed.data;
  const [live, within] = useFocusWithin(); // the value read changes as Ming trains: told only while reading it
  if (!info || !snap) return <p class="caption dials-wait">Opening the kitchen…</p>;
  return (
    <div class="dials" data-shows-dish={feed.dish}>
      <p class="caption">
        All {fmt(info.numParams)} dials, in parameter order, one table (tensor) per block, at dish{' '}
        <b data-dials-step>{fmt(snap.step)}</b>: red above zero, blue below (full colour at ±0.3 and beyond).
      </p>
      <DialWall values={snap.params} tensors={info.tensors} max={0.3} highlight={picked} onPick={setPicked} dish={snap.step}
        label={`All ${info.numParams} dials (parameter values) at dish ${snap.step}`} negative="negative" positive="positive" unit="" />
      <div class="dials-read" {...within}>
        <DialPicker id="dials-pick" label="Read dial number" value={picked} numParams={info.numParams} onPick={setPicked} />
        <p class="dials-out" aria-live={live} data-dial-picked={picked >= 0 ? picked : undefined}
          data-dial-value={picked >= 0 ? snap.params[picked] : undefined}>
          {picked >= 0
            ? <>dial #{picked} = <b>{dialName(info.tensors, picked)}</b> (table[row][column], from 0) = <b>{signed(snap.params[picked])}</b></>
            : 'Click a dial on the wall, or type its number, to read it.'}
        </p>
      </div>
    </div>
  );
}
