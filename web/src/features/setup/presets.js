// presets.js - the records presets the build copies to the site's records/
// folder (data/presets/presets.json, web/build.mjs): the manifest, fetched
// once when first asked for; a preset's list is fetched by the kitchen only
// when the reader chooses it.

// the site's layout: records/ beside microgpt.wasm
const recordsDir = (urls) => new URL('records/', urls.wasm);

let manifest = null;
/** The presets: [{id, label, file, count, chars, bytes, sha256, licence, ...}]. */
export function presetList(urls) {
  manifest ??= fetch(new URL('presets.json', recordsDir(urls))).then((res) => {
    if (!res.ok) throw new Error(`the list of presets (records/presets.json) could not be fetched: HTTP ${res.status}`);
    return res.json();
  });
  manifest.catch(() => { manifest = null; }); // asked again next time
  return manifest;
}

/** Where a preset's list is. */
export const presetUrl = (urls, preset) => new URL(preset.file, recordsDir(urls));

/** The preset whose bytes these are (by the manifest's sha256), or null. */
export async function presetOf(urls, text) {
  if (!globalThis.crypto?.subtle) return null; // not a secure context: the records stay unnamed
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  return (await presetList(urls)).find((p) => p.sha256 === hex) ?? null;
}
