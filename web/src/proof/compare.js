// compare.js - the proof: a run compared with a reference run shipped as data
// (web/dist/reference/*.json, written by data/reference/make.mjs). Pure
// functions: nothing here knows what a reference says; it compares with
// whatever file it is given.

export const DEFAULT_TOLERANCE = 1e-12;

const sameConfig = (a, b) => ['nEmbd', 'nHead', 'nLayer', 'blockSize'].every((k) => a?.[k] === b?.[k]);

/** The reference a run {recordsSha256, seed, config, steps} reproduces, if
 * one of refs has exactly its records, seed, size and length; else null. */
export function matchingReference(run, refs) {
  return refs.find((r) => r.recordsSha256 === run.recordsSha256 && r.seed === run.seed &&
    r.steps === run.steps && sameConfig(r.config, run.config)) ?? null;
}

/**
 * Compares the losses (the first n dishes of the run, n <= ref.losses.length;
 * the page calls it as it trains) and the names (null until sampled) with a
 * reference: {compared, total, equalLosses, firstDiff (1-based dish, or null),
 * firstDiffValues {got, want}, maxDiff, namesCompared, namesEqual, namesTotal,
 * firstNameDiff {index (1-based), got, want} or null, tol, complete}.
 */
export function compareRun(ref, losses, names, { tol = DEFAULT_TOLERANCE } = {}) {
  const total = ref.losses.length, n = Math.min(losses?.length ?? 0, total);
  let equalLosses = 0, firstDiff = null, firstDiffValues = null, maxDiff = 0;
  for (let i = 0; i < n; i++) {
    const got = losses[i], want = ref.losses[i];
    const d = Math.abs(got - want);
    // NaN or infinite penalties never count as equal
    if (Number.isFinite(got) && d <= tol) equalLosses++;
    else if (firstDiff === null) { firstDiff = i + 1; firstDiffValues = { got, want }; }
    maxDiff = Math.max(maxDiff, d); // NaN stays NaN
  }
  const namesTotal = ref.names.length, namesCompared = names != null;
  let namesEqual = 0, firstNameDiff = null;
  if (namesCompared) {
    for (let i = 0; i < namesTotal; i++) {
      if (names[i] === ref.names[i]) namesEqual++;
      else if (!firstNameDiff) firstNameDiff = { index: i + 1, got: names[i] ?? null, want: ref.names[i] };
    }
  }
  return {
    compared: n, total, equalLosses, firstDiff, firstDiffValues, maxDiff, tol,
    namesCompared, namesEqual, namesTotal, firstNameDiff,
    complete: n === total && namesCompared,
  };
}

const count = (n) => n.toLocaleString('en-US');
const plural = (n, one, many) => `${count(n)} ${n === 1 ? one : many}`;

/** One sentence for the reader: what the comparison found. */
export function describeProof(result, ref) {
  const r = result, by = ref.by;
  const penalties = `${count(r.equalLosses)} of ${count(r.total)} penalties equal to ${r.tol}`;
  if (r.firstDiff !== null) {
    const { got, want } = r.firstDiffValues;
    return `Differs from ${by} at dish ${count(r.firstDiff)}: penalty ${got} where ${by} printed ${want}` +
      ` (${count(r.firstDiff - 1)} ${r.firstDiff === 2 ? 'dish' : 'dishes'} before it equal to ${r.tol}).`;
  }
  if (r.namesCompared && r.firstNameDiff) {
    const { index, got, want } = r.firstNameDiff;
    return `Same penalties as ${by} (${penalties}), but its names differ from name ${index}: ` +
      `${got === null ? 'none' : `"${got}"`} where ${by} printed "${want}" (${r.namesEqual} of ${r.namesTotal} names equal).`;
  }
  if (!r.complete) return `So far the same as ${by}: ${penalties}${r.compared < r.total ? ` (${plural(r.compared, 'dish', 'dishes')} cooked)` : ''}.`;
  return `Same as ${by}: ${penalties}, ${r.namesEqual} of ${r.namesTotal} names.`;
}
