// engine-facts.js - the one order table of the facts the engine exports
// (mgw_limits and mgw_facts in c/wasm_exports.c): C owns the values, this
// file only names them. Read by engine.js from a live engine, and by
// web/build.mjs from the built one to bake them into the bundles (limits.js).

// The order of mgw_limits's values (uint32).
const LIMIT_FIELDS = ['sessionBytes', 'textBytes', 'vocab', 'nEmbd', 'nLayer', 'blockSize', 'params',
  'paramFileBytes', 'runSteps', 'samples', 'presetBytes'];
// The order of mgw_facts's values (double), each named by its place in the
// named facts (a.b: field b of a); the milestone steps follow the count.
const FACT_FIELDS = ['seedMax', 'temperature.min', 'temperature.max', 'temperature.default', 'adam.lr', 'adam.beta1',
  'adam.beta2', 'adam.eps', 'defaultConfig.nEmbd', 'defaultConfig.nHead', 'defaultConfig.nLayer',
  'defaultConfig.blockSize', 'defaults.seed', 'defaults.steps', 'defaults.names', 'milestoneCount'];
// Room for both in the scratch buffer the caller passes (bytes): the facts
// and up to 16 milestones (a literal, so bundles that only read limits.js drop this table).
export const FACTS_BYTES = 8 * 32;

/** The values of mgw_limits and mgw_facts from exports x, using scratch (FACTS_BYTES bytes of wasm memory). */
export function readFactValues(x, scratch, check) {
  check(x.mgw_limits(scratch));
  const limits = Array.from(new Uint32Array(x.memory.buffer, scratch, LIMIT_FIELDS.length));
  check(x.mgw_facts(scratch));
  const facts = Array.from(new Float64Array(x.memory.buffer, scratch, FACTS_BYTES / 8));
  return { limits, facts: facts.slice(0, FACT_FIELDS.length + facts[FACT_FIELDS.length - 1]) };
}

/**
 * The engine's facts named, from readFactValues's {limits, facts}:
 * {limits, seedMax, temperature: {min, max} (besides 0) and default,
 * adam: {lr, beta1, beta2, eps}, defaultConfig, defaults: {seed, steps,
 * names} (the reference run's, and how many names it prints), milestoneCount, milestones
 * (steps, besides the run's last)}.
 */
export function nameFacts({ limits, facts }) {
  const o = { limits: Object.fromEntries(LIMIT_FIELDS.map((k, i) => [k, limits[i]])) };
  FACT_FIELDS.forEach((k, i) => {
    const [a, b] = k.split('.');
    if (b) (o[a] ??= {})[b] = facts[i];
    else o[a] = facts[i];
  });
  o.milestones = facts.slice(FACT_FIELDS.length);
  for (const v of Object.values(o)) if (typeof v === 'object') Object.freeze(v);
  return Object.freeze(o);
}
