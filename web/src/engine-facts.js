// engine-facts.js - the one order table of the facts the engine exports
// (mgw_limits and mgw_facts in c/wasm_exports.c): C owns the values, this
// file only names them. Read by engine.js from a live engine, and by
// web/build.mjs (through engine.js) to bake them into the bundles.

// The order of mgw_limits's values (uint32).
const LIMIT_FIELDS = ['sessionBytes', 'textBytes', 'vocab', 'nEmbd', 'nLayer', 'blockSize', 'params',
  'paramFileBytes', 'runSteps', 'samples'];
// The order of mgw_facts's values (double); the milestone steps follow.
const FACT_FIELDS = ['seedMax', 'temperatureMin', 'temperatureMax', 'temperatureDefault', 'lr', 'beta1', 'beta2', 'eps',
  'nEmbd', 'nHead', 'nLayer', 'blockSize', 'milestoneCount'];
// Room for both in the scratch buffer the caller passes (bytes).
export const FACTS_BYTES = 8 * (FACT_FIELDS.length + 16);

/**
 * The engine's facts from its exports x, using scratch (FACTS_BYTES bytes of
 * wasm memory): {limits, seedMax, temperature: {min, max} (besides 0) and default,
 * adam: {lr, beta1, beta2, eps}, defaultConfig, milestones (steps, besides
 * the run's last)}. check(rc) throws the C message.
 */
export function readFacts(x, scratch, check) {
  check(x.mgw_limits(scratch));
  const u = new Uint32Array(x.memory.buffer, scratch, LIMIT_FIELDS.length);
  const limits = Object.fromEntries(LIMIT_FIELDS.map((k, i) => [k, u[i]]));
  check(x.mgw_facts(scratch));
  const f = new Float64Array(x.memory.buffer, scratch, FACT_FIELDS.length + 16);
  const v = Object.fromEntries(FACT_FIELDS.map((k, i) => [k, f[i]]));
  return {
    limits,
    seedMax: v.seedMax,
    temperature: { min: v.temperatureMin, max: v.temperatureMax, default: v.temperatureDefault },
    adam: { lr: v.lr, beta1: v.beta1, beta2: v.beta2, eps: v.eps },
    defaultConfig: { nEmbd: v.nEmbd, nHead: v.nHead, nLayer: v.nLayer, blockSize: v.blockSize },
    milestones: Array.from(f.subarray(FACT_FIELDS.length, FACT_FIELDS.length + v.milestoneCount)),
  };
}
