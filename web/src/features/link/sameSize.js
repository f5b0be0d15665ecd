// sameSize.js - whether two of Ming's sizes ({nEmbd, nHead, nLayer,
// blockSize}) are the same (link.js, rebuild.js).
export const sameSize = (a, b) => Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => a[k] === b[k]);
