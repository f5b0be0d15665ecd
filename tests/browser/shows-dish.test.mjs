// Every view says which dish its data is of (data-shows-dish, web/src/views:
// on the part that shows the dish, set once that data is drawn; on a canvas,
// after the draw): the names list, chapters 1-7, chapter 6's walls and
// chart. Scrubbed to dish N, each one comes to say N, and what it says is
// the kitchen's: the names shown are the kitchen's names of dish N. Back to
// the latest, each says the latest dish. Waits on the page's and the
// kitchen's state only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite } from '../helpers/server.mjs';
import { openBrowser } from '../helpers/browser.mjs';
import { ask, kitchenAt, opened, shownNames, until } from '../helpers/wait.mjs';

let site, browser;
before(async () => { site = await serveSite(); browser = await openBrowser(); });
after(async () => { await browser?.close(); await site?.close(); });

const TALL = { width: 1280, height: 16000 }; // every view on screen: none rests
// the parts that show a dish (chapter 8 shows the run's size and speed, no dish)
const HOOKS = ['ol.names', '#chapter-1 .records-pair', '#chapter-2 .courses', '#chapter-3 .line', '#chapter-4 .scorecard',
  '#chapter-5 .trace', '#chapter-5 .dial-wall canvas', '#chapter-6 .sensei', '#chapter-6 canvas.sensei-history',
  '#chapter-7 .service-invented'];

/** Waits until every hook (and every other [data-shows-dish] of the page) says dish n. */
const allAt = (page, n) => until(page, ([hooks, d]) => hooks.every((s) => document.querySelector(s)?.dataset.showsDish === d)
  && [...document.querySelectorAll('[data-shows-dish]')].every((e) => e.dataset.showsDish === d),
[HOOKS, String(n)], `every view to say dish ${n}`);

test('every view says the dish it shows, scrubbed and back at the latest', async () => {
  const page = await browser.newPage(TALL);
  await page.goto(`${site.url}?pace=instant`);
  await page.waitForSelector('li[data-mark]');
  await opened(page);
  const st = await ask(page, 'status');
  if (st.pace !== 'instant') await ask(page, 'setPace', { pace: 'instant' });
  if (st.step !== 0) { await ask(page, 'reset', {}); await kitchenAt(page, { state: 'idle', step: 0 }); }
  await page.$eval('[data-action=train]', (b) => b.click());
  const done = await kitchenAt(page, { state: 'done' }, { timeout: 60000 });
  await allAt(page, done.step);
  // chapter 6's two walls, each after its draw
  assert.equal(await page.$$eval('#chapter-6 .dial-wall canvas[data-shows-dish]', (els) => els.length), 2);

  for (const n of [400, 37, done.step - 1]) {
    await page.$eval('#timeline', (el, d) => { el.value = String(d); el.dispatchEvent(new Event('input', { bubbles: true })); }, n);
    await allAt(page, n);
    assert.equal(await page.getAttribute('[data-view-banner]', 'data-view'), String(n));
    // what the names list says is the kitchen's word: its names of dish n
    const theirs = await ask(page, 'names', { count: 20, temperature: 0.5 });
    assert.equal(theirs.step, n);
    assert.equal(await shownNames(page), theirs.names.map((x) => (x === '' ? '(the bell at once)' : x)).join(' '));
  }
  await page.$eval('[data-action=back-to-latest]', (b) => b.click());
  await allAt(page, done.step);
  assert.deepEqual(page.problems.errors, [], 'no page errors');
  assert.deepEqual(page.problems.console, [], 'no console errors');
  await page.close();
});
