// Names.jsx - twenty names Ming cooks at the risk dial's setting, each
// marked as on the master's menu (in the training data) or invented.
import { useStore } from '../../state/store.js';
import { NAME_COUNT } from '../../state/actions.js';

export function Names({ actions }) {
  const store = useStore();
  const names = store.names.value, records = store.records.value;
  const invented = records ? names.filter((n) => !records.has(n)).length : 0;
  const slots = Array.from({ length: NAME_COUNT }, (_, i) => names[i]);
  return (
    <div class="names-box">
      <div class="names-head">
        <h3>Ming's omakase sets (sampled names)</h3>
        <button type="button" disabled={store.phase.value !== 'ready'} onClick={() => actions.resample({ reroll: true })} data-action="reroll">Re-roll</button>
      </div>
      <p class="caption" data-invented-share>
        {names.length
          ? <>{invented} of {names.length} are invented dishes ({Math.round((100 * invented) / names.length)}%): names that sound right but are not in the records, the kitchen's hallucinations.</>
          : 'Names appear once the kitchen is open.'}
      </p>
      <ol class="names" aria-live="polite" aria-atomic="true">
        {slots.map((n) => {
          if (n === undefined) return <li class="name empty" aria-hidden="true">&nbsp;</li>;
          const known = records?.has(n);
          return (
            <li class={`name ${known ? 'known' : 'invented'}`} data-mark={known ? 'menu' : 'invented'}>
              <span class="dish">{n === '' ? '(the bell at once)' : n}</span>
              <span class="tag">{known ? 'on the menu' : 'invented'}</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
