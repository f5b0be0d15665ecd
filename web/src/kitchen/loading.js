// loading.js - the engine (microgpt.wasm) and the records (names.txt) on
// their way into the kitchen: downloads that time out with a message saying
// which file and what to do, and the prefetch a worker starts as it starts.
// A prefetch is used at most once, and only if it succeeded: a file that
// arrived but was bad (or an init that failed) is fetched again by the next
// init, and init {reload: true} skips the prefetch and the HTTP cache.
import { loadEngine } from '../engine.js';
import { KitchenCode, KitchenError, fail } from './errors.js';

export const DOWNLOAD_TIMEOUT_MS = 15000;             // engine and records, each
export const TIMEOUT_BOUNDS_MS = Object.freeze([50, 120000]); // a test may set it lower

const fileName = (url) => decodeURIComponent(new URL(url).pathname.split('/').pop() || String(url));
const what = { wasm: 'the engine', records: 'the records' };

/**
 * fetch(url) whose body is read by read(response) within timeoutMs, or a
 * KitchenError (kitchen/timeout or kitchen/download) naming the file.
 * reload: bypass the HTTP cache (a Retry after a bad file).
 */
export async function download(kind, url, read, { timeoutMs = DOWNLOAD_TIMEOUT_MS, reload = false } = {}) {
  const label = `${what[kind]} (${fileName(url)})`;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(url, { signal: abort.signal, cache: reload ? 'reload' : 'default' });
    if (!res.ok) fail(KitchenCode.DOWNLOAD, `${label} could not be loaded from ${url}: HTTP ${res.status}; check the address and press Retry`);
    return await read(res);
  } catch (err) {
    if (err instanceof KitchenError) throw err;
    if (abort.signal.aborted)
      fail(KitchenCode.TIMEOUT, `${label} did not arrive within ${timeoutMs / 1000} s: check the connection and press Retry`);
    if (err?.code !== undefined && err?.status !== undefined) throw err; // an engine error (e.g. not wasm)
    fail(KitchenCode.DOWNLOAD, `${label} could not be loaded from ${url} (${err?.message ?? err}): check the connection and press Retry`);
  } finally { clearTimeout(timer); }
}

const isWeb = (source) => (typeof source === 'string' || source instanceof URL) && /^https?:/.test(String(new URL(source, globalThis.location?.href ?? 'file:///')));

/** The engine from a URL (http(s): with a timeout; file: or bytes: as engine.js reads them). */
export async function fetchEngine(source, opts) {
  if (!isWeb(source)) return loadEngine(source);
  const url = String(new URL(source, globalThis.location?.href));
  return download('wasm', url, async (res) => {
    // compile while it downloads, where the server says application/wasm
    const streaming = WebAssembly.compileStreaming && res.headers.get('Content-Type') === 'application/wasm';
    return loadEngine(streaming ? await WebAssembly.compileStreaming(res) : await res.arrayBuffer());
  }, opts);
}

/** The records (the training text) from a URL. */
export async function fetchRecords(dataUrl, opts) {
  if (typeof dataUrl !== 'string' && !(dataUrl instanceof URL))
    fail(KitchenCode.BAD_REQUEST, 'init needs the records: text (a string) or dataUrl (where names.txt is)');
  let url;
  try { url = String(new URL(dataUrl, globalThis.location?.href)); }
  catch { fail(KitchenCode.BAD_REQUEST, `dataUrl is not an address: ${String(dataUrl).slice(0, 40)}`); }
  return download('records', url, (res) => res.text(), opts);
}

/**
 * The downloads a worker starts before any page asks ({wasm, dataUrl}).
 * take(kind, url) hands one over at most once: a promise of the engine or
 * text, of null if that download failed (init then downloads anew), or the
 * timeout itself (that file already had its time); null if none matches.
 * drop() forgets them all (an init failed: the next one downloads anew).
 */
export function createPrefetch(prefetch, opts) {
  const early = new Map();
  const settle = (p) => { p.catch(() => {}); return p; }; // reported by the init that takes it
  if (prefetch?.wasm) early.set('wasm', { url: String(prefetch.wasm), promise: settle(fetchEngine(prefetch.wasm, opts)) });
  if (prefetch?.dataUrl) early.set('records', { url: String(prefetch.dataUrl), promise: settle(fetchRecords(prefetch.dataUrl, opts)) });
  return {
    take(kind, url) {
      const e = early.get(kind);
      if (!e || (typeof url !== 'string' && !(url instanceof URL)) || String(new URL(url, e.url)) !== e.url) return null;
      early.delete(kind);
      return e.promise.catch((err) => { if (err?.code === KitchenCode.TIMEOUT) throw err; return null; });
    },
    drop() { early.clear(); },
  };
}
