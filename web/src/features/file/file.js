// file.js - Ming's dials in a file: the core's parameter file (c/checkpoint.c,
// version 2: the dials, Adam's memory, the seed, the dish and the plan, the
// records' FNV-1a hash and preset id), saved with the kitchen's `save` and
// restored with its `load` (a new run, which the store follows: store.request).
// A file is read first (`peekFile`): one for other records or another size
// changes nothing, says what it needs (C's message beside) and offers the
// switch: "Switch to <preset> and load" when the file names a preset the site
// ships, or to another size; the current Ming stays until the switch succeeds.
import { isCooking } from '../../state/store.js';

export const FILE_EXTENSION = '.mgpt';
const fmt = (n) => n.toLocaleString('en-US');
const sizeText = (c) => `width ${c.nEmbd}, sous chefs ${c.nHead}, stations ${c.nLayer}, longest set ${c.blockSize}`;
const sameSize = (a, b) => ['nEmbd', 'nHead', 'nLayer', 'blockSize'].every((k) => a[k] === b[k]);

/** The file's name: the seed and the dish shown. */
export const fileName = (seed, step) => `ming-seed${seed}-dish${step}${FILE_EXTENSION}`;

/** Downloads the parameter file of the dish shown. Returns its name. */
export async function saveMing(store) {
  const bytes = await store.client.request('save');
  const name = fileName(store.seed.value, store.shownStep.value);
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000); // the download has begun by then
  return { name, bytes: bytes.length };
}

/** The preset a file names (the page saves its id; the CLI the --data
 * file's name, which is a preset's file or source name), or null. */
async function presetNamed(actions, id) {
  if (!id) return null;
  const list = await actions.presets().catch(() => []);
  return list.find((p) => p.id === id || p.file === id || p.source?.split('/').pop() === id) ?? null;
}

const loaded = (name, f, how = '') => {
  const of = f.numSteps ? ` of ${fmt(f.numSteps)}` : '';
  return { ok: true, message: `Loaded ${name}${how}: Ming as he was after dish ${fmt(f.step)}${of} (seed ${f.seed}). `
    + 'The file keeps his dials and the sensei\u2019s memory, not the penalty curve, which starts again here.' };
};

/**
 * Restores Ming from a File (or Blob with a name): his dials, Adam's memory,
 * the seed and his place in the run. Returns {ok, message, offer?}: offer
 * {label, run()} switches to the records or size the file needs and loads
 * it (run resolves to the same kind of answer). On any refusal the current
 * Ming is untouched.
 */
export async function loadMing(store, actions, file) {
  const name = file.name || 'the file';
  const refuse = (why) => ({ ok: false, message: `${name}: ${why} Ming is unchanged.` });
  const max = store.info.value?.limits?.paramFileBytes;
  if (max && file.size > max)
    return refuse(`the file is ${fmt(file.size)} bytes; a parameter file is at most ${fmt(max)} bytes (the engine's bound), so this is not one.`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  let peek;
  try { peek = await store.client.request('peekFile', { bytes }); } catch (err) {
    return refuse(`${err.message}.`);
  }
  const { file: f, records, config } = peek;
  const otherRecords = f.recordsHash && f.recordsHash !== records.hash;
  const otherSize = !sameSize(f.config, config);
  if (!otherRecords && !otherSize) {
    try {
      if (isCooking(store.state.value)) await actions.pause();
      await store.request('load', { bytes });
    } catch (err) {
      return refuse(`${err.message}.`);
    }
    return loaded(name, f);
  }
  // C says it as a load would (a load of such a file changes nothing)
  let said = '';
  try { await store.request('load', { bytes }); } catch (err) { said = ` (${err.message}.)`; }
  const size = otherSize ? ` of another size (${sizeText(f.config)}; this one is ${sizeText(config)})` : '';
  if (otherRecords) {
    const preset = await presetNamed(actions, f.preset);
    const trained = `this Ming${size} was trained on ${f.preset ? `the records '${f.preset}'` : 'records of your own'}`;
    if (!preset) {
      return refuse(`${trained} (hash ${f.recordsHash}), which this site does not ship: paste or open those records `
        + `(the list whose hash is ${f.recordsHash}) in Ming's setup, then load the file again.${said}`);
    }
    return {
      ...refuse(`${trained} (${preset.label}), hash ${f.recordsHash}: switch to them to load him.${said}`),
      offer: { label: `Switch to ${preset.label} and load`, run: () => switchAndLoad(store, actions, name, bytes, f, preset) },
    };
  }
  return {
    ...refuse(`this Ming is${size}: switch to that size to load him.${said}`),
    offer: { label: 'Switch to that size and load', run: () => switchAndLoad(store, actions, name, bytes, f, null) },
  };
}

/**
 * The switch a file asked for: its records (preset) and its size, then the
 * file. A step refused leaves Ming as he was (a refused init or reset
 * changes nothing); a file that still does not fit once switched (a preset
 * that is not the records it was trained on) brings back the Ming we had:
 * his records, size, dials, Adam's memory, dish and curve.
 */
async function switchAndLoad(store, actions, name, bytes, f, preset) {
  const fail = (why) => ({ ok: false, message: `${name}: ${why}` });
  if (store.phase.value !== 'ready') return fail('the kitchen is not open: nothing changed.');
  if (isCooking(store.state.value)) await actions.pause();
  if (store.view.value !== null) await actions.viewAt(null); // the Ming kept is the latest dish
  const was = { records: store.records.value, config: { ...store.config.value } };
  const keep = await store.client.request('save');
  const curve = Float64Array.from(store.series.raw);
  let why = preset ? await actions.setRecords({ preset: preset.id }) : null;
  if (why) return fail(`Ming could not switch to ${preset.label}: ${why}. Ming is unchanged.`);
  const switched = preset !== null;
  if (!sameSize(f.config, store.config.value)) {
    why = await actions.setSize(f.config);
    if (why && !switched) return fail(`Ming could not switch to that size: ${why}. Ming is unchanged.`);
  }
  if (!why) {
    try {
      await store.request('load', { bytes });
      return loaded(name, f, preset ? ` (switched to ${preset.label})` : ' (switched to his size)');
    } catch (err) { why = err.message; }
  }
  // half-way: back to the Ming we had
  const back = was.records.preset ? { preset: was.records.preset }
    : was.records.text !== null ? { text: was.records.text, name: was.records.name } : null;
  try {
    const undo = (back && await actions.setRecords(back))
      || (!sameSize(was.config, store.config.value) && await actions.setSize(was.config));
    if (undo) throw new Error(undo);
    await store.request('load', { bytes: keep });
    if (curve.length) { store.series.push(curve); store.curveVersion.value++; }
  } catch (err) {
    return fail(`${why}. And the Ming you had could not be brought back (${err.message}).`);
  }
  return fail(`${preset ? `${preset.label} are not the records this Ming was trained on` : 'that size did not take this file'}: ${why}. Ming is as he was.`);
}
