// Two runs side by side on the page, in headless Chromium: Compare (the
// trainer) trains run B with another seed beside the reader's run A (both
// curves drawn, the first dish where their losses differ marked where the
// kitchen's two loss arrays first differ, the names side by side), and
// chapter 8's Grow Ming trains Ming at his size and a bigger one (their dial
// counts: 4,192 and the CLI's `num params` for the bigger size). Waits on the
// page's and the kitchen's state only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { serveSite } from '../helpers/server.mjs';
import { openBrowser, shotPath } from '../helpers/browser.mjs';
import { openPage, noErrors, press } from '../helpers/page.mjs';
import { cli, dataFile } from '../helpers/paths.mjs';
import { ask, kitchenAt, shows, until, untilAsync } from '../helpers/wait.mjs';

let site, browser;
before(async () => { site = await serveSite(); browser = await openBrowser(); });
after(async () => { await browser?.close(); await site?.close(); });

// every view on screen (the chapters wake when near the viewport)
const open = () => openPage(browser, `${site.url}?pace=instant`);
const bDone = (page) => untilAsync(page, async () => {
  const st = await globalThis.mingsKitchenRequest('companionStatus');
  return st.open && st.state === 'done' ? st : null;
}, null, 'run B done');
const lossesOf = (page, type) => page.evaluate(async (t) => Array.from(await globalThis.mingsKitchenRequest(t)), type);
const cell = (page, scope, row, run) => page.textContent(`${scope} [data-compare-figure=${row}] [data-run=${run}]`);

/** The CLI's parameter count for a size (its `num params` line). */
function cliParams({ nEmbd, nHead, nLayer, blockSize }) {
  const out = execFileSync(cli, ['train', '--data', dataFile, '--steps', '1', '--samples', '0', '--n-embd', String(nEmbd),
    '--n-head', String(nHead), '--n-layer', String(nLayer), '--block-size', String(blockSize)], { encoding: 'utf8' });
  return Number(/num params: (\d+)/.exec(out)[1]);
}

test('Compare two seeds: both curves drawn, the first differing dish marked where the losses first differ, names side by side', async () => {
  const page = await open();
  await press(page, 'train');
  await kitchenAt(page, { state: 'done', step: 1000 });
  await press(page, 'compare');
  await page.fill('#compare-seed', '7');
  await press(page, 'train-b');
  const b = await bDone(page);
  assert.equal(b.seed, 7);
  assert.equal(b.step, 1000);
  // both curves drawn whole
  await shows(page, '[data-compare] .compare-chart', '1000', { attr: 'data-drawn-a' });
  await shows(page, '[data-compare] .compare-chart', '1000', { attr: 'data-drawn-b' });
  // the first dish marked: where the kitchen's two loss arrays first differ (dish = index + 1)
  const la = await lossesOf(page, 'losses'), lb = await lossesOf(page, 'companionLosses');
  assert.equal(la.length, 1000);
  assert.equal(lb.length, 1000);
  const index = la.findIndex((v, i) => v !== lb[i]);
  assert.ok(index >= 0, 'seeds 42 and 7 give other losses');
  await shows(page, '[data-first-differ]', String(index + 1), { attr: 'data-first-differ' });
  await shows(page, '[data-compare] .compare-chart', String(index + 1), { attr: 'data-marker' });
  await shows(page, '[data-first-differ]', new RegExp(`first differ at dish ${(index + 1).toLocaleString('en-US')}`));
  // the names side by side: run A's and run B's, as the kitchen draws them for each dish 1,000
  const shown = (run) => page.$$eval(`[data-compare-names=${run}] li`, (els) => els.map((e) => e.textContent));
  const wantB = (await ask(page, 'names', { run: 'B', count: 20, temperature: 0.5 })).names;
  const wantA = (await ask(page, 'names', { count: 20, temperature: 0.5 })).names;
  // the lists follow each run's progress: wait until both are of dish 1,000
  // (20 names may be on screen already from a dish before), then compare
  await until(page, (want) => ['A', 'B'].every((run, i) => [...document.querySelectorAll(`[data-compare-names=${run}] li`)]
    .map((e) => e.textContent).join('\n') === want[i]), [wantA, wantB].map((l) => l.map((n) => n || '(empty)').join('\n')),
  'both runs\' names of dish 1,000').catch(() => {}); // the comparisons below say what differs
  assert.deepEqual(await shown('B'), wantB.map((n) => n || '(empty)'));
  assert.deepEqual(await shown('A'), wantA.map((n) => n || '(empty)'));
  assert.notDeepEqual(wantA, wantB);
  // the figures
  assert.equal(await cell(page, '[data-compare]', 'seed', 'A'), '42');
  assert.equal(await cell(page, '[data-compare]', 'seed', 'B'), '7');
  assert.equal(await cell(page, '[data-compare]', 'dials', 'B'), '4,192');
  const smooth = (l) => l.slice(-100).reduce((s, v) => s + v, 0) / 100;
  assert.equal(await cell(page, '[data-compare]', 'penalty', 'B'), smooth(lb).toFixed(3));
  assert.equal(await cell(page, '[data-compare]', 'penalty', 'A'), smooth(la).toFixed(3));
  assert.match(await cell(page, '[data-compare]', 'perDish', 'B'), /^\d+\.\d{3} ms$/);
  await page.$eval('[data-compare]', (el) => el.scrollIntoView());
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.$eval('[data-compare]', (el) => el.scrollIntoView());
  await page.screenshot({ path: shotPath('compare-1280.png') });
  noErrors(page);
  await page.close();
});

test('Grow Ming: the same records and seed at 4,192 dials and a bigger size, trained side by side, dial counts and times compared', async () => {
  const page = await open();
  await page.waitForSelector('[data-grow] [data-action=grow]:not([disabled])', { timeout: 30000 });
  await press(page, 'grow', '[data-grow]');
  // run A had not started: both train
  const b = await bDone(page);
  await kitchenAt(page, { state: 'done', step: 1000 });
  assert.deepEqual(b.config, { nEmbd: 32, nHead: 8, nLayer: 2, blockSize: 16 });
  assert.equal(b.seed, 42);
  assert.equal(b.sameRecords, true);
  const want = cliParams({ nEmbd: 32, nHead: 8, nLayer: 2, blockSize: 16 });
  assert.equal(cliParams({ nEmbd: 16, nHead: 4, nLayer: 1, blockSize: 16 }), 4192);
  await shows(page, '[data-grow] [data-compare-figure=dials] [data-run=A]', '4,192');
  await shows(page, '[data-grow] [data-compare-figure=dials] [data-run=B]', want.toLocaleString('en-US'));
  await shows(page, '[data-grow] [data-compare-figure=dish] [data-run=B]', '1,000 / 1,000');
  await shows(page, '[data-grow] .compare-chart', '1000', { attr: 'data-drawn-a' });
  await shows(page, '[data-grow] .compare-chart', '1000', { attr: 'data-drawn-b' });
  // times: wall time and the engine's time per dish of each run, from the kitchen
  const a = await ask(page, 'status');
  await shows(page, '[data-grow] [data-compare-figure=perDish] [data-run=A]', `${(a.computeMs / 1000).toFixed(3)} ms`);
  await shows(page, '[data-grow] [data-compare-figure=perDish] [data-run=B]', `${(b.computeMs / 1000).toFixed(3)} ms`);
  await shows(page, '[data-grow] [data-compare-figure=time] [data-run=B]', `${(b.elapsedMs / 1000).toFixed(2)} s`);
  await page.setViewportSize({ width: 360, height: 900 });
  await page.$eval('[data-grow]', (el) => el.scrollIntoView());
  await page.screenshot({ path: shotPath('grow-ming-360.png') });
  noErrors(page);
  await page.close();
});
