// The page states and takes the limits module's ranges (web/src/limits.js)
// and C's facts (read here through the built engine): the seed box and its
// note, both risk dials' range, and sensei's copy of Adam's constants.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite } from '../helpers/server.mjs';
import { openBrowser } from '../helpers/browser.mjs';
import { opened } from '../helpers/wait.mjs';
import { engine } from '../helpers/engine.mjs';
import { UI_SEED, UI_SEED_TEXT, UI_TEMPERATURE } from '../../web/src/limits.js';

let site, browser, page;
before(async () => {
  site = await serveSite();
  browser = await openBrowser();
  page = await browser.newPage();
  await page.goto(site.url);
  await page.waitForSelector('li[data-mark]', { timeout: 15000 });
  await opened(page);
});
after(async () => { await browser?.close(); await site?.close(); });

const SEED = '#trainer input[inputmode=numeric]';

test('the seed box takes the limits module\'s seeds and its note states their range', async () => {
  await page.fill(SEED, String(UI_SEED.max));
  assert.equal(await page.getAttribute(SEED, 'aria-invalid'), 'false');
  await page.fill(SEED, String(UI_SEED.max + 1));
  await page.waitForSelector(`${SEED}[aria-invalid=true]`);
  assert.equal((await page.textContent('#seed-help')).trim(), `The seed is ${UI_SEED_TEXT}.`);
  assert.ok(UI_SEED.max <= engine.facts.seedMax);
  await page.fill(SEED, String(UI_SEED.default));
  await page.waitForSelector(`${SEED}[aria-invalid=false]`);
});

test('both risk dials span the limits module\'s range, inside C\'s', async () => {
  await page.locator('#chapter-7').scrollIntoViewIfNeeded();
  await page.waitForSelector('#service-temperature');
  for (const id of ['#temperature', '#service-temperature']) {
    const range = await page.$eval(id, (el) => [el.min, el.max, el.step].map(Number));
    assert.deepEqual(range, [UI_TEMPERATURE.min, UI_TEMPERATURE.max, UI_TEMPERATURE.step], id);
  }
  assert.equal(Number(await page.inputValue('#temperature')), engine.facts.temperature.default);
});

test('chapter 6 states C\'s learning rate, beta2 and epsilon', async () => {
  await page.locator('#chapter-6').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('#chapter-6')?.textContent.includes('falls in a straight line'), null, { timeout: 15000 });
  const text = (await page.textContent('#chapter-6')).replace(/\s+/g, ' ');
  const { lr, beta2, eps } = engine.facts.adam;
  assert.ok(text.includes(`falls in a straight line from ${lr} at dish 0`), 'the learning rate');
  assert.ok(text.includes(`(1 − ${beta2}dish)`), 'beta2');
  assert.ok(text.includes(`ε = 10−${-Math.log10(eps)}`), 'epsilon');
});
