// urls.js - where a page finds the kitchen's parts, from the URL of any
// script in the built site's assets/ folder (the site's layout:
// assets/*.js beside ../microgpt.wasm and ../names.txt).
export function kitchenUrls(assetUrl) {
  return {
    worker: new URL('./worker.js', assetUrl),
    sharedWorker: new URL('./shared-worker.js', assetUrl),
    wasm: new URL('../microgpt.wasm', assetUrl),
    data: new URL('../names.txt', assetUrl),
  };
}
