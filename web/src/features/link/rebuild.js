// rebuild.js - a link's run rebuilt once the kitchen is open (link.js
// rebuild): its records and size set (ones the engine refuses give a note),
// Ming trained to the link's dish, his curve and names shown, the dish it
// showed scrubbed to. Its own chunk: a page opened with no link needs none.
import { batch } from '@preact/signals';
import { sizeKey } from './format.js';
import { sameSize } from './sameSize.js';

/** The link's run (link.state) on the page of store and actions; mark(what): the link's performance marks. */
export async function rebuildRun({ store, actions, link, mark }) {
  const { at, view, records, config } = link.state;
  const notes = [];
  try {
    if (store.phase.value === 'ready' && (records?.preset || records?.text)) {
      const said = await actions.setRecords(records.preset ? { preset: records.preset } : { text: records.text, name: records.name });
      if (said) notes.push(`The link's records (${records.preset ? `records=${records.preset}` : `"${records.name ?? 'your own'}"`}) could not be used: ${said}. Using the default records.`);
    }
    if (store.phase.value === 'ready' && config && !sameSize(config, store.config.value)) {
      const said = await actions.setSize(config);
      if (said) notes.push(`The link's size (size=${sizeKey(config)}) could not be used: ${said}. Using ${sizeKey(store.config.value)}.`);
    }
    if (notes.length) link.notes.value = [...link.notes.value, ...notes];
    if (at > 0 && store.phase.value === 'ready' && store.step.value === 0) {
      const run = { seed: store.seed.value, steps: store.numSteps.value, upTo: at };
      const info = await store.client.request('ensureTrained', run);
      mark('trained');
      const history = store.client.request('losses');
      // the names asked at once, behind the losses (the kitchen answers in
      // order), unless the link shows an earlier dish: its names then
      const scrubbed = view !== undefined && view < info.step;
      const naming = scrubbed ? null : actions.resample();
      const losses = await history;
      batch(() => {
        store.clearCurve();
        store.series.push(losses);
        store.curveVersion.value++;
        store.applyStatus(info);
      });
      mark('losses');
      if (scrubbed) { await actions.viewAt(view); await actions.resample(); } else await naming;
      mark('names');
    }
  } catch (err) {
    if (!store.client.dead) store.error.value = { message: `The link's run could not be cooked: ${err.message}` };
  }
}
