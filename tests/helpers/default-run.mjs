// default-run.mjs - the page's default records and run, from the fixtures:
// Karpathy's makemore names (the page opens on them) and Ming as his run
// leaves him at seed 42 after 1,000 dishes (CPython's parameters of his
// microgpt.py, tests/fixtures/reference/microgpt_makemore_seed42*). The
// browser tests compare what a trained page shows with these.
import { readFileSync } from 'node:fs';
import { makemoreFile } from './paths.mjs';
import { loadRun, loadParams } from './ref.mjs';
import { engine } from './engine.mjs';

export const DEFAULT_RUN = loadRun('microgpt_makemore_seed42');
/** The records the page opens with, as the page counts them ("32,033"). */
export const DEFAULT_COUNT = DEFAULT_RUN.num_docs.toLocaleString('en-US');

let session = null;
/** Karpathy's trained Ming: his reference parameters in an engine session
 * (the engine's forward pass is checked against an independent one in
 * tests/wasm/forward-reference.test.mjs). */
function trained() {
  if (!session) {
    session = engine.createSession({ text: readFileSync(makemoreFile, 'utf8'), seed: DEFAULT_RUN.seed });
    const P = loadParams('microgpt_makemore_seed42');
    for (let i = 0; i < P.length; i++) session.setParam(i, P[i]);
  }
  return session;
}
/** The vote after prefix: [course, percent] by share, the bell as 'bell'. */
export function referenceVote(prefix) {
  const s = trained(), p = s.nextProbs(prefix, 1);
  return [...p].map((x, i) => [s.vocabulary[i] ?? 'bell', 100 * x]).sort((a, b) => b[1] - a[1]);
}
/** The penalty (mean loss) of a name for the trained Ming. */
export const referenceNameLoss = (name) => trained().nameLoss(name);
