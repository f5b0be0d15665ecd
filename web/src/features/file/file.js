// file.js - Ming's dials in a file: the core's parameter file (c/checkpoint.c,
// version 2: the dials, Adam's memory, the seed, the dish and the plan, the
// records' FNV-1a hash and preset id), saved with the kitchen's `save` and
// restored with its `load`. A file is read first (`peekFile`): one for other
// records or another size is refused before anything changes, with C's
// message and the records it needs; a corrupt one with C's message.
import { batch } from '@preact/signals';
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

// The presets the site ships (data/presets/presets.json), read only to name
// the records a file needs; the CLI names its records by the --data file's name.
let presets = null;
async function presetLabel(id) {
  presets ??= fetch(new URL('records/presets.json', document.baseURI)).then((r) => (r.ok ? r.json() : []), () => []);
  const list = await presets;
  const p = Array.isArray(list) && list.find((x) => x.id === id || x.file === id || x.source?.split('/').pop() === id);
  return p ? p.label : null;
}

/** The records a file was trained on, as a reader can find them. */
async function recordsNeeded(f) {
  if (!f.preset) return `records of your own (hash ${f.recordsHash})`;
  const label = await presetLabel(f.preset);
  return `the records '${f.preset}'${label ? ` (${label})` : ''}, hash ${f.recordsHash}`;
}

/**
 * Restores Ming from a File (or Blob with a name): his dials, Adam's memory,
 * the seed and his place in the run. Returns {ok, message}; on any refusal
 * the current Ming is untouched.
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
  if (otherRecords || otherSize) {
    // C says it as a load would (a load of such a file changes nothing)
    let said = '';
    try { await store.client.request('load', { bytes }); } catch (err) { said = `${err.message}.`; }
    // LEAD (issue 14, points 3 and 4): with actions.setRecords / actions.setSize merged, offer
    // "Use those records" (f.preset) or "Use that size" (f.config) here, then load again.
    if (otherRecords) return refuse(`this Ming was trained on ${await recordsNeeded(f)}: choose those records, then load the file again. (${said})`);
    return refuse(`this Ming is of another size (${sizeText(f.config)}; this one is ${sizeText(config)}): set that size, then load the file again. (${said})`);
  }
  try {
    if (isCooking(store.state.value)) await actions.pause();
    const info = await store.client.request('load', { bytes });
    batch(() => {
      store.info.value = info;
      store.clearCurve();
      store.applyStatus(info);
      store.error.value = null;
    });
    await actions.resample();
  } catch (err) {
    return refuse(`${err.message}.`);
  }
  const of = f.numSteps ? ` of ${fmt(f.numSteps)}` : '';
  return { ok: true, message: `Loaded ${name}: Ming as he was after dish ${fmt(f.step)}${of} (seed ${f.seed}). `
    + 'The file keeps his dials and the sensei\u2019s memory, not the penalty curve, which starts again here.' };
}
