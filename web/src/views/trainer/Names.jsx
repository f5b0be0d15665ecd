// Names.jsx - twenty names Ming invents at the risk dial's setting, each
// marked as on the master's menu (in the training data) or invented. The
// list itself is not a live region: a screen reader hears one summary
// ("20 names, 17 invented") once the dial comes to rest (Trainer.jsx).
// Hook: ol.names[data-shows-dish] (the dish the names were drawn at).
import { useStore } from '../../state/store.js';
import { NAME_COUNT } from '../../state/actions.js';
import { shownName as shown } from '../shared/names.js';


/** "At 0.50: 20 names, 17 invented." for the names now shown, or null. */
export function namesSummary(store) {
  const names = store.names.value, records = store.menu.value;
  if (!names.length || !records) return null;
  const invented = names.filter((n) => !records.has(n)).length;
  return `At risk ${store.temperature.value.toFixed(2)}: ${names.length} names, ${invented} invented.`;
}

export function Names({ actions, summary }) {
  const store = useStore();
  const names = store.names.value, records = store.menu.value;
  const invented = records ? names.filter((n) => !records.has(n)).length : 0;
  const slots = Array.from({ length: NAME_COUNT }, (_, i) => names[i]);
  return (
    <div class="names-box">
      <div class="names-head">
        <h3>Ming's names (samples)</h3>
        <button type="button" disabled={store.phase.value !== 'ready'} onClick={() => actions.resample({ reroll: true })} data-action="reroll">Re-roll</button>
      </div>
      <ol class="names" data-shows-dish={names.length ? store.namesStep.value ?? undefined : undefined}>
        {slots.map((n) => {
          if (n === undefined) return <li class="name empty" aria-hidden="true">&nbsp;</li>;
          const known = records?.has(n);
          return (
            <li class={`name ${known ? 'known' : 'invented'}`} data-mark={known ? 'menu' : 'invented'}>
              <span class="dish" title={shown(n)}>{shown(n)}</span>
              <span class="tag">{known ? 'on the menu' : 'invented'}</span>
            </li>
          );
        })}
      </ol>
      <p class="caption" data-invented-share>
        {names.length
          ? <>{invented} of {names.length} names are invented ({Math.round((100 * invented) / names.length)}%): they sound right but are not in the records, the kitchen's hallucinations.</>
          : 'Names appear once the kitchen is open.'}
      </p>
      <p class="visually-hidden" aria-live="polite" data-names-summary>{summary}</p>
    </div>
  );
}
