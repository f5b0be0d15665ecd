// limits.js - the page side's one module of limits: the engine's facts
// (C owns them: c/microgpt.h, c/wasm_exports.c mgw_limits and mgw_facts)
// and the page's own ranges, each inside the engine's (tests/web/limits.test.mjs
// checks that against the built engine).
//
// The facts are known before the wasm loads: web/build.mjs reads them from
// the built engine and bakes them into every bundle (esbuild define), so the
// page, the widgets and the workers read the same numbers. Unbundled (Node:
// the tests, the kitchen in worker_threads) this module reads them from
// build/web/microgpt.wasm itself.
import { readFactValues, nameFacts, FACTS_BYTES } from './engine-facts.js';

/* global MG_ENGINE_FACTS */
/** The engine's facts: {limits, seedMax, temperature, adam, defaultConfig, milestones} (engine-facts.js). */
export const ENGINE = globalThis.MG_BUNDLED ? MG_ENGINE_FACTS : nameFacts(await factsOfBuiltEngine());

async function factsOfBuiltEngine() {
  const { readFile } = await import(/* webpackIgnore: true */ 'node:fs/promises');
  const { instance } = await WebAssembly.instantiate(await readFile(new URL('../../build/web/microgpt.wasm', import.meta.url)),
    { env: { emscripten_notify_memory_growth() {} } });
  const x = instance.exports;
  x._initialize();
  const scratch = x.mgw_malloc(FACTS_BYTES);
  return readFactValues(x, scratch, (rc) => { if (rc) throw new Error(`the engine's facts could not be read (status ${rc})`); });
}

/** Ming's size when none is chosen (MG_CONFIG_DEFAULT). */
export const DEFAULT_CONFIG = ENGINE.defaultConfig;
/** The engine's seeds: whole numbers 0..SEED_MAX (2^53, a JS number's whole range). */
export const SEED_MAX = ENGINE.seedMax;

/** The dishes whose names a run keeps (the milestones): C's, and the run's last. */
export const milestoneSteps = (planned) => [...new Set([...ENGINE.milestones, planned].filter((m) => m <= planned))];

/** Adam's learning rate at 0-based step s of a run of numSteps (c/adam.c mg_learning_rate). */
export const learningRate = (s, numSteps) => ENGINE.adam.lr * (1 - s / numSteps);

// The page's own ranges: what its controls, links and widget options take
// (pure, so a bundle that uses none, the kitchen's, leaves them out).
/** The seed box, links and seed=: whole numbers 0..2^31 (a short number to type or share). */
export const UI_SEED = /* @__PURE__ */ (() => Object.freeze({ min: 0, max: 2 ** 31, default: ENGINE.defaults.seed }))();
/** The risk dial: 0.1 (ultra-safe) to 1.5 (bold) in steps of 0.05, at C's default (microgpt.py's 0.5) at first. */
export const UI_TEMPERATURE = /* @__PURE__ */ (() => Object.freeze({ min: 0.1, max: 1.5, step: 0.05, default: ENGINE.temperature.default }))();
/** Dishes per second of each pace (the kitchen's, kitchen/run.js); instant is the engine's full speed. */
export const PACES = /* @__PURE__ */ Object.freeze({ watch: 150, fast: 1500, instant: Infinity });
export const DEFAULT_PACE = 'watch';
/** Dishes: the run lengths the trainer offers (the first is the default, C's: the reference run's). */
export const STEP_CHOICES = /* @__PURE__ */ Object.freeze([1000, 5000, 20000]);

/** 'a whole number from 0 to 2147483648': the seed range in notes. */
export const UI_SEED_TEXT = /* @__PURE__ */ (() => `a whole number from ${UI_SEED.min} to ${UI_SEED.max}`)();
/** A seed the page takes: a whole number in UI_SEED. */
export const isUiSeed = (n) => Number.isInteger(n) && n >= UI_SEED.min && n <= UI_SEED.max;
/** The digits of a seed the page takes, or NaN (no sign, point or exponent). */
export const parseUiSeed = (text) => (/^\d{1,10}$/.test(String(text)) ? Number(text) : NaN);
/** t to the risk dial's step (0.05: Math.round(t * 20) / 20, exact for every mark). */
export const roundTemperature = (t) => Math.round(t * Math.round(1 / UI_TEMPERATURE.step)) / Math.round(1 / UI_TEMPERATURE.step);
/** A temperature the risk dial takes. */
export const isUiTemperature = (t) => t >= UI_TEMPERATURE.min && t <= UI_TEMPERATURE.max;
