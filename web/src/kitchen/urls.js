// urls.js - where a page finds the kitchen's parts, from the URL of any
// script in the built site's assets/ folder (the site's layout:
// assets/*.js beside ../microgpt.wasm and ../names.txt). names.txt is the
// default records: the build copies there the preset data/presets/presets.json
// marks default (Karpathy's makemore names.txt).

// A dedicated kitchen worker's name. One started by Retry is named apart, so
// it starts no prefetch: its init downloads past the HTTP cache instead
// (init {reload: true}), and once only.
const WORKER_NAME = 'kitchen';
export const RETRY_WORKER_NAME = 'kitchen-retry';

/** The same parts, for the worker a Retry starts. */
export const retryUrls = (urls) => ({ ...urls, workerName: RETRY_WORKER_NAME });

export function kitchenUrls(assetUrl) {
  return {
    worker: new URL('./worker.js', assetUrl),
    workerName: WORKER_NAME,
    sharedWorker: new URL('./shared-worker.js', assetUrl),
    wasm: new URL('../microgpt.wasm', assetUrl),
    data: new URL('../names.txt', assetUrl),
    // names.txt's preset {preset: id, name: label}, set by web/build.mjs
    // from the manifest (null outside a build: the records stay unnamed)
    dataRecords: typeof MG_DEFAULT_RECORDS === 'object' ? MG_DEFAULT_RECORDS : null,
    // the reference runs' index (features/proof), fetched when a run starts
    references: new URL('../reference/index.json', assetUrl),
  };
}
