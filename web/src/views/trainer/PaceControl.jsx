// PaceControl.jsx - how fast Ming cooks: the kitchen's pace (watch, fast,
// instant; every page and widget of the kitchen sees the same), one dish at
// a time, or the rest of the run at full speed; and what this device could do.
// Hooks: input[name=pace][value=watch|fast|instant], [data-action=one-dish],
// [data-action=finish], [data-device-rate] (dishes a second at full speed).
import { useStore, PACE_NAMES, isCooking } from '../../state/store.js';

const fmt = (n) => n.toLocaleString('en-US');
const PACE_HINT = { watch: '150 dishes a second', fast: '1,500 dishes a second', instant: 'the device\u2019s full speed' };
// finish cooks the rest at full speed from any of these (PROTOCOL.md)
const CAN_FINISH = new Set(['idle', 'warming', 'training', 'paused']);
export function PaceControl({ actions }) {
  const store = useStore();
  const st = store.state.value, ready = store.phase.value === 'ready';
  const pace = store.pace.value, rate = store.deviceRate.value;
  // deviceRate comes with the kitchen's news: a state event once it has measured this device, then every progress
  // a rate of 46,378 reads as 46,000: a device's speed is not that exact
  const shown = rate >= 1000 ? Math.round(rate / 1000) * 1000 : Math.round(rate);
  return (
    <div class="pace" role="group" aria-label="Pace" data-pace-now={pace}>
      <fieldset class="pace-choice">
        <legend>Pace</legend>
        {PACE_NAMES.map((p) => (
          <label title={PACE_HINT[p]}>
            <input type="radio" name="pace" value={p} checked={pace === p} disabled={!ready}
              onChange={() => actions.setPace(p)} /> {p}
          </label>
        ))}
      </fieldset>
      <button type="button" disabled={!ready || !(st === 'idle' || st === 'paused')} data-action="one-dish"
        title="Cook a single dish (one training step), then wait" onClick={() => actions.step()}>One dish</button>
      <button type="button" disabled={!ready || !CAN_FINISH.has(st) || store.finishing.value} data-action="finish"
        title="Cook the rest of the run at full speed" onClick={() => actions.finish()}>Finish</button>
      <span class="caption pace-device" data-device-rate={rate ? Math.round(rate) : undefined}>
        {PACE_HINT[pace]}; {rate ? <>this device cooks {fmt(shown)} dishes a second</> : 'measuring this device…'}
        {store.finishing.value && isCooking(st) ? ' · finishing at full speed' : ''}
      </span>
    </div>
  );
}
