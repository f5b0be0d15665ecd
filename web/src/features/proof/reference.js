// reference.js - finds the shipped reference run (web/dist/reference/) that a
// run reproduces, downloading only what it needs: the index (a few hundred
// bytes: each reference's records, seed, size and length) when a run starts,
// the records' SHA-256 only if the seed, size and length match one, and the
// reference's file (its 1,000 losses and names) only if the records match too.
// Nothing here knows what a reference says: the files decide.
import { matchingReference } from '../../proof/compare.js';

const cache = new Map(); // url -> promise of its JSON (each file downloaded once)
function getJson(url) {
  if (!cache.has(url)) {
    const p = fetch(url).then((r) => {
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
      return r.json();
    });
    p.catch(() => cache.delete(url)); // a failed download is tried again next run
    cache.set(url, p);
  }
  return cache.get(url);
}

/** SHA-256 of a text's UTF-8 bytes, as hex (null where the browser has no
 * SubtleCrypto: pages served over plain http from another host). */
export async function sha256Hex(text) {
  if (!globalThis.crypto?.subtle) return null;
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The reference a run {seed, steps, config} on the records reproduces, or
 * {ref: null, why} (why: null when no reference has these settings).
 * indexUrl: reference/index.json; records: async () => the training text.
 */
export async function findReference(indexUrl, run, records) {
  const index = await getJson(String(indexUrl));
  // the same seed, size and length (the run, were its records the reference's)
  const candidates = index.filter((r) => matchingReference({ ...run, recordsSha256: r.recordsSha256 }, [r]));
  if (!candidates.length) return { ref: null, why: null };
  const recordsSha256 = await sha256Hex(await records());
  if (recordsSha256 === null)
    return { ref: null, why: 'This browser gives no SHA-256 here (the page is not served over HTTPS), so the records cannot be checked against the reference runs.' };
  const entry = matchingReference({ ...run, recordsSha256 }, candidates);
  if (!entry) return { ref: null, why: null };
  const ref = await getJson(String(new URL(entry.file, indexUrl)));
  // the file decides: it must itself be for this run
  return matchingReference({ ...run, recordsSha256 }, [ref]) ? { ref, why: null } : { ref: null, why: null };
}
