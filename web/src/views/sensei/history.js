// history.js - the watched dial's history as chapter 6 holds it: the whole
// run's points (the kitchen's dialHistory with latest: true), fetched once
// and then only the points of new dishes, cut at the dish shown. Scrubbing
// never changes the run, so a move of the timeline asks for no points.

const KEYS = ['step', 'grad', 'm', 'v', 'update'];

/** The request fields that ask only for what `held` lacks (all of it when nothing is held). */
export const historyAsk = (index, held) => (held && held.index === index && held.step.length
  ? { index, latest: true, historyId: held.historyId, after: held.step[held.step.length - 1] }
  : { index, latest: true });

/** held with the answer's points: appended after them, or the answer itself when it is a whole history. */
export function mergeHistory(held, answer) {
  if (!answer.appended || !held || held.historyId !== answer.historyId) return answer;
  if (!answer.step.length) return held;
  const out = { index: answer.index, stride: answer.stride, historyId: answer.historyId };
  for (const key of KEYS) {
    const col = new Float64Array(held[key].length + answer[key].length);
    col.set(held[key]);
    col.set(answer[key], held[key].length);
    out[key] = col;
  }
  return out;
}

/** The points of dishes up to `dish` (views on the same columns, no copies). */
export function cutHistory(held, dish) {
  const s = held.step;
  let lo = 0, hi = s.length; // the first point after dish
  while (lo < hi) { const mid = (lo + hi) >> 1; if (s[mid] <= dish) lo = mid + 1; else hi = mid; }
  if (lo === s.length) return held;
  const out = { index: held.index, stride: held.stride, historyId: held.historyId };
  for (const key of KEYS) out[key] = held[key].subarray(0, lo);
  return out;
}
