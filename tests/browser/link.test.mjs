// A link that rebuilds Ming (features/link), in headless Chromium: the page
// keeps its state in the URL; Copy link's address, opened in a fresh
// browser (a new profile), trains the same Ming: the same 1,000 losses (the
// reference run's, exactly), the same penalty at dish 1,000, the same names,
// the name typed in chapter 3 and the chapter; bad and old links give notes
// and the defaults, never a blank page. Waits on the page's and the kitchen's
// state only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite } from '../helpers/server.mjs';
import { openBrowser } from '../helpers/browser.mjs';
import { openPage, noErrors, press } from '../helpers/page.mjs';
import { loadRun, maxAbsDiff } from '../helpers/ref.mjs';
import { ask, kitchenAt, shows, until } from '../helpers/wait.mjs';

let site, browser;
before(async () => { site = await serveSite(); browser = await openBrowser(); });
after(async () => { await browser?.close(); await site?.close(); });

const open = (b, url) => openPage(b, url);
const typeName = (page, sel, v) => page.$eval(sel, (el, value) => {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}, v);
const urlHas = (page, part, what) => until(page, (p) => location.href.includes(p), part, what);
// the names as the trainer shows them: an empty name is "the bell at once"
const onScreen = (names) => names.map((n) => n || '(the bell at once)').join(' ');
const penaltyAt = (losses, step) => { const w = losses.slice(Math.max(0, step - 100), step); return w.reduce((a, b) => a + b, 0) / w.length; };

test('Copy link, opened in a fresh browser, trains the same Ming: losses, penalty at dish 1,000, names, typed name, chapter', async () => {
  const ref = loadRun('microgpt_makemore_seed42'); // the page's default records: Karpathy's
  const a = await open(browser, `${site.url}?pace=instant`);
  await press(a, 'train');
  await kitchenAt(a, { state: 'done', step: 1000 });
  await shows(a, '[data-counter=step]', '1,000 / 1,000');
  const entries = await a.evaluate(() => history.length);
  await typeName(a, '#line-prefix', 'kar');
  await typeName(a, '#temperature', '0.7');
  // the URL follows the page (the dish once Ming rests; the typed name; the risk dial)
  await urlHas(a, 'at=1000', 'the URL to carry dish 1,000');
  await urlHas(a, 'n.line=kar', 'the URL to carry the name typed in chapter 3');
  await urlHas(a, 't=0.7', 'the URL to carry the risk dial');
  assert.equal(await a.evaluate(() => history.length), entries, 'the dial and the name replaced the history entry');
  await a.$eval('a[href="#chapter-3"]', (l) => l.click()); // a chapter pushes one
  assert.equal(await a.evaluate(() => history.length), entries + 1, 'the chapter pushed one entry');
  assert.ok(a.url().endsWith('#chapter-3'));
  await shows(a, '[data-temperature]', '0.70');
  const namesA = (await ask(a, 'names', { count: 20, temperature: 0.7 })).names.join(' ');
  await until(a, (want) => [...document.querySelectorAll('li[data-mark] .dish')].map((e) => e.textContent).join(' ') === want,
    namesA, 'the names at 0.7');
  const penaltyA = await a.textContent('[data-counter=loss]');
  const lossesA = Array.from(await ask(a, 'losses'));
  await press(a, 'copy-link');
  await a.waitForSelector('[data-link-url]');
  const link = await a.inputValue('[data-link-url]');
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/\?v=1&seed=42&steps=1000&at=1000&t=0\.7&pace=instant&n\.line=kar#chapter-3$/);
  noErrors(a);
  await a.close();

  // a fresh browser: a new profile, nothing cached, nothing shared
  const other = await openBrowser();
  try {
    const b = await open(other, link);
    const st = await kitchenAt(b, { step: 1000, state: 'done' });
    assert.equal(st.seed, 42);
    await shows(b, '[data-counter=step]', '1,000 / 1,000');
    const losses = Array.from(await ask(b, 'losses'));
    assert.equal(losses.length, 1000);
    assert.deepEqual(losses, lossesA, 'the run the link was copied from, loss for loss, bit for bit');
    assert.equal(penaltyAt(losses, 1000), penaltyAt(lossesA, 1000), 'the penalty at dish 1,000, exactly');
    assert.ok(maxAbsDiff(losses, ref.losses) <= 1e-9, 'and the reference run\'s (CPython), as the parity tests hold it');
    // the page's own figure, from the curve it drew
    await shows(b, '[data-counter=loss]', penaltyA);
    await shows(b, '[data-strip=loss]', penaltyA);
    await until(b, (want) => [...document.querySelectorAll('li[data-mark] .dish')].map((e) => e.textContent).join(' ') === want,
      namesA, 'the same names as the page the link was copied from');
    assert.equal(await b.inputValue('#line-prefix'), 'kar');
    assert.equal(await b.evaluate(() => location.hash), '#chapter-3');
    assert.equal(await b.$('[data-link-notes]'), null, 'a good link has no note');
    noErrors(b);
    await b.close();
  } finally { await other.close(); }
});

test('a link with a preset and a size opens with those records and that size, and the URL keeps them; a size the engine refuses gives a note', async () => {
  const ssa = loadRun('microgpt_seed42'); // the SSA 2018 list, the preset us-2018
  const page = await open(browser, `${site.url}?v=1&records=us-2018&size=32-8-2-16&seed=42&steps=1000&at=1000&pace=instant`);
  await kitchenAt(page, { state: 'done', step: 1000 });
  const info = await ask(page, 'info');
  assert.deepEqual([info.numParams, info.numDocs, info.records.preset], [26816, ssa.num_docs, 'us-2018']);
  assert.deepEqual(info.config, { nEmbd: 32, nHead: 8, nLayer: 2, blockSize: 16 });
  await shows(page, '[data-dials]', '26,816');
  await urlHas(page, 'records=us-2018', 'the URL to keep the records');
  await urlHas(page, 'size=32-8-2-16', 'the URL to keep the size');
  noErrors(page);
  await page.close();

  const refused = await open(browser, `${site.url}?v=1&size=16-3-1-16&seed=42`);
  await until(refused, () => /size=16-3-1-16/.test(document.querySelector('[data-link-notes]')?.textContent ?? ''), null, 'the note on the refused size');
  assert.match(await refused.textContent('[data-link-notes]'), /divisible/);
  assert.equal((await ask(refused, 'info')).numParams, 4192, 'the default size');
  await refused.close();
});

test('a link to a dish mid-run and a scrubbed dish: trained to it, paused, the dish shown', async () => {
  const page = await open(browser, `${site.url}?v=1&seed=7&steps=5000&at=400&view=250&t=0.8&pace=fast`);
  const st = await kitchenAt(page, { step: 400, state: 'paused' });
  assert.deepEqual([st.seed, st.numSteps, st.pace, st.view], [7, 5000, 'fast', 250]);
  await shows(page, '[data-action=train]', 'Resume');
  await shows(page, '[data-temperature]', '0.80');
  const expected = await ask(page, 'names', { count: 20, temperature: 0.8 });
  assert.equal(expected.step, 250);
  await until(page, (want) => [...document.querySelectorAll('li[data-mark] .dish')].map((e) => e.textContent).join(' ') === want,
    onScreen(expected.names), 'the names of dish 250 at 0.8');
  noErrors(page);
  await page.close();
});

test('bad links: a note for each bad field, the defaults for them, the good fields kept, never a blank page', async () => {
  const page = await open(browser, `${site.url}?v=1&seed=-5&steps=7&t=0.7&mine=!!!&colour=red`);
  await page.waitForSelector('[data-link-notes]');
  const notes = await page.$$eval('[data-link-notes] li', (els) => els.map((e) => e.textContent));
  assert.equal(notes.length, 4, notes.join(' | '));
  assert.match(notes[0], /^seed=-5 is not accepted/);
  assert.match(notes[1], /^steps=7 is not accepted/);
  assert.match(notes[2], /records this link carries .* could not be read/);
  assert.match(notes[3], /does not know \(colour\)/);
  const st = await kitchenAt(page, { state: 'idle' });
  assert.deepEqual([st.seed, st.numSteps], [42, 1000], 'the defaults');
  await shows(page, '[data-temperature]', '0.70');
  assert.equal(await page.isEnabled('[data-action=train]'), true);
  noErrors(page);
  await page.close();

  // a link of another version of the page: the defaults, and a note
  const old = await open(browser, `${site.url}?v=9&seed=7&at=1000#chapter-2`);
  await old.waitForSelector('[data-link-notes]');
  assert.match(await old.textContent('[data-link-notes]'), /another version of the page \(v=9; this page reads v=1\)/);
  const s2 = await kitchenAt(old, { state: 'idle' });
  assert.deepEqual([s2.seed, s2.step], [42, 0]);
  noErrors(old);
  await old.close();

  // garbage of every kind still opens the page
  for (const q of ['?%E0%A4%A=1', '?v=1&at=99999999999999999999', '?n.line=%00%01', `?v=1&mine=${'A'.repeat(9000)}`]) {
    const p = await open(browser, `${site.url}${q}`);
    assert.equal(await p.isEnabled('[data-action=train]'), true, q);
    noErrors(p);
    await p.close();
  }
});

test('Retry after a link whose kitchen failed to open cooks the link\'s run', async () => {
  const page = await browser.newPage();
  await page.route('**/microgpt.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto(`${site.url}?v=1&seed=7&steps=1000&at=300&view=120&pace=instant`);
  await page.waitForSelector('[data-error] [data-action=retry]', { timeout: 30000 });
  await page.unroute('**/microgpt.wasm');
  await page.click('[data-action=retry]');
  // the link's run, cooked to its dish, with the dish it showed
  const st = await kitchenAt(page, { step: 300, state: 'paused', view: 120 });
  assert.deepEqual([st.seed, st.numSteps], [7, 1000]);
  await shows(page, '[data-action=train]', 'Resume');
  assert.equal(await page.$('[data-error]'), null);
  noErrors(page);
  await page.close();
});
