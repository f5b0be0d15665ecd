// Every chapter view in headless Chromium, untrained and trained: it
// renders, updates while Ming trains, handles bad names, logs no error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite } from '../helpers/server.mjs';
import { openBrowser, shotPath, recordTexts, recordedTexts } from '../helpers/browser.mjs';
import { changed, inView, kitchenAt, rendered, shows, viewsCurrent } from '../helpers/wait.mjs';
import { DEFAULT_COUNT } from '../helpers/default-run.mjs';

let site, browser, page;
before(async () => {
  site = await serveSite();
  browser = await openBrowser();
  page = await browser.newPage();
  await page.goto(`${site.url}?pace=instant`); // the runs here are trained whole (the pace: pace-scrub.test.mjs)
  await page.waitForSelector('li[data-mark]', { timeout: 15000 });
  await page.waitForSelector('[data-trace-loss]', { timeout: 15000 });
});
after(async () => { await browser?.close(); await site?.close(); });

const text = (sel) => page.textContent(sel);
const attr = (sel, a) => page.getAttribute(sel, a);
const CHAPTERS = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `#chapter-${n}`);

test('the walk: the trainer first, then the table of contents and chapters 1 to 8 in order with anchors', async () => {
  const ids = await page.$$eval('main > section[id]', (els) => els.map((e) => e.id));
  assert.deepEqual(ids, ['trainer', 'chapter-1', 'chapter-2', 'chapter-3', 'chapter-4', 'chapter-5', 'chapter-6', 'chapter-7', 'chapter-8']);
  const toc = await page.$$eval('nav.toc a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(toc, ['#trainer', ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => `#chapter-${n}`)]);
  for (let n = 1; n <= 8; n++) assert.ok((await text(`#chapter-${n} .what`)).length > 40, `chapter ${n} says what it shows`);
});

test('untrained: every view shows the live model', async () => {
  assert.equal(await text('[data-records-count]'), DEFAULT_COUNT); // Karpathy's names, the default records
  assert.equal(await text('[data-courses-count]'), '26');
  assert.equal(await attr('[data-ids]', 'data-ids'), '26 4 12 12 0 26');
  assert.equal(await text('[data-ids]'), '26 4 12 12 0 26');
  assert.equal(await page.$$eval('#chapter-3 [data-head]', (r) => r.length), 4);
  assert.equal(await page.$$eval('#chapter-3 .vote-bars li', (r) => r.length), 27);
  // each head's weights over the notebook pages sum to 100%
  const sums = await page.$$eval('#chapter-3 [data-head]', (rows) => rows.map((r) => [...r.querySelectorAll('[data-weight]')].reduce((a, c) => a + Number(c.dataset.weight), 0)));
  for (const s of sums) assert.ok(Math.abs(s - 1) < 1e-3, `head weights sum to ${s}`);
  assert.equal(await page.$$eval('#chapter-4 [data-score-row]', (r) => r.length), 5);
  await page.waitForFunction(() => /^\d\.\d{3}$/.test(document.querySelector('[data-fresh-penalty]').textContent));
  assert.equal(await text('[data-fresh-penalty]'), (Number(await attr('[data-mean-penalty]', 'data-mean-penalty'))).toFixed(3), 'untrained, before = now');
  assert.ok(await page.$$eval('.records-bar', (b) => b.length) >= 10, 'the histogram of lengths is drawn');
  assert.equal(await text('[data-salt-impact]'), '4');
  assert.equal(await text('[data-sugar-impact]'), '2');
  assert.equal(await page.$$eval('[data-top-dial]', (r) => r.length), 10);
  assert.match(await text('[data-scale=dials]'), /^4,192$/);
  assert.deepEqual(page.problems.console, []);
  assert.deepEqual(page.problems.errors, []);
});

// (the salt-and-sugar example is tested in chapters-b.test.mjs)

test('views update while Ming trains; the trained kitchen shows the reference figures', async () => {
  for (const w of [1280, 360]) {
    await page.setViewportSize({ width: w, height: 900 });
    await rendered(page); // laid out and painted at the new width
    for (let n = 1; n <= 8; n++) await page.locator(`#chapter-${n}`).screenshot({ path: shotPath(`chapter-${n}-${w}-untrained.png`) });
  }
  // views off screen pause until scrolled to: a tall window keeps them all in view
  await page.setViewportSize({ width: 1280, height: 16000 });
  await inView(page, CHAPTERS);
  await viewsCurrent(page);
  const before = {
    line: await attr('#chapter-3 [data-head="0"] [data-weight]', 'data-weight'),
    mean: await attr('[data-mean-penalty]', 'data-mean-penalty'),
    loss: await text('[data-trace-loss]'),
    step: await text('[data-sensei-step]'),
  };
  await page.selectOption('#trainer select', '20000');
  await shows(page, '[data-counter=step]', /^0 \/ 20,000/); // the kitchen planned the run
  const heights = () => page.$$eval('main > section', (s) => s.map((e) => Math.round(e.getBoundingClientRect().height)));
  const still = await heights();
  await recordTexts(page, '[data-sensei-step]'); // the run lasts about a second
  await page.$eval('[data-action=train]', (b) => b.click());
  await page.waitForFunction((b) => document.querySelector('[data-mean-penalty]').dataset.meanPenalty !== b, before.mean, { timeout: 30000 });
  assert.deepEqual(await heights(), still, 'no layout jumps while training');
  await page.waitForFunction(() => /^20,000 \/ 20,000/.test(document.querySelector('[data-counter=step]').textContent), null, { timeout: 30000 });
  // mid-run, the views had moved on (they refresh about 10 times a second)
  const seenSteps = (await recordedTexts(page, '[data-sensei-step]')).map((t) => Number(t.replace(/\D/g, '')));
  assert.ok(seenSteps.some((x) => x > 0 && x < 20000), `chapter 6 showed dishes mid-run: ${seenSteps.join(', ')}`);
  // every view's last refresh after the run is in
  await kitchenAt(page, { state: 'done', step: 20000 });
  await viewsCurrent(page);
  assert.deepEqual(await heights(), still, 'no layout jumps after training');
  assert.notEqual(await attr('#chapter-3 [data-head="0"] [data-weight]', 'data-weight'), before.line);
  assert.notEqual(await text('[data-trace-loss]'), before.loss);
  assert.equal(await text('[data-sensei-step]'), '20,000');
  assert.deepEqual(await page.$$eval('[data-milestone]', (m) => m.map((e) => e.dataset.milestone)), ['1', '100', '500', '20000']);
  assert.ok(Number(await attr('[data-mean-penalty]', 'data-mean-penalty')) < Number(before.mean));
  assert.equal(Number(await text('[data-fresh-penalty]')).toFixed(3), Number(before.mean).toFixed(3), 'before training stays the untrained penalty');
  // the vote after "emm": a first
  assert.equal(await page.$eval('#chapter-3 .vote-bars li', (li) => li.dataset.course), 'a');
  // the nudge: predicted and measured agree
  await page.click('[data-action=nudge]');
  await page.waitForFunction(() => document.querySelector('[data-nudge-measured]').textContent !== '–');
  const predicted = Number(await text('[data-nudge-predicted]')), measured = Number(await text('[data-nudge-measured]'));
  assert.ok(Math.abs(predicted - measured) <= 0.05 * Math.abs(predicted) + 1e-4, `${predicted} vs ${measured}`);
  // cooking solo at a temperature gives a share of invented names
  const share = Number(await attr('#chapter-7 [data-invented-share]', 'data-invented-share'));
  assert.ok(share > 0 && share < 1, `share ${share}`);
  assert.match(await text('[data-scale=time]'), /s for 1,000 dishes/);
  await page.setViewportSize({ width: 1280, height: 900 });
  for (const w of [1280, 360]) {
    await page.setViewportSize({ width: w, height: 900 });
    await rendered(page);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, `no overflow at ${w}`);
    for (let n = 1; n <= 8; n++) await page.locator(`#chapter-${n}`).screenshot({ path: shotPath(`chapter-${n}-${w}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.deepEqual(page.problems.console, []);
});

test('a view off screen rests while Ming trains and catches up when scrolled to', async () => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.$eval('#chapter-1', (e) => e.scrollIntoView());
  await inView(page, ['#chapter-6'], false);
  const before = await text('[data-sensei-step]');
  const pair = await text('[data-pair-loss=a]');
  await page.$eval('[data-action=reset]', (b) => b.click());
  // not a wait for nothing to happen: the kitchen is back at dish 0 and
  // chapter 1, on screen, has refreshed to the new dials; chapter 6 has not
  await kitchenAt(page, { state: 'idle', step: 0 });
  await changed(page, '[data-pair-loss=a]', pair);
  await viewsCurrent(page, '#chapter-1');
  assert.equal(await text('[data-sensei-step]'), before, 'chapter 6 is off screen: no refresh');
  await page.$eval('#chapter-6', (e) => e.scrollIntoView());
  await page.waitForFunction(() => document.querySelector('[data-sensei-step]').textContent === '0');
});

test('bad names: each view says what is wrong and keeps working', async () => {
  const fields = ['#courses-name', '#line-prefix', '#scorecard-name', '#trace-name'];
  const bad = [['Emma', /"E" is not one of/], ['em3', /"3"/], ['zoë', /"ë"/], ['😀', /not one of/], ['', /Type a name/], ['abcdefghijklmnop', /At most 15 characters/]];
  for (const f of fields) {
    const msg = `${f}-msg`;
    let said = await text(msg);
    // each value gets a message of its own: wait for it, then read it
    for (const [value, pattern] of bad) {
      await page.fill(f, value);
      said = await changed(page, msg, said);
      assert.match(said, pattern, `${f} with ${JSON.stringify(value)}`);
    }
    await page.fill(f, 'anna');
    assert.doesNotMatch(await changed(page, msg, said), /not one of|At most|Type a name/);
  }
  await shows(page, '[data-ids]', '26 0 13 13 0 26', { attr: 'data-ids' });
  await shows(page, '[data-scored-name]', 'anna', { attr: 'data-scored-name' });
  assert.equal(await page.$$eval('#chapter-4 [data-score-row]', (r) => r.length), 5);
  await page.fill('#records-query', 'Anna');
  await shows(page, '[data-in-records]', 'invalid', { attr: 'data-in-records' });
  await page.fill('#records-query', 'anna');
  await shows(page, '[data-in-records]', 'true', { attr: 'data-in-records' });
  assert.deepEqual(page.problems.console, []);
  assert.deepEqual(page.problems.errors, []);
});
