// The chapter views show run A or run B (issue 14, point 7), in headless
// Chromium: with a run B trained beside the reader's run A (Compare: another
// seed; Grow Ming: another size), the switch "Views show: run A | run B" (in
// the sticky bar, labelled, reached and moved with the keyboard) gives every
// chapter view run B, and their figures (chapter 1's courses, chapter 2's
// cards, chapter 3's flavor streams and roundtable weights, chapter 4's
// scorecard and Ming before training, chapter 5's gradient and its top dials,
// chapter 6's wall of dials and milestones, chapter 8's figures) equal what a
// fresh page trained with run B's seed and size shows; run A again: run A's.
// Dropping run B returns the views to run A. Waits on the page's state only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite } from '../helpers/server.mjs';
import { openBrowser } from '../helpers/browser.mjs';
import { ask, kitchenAt, until, untilAsync } from '../helpers/wait.mjs';
import { openPage, noErrors, press } from '../helpers/page.mjs';

let site, browser;
before(async () => { site = await serveSite(); browser = await openBrowser(); });
after(async () => { await browser?.close(); await site?.close(); });

// every view on screen (the chapters wake when near the viewport: TALL)
const open = () => openPage(browser, `${site.url}?pace=instant`);
const bDone = (page) => untilAsync(page, async () => {
  const st = await globalThis.mingsKitchenRequest('companionStatus');
  return st.open && st.state === 'done' ? st : null;
}, null, 'run B done');

// The views whose figures are compared, each by its root (which says the
// dish its data is of: data-shows-dish) and what is read in it.
const ROOTS = ['.records-pair', '.courses', '.line', '.scorecard', '.trace', '.sensei'];

/**
 * Waits until every chapter view shows run `run` (data-shown-run) at dish
 * `dish` with all its data in, then reads their figures.
 */
async function readViews(page, run, dish) {
  await until(page, ([roots, r, d]) => {
    const wraps = [...document.querySelectorAll('[data-shown-run]')];
    if (wraps.length < 8 || !wraps.every((w) => w.dataset.shownRun === r)) return false;
    return roots.every((sel) => document.querySelector(`[data-shown-run] ${sel}`)?.dataset.showsDish === String(d))
      && document.querySelectorAll('[data-top-dial]').length === 10
      && document.querySelector('.sensei-history')?.dataset.showsDish === String(d)
      && document.querySelector('[data-mean-penalty]') && document.querySelector('[data-fresh-penalty]')?.textContent.trim() !== '';
  }, [ROOTS, run, dish], `every chapter view on run ${run} at dish ${dish}`);
  // Ming before training (chapter 4) is asked once a second at most: it is
  // in once it is the kitchen's untrained twin of this run
  await untilAsync(page, async (r) => {
    const name = document.querySelector('[data-scored-name]').dataset.scoredName;
    const want = await globalThis.mingsKitchenRequest('nameLoss', { name, fresh: true, ...(r === 'B' ? { run: 'B' } : {}) });
    return Math.abs(Number(document.querySelector('[data-fresh-penalty]').textContent) - want) < 6e-4;
  }, run, `chapter 4's Ming before training of run ${run}`);
  return page.evaluate(() => {
    const text = (sel) => document.querySelector(sel)?.textContent.trim() ?? null;
    const attr = (sel, a) => document.querySelector(sel)?.getAttribute(a) ?? null;
    const all = (sel, a) => [...document.querySelectorAll(sel)].map((e) => (a ? e.getAttribute(a) : e.textContent.trim()));
    return {
      coursesCount: text('[data-courses-count]'),
      pairLosses: all('[data-pair-loss]'),
      ids: attr('.courses [data-ids]', 'data-ids'),
      cards: all('.courses-cards canvas', 'data-values'),
      streams: all('[data-stream]'),
      weights: all('[data-weight]', 'data-weight'),
      zeroed: attr('[data-zeroed]', 'data-zeroed'),
      meanPenalty: text('[data-mean-penalty]'),
      nameLoss: text('[data-name-loss]'),
      freshPenalty: text('[data-fresh-penalty]'),
      blind: text('[data-blind]'),
      traceLoss: text('[data-trace-loss]'),
      topDials: all('[data-top-dial]', 'data-top-dial'),
      impacts: all('[data-top-dial]', 'data-impact'),
      wall: attr('.sensei canvas[aria-label^="All "]', 'aria-label'),
      senseiStep: text('[data-sensei-step]'),
      senseiDial: attr('[data-sensei-dial]', 'data-sensei-dial'),
      gradient: attr('[data-sensei-dial]', 'data-gradient'),
      median: text('[data-sensei-median]'),
      historyPoints: attr('.sensei-history', 'data-points'),
      milestones: all('[data-milestone]', 'data-milestone'),
      milestonePenalties: all('[data-milestone-penalty]'),
      scaleDials: text('[data-scale=dials]'),
      scaleLine: text('[data-scale=line]'),
      scaleWidth: text('[data-scale=width]'),
    };
  });
}

/** The views of a fresh page whose run A has run B's seed and size, trained to its end. */
async function freshViews({ seed, config, steps = 1000 }) {
  const page = await open();
  await ask(page, 'reset', { seed, steps, ...(config ? { config } : {}) }); // store.request: the page adopts the new run
  await press(page, 'train');
  await kitchenAt(page, { state: 'done', step: steps });
  const seen = await readViews(page, 'A', steps);
  noErrors(page);
  await page.close();
  return seen;
}

/** The switch in the sticky bar, chosen with the keyboard: focus its checked option, an arrow key moves it. */
async function switchTo(page, run) {
  const radios = page.getByRole('radiogroup', { name: /^Views show/ }).first();
  const checked = await radios.locator('input:checked').getAttribute('data-show-run');
  if (checked === run) return;
  await radios.locator('input:checked').focus();
  await page.keyboard.press(run === 'B' ? 'ArrowRight' : 'ArrowLeft');
  assert.equal(await radios.locator('input:checked').getAttribute('data-show-run'), run);
}

test('run B of another seed: the switch gives every chapter view run B (a fresh page of seed 7\'s figures), then run A\'s again; Drop B returns to A', async () => {
  const want = await freshViews({ seed: 7 });
  const page = await open();
  await press(page, 'train');
  await kitchenAt(page, { state: 'done', step: 1000 });
  const a = await readViews(page, 'A', 1000);
  assert.equal(await page.locator('[data-run-switch]').count(), 0, 'no switch without a run B');
  await press(page, 'compare');
  await page.fill('#compare-seed', '7');
  await press(page, 'train-b');
  await bDone(page);
  // the switch: labelled, in the sticky bar and beside Compare, run A checked
  const bar = page.locator('.train-strip [data-run-switch=bar]');
  await bar.waitFor();
  assert.equal(await page.getByRole('radiogroup', { name: /^Views show/ }).count(), 2);
  assert.equal(await bar.getByRole('radio', { name: 'run A' }).isChecked(), true);
  assert.equal(await bar.getByRole('radio', { name: 'run B' }).isChecked(), false);
  await switchTo(page, 'B');
  const b = await readViews(page, 'B', 1000);
  assert.deepEqual(b, want, 'the views of run B are a fresh seed-7 page\'s');
  assert.notDeepEqual(b.topDials, a.topDials);
  // each view says it shows run B at its latest dish, and that the timeline is run A's
  assert.equal(await page.locator('[data-shown-run-note]').count(), 8);
  assert.match(await page.textContent('[data-shown-run-note]'), /run B \(seed 7, 4,192 dials\) at its latest dish, 1,000 of 1,000; the timeline scrubs run A only/);
  // the trainer stays run A's, and the sticky bar says its figures are
  assert.equal(await page.textContent('[data-counter=step]'), '1,000 / 1,000');
  assert.equal(await page.textContent('.train-strip [data-strip=run]'), 'run A:');
  await switchTo(page, 'A');
  assert.deepEqual(await readViews(page, 'A', 1000), a, 'run A\'s views again');
  assert.equal(await page.locator('.train-strip [data-strip=run]').count(), 0, 'no run label while the views show run A');
  // back to B, then drop it: the views return to run A and the switch goes
  await switchTo(page, 'B');
  await readViews(page, 'B', 1000);
  await press(page, 'drop-b');
  await until(page, () => !document.querySelector('[data-run-switch]'), null, 'the switch gone with run B');
  assert.deepEqual(await readViews(page, 'A', 1000), a);
  noErrors(page);
  await page.close();
});

test('run B of another size (Grow Ming): the views show its dials, courses and block, as a fresh page of that size; run A again: 4,192 dials', async () => {
  const bigger = { nEmbd: 32, nHead: 8, nLayer: 2, blockSize: 16 };
  const want = await freshViews({ seed: 42, config: bigger });
  assert.match(want.wall, /^All 26816 dials/);
  const page = await open();
  await press(page, 'train');
  await kitchenAt(page, { state: 'done', step: 1000 });
  const a = await readViews(page, 'A', 1000);
  assert.match(a.wall, /^All 4192 dials/);
  await press(page, 'grow');
  await bDone(page);
  await page.locator('[data-run-switch=bar]').waitFor();
  // the switch beside Compare moves the same views (and the bar's with it)
  await press(page, 'compare');
  await page.locator('[data-run-switch=compare] input[data-show-run=B]').check();
  assert.equal(await page.locator('[data-run-switch=bar] input[data-show-run=B]').isChecked(), true);
  const b = await readViews(page, 'B', 1000);
  assert.deepEqual(b, want, 'the views of the bigger run B are a fresh page\'s of that size');
  // Grow Ming (chapter 8) is still the page's: run A at its size beside the bigger one
  assert.equal(await page.textContent('[data-grow] [data-compare-figure=dials] [data-run=A]'), '4,192');
  await switchTo(page, 'A');
  assert.deepEqual(await readViews(page, 'A', 1000), a);
  noErrors(page);
  await page.close();
});

test('in a window of a reader\'s size, the sticky bar\'s switch shows once run B is ready, though nothing of run A changes meanwhile', async () => {
  const page = await browser.newPage({ width: 1280, height: 740 });
  await page.goto(`${site.url}?pace=instant`);
  await page.waitForSelector('li[data-mark]', { timeout: 20000 });
  await kitchenAt(page, {});
  await press(page, 'train');
  await kitchenAt(page, { state: 'done', step: 1000 });
  // Compare loads as the reader comes to it (its place, or itself once loaded)
  await page.evaluate(() => document.querySelector('.on-demand.compare, [data-action=compare]').scrollIntoView());
  await page.locator('[data-action=compare]').waitFor();
  await press(page, 'compare');
  await page.fill('#compare-seed', '7');
  await press(page, 'train-b');
  await bDone(page);
  await until(page, () => document.querySelector('.train-strip [data-run-switch=bar] input[data-show-run=B]'), null, 'the switch in the sticky bar');
  await page.locator('.train-strip [data-run-switch=bar] input[data-show-run=B]').check();
  assert.equal(await page.textContent('.train-strip [data-strip=run]'), 'run A:');
  noErrors(page);
  await page.close();
});
